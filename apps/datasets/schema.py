"""A dataset's settings loaded once, so validating many records costs no further queries."""

from dataclasses import dataclass, field
from functools import cached_property
from uuid import UUID

from apps.datasets.models import Dataset, Field, MetadataProperty, Question, VectorSettings


@dataclass
class DatasetSchema:
    dataset: Dataset
    fields: dict[str, Field] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    metadata_properties: dict[str, MetadataProperty] = field(default_factory=dict)
    vectors_settings: dict[str, VectorSettings] = field(default_factory=dict)

    @classmethod
    def load(cls, dataset: Dataset) -> "DatasetSchema":
        """Four queries, whatever the size of the work to validate."""
        return cls(
            dataset=dataset,
            fields={f.name: f for f in Field.objects.filter(dataset=dataset)},
            questions={q.name: q for q in Question.objects.filter(dataset=dataset)},
            metadata_properties={
                m.name: m for m in MetadataProperty.objects.filter(dataset=dataset)
            },
            vectors_settings={v.name: v for v in VectorSettings.objects.filter(dataset=dataset)},
        )

    @classmethod
    def load_questions(cls, dataset: Dataset) -> "DatasetSchema":
        """Only the questions (one query): all that validating a response needs."""
        return cls(
            dataset=dataset,
            questions={q.name: q for q in Question.objects.filter(dataset=dataset)},
        )

    @cached_property
    def questions_by_id(self) -> dict[UUID, Question]:
        # Cached: a bulk request looks up one question per suggestion of every record.
        return {q.id: q for q in self.questions.values()}

    @cached_property
    def questions_by_id_text(self) -> dict[str, Question]:
        """By the canonical text of the id, as clients send it: no UUID parsing per lookup."""
        return {str(q.id): q for q in self.questions.values()}
