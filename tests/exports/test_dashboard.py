"""The dataset dashboard: server-side SVG charts, owners and admins only, export buttons."""

import pytest
from django.urls import reverse

from apps.exports import charts

pytestmark = pytest.mark.urls("tests.exports.urls")


@pytest.fixture
def rated(world, preference, answer):
    dataset, (r0, r1, _r2) = preference
    answer(world.ann1, r0, {"response_ranking": 1})
    answer(world.ann2, r0, {"response_ranking": 1})
    answer(world.ann1, r1, {"response_ranking": 2})
    return dataset


def test_admin_sees_charts_and_agreement(client, world, rated):
    client.force_login(world.admin)
    page = client.get(reverse("exports:dashboard", args=[rated.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<svg") == 3  # progress, annotators, agreement
    assert "<title>ann1: 2</title>" in html
    assert "response_ranking" in html and "ordinal" in html


def test_annotator_is_forbidden_and_other_tenant_gets_404(client, world, rated):
    url = reverse("exports:dashboard", args=[rated.pk])
    client.force_login(world.ann1)
    assert client.get(url).status_code == 403
    client.force_login(world.admin_b)
    assert client.get(url).status_code == 404


def test_download_button_streams_the_export(client, world, rated):
    client.force_login(world.owner)
    response = client.post(
        reverse("exports:export", args=[rated.pk]), {"format": "jsonl", "task": "dpo"}
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).count(b"\n") == 2


def test_impossible_task_comes_back_as_a_message(client, world, rated):
    client.force_login(world.owner)
    page = client.post(
        reverse("exports:export", args=[rated.pk]),
        {"format": "jsonl", "task": "text_classification"},
        follow=True,
    )
    assert "label_selection" in page.content.decode()


def test_bar_chart_scales_to_the_largest_value():
    chart = charts.bar_chart([("a", 2, "2"), ("b", 4, "4")])
    assert [bar.width for bar in chart["bars"]] == [180.0, 360.0]
    assert charts.line_chart([])["path"] == ""
    line = charts.line_chart([("2024-01-01", 1), ("2024-01-02", 3)])
    assert line["path"].startswith("M30.0,") and line["maximum"] == 3
