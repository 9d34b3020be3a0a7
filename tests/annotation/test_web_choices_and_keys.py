"""Choice chips say what they mean; key hints fit the keyboard; messages use question titles."""

import re

import pytest
from django.urls import reverse

from apps.annotation.web.choices import rating_meanings
from apps.records.services import create_records

RATING_WITH_MEANINGS = {
    "name": "response_ranking",
    "title": "Which response is better?",
    "description": "1: the first is better, 2: the second is better, 3: both are equal.",
    "required": True,
    "settings": {"type": "rating", "options": [{"value": 1}, {"value": 2}, {"value": 3}]},
}
LABELS = {
    "name": "tone",
    "title": "Tone",
    "required": False,
    "settings": {
        "type": "label_selection",
        "options": [
            {"value": "pos", "text": "Positive", "description": "Friendly"},
            {"value": "neg", "text": "Negative"},
        ],
    },
}


@pytest.fixture
def dataset(world, make_dataset):
    from tests.conftest import PREFERENCE_FIELDS

    dataset = make_dataset(
        world.ws_a, fields=PREFERENCE_FIELDS, questions=[RATING_WITH_MEANINGS, LABELS]
    )
    create_records(
        dataset=dataset,
        items=[{"fields": {"prompt": "p", "response-1": "a", "response-2": "b"}}],
    )
    return dataset


def chips(html: str) -> list[str]:
    """Each chip's visible text, its key hint in brackets."""
    found = []
    for label in re.findall(r"<label data-option.*?</label>", html, re.S):
        text = re.search(r"<span>(.*?)</span>", label).group(1)
        key = re.search(r'<kbd class="key-hint">(\d)</kbd>', label)
        found.append(f"{text} [{key.group(1)}]" if key else text)
    return found


def test_rating_chips_show_the_meaning_with_the_key_as_a_hint(world, dataset, login):
    html = login(world.ann1).get(reverse("annotation:annotate", args=[dataset.pk])).content
    assert chips(html.decode()) == [
        "1 · the first is better [1]",
        "2 · the second is better [2]",
        "3 · both are equal [3]",
        "Positive [1]",
        "Negative [2]",
    ]
    # the description now lives in the chips: it is not repeated below the title
    assert b"1: the first is better, 2:" not in html


def test_bare_rating_chips_do_not_repeat_the_key(world, make_dataset, login):
    from tests.conftest import PREFERENCE_FIELDS, PREFERENCE_QUESTIONS

    dataset = make_dataset(world.ws_a, fields=PREFERENCE_FIELDS, questions=PREFERENCE_QUESTIONS)
    create_records(
        dataset=dataset, items=[{"fields": {"prompt": "p", "response-1": "a", "response-2": "b"}}]
    )
    html = login(world.ann1).get(reverse("annotation:annotate", args=[dataset.pk])).content
    assert chips(html.decode()) == ["1", "2", "3"]


@pytest.mark.parametrize(
    ("description", "meanings"),
    [
        ("1 = bad; 2 = ok; 3 = good", {1: "bad", 2: "ok", 3: "good"}),
        ("1：第一个更好，2：第二个更好。", {1: "第一个更好", 2: "第二个更好"}),
        ("Score it (1: bad, 2: good)", {1: "bad", 2: "good"}),
        ("1 - poor\n5 - excellent", {1: "poor", 5: "excellent"}),
        ("Rate from 1 to 5", {}),
        ("", {}),
    ],
)
def test_rating_meanings_are_read_from_the_description(description, meanings):
    assert rating_meanings(description) == meanings


@pytest.mark.parametrize(
    ("agent", "key"),
    [
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15", "⌘ ⏎"),
        ("Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0", "Ctrl ⏎"),
    ],
)
def test_the_modifier_key_fits_the_keyboard(world, dataset, login, agent, key):
    html = (
        login(world.ann1)
        .get(reverse("annotation:annotate", args=[dataset.pk]), HTTP_USER_AGENT=agent)
        .content.decode()
    )
    assert f'<kbd class="key-hint">{key}</kbd>' in html
    assert f"<kbd>{key}</kbd>" in html  # the shortcut sheet too


def test_a_missing_answer_names_the_question_by_its_title(world, dataset, login):
    record = dataset.records.get()
    response = login(world.ann1).post(
        reverse("annotation:respond", args=[dataset.pk, record.pk, "submit"]), {"q-tone": "pos"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "The question “Which response is better?” is required to submit." in html
    assert "'response_ranking'" not in html
