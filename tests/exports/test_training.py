"""Training tasks: each task's file loaded with `datasets`, checked column by column."""

import datasets
import pytest

from apps.core.errors import ValidationFailed
from apps.exports import services

TEXT = {"type": "text"}


def _export(dataset, task, tmp_path, fmt="jsonl", **options):
    export = services.prepare_export(dataset=dataset, format=fmt, task=task, options=options)
    path = services.write_export(export, tmp_path / f"{task}.{fmt}")
    if fmt == "hf":
        return datasets.load_from_disk(str(path))
    return datasets.Dataset.from_json(str(path))


def _problems(error) -> dict:
    return {p.loc: p.message for p in error.value.problems}


# --- The seed's comparison workflow, end to end --------------------------------------------


@pytest.mark.parametrize("task", ["dpo", "rm"])
@pytest.mark.parametrize("fmt", ["jsonl", "hf"])
def test_seed_preference_dataset_responses_in_dpo_rows_out(
    world, preference, answer, tmp_path, task, fmt
):
    dataset, (r0, r1, r2) = preference
    answer(world.ann1, r0, {"response_ranking": 1})  # first better
    answer(world.ann1, r1, {"response_ranking": 2})  # second better
    answer(world.ann1, r2, {"response_ranking": 3, "correct_response": "a better 2"})  # tie
    answer(world.ann2, r2, {"response_ranking": 3}, status="draft")  # drafts never count
    rows = _export(dataset, task, tmp_path, fmt)
    assert rows.column_names == ["prompt", "chosen", "rejected", "active_seconds"]
    assert rows["prompt"] == ["prompt 0", "prompt 1", "prompt 2", "prompt 2"]
    assert rows["chosen"] == ["first 0", "second 1", "a better 2", "a better 2"]
    assert rows["rejected"] == ["second 0", "first 1", "first 2", "second 2"]


def test_rating_ties_between_annotators_give_no_pair(world, preference, answer, tmp_path):
    dataset, (r0, r1, _r2) = preference
    answer(world.ann1, r0, {"response_ranking": 1})
    answer(world.ann2, r0, {"response_ranking": 2})  # 1 vs 2: no majority
    answer(world.ann1, r1, {"response_ranking": 2})
    answer(world.ann2, r1, {"response_ranking": 2})
    rows = _export(dataset, "dpo", tmp_path, correction="none")
    assert rows["chosen"] == ["second 1"]


def test_chat_format_gives_message_lists(world, preference, answer, tmp_path):
    dataset, (r0, _r1, _r2) = preference
    answer(world.ann1, r0, {"response_ranking": 2})
    (row,) = _export(dataset, "dpo", tmp_path, chat="true")
    assert row["prompt"] == [{"role": "user", "content": "prompt 0"}]
    assert row["chosen"] == [{"role": "assistant", "content": "second 0"}]
    assert row["rejected"] == [{"role": "assistant", "content": "first 0"}]


RANKING_FIELDS = [
    {"name": "prompt", "settings": TEXT},
    {"name": "reply-a", "settings": TEXT},
    {"name": "reply-b", "settings": TEXT},
    {"name": "reply-c", "settings": TEXT},
]
RANKING = {
    "name": "rank",
    "settings": {
        "type": "ranking",
        "options": [{"value": "reply-a"}, {"value": "reply-b"}, {"value": "reply-c"}],
    },
}


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ("all", [("B", "A"), ("B", "C"), ("A", "C")]),
        ("best_worst", [("B", "C")]),
    ],
)
def test_ranking_gives_ordered_pairs(
    world, make_dataset, add_records, answer, tmp_path, pairs, expected
):
    dataset = make_dataset(world.ws_a, fields=RANKING_FIELDS, questions=[RANKING])
    (record,) = add_records(
        dataset, [{"fields": {"prompt": "p", "reply-a": "A", "reply-b": "B", "reply-c": "C"}}]
    )
    ranks = {"reply-b": 1, "reply-a": 2, "reply-c": 3}
    answer(world.ann1, record, {"rank": [{"value": v, "rank": r} for v, r in ranks.items()]})
    rows = _export(dataset, "rm", tmp_path, pairs=pairs)
    assert list(zip(rows["chosen"], rows["rejected"], strict=True)) == expected
    assert set(rows["prompt"]) == {"p"}


