"""Training tasks: a dataset's answers as the columns trl's trainers read.

- `sft`: `prompt`, `completion` (or `messages` with `chat=true`) from a text question's
  submitted answers, or from a field a rating/label question approves;
- `rm` and `dpo`: `prompt`, `chosen`, `rejected` (strings, or message lists with
  `chat=true`) from a rating over two responses, a ranking of response fields, and/or a
  correction written in a text question (chosen over every response);
- `text_classification`: `text`, `label` from a (multi-)label question.

`build_task` checks the dataset can produce the task with the given options and raises
ValidationFailed naming what is missing; the plan it returns turns one record (with its
submitted answers) into zero or more rows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations

from apps.datasets.schema import DatasetSchema
from apps.exports import unify
from apps.exports.columns import MESSAGES, STRING, STRINGS, Column
from apps.exports.options import Options
from apps.exports.source import Item

TASKS = ("records", "sft", "rm", "dpo", "text_classification")
PAIRS = ("all", "best_worst")


@dataclass
class TaskPlan:
    columns: list[Column]
    rows: Callable[[Item], list[dict]]
    submitted_only: bool = True


def _names(items) -> str:
    return ", ".join(f"{item.name!r} ({item.type})" for item in items) or "none"


def _text_fields(schema: DatasetSchema) -> list[str]:
    return [f.name for f in schema.fields.values() if f.type == "text"]


def _questions_of(schema: DatasetSchema, types: tuple) -> list:
    return [q for q in schema.questions.values() if q.type in types]


def _pick_question(schema, options: Options, types: tuple, purpose: str, *, key="question"):
    """The question named by option `key`, or the dataset's only question of `types`."""
    name = options.str(key)
    if name is not None:
        question = schema.questions.get(name)
        if question is None:
            options.error(
                key,
                f"{name!r} is not a question of this dataset; its questions are: "
                f"{_names(schema.questions.values())}.",
            )
        elif question.type not in types:
            options.error(
                key,
                f"{name!r} is a {question.type} question; {purpose} needs a "
                f"question of type {' or '.join(types)}.",
            )
        else:
            return question
        return None
    candidates = _questions_of(schema, types)
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        options.error(
            key,
            f"{purpose} needs a question of type {' or '.join(types)}; this "
            f"dataset's questions are: {_names(schema.questions.values())}.",
        )
    else:
        options.error(
            key,
            f"Several questions could be used for {purpose} "
            f"({_names(candidates)}): name one with `{key}`.",
        )
    return None


def _pick_field(schema, options: Options, key: str, preferred: str, purpose: str):
    """The text field named by `key`, else `preferred` if it exists, else the only one."""
    name = options.str(key)
    texts = _text_fields(schema)
    if name is not None:
        if name not in schema.fields:
            options.error(
                key,
                f"{name!r} is not a field of this dataset; its fields are: "
                f"{_names(schema.fields.values())}.",
            )
            return None
        return name
    if preferred in schema.fields:
        return preferred
    if len(texts) == 1:
        return texts[0]
    options.error(
        key,
        f"Name the field holding the {purpose} with `{key}`; this dataset's "
        f"fields are: {_names(schema.fields.values())}.",
    )
    return None


def _text(item: Item, name: str) -> str | None:
    value = item.fields.get(name)
    return value if isinstance(value, str) and value.strip() else None


# --- SFT ------------------------------------------------------------------------------------


def _sft(schema: DatasetSchema, options: Options) -> TaskPlan | None:
    chat = options.flag("chat")
    columns = (
        [Column("messages", MESSAGES)]
        if chat
        else [Column("prompt", STRING), Column("completion", STRING)]
    )

    def row(prompt: str, completion: str) -> dict:
        if chat:
            return {
                "messages": [
                    {"role": "user", "content": prompt},
                    {"role": "assistant", "content": completion},
                ]
            }
        return {"prompt": prompt, "completion": completion}

    completion_field = options.str("completion_field")
    types = (
        ("text",)
        if completion_field is None
        else ("rating", "label_selection", "multi_label_selection")
    )
    purpose = "SFT" if completion_field is None else "Approving a completion field"
    question = _pick_question(schema, options, types, purpose)
    prompt_field = _pick_field(schema, options, "prompt_field", "prompt", "prompt")
    if completion_field is not None and completion_field not in schema.fields:
        options.error(
            "completion_field",
            f"{completion_field!r} is not a field of this "
            f"dataset; its fields are: {_names(schema.fields.values())}.",
        )
    if question is None or prompt_field is None or options.problems:
        return None
    name = question.name

    if completion_field is None:
        answers = options.choice("answers", unify.TEXT_STRATEGIES, "all")

        def rows(item: Item) -> list[dict]:
            prompt = _text(item, prompt_field)
            texts = unify.unify_text([v for _a, v in item.submitted(name)], "all")
            if prompt is None:
                return []
            return [row(prompt, text) for text in (texts[:1] if answers == "first" else texts)]

        return TaskPlan(columns, rows)

    approves = _approval(question, options)

    def rows(item: Item) -> list[dict]:
        prompt, completion = _text(item, prompt_field), _text(item, completion_field)
        values = [v for _a, v in item.submitted(name)]
        if prompt is None or completion is None or not values or not approves(values):
            return []
        return [row(prompt, completion)]

    return TaskPlan(columns, rows)


