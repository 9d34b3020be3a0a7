"""The dataset dashboard in Chromium, at desktop and phone size: the demo a few hours into
annotating, and a month-old dataset with overlap and agreement. Screenshots go to
artifacts/dashboard-*.png."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.datasets import services as dataset_services
from apps.datasets.demo import seed_demo
from apps.datasets.models import Dataset
from apps.records.models import Record
from apps.records.services import create_records
from apps.responses.models import Response
from apps.responses.services import save_response
from apps.workspaces.models import WorkspaceMember
from tests.browser.test_annotator_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TEAM = ("annotator", "mei", "ravi", "sofia", "tomasz")


def team(workspace) -> list[User]:
    users = []
    for name in TEAM:
        user = User.objects.filter(username=name).first()
        if user is None:
            user = User.objects.create(username=name, role=Role.ANNOTATOR)
        WorkspaceMember.objects.get_or_create(workspace=workspace, user=user)
        users.append(user)
    return users


def answer(user, record, values, *, status="submitted", at, seconds=0):
    response = save_response(
        user=user,
        record=record,
        values={name: {"value": value} for name, value in values.items()},
        status=status,
        active_seconds=seconds,
    )
    Response.objects.filter(pk=response.pk).update(updated_at=at)


def age(dataset, delta) -> None:
    Dataset.objects.filter(pk=dataset.pk).update(inserted_at=timezone.now() - delta)


def demo_a_few_hours_in() -> Dataset:
    """The demo (one answer per record) three hours in: five annotators, some drafts."""
    dataset, _added = seed_demo()
    rng, now = random.Random(19), timezone.now()
    records = list(Record.objects.filter(dataset=dataset).order_by("external_id"))
    users = team(dataset.workspace)
    for index, record in enumerate(records[:38]):
        user = users[index % len(users)] if index % 7 else users[0]
        status = "draft" if index % 11 == 5 else "discarded" if index % 13 == 7 else "submitted"
        values = {"response_ranking": rng.choice((1, 2, 3))} if status != "discarded" else {}
        minutes = 170 - index * 4 - rng.randint(0, 3)
        answer(user, record, values, status=status, at=now - timedelta(minutes=minutes),
               seconds=rng.randint(12, 140))  # fmt: skip
    age(dataset, timedelta(hours=3, minutes=10))
    return dataset


def month_old(workspace) -> Dataset:
    """Support tickets triaged by three people per ticket over thirty days."""
    dataset = dataset_services.create_dataset(
        workspace=workspace, name="support-triage", min_submitted=3
    )
    dataset_services.add_field(
        dataset=dataset, name="ticket", title="Ticket", settings={"type": "text"}
    )
    dataset_services.add_question(
        dataset=dataset,
        name="urgency",
        title="How urgent is it?",
        settings={"type": "rating", "options": [{"value": v} for v in range(1, 6)]},
    )
    dataset_services.add_question(
        dataset=dataset,
        name="team",
        title="Which team handles it?",
        settings={
            "type": "label_selection",
            "options": [
                {"value": "billing", "text": "Billing"},
                {"value": "bugs", "text": "Bugs"},
                {"value": "account", "text": "Account"},
            ],
        },
    )
    dataset_services.add_question(
        dataset=dataset,
        name="reply",
        title="Suggested reply",
        required=False,
        settings={"type": "text"},
    )
    dataset_services.publish_dataset(dataset=dataset)
    records = create_records(
        dataset=dataset, items=[{"fields": {"ticket": f"Ticket {i}"}} for i in range(90)]
    )
    rng, now, users = random.Random(7), timezone.now(), team(workspace)
    for index, record in enumerate(records[:70]):
        # Slow start, a busy middle, a quiet last week.
        day = 29 - int(29 * (index / 70) ** 0.8)
        truth = {"urgency": rng.randint(1, 5), "team": rng.choice(("billing", "bugs", "account"))}
        for user in rng.sample(users, 3):
            values = dict(truth)
            if rng.random() < 0.25:
                values["urgency"] = max(1, min(5, truth["urgency"] + rng.choice((-1, 1))))
            if rng.random() < 0.15:
                values["team"] = rng.choice(("billing", "bugs", "account"))
            roll = rng.random()
            status = "draft" if roll < 0.06 else "discarded" if roll < 0.1 else "submitted"
            at = now - timedelta(days=day, hours=rng.randint(0, 8), minutes=rng.randint(0, 59))
            answer(user, record, values if status != "discarded" else {}, status=status, at=at,
                   seconds=rng.randint(20, 200))  # fmt: skip
    age(dataset, timedelta(days=31))
    return dataset


def shoot(browser, live_server, dataset, name, artifacts) -> list:
    """Desktop and phone screenshots of `dataset`'s dashboard, seen by the demo owner;
    returns the pages' checks (no sideways scrolling, the chart's ticks) for the caller."""
    seen = []
    for size, viewport, extra in (
        ("desktop", DESKTOP, {}),
        ("phone", PHONE, {"device_scale_factor": 2, "is_mobile": True, "has_touch": True}),
    ):
        context = browser.new_context(viewport=viewport, **extra)
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, live_server.url, "owner", "loam-owner-demo")
        page.goto(f"{live_server.url}/datasets/{dataset.pk}/dashboard")
        page.wait_for_selector(".line-chart")
        page.screenshot(path=str(artifacts / f"dashboard-{name}-{size}.png"), full_page=True)
        if size == "phone":  # the full page is too tall to judge: the first screen and each card
            page.screenshot(path=str(artifacts / f"dashboard-{name}-phone-top.png"))
            for card in ("progress", "annotators", "agreement", "time-spent", "export"):
                page.locator(f"#{card}").screenshot(
                    path=str(artifacts / f"dashboard-{name}-phone-{card}.png")
                )
        seen.append(
            {
                "size": size,
                "overflow": page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                ),
                "unit": page.get_attribute(".line-chart", "data-unit"),
                "ticks": page.locator(".line-chart .tick:visible").all_inner_texts(),
                "overlapping_ticks": page.evaluate(
                    """() => {
                      const boxes = [...document.querySelectorAll('.line-chart .tick')]
                        .filter(t => t.offsetParent).map(t => t.getBoundingClientRect());
                      return boxes.some((b, i) => i && b.left < boxes[i - 1].right);
                    }"""
                ),
                "links": page.locator(".dash-links a").all_inner_texts(),
            }
        )
        context.close()
    return seen


def test_the_demo_dashboard_a_few_hours_in(browser, live_server, artifacts):
    dataset = demo_a_few_hours_in()
    for seen in shoot(browser, live_server, dataset, "demo", artifacts):
        assert seen["overflow"] <= 0, seen  # nothing wider than the screen
        assert seen["unit"] in ("minute", "hour") and not seen["overlapping_ticks"], seen
        assert all(":" in tick for tick in seen["ticks"]), seen
        assert len(seen["links"]) == 3, seen  # records, annotate, admin


def test_a_month_old_dashboard(browser, live_server, artifacts):
    demo, _added = seed_demo()
    dataset = month_old(demo.workspace)
    for seen in shoot(browser, live_server, dataset, "month", artifacts):
        assert seen["overflow"] <= 0, seen
        assert seen["unit"] == "day" and not seen["overlapping_ticks"], seen
        assert not any(":" in tick for tick in seen["ticks"]), seen