# --- SFT ------------------------------------------------------------------------------------

SFT_FIELDS = [{"name": "prompt", "settings": TEXT}]
SFT_QUESTIONS = [{"name": "completion", "settings": TEXT}]


def test_sft_from_text_answers(world, make_dataset, add_records, answer, tmp_path):
    dataset = make_dataset(world.ws_a, fields=SFT_FIELDS, questions=SFT_QUESTIONS)
    r0, r1 = add_records(dataset, [{"fields": {"prompt": "p0"}}, {"fields": {"prompt": "p1"}}])
    answer(world.ann1, r0, {"completion": "c0 by ann1"})
    answer(world.ann2, r0, {"completion": "c0 by ann2"})
    answer(world.ann1, r1, {"completion": "c1 draft"}, status="draft")
    rows = _export(dataset, "sft", tmp_path)
    assert rows.column_names == ["prompt", "completion", "active_seconds"]
    assert rows["prompt"] == ["p0", "p0"]
    assert rows["completion"] == ["c0 by ann1", "c0 by ann2"]
    first = _export(dataset, "sft", tmp_path, answers="first")
    assert first["completion"] == ["c0 by ann1"]
    messages = _export(dataset, "sft", tmp_path, "hf", chat="1", answers="first")
    assert messages.column_names == ["messages", "active_seconds"]
    assert messages[0]["messages"] == [
        {"role": "user", "content": "p0"},
        {"role": "assistant", "content": "c0 by ann1"},
    ]


def test_sft_from_a_field_a_rating_approves(
    world, preference, answer, make_dataset, add_records, tmp_path
):
    quality = {
        "name": "quality",
        "settings": {"type": "rating", "options": [{"value": v} for v in (1, 2, 3, 4, 5)]},
    }
    fields = [{"name": "prompt", "settings": TEXT}, {"name": "response", "settings": TEXT}]
    dataset = make_dataset(world.ws_a, fields=fields, questions=[quality])
    r0, r1 = add_records(
        dataset,
        [
            {"fields": {"prompt": "p0", "response": "good"}},
            {"fields": {"prompt": "p1", "response": "bad"}},
        ],
    )
    answer(world.ann1, r0, {"quality": 5})
    answer(world.ann2, r0, {"quality": 4})  # mean 4.5
    answer(world.ann1, r1, {"quality": 2})
    rows = _export(dataset, "sft", tmp_path, completion_field="response", min_rating="4")
    assert rows["prompt"] == ["p0"]
    assert rows["completion"] == ["good"]


# --- Text classification --------------------------------------------------------------------


def test_text_classification_by_majority(world, make_dataset, add_records, answer, tmp_path):
    sentiment = {
        "name": "sentiment",
        "settings": {"type": "label_selection", "options": [{"value": "pos"}, {"value": "neg"}]},
    }
    dataset = make_dataset(
        world.ws_a, fields=[{"name": "text", "settings": TEXT}], questions=[sentiment]
    )
    r0, r1, r2 = add_records(dataset, [{"fields": {"text": t}} for t in ("good", "meh", "bad")])
    answer(world.ann1, r0, {"sentiment": "pos"})
    answer(world.ann1, r1, {"sentiment": "pos"})
    answer(world.ann2, r1, {"sentiment": "neg"})  # tie: skipped
    answer(world.ann1, r2, {"sentiment": "neg"})
    rows = _export(dataset, "text_classification", tmp_path, "hf")
    assert rows.column_names == ["text", "label", "active_seconds"]
    assert rows["text"] == ["good", "bad"]
    assert rows["label"] == ["pos", "neg"]