def _approval(question, options: Options) -> Callable[[list], bool]:
    """Whether the unified answers approve the completion field."""
    if question.type == "rating":
        scale = [o["value"] for o in question.settings.get("options") or []]
        strategy = options.choice("rating", unify.RATING_STRATEGIES, "mean")
        minimum = options.number("min_rating", max(scale) if scale else None)
        return lambda values: (
            (u := unify.unify_rating(values, strategy)) is not None and (u >= minimum)
        )
    approved = set(options.list("approve") or [])
    labels = [o["value"] for o in question.settings.get("options") or []]
    if not approved:
        options.error(
            "approve",
            f"Name the labels of {question.name!r} that approve the "
            f"completion, e.g. approve={labels[0] if labels else 'good'}; its labels "
            f"are: {', '.join(map(repr, labels))}.",
        )
    elif unknown := sorted(approved - set(labels)):
        options.error(
            "approve",
            f"{', '.join(map(repr, unknown))} not among the labels of "
            f"{question.name!r}: {', '.join(map(repr, labels))}.",
        )
    min_agreement = options.number("min_agreement", 0.0)
    if question.type == "multi_label_selection":
        return lambda values: bool(approved & set(unify.unify_multi_label(values)))
    return lambda values: unify.unify_labels(values, min_agreement=min_agreement).value in approved


# --- Reward modelling and DPO ---------------------------------------------------------------


def _preference(schema: DatasetSchema, options: Options) -> TaskPlan | None:
    chat = options.flag("chat")
    kind = MESSAGES if chat else STRING
    columns = [Column("prompt", kind), Column("chosen", kind), Column("rejected", kind)]
    prompt_field = _pick_field(schema, options, "prompt_field", "prompt", "prompt")
    correction = _pick_correction(schema, options)
    question = None
    comparisons = _questions_of(schema, ("rating", "ranking"))
    if options.str("question") is not None or comparisons or correction is None:
        question = _pick_question(
            schema,
            options,
            ("rating", "ranking"),
            "Reward modelling and DPO (without a correction question)"
            if correction is None
            else "Reward modelling and DPO",
        )
    if options.problems or prompt_field is None:
        return None
    pairs_of = None
    if question is not None and question.type == "rating":
        pairs_of, responses = _rating_pairs(schema, options, question, prompt_field)
    elif question is not None:
        pairs_of, responses = _ranking_pairs(schema, options, question)
    else:
        responses = _response_fields(schema, options, prompt_field)
    if options.problems:
        return None

    def row(prompt: str, chosen: str, rejected: str) -> dict:
        if chat:
            return {
                "prompt": [{"role": "user", "content": prompt}],
                "chosen": [{"role": "assistant", "content": chosen}],
                "rejected": [{"role": "assistant", "content": rejected}],
            }
        return {"prompt": prompt, "chosen": chosen, "rejected": rejected}

    def rows(item: Item) -> list[dict]:
        prompt = _text(item, prompt_field)
        if prompt is None:
            return []
        out = []
        for chosen, rejected in pairs_of(item) if pairs_of else ():
            chosen_text, rejected_text = _text(item, chosen), _text(item, rejected)
            if chosen_text and rejected_text:
                out.append(row(prompt, chosen_text, rejected_text))
        if correction is not None:
            for text in unify.unify_text([v for _a, v in item.submitted(correction.name)]):
                for field_name in responses:
                    rejected_text = _text(item, field_name)
                    if rejected_text and rejected_text.strip() != text.strip():
                        out.append(row(prompt, text, rejected_text))
        return out

    return TaskPlan(columns, rows)


def _pick_correction(schema, options: Options):
    """The text question holding corrections: `correction`, or the only text question;
    `correction=none` turns corrections off."""
    name = options.str("correction")
    if name == "none":
        return None
    if name is None:
        texts = _questions_of(schema, ("text",))
        return texts[0] if len(texts) == 1 else None
    return _pick_question(schema, options, ("text",), "A correction", key="correction")


