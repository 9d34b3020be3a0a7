"""Agreement between annotators: Krippendorff's alpha per question, and per-annotator stats.

Alpha is computed by the `krippendorff` package from a units × values count matrix (built
chunk by chunk, so memory grows with the number of units answered more than once, not with
the number of annotators):
- label_selection: nominal; the unit is a record, the values are the options;
- multi_label_selection: nominal over (record, option) units with values chosen/not chosen,
  i.e. one binary decision per option;
- rating: ordinal over the question's rating values (a rating scale is ordered but its steps
  need not be equal);
- ranking: ordinal over (record, option) units whose value is the option's rank: rankings
  compare the positions annotators gave each option, and positions are ordered but not
  evenly spaced;
- text and span questions have no alpha (null).
Only submitted responses count; a unit needs two answers to count (alpha ignores the rest).

Per annotator: response counts by status and, per question, how often their submitted answer
equals the unified answer on records that at least one other annotator also answered.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import krippendorff
import numpy as np
from django.db.models import Count
from django.utils.translation import gettext as _

from apps.datasets.models import Dataset
from apps.datasets.schema import DatasetSchema
from apps.exports import unify
from apps.exports.source import iter_chunks
from apps.responses.models import Response, ResponseStatus

LEVELS = {
    "label_selection": "nominal",
    "multi_label_selection": "nominal",
    "rating": "ordinal",
    "ranking": "ordinal",
}


def _domain(question) -> list:
    options = question.settings.get("options") or []
    values = [option["value"] for option in options]
    if question.type == "rating":
        return sorted(values)
    if question.type == "multi_label_selection":
        return [False, True]
    if question.type == "ranking":
        return list(range(1, len(values) + 1))
    return values


def alpha_from_counts(counts: list[list[int]], level: str, domain: list) -> float | None:
    """Alpha from a units × values count matrix; None when it is undefined (fewer than two
    pairable answers, or a single value ever used)."""
    matrix = np.asarray(counts, dtype=float).reshape(-1, len(domain))
    if matrix.shape[0] == 0 or matrix.sum() < 2 or np.count_nonzero(matrix.sum(axis=0)) < 2:
        # krippendorff refuses a single used value; everyone agreeing on one value is not
        # evidence of reliability either, so alpha is left undefined as Krippendorff does.
        return None
    value_domain = list(range(len(domain))) if level == "nominal" else domain
    return float(
        krippendorff.alpha(
            value_counts=matrix, value_domain=value_domain, level_of_measurement=level
        )
    )


@dataclass
class _QuestionTally:
    question: object
    domain: list
    index: dict
    counts: list = field(default_factory=list)  # rows of len(domain)
    units: int = 0

    def add_unit(self, values: list) -> None:
        """One unit's answers (values within the domain); units with < 2 answers skipped."""
        values = [v for v in values if v in self.index]
        if len(values) < 2:
            return
        row = [0] * len(self.domain)
        for value in values:
            row[self.index[value]] += 1
        self.counts.append(row)
        self.units += 1


def _units(question, answers: list) -> list[list]:
    """The alpha units of one record's submitted answers to `question`."""
    kind = question.type
    if kind in ("label_selection", "rating"):
        return [answers]
    options = [option["value"] for option in question.settings.get("options") or []]
    if kind == "multi_label_selection":
        return [[option in (labels or []) for labels in answers] for option in options]
    if kind == "ranking":
        ranks = defaultdict(list)
        for ranking in answers:
            for item in ranking or []:
                if item.get("rank") is not None:
                    ranks[item["value"]].append(item["rank"])
        return [ranks[option] for option in options]
    return []


def _same(kind: str, answer, unified) -> bool:
    if kind == "multi_label_selection":
        return set(answer or []) == set(unified)
    if kind == "ranking":
        return unify.unify_ranking([answer]) == unified
    return answer == unified


def _unified_for_comparison(kind: str, answers: list):
    if kind in ("label_selection", "rating"):
        return unify.majority(answers).value
    if kind == "multi_label_selection":
        return unify.unify_multi_label(answers)
    if kind == "ranking":
        return unify.unify_ranking(answers)
    return None


def dataset_agreement(dataset: Dataset, *, chunk_size: int = 1000) -> dict:
    """Alpha per question and per-annotator statistics of `dataset` (see module docstring)."""
    schema = DatasetSchema.load(dataset)
    tallies = {}
    for question in schema.questions.values():
        if question.type in LEVELS:
            domain = _domain(question)
            tallies[question.name] = _QuestionTally(
                question, domain, {value: i for i, value in enumerate(domain)}
            )
    compared = defaultdict(lambda: defaultdict(lambda: [0, 0]))  # user → question → [n, agree]
    for chunk in iter_chunks(
        dataset,
        chunk_size=chunk_size,
        response_statuses=[ResponseStatus.SUBMITTED],
        with_suggestions=False,
    ):
        for item in chunk:
            for name, tally in tallies.items():
                submitted = item.submitted(name)
                if len(submitted) < 2:
                    continue
                answers = [value for _answer, value in submitted]
                for unit in _units(tally.question, answers):
                    tally.add_unit(unit)
                unified = _unified_for_comparison(tally.question.type, answers)
                if unified is None:
                    continue
                for answer, value in submitted:
                    stats = compared[answer.username][name]
                    stats[0] += 1
                    stats[1] += _same(tally.question.type, value, unified)
    questions = [
        {
            "question": name,
            "type": tally.question.type,
            "level_of_measurement": LEVELS[tally.question.type],
            "units": tally.units,
            "alpha": alpha_from_counts(tally.counts, LEVELS[tally.question.type], tally.domain),
        }
        for name, tally in tallies.items()
    ]
    return {"questions": questions, "annotators": _annotators(dataset, compared)}


def _annotators(dataset: Dataset, compared: dict) -> list[dict]:
    counts = defaultdict(lambda: {status: 0 for status in ResponseStatus.values})
    rows = (
        Response.objects.filter(record__dataset=dataset)
        .values_list("user__username", "status")
        .order_by()
        .annotate(n=Count("id"))
    )
    for username, status, n in rows:
        counts[username][status] = n
    result = []
    for username in sorted(set(counts) | set(compared)):
        agreement = {
            question: {"compared": n, "agreed": agreed, "rate": agreed / n if n else None}
            for question, (n, agreed) in compared.get(username, {}).items()
        }
        result.append(
            {"username": username, "responses": dict(counts[username]), "agreement": agreement}
        )
    return result


def unmeasured_reason(question_type: str, *, units: int, overlap: int) -> str:
    """Why a question has no alpha, in words an admin can act on."""
    if question_type not in LEVELS:
        return _("Agreement is not measured for this question type.")
    if units == 0 and overlap < 2:
        return _("Needs two answers per record: overlap is %(overlap)d.") % {"overlap": overlap}
    if units == 0:
        return _("No record has two submitted answers yet.")
    return _("Every answer so far is the same value: alpha is undefined until answers differ.")
