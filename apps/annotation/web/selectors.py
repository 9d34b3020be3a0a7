"""Reads for the annotator web app, scoped to the caller and constant in query count."""

from collections import defaultdict
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Count

from apps.accounts.models import User
from apps.annotation.progress import DatasetProgress, datasets_progress
from apps.datasets.models import Dataset, Field, MetadataProperty, Question
from apps.datasets.selectors import metadata_properties_for
from apps.records.models import Record, Suggestion
from apps.responses.models import Response, ResponseStatus


@dataclass
class MyProgress:
    submitted: int = 0
    draft: int = 0
    discarded: int = 0

    @property
    def answered(self) -> int:
        return self.submitted + self.discarded


def my_progress_by_dataset(user: User, dataset_ids: list[UUID]) -> dict[UUID, MyProgress]:
    """The caller's responses per dataset and status. One query."""
    progress: dict[UUID, MyProgress] = defaultdict(MyProgress)
    rows = (
        Response.objects.filter(user=user, record__dataset_id__in=dataset_ids)
        .values_list("record__dataset_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for dataset_id, status, count in rows:
        setattr(progress[dataset_id], status, count)
    return progress


@dataclass
class Progress:
    mine: MyProgress
    team: DatasetProgress


def progress_for(user: User, dataset: Dataset) -> Progress:
    """Two queries: my responses by status, the dataset's records by status."""
    return Progress(
        mine=my_progress_by_dataset(user, [dataset.pk])[dataset.pk],
        team=datasets_progress([dataset.pk])[dataset.pk],
    )


@dataclass
class Layout:
    """What a dataset shows `user` around each record (three queries, once per request).

    `visible_metadata` is what the record card shows and the list filters by: the
    properties `user` may see (annotators: only those visible to annotators)."""

    fields: list[Field]
    questions: list[Question]
    visible_metadata: list[MetadataProperty] = field(default_factory=list)

    @classmethod
    def load(cls, dataset: Dataset, user: User) -> "Layout":
        return cls(
            fields=list(Field.objects.filter(dataset=dataset)),
            questions=list(Question.objects.filter(dataset=dataset)),
            visible_metadata=list(metadata_properties_for(user, dataset)),
        )


def my_response(user: User, record: Record) -> Response | None:
    return Response.objects.filter(user=user, record=record).first()


def suggestions_by_question(record: Record) -> dict[UUID, Suggestion]:
    return {s.question_id: s for s in Suggestion.objects.filter(record=record)}


RESPONSE_FILTERS = ("pending", *ResponseStatus.values)
