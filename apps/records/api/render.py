"""Records, suggestions and responses as the exact JSON both Argilla SDKs parse.

Plain dicts, not DRF serializers: list pages and bulk answers hold up to 1,000 records. Related
rows are fetched with one query per kind for the whole page (never one per record).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from apps.core.errors import ValidationFailed
from apps.datasets.selectors import MetadataVisibility
from apps.records.models import Record, Suggestion, Vector
from apps.responses.models import Response


@dataclass
class Include:
    responses: bool = False
    suggestions: bool = False
    vectors: bool = False
    vector_names: set[str] = field(default_factory=set)  # empty with vectors=True: all


ALL = Include(responses=True, suggestions=True, vectors=True)


def parse_include(values: list[str]) -> Include:
    """`include=responses&include=vectors:a,b`, or comma-joined (`responses,suggestions`)."""
    include = Include()
    named_vectors = False
    in_vector_names = False
    for value in values:
        for token in value.split(","):
            token = token.strip()
            if not token:
                continue
            if token in ("responses", "suggestions"):
                setattr(include, token, True)
                in_vector_names = False
            elif token == "vectors":
                if include.vectors and named_vectors:
                    raise _both_vectors()
                include.vectors = True
                in_vector_names = False
            elif token.startswith("vectors:"):
                if include.vectors and not named_vectors:
                    raise _both_vectors()
                include.vectors = named_vectors = in_vector_names = True
                include.vector_names.update(n for n in token[8:].split(",") if n)
            elif in_vector_names:
                include.vector_names.add(token)
            else:
                raise ValidationFailed.single(
                    ("query", "include"),
                    _(
                        "%(value)r cannot be included; use responses, suggestions, vectors or "
                        "vectors:name1,name2."
                    )
                    % {"value": token},
                )
    return include


def _both_vectors() -> ValidationFailed:
    return ValidationFailed.single(
        ("query", "include"), _("Include either 'vectors' or 'vectors:names', not both.")
    )


def sees_all_responses(user) -> bool:
    """Owners and admins see every response; annotators only their own."""
    return user.is_manager


def response_dict(r: Response) -> dict:
    return {
        "id": r.id,
        "values": r.values or {},
        "status": r.status,
        "user_id": r.user_id,
        "record_id": r.record_id,
        "inserted_at": r.inserted_at,
        "updated_at": r.updated_at,
        # Loam's own addition (time spent in the web app); the argilla SDKs ignore it.
        "active_seconds": r.active_seconds,
    }


def suggestion_dict(s: Suggestion) -> dict:
    return {
        "id": s.id,
        "question_id": s.question_id,
        "value": s.value,
        "score": s.score,
        "agent": s.agent,
        "type": s.type,
        "record_id": s.record_id,
        "inserted_at": s.inserted_at,
        "updated_at": s.updated_at,
    }


def record_dict(r: Record) -> dict:
    return {
        "id": r.id,
        "external_id": r.external_id,
        "status": r.status,
        "fields": r.fields or {},
        "metadata": r.metadata or {},
        "dataset_id": r.dataset_id,
        "inserted_at": r.inserted_at,
        "updated_at": r.updated_at,
    }


def render_records(
    records: list[Record],
    include: Include,
    *,
    user,
    dataset,
    own_only: bool = False,
    visibility: MetadataVisibility | None = None,
) -> list[dict]:
    """One query per included kind (responses, suggestions, vectors), whatever the page size.

    `metadata` keeps only what `user` may see; for an annotator that costs one query for
    the hidden property names, unless `visibility` already knows them.
    """
    out = [record_dict(r) for r in records]
    if not records:
        return out
    if visibility is None:
        visibility = MetadataVisibility(user, dataset)
    for item in out:
        item["metadata"] = visibility.record_metadata(item["metadata"])
    by_id = {item["id"]: item for item in out}
    ids = list(by_id)
    if include.responses:
        for item in out:
            item["responses"] = []
        responses = Response.objects.filter(record_id__in=ids).order_by("inserted_at")
        if own_only or not sees_all_responses(user):
            responses = responses.filter(user=user)
        for r in responses:
            by_id[r.record_id]["responses"].append(response_dict(r))
    if include.suggestions:
        for item in out:
            item["suggestions"] = []
        for s in Suggestion.objects.filter(record_id__in=ids).order_by("inserted_at"):
            by_id[s.record_id]["suggestions"].append(suggestion_dict(s))
    if include.vectors:
        for item in out:
            item["vectors"] = {}
        vectors = Vector.objects.filter(record_id__in=ids)
        if include.vector_names:
            vectors = vectors.filter(vector_settings__name__in=include.vector_names)
        for record_id, name, value in vectors.values_list(
            "record_id", "vector_settings__name", "value"
        ):
            by_id[record_id]["vectors"][name] = value
    return out


def render_written(records: list[dict], children: dict) -> list[dict]:
    """New records answered from the rows just written: no queries. Record and suggestion
    rows have the keys (and order) of `record_dict` and `suggestion_dict`."""
    out = [{**row, "responses": [], "suggestions": [], "vectors": {}} for row in records]
    by_id = {item["id"]: item for item in out}
    for row in children["suggestions"]:
        by_id[row["record_id"]]["suggestions"].append(row)
    names = children["vector_names"]
    for row in children["vectors"]:
        by_id[row["record_id"]]["vectors"][names[row["vector_settings_id"]]] = row["value"]
    return out