def _response_fields(schema, options: Options, prompt_field: str, *, count=None) -> list[str]:
    names = options.list("response_fields")
    if names is None:
        names = [name for name in _text_fields(schema) if name != prompt_field]
    unknown = [name for name in names if name not in schema.fields]
    if unknown:
        options.error(
            "response_fields",
            f"{', '.join(map(repr, unknown))} not fields of this "
            f"dataset; its fields are: {_names(schema.fields.values())}.",
        )
    elif count is not None and len(names) != count:
        options.error(
            "response_fields",
            f"A rating over two responses needs exactly two "
            f"response fields; found {', '.join(map(repr, names)) or 'none'}: name "
            f"them with response_fields=first,second.",
        )
    return names


def _rating_pairs(schema, options: Options, question, prompt_field: str):
    """The seed's rule: `first_better` (1) → the first response is chosen, `second_better`
    (2) → the second; any other value (3: both equal) gives no pair. Annotators' ratings are
    unified by majority; a tie gives no pair."""
    names = _response_fields(schema, options, prompt_field, count=2)
    first, second = (names + [None, None])[:2]
    scale = [o["value"] for o in question.settings.get("options") or []]
    first_better = options.number("first_better", 1, integer=True)
    second_better = options.number("second_better", 2, integer=True)
    for key, value in (("first_better", first_better), ("second_better", second_better)):
        if value not in scale:
            options.error(
                key,
                f"{value!r} is not a value of {question.name!r} ({', '.join(map(str, scale))}).",
            )
    name = question.name

    def pairs_of(item: Item):
        verdict = unify.majority([v for _a, v in item.submitted(name)]).value
        if verdict == first_better:
            return [(first, second)]
        if verdict == second_better:
            return [(second, first)]
        return []

    return pairs_of, [first, second]


def _ranking_pairs(schema, options: Options, question):
    """Every ordered pair of the unified ranking (mean rank), or with pairs=best_worst only
    the best against the worst. Options must name the fields they rank."""
    ranked = [o["value"] for o in question.settings.get("options") or []]
    unknown = [value for value in ranked if value not in schema.fields]
    if unknown:
        options.error(
            "question",
            f"The options of ranking question {question.name!r} must "
            f"name the fields they rank; {', '.join(map(repr, unknown))} are not "
            f"fields (fields: {_names(schema.fields.values())}).",
        )
    mode = options.choice("pairs", PAIRS, "all")
    name = question.name

    def pairs_of(item: Item):
        means = unify.mean_ranks([v for _a, v in item.submitted(name)])
        order = sorted(means.items(), key=lambda pair: pair[1])
        if len(order) < 2:
            return []
        if mode == "best_worst":
            (best, best_rank), (worst, worst_rank) = order[0], order[-1]
            return [(best, worst)] if best_rank < worst_rank else []
        return [(a, b) for (a, rank_a), (b, rank_b) in combinations(order, 2) if rank_a < rank_b]

    return pairs_of, ranked


# --- Text classification --------------------------------------------------------------------


def _classification(schema: DatasetSchema, options: Options) -> TaskPlan | None:
    question = _pick_question(
        schema, options, ("label_selection", "multi_label_selection"), "Text classification"
    )
    text_field = _pick_field(schema, options, "text_field", "text", "text to classify")
    min_agreement = options.number("min_agreement", 0.0)
    if question is None or text_field is None or options.problems:
        return None
    multi = question.type == "multi_label_selection"
    columns = [Column("text", STRING), Column("label", STRINGS if multi else STRING)]
    name = question.name

    def rows(item: Item) -> list[dict]:
        text = _text(item, text_field)
        values = [v for _a, v in item.submitted(name)]
        if text is None or not values:
            return []
        if multi:
            labels = unify.unify_multi_label(values)
            return [{"text": text, "label": labels}] if labels else []
        label = unify.unify_labels(values, min_agreement=min_agreement).value
        return [{"text": text, "label": label}] if label is not None else []

    return TaskPlan(columns, rows)


_BUILDERS = {
    "sft": _sft,
    "rm": _preference,
    "dpo": _preference,
    "text_classification": _classification,
}


def build_task(schema: DatasetSchema, task: str, options: Options) -> TaskPlan:
    """The plan of a training task; ValidationFailed when the dataset cannot produce it."""
    plan = _BUILDERS[task](schema, options)
    options.problems.raise_if_any()
    assert plan is not None
    return plan