def test_multi_label_classification_gives_label_lists(
    world, make_dataset, add_records, answer, tmp_path
):
    topics = {
        "name": "topics",
        "settings": {
            "type": "multi_label_selection",
            "options": [{"value": "x"}, {"value": "y"}, {"value": "z"}],
        },
    }
    dataset = make_dataset(
        world.ws_a, fields=[{"name": "text", "settings": TEXT}], questions=[topics]
    )
    (record,) = add_records(dataset, [{"fields": {"text": "t"}}])
    answer(world.ann1, record, {"topics": ["x", "y"]})
    answer(world.ann2, record, {"topics": ["x"]})
    (row,) = _export(dataset, "text_classification", tmp_path)
    assert row == {"text": "t", "label": ["x"], "active_seconds": 0}


# --- Impossible tasks -----------------------------------------------------------------------


def test_text_classification_without_a_label_question_is_refused(preference):
    dataset, _records = preference
    with pytest.raises(ValidationFailed) as error:
        services.prepare_export(dataset=dataset, task="text_classification")
    message = _problems(error)[("question",)]
    assert "label_selection or multi_label_selection" in message
    assert "'response_ranking' (rating)" in message


def test_sft_on_a_dataset_without_text_question_names_the_alternative(world, make_dataset):
    quality = {"name": "q", "settings": {"type": "rating", "options": [{"value": 1}, {"value": 2}]}}
    dataset = make_dataset(world.ws_a, fields=SFT_FIELDS, questions=[quality])
    with pytest.raises(ValidationFailed) as error:
        services.prepare_export(dataset=dataset, task="sft")
    assert "SFT needs a question of type text" in _problems(error)[("question",)]


def test_dpo_without_rating_ranking_or_correction_is_refused(world, make_dataset):
    dataset = make_dataset(
        world.ws_a,
        fields=SFT_FIELDS,
        questions=[
            {
                "name": "l",
                "settings": {
                    "type": "label_selection",
                    "options": [{"value": "a"}, {"value": "b"}],
                },
            }
        ],
    )
    with pytest.raises(ValidationFailed) as error:
        services.prepare_export(dataset=dataset, task="dpo")
    assert "rating or ranking" in _problems(error)[("question",)]


def test_unknown_names_are_located_errors(preference):
    dataset, _records = preference
    with pytest.raises(ValidationFailed) as error:
        services.prepare_export(
            dataset=dataset,
            task="dpo",
            options={"question": "nope", "prompt_field": "question", "response_fields": "a,b"},
        )
    problems = _problems(error)
    assert "'nope' is not a question" in problems[("question",)]
    assert "'question' is not a field" in problems[("prompt_field",)]


def test_rating_over_more_than_two_responses_needs_them_named(world, make_dataset):
    fields = [{"name": n, "settings": TEXT} for n in ("prompt", "a", "b", "c")]
    rating = {
        "name": "r",
        "settings": {"type": "rating", "options": [{"value": v} for v in (1, 2, 3)]},
    }
    dataset = make_dataset(world.ws_a, fields=fields, questions=[rating])
    with pytest.raises(ValidationFailed) as error:
        services.prepare_export(dataset=dataset, task="dpo")
    assert "exactly two response fields" in _problems(error)[("response_fields",)]
    services.prepare_export(dataset=dataset, task="dpo", options={"response_fields": "a,c"})


def test_ranking_options_must_name_fields(world, make_dataset):
    ranking = {
        "name": "rank",
        "settings": {"type": "ranking", "options": [{"value": "u"}, {"value": "v"}]},
    }
    dataset = make_dataset(world.ws_a, fields=SFT_FIELDS, questions=[ranking])
    with pytest.raises(ValidationFailed) as error:
        services.prepare_export(dataset=dataset, task="dpo")
    assert "must name the fields they rank" in _problems(error)[("question",)]


def test_unknown_format_and_task(preference):
    dataset, _records = preference
    with pytest.raises(ValidationFailed) as error:
        services.prepare_export(dataset=dataset, format="xlsx", task="ppo")
    assert set(_problems(error)) == {("format",), ("task",)}
