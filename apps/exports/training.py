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

from django.utils.translation import gettext as _

from apps.datasets.schema import DatasetSchema
from apps.exports import unify
from apps.exports.columns import INT, MESSAGES, STRING, STRINGS, Column
from apps.exports.options import Options
from apps.exports.picking import names_of, pick_field, pick_question, questions_of, text_fields
from apps.exports.source import Item
from apps.responses.models import ResponseStatus

TASKS = ("records", "sft", "rm", "dpo", "text_classification")
PAIRS = ("all", "best_worst")


@dataclass
class TaskPlan:
    columns: list[Column]
    rows: Callable[[Item], list[dict]]
    submitted_only: bool = True


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
    purpose = "SFT" if completion_field is None else _("Approving a completion field")
    question = pick_question(schema, options, types, purpose)
    prompt_field = pick_field(schema, options, "prompt_field", "prompt", _("prompt"))
    if completion_field is not None and completion_field not in schema.fields:
        options.error(
            "completion_field",
            _("%(name)r is not a field of this dataset; its fields are: %(names)s.")
            % {"name": completion_field, "names": names_of(schema.fields.values())},
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
            _(
                "Name the labels of %(question)r that approve the completion, e.g. "
                "approve=%(example)s; its labels are: %(labels)s."
            )
            % {
                "question": question.name,
                "example": labels[0] if labels else "good",
                "labels": ", ".join(map(repr, labels)),
            },
        )
    elif unknown := sorted(approved - set(labels)):
        options.error(
            "approve",
            _("%(unknown)s not among the labels of %(question)r: %(labels)s.")
            % {
                "unknown": ", ".join(map(repr, unknown)),
                "question": question.name,
                "labels": ", ".join(map(repr, labels)),
            },
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
    prompt_field = pick_field(schema, options, "prompt_field", "prompt", _("prompt"))
    correction = _pick_correction(schema, options)
    question = None
    comparisons = questions_of(schema, ("rating", "ranking"))
    if options.str("question") is not None or comparisons or correction is None:
        question = pick_question(
            schema,
            options,
            ("rating", "ranking"),
            _("Reward modelling and DPO (without a correction question)")
            if correction is None
            else _("Reward modelling and DPO"),
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
        texts = questions_of(schema, ("text",))
        return texts[0] if len(texts) == 1 else None
    return pick_question(schema, options, ("text",), _("A correction"), key="correction")


def _response_fields(schema, options: Options, prompt_field: str, *, count=None) -> list[str]:
    names = options.list("response_fields")
    if names is None:
        names = [name for name in text_fields(schema) if name != prompt_field]
    unknown = [name for name in names if name not in schema.fields]
    if unknown:
        options.error(
            "response_fields",
            _("%(unknown)s not fields of this dataset; its fields are: %(names)s.")
            % {"unknown": ", ".join(map(repr, unknown)), "names": names_of(schema.fields.values())},
        )
    elif count is not None and len(names) != count:
        options.error(
            "response_fields",
            _(
                "A rating over two responses needs exactly two response fields; found "
                "%(found)s: name them with response_fields=first,second."
            )
            % {"found": ", ".join(map(repr, names)) or _("none")},
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
                _("%(value)r is not a value of %(question)r (%(scale)s).")
                % {"value": value, "question": question.name, "scale": ", ".join(map(str, scale))},
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
            _(
                "The options of ranking question %(question)r must name the fields they rank; "
                "%(unknown)s are not fields (fields: %(names)s)."
            )
            % {
                "question": question.name,
                "unknown": ", ".join(map(repr, unknown)),
                "names": names_of(schema.fields.values()),
            },
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
    question = pick_question(
        schema, options, ("label_selection", "multi_label_selection"), _("Text classification")
    )
    text_field = pick_field(schema, options, "text_field", "text", _("text to classify"))
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
    return _with_time_spent(plan)


def _with_time_spent(plan: TaskPlan) -> TaskPlan:
    """Each row also says how many seconds annotators spent on the record it comes from
    (its submitted responses): what the row cost, for pricing and for spotting haste.
    trl reads only its own columns and ignores this one."""
    rows = plan.rows

    def timed(item: Item) -> list[dict]:
        produced = rows(item)
        if produced:
            seconds = sum(
                a.active_seconds for a in item.responses if a.status == ResponseStatus.SUBMITTED
            )
            for row in produced:
                row["active_seconds"] = seconds
        return produced

    return TaskPlan([*plan.columns, Column("active_seconds", INT)], timed, plan.submitted_only)
