"""The orders a queue walks, each backed by an index so a scan stops after a few rows.

An annotator's queue is a list of *segments*: pending records (`records_record r`) in one
indexed order, described as SQL fragments. Scans start at a key (the annotator's mark) and
take the first record that qualifies:

- open, inserted: pending records by (inserted_at, id) — partial index `record_pending_order`;
- open, shuffled: pending records by id (uuid4: random), rotated to start at the
  annotator's own offset — two segments on partial index `record_pending_id`;
- open, suggestion_score: records whose suggestion for the question has a numeric score,
  lowest first — index `suggestion_score_queue` — then the records without one, in
  insertion order;
- assigned, any order: the annotator's assignments by position — index `assignment_queue`.

The SQL is written out (see `scan`) rather than built by the ORM: this is the hottest path
of the product and the ORM's query building cost more than the queries themselves.
"""

from dataclasses import dataclass, field

from django.db.models import Field, FloatField, Func

from apps.accounts.models import User
from apps.annotation.models import AnnotatorQueue, Assignment, AssignmentRules, QueueOrder
from apps.records.models import Record, Suggestion

# Where a record without a numeric suggestion score goes in a score-ordered assignment queue.
UNSCORED_POSITION = 1e300

_SCORE_SQL = (
    "(CASE WHEN jsonb_typeof(%(expressions)s) = 'number' "
    "THEN (%(expressions)s)::double precision END)"
)


class ScoreKey(Func):
    """A suggestion's `score` as a number, or NULL unless it is a single number.

    The migration indexes exactly this expression, and `score_sql` writes the same SQL for
    the queue's queries. It takes a column (whose SQL appears twice: no parameters).
    """

    arity = 1
    output_field = FloatField()
    template = _SCORE_SQL


def score_sql(column: str) -> str:
    return _SCORE_SQL % {"expressions": column}


RECORDS = Record._meta.db_table
SUGGESTIONS = Suggestion._meta.db_table
ASSIGNMENTS = Assignment._meta.db_table

_INSERTED_AT = Record._meta.get_field("inserted_at")
_ID = Record._meta.get_field("id")
_FLOAT = FloatField()


@dataclass(frozen=True)
class Segment:
    """Pending records in one order: SQL over the records table (`r`) and the key's parts.

    `join` and `where` use named placeholders (`%(name)s`), bound from `params`; the queue's
    statements bind the same names for the same values (`dataset`, `user`)."""

    keys: tuple[str, ...]  # SQL of each part of the order key
    key_fields: tuple[Field, ...]  # how each part is stored (to read marks back)
    join: str = ""
    where: str = ""  # more conditions, each starting with AND
    params: dict = field(default_factory=dict)


def _by_insertion(where: str = "", params: dict | None = None) -> Segment:
    return Segment(
        keys=("r.inserted_at", "r.id"),
        key_fields=(_INSERTED_AT, _ID),
        where=where,
        params=params or {},
    )


def segments_for(
    *, rules: AssignmentRules, user: User, seat: AnnotatorQueue, dataset_id
) -> list[Segment]:
    """The segments of `user`'s queue, in the order they are walked."""
    if rules.is_assigned:
        return [
            Segment(
                keys=("g.position", "g.record_id"),
                key_fields=(_FLOAT, _ID),
                join=(
                    f"JOIN {ASSIGNMENTS} g ON g.record_id = r.id "
                    "AND g.dataset_id = %(dataset)s AND g.user_id = %(user)s"
                ),
                params={"dataset": dataset_id, "user": user.pk},
            )
        ]
    if rules.order == QueueOrder.SHUFFLED:
        offset = {"shuffle_offset": seat.shuffle_offset}
        return [
            Segment(
                keys=("r.id",),
                key_fields=(_ID,),
                where="AND r.id >= %(shuffle_offset)s",
                params=offset,
            ),
            Segment(
                keys=("r.id",),
                key_fields=(_ID,),
                where="AND r.id < %(shuffle_offset)s",
                params=offset,
            ),
        ]
    if rules.order == QueueOrder.SUGGESTION_SCORE and rules.order_question_id is not None:
        question = {"order_question": rules.order_question_id}
        score = score_sql("sg.score")
        scored = Segment(
            keys=(score, "sg.record_id"),
            key_fields=(_FLOAT, _ID),
            join=(
                f"JOIN {SUGGESTIONS} sg ON sg.record_id = r.id"
                " AND sg.question_id = %(order_question)s"
            ),
            where=f"AND {score} IS NOT NULL",
            params=question,
        )
        unscored = _by_insertion(
            f"AND NOT EXISTS (SELECT 1 FROM {SUGGESTIONS} sg WHERE sg.record_id = r.id "
            f"AND sg.question_id = %(order_question)s AND {score} IS NOT NULL)",
            question,
        )
        return [scored, unscored]
    return [_by_insertion()]
