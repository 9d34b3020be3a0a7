"""Reading an annotator's answers out of a form, and back into form state.

Inputs are named `q-<question>` (ranking: `q-<question>-rank-<option index>`; span: a JSON
list kept by static/js/spans.js). Parsing only shapes the data; the rules live in
apps.responses.validation, which every face shares.
"""

import json

from django.utils.translation import gettext as _

from apps.datasets.models import Question

# One save never carries more than a day: anything beyond is a broken clock, not work.
MAX_ACTIVE_SECONDS = 24 * 3600


def parse_active_seconds(data) -> int | None:
    """Seconds spent since the last save (static/js/timer.js); 0 when absent, None if bad."""
    raw = data.get("active_seconds", "").strip() or "0"
    if not raw.isdigit() or int(raw) > MAX_ACTIVE_SECONDS:
        return None
    return int(raw)


def _input(question: Question) -> str:
    return f"q-{question.name}"


def parse_answer(question: Question, data) -> tuple[object, str | None]:
    """(value or None when unanswered, problem message or None)."""
    kind = question.settings.get("type")
    name = _input(question)
    if kind == "multi_label_selection":
        chosen = [v for v in data.getlist(name) if v]
        return (chosen or None), None
    if kind == "ranking":
        return _parse_ranking(question, data)
    raw = data.get(name, "")
    if kind == "span":
        if not raw.strip():
            return None, None
        try:
            spans = json.loads(raw)
        except ValueError:
            return None, _("The highlighted spans could not be read.")
        return (spans or None), None
    raw = raw.strip() if kind != "text" else raw
    if raw == "" or (kind == "text" and not raw.strip()):
        return None, None
    if kind == "rating":
        try:
            return int(raw), None
        except ValueError:
            return None, _("%(value)r is not a rating.") % {"value": raw}
    return raw, None


def _parse_ranking(question: Question, data) -> tuple[object, str | None]:
    options = question.settings.get("options", [])
    ranks = []
    for index, option in enumerate(options):
        raw = data.get(f"{_input(question)}-rank-{index}", "").strip()
        if raw:
            try:
                ranks.append((int(raw), option["value"]))
            except ValueError:
                return None, _("Ranks must be numbers.")
    if not ranks:
        return None, None
    if sorted(rank for rank, _value in ranks) != list(range(1, len(options) + 1)):
        return None, _("Give every option a different rank from 1 to %(n)d.") % {"n": len(options)}
    return [{"value": value, "rank": rank} for rank, value in sorted(ranks)], None


def parse_answers(questions: list[Question], data) -> tuple[dict, dict[str, list[str]]]:
    """The response `values` and the problems found while reading the form, by question."""
    values, problems = {}, {}
    for question in questions:
        value, problem = parse_answer(question, data)
        if problem:
            problems.setdefault(question.name, []).append(problem)
        elif value is not None:
            values[question.name] = {"value": value}
    return values, problems


def form_state(questions: list[Question], values: dict, suggestions: dict) -> dict[str, dict]:
    """What each question shows: the stored answer, else the suggestion (marked as such)."""
    state = {}
    for question in questions:
        answer = (values or {}).get(question.name, {}).get("value")
        suggestion = suggestions.get(question.pk)
        from_suggestion = answer is None and suggestion is not None
        value = suggestion.value if from_suggestion else answer
        state[question.name] = {
            "value": value,
            "selected": _selected(value),
            "ranks": _ranks(question, value),
            "json": json.dumps(value) if value is not None else "",
            "suggestion": suggestion,
            "from_suggestion": from_suggestion,
        }
    return state


def _selected(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value if not isinstance(v, dict)]
    return [str(value)]


def _ranks(question: Question, value) -> dict[int, int]:
    if question.settings.get("type") != "ranking" or not isinstance(value, list):
        return {}
    position = {option["value"]: i for i, option in enumerate(question.settings["options"])}
    ranks = {}
    for order, item in enumerate(value, start=1):
        if isinstance(item, dict) and item.get("value") in position:
            ranks[position[item["value"]]] = item.get("rank") or order
    return ranks


def problems_by_question(error, questions: list[Question]) -> dict[str, list[str]]:
    """ValidationFailed problems located at ("values", question, …) → messages per question."""
    problems: dict[str, list[str]] = {}
    for problem in error.problems:
        key = problem.loc[1] if len(problem.loc) > 1 and problem.loc[0] == "values" else "__all__"
        problems.setdefault(str(key), []).append(titled(str(problem.message), questions))
    return problems


def titled(message: str, questions: list[Question]) -> str:
    """The message with each question named by its title, as the annotator sees it.

    The shared validation names questions as the API does (`'response_ranking'`); people
    know them by the title on the page."""
    for question in sorted(questions, key=lambda q: len(q.name), reverse=True):
        if question.title and question.title != question.name:
            message = message.replace(repr(question.name), f"“{question.title}”")
    return message
