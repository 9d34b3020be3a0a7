"""Every write to a dataset and its settings, shared by the API, the admin and commands.

Keyword-only arguments, one transaction each, validation inside. What follows a write in
the apps above (distribution on publish, statuses on a new overlap, webhooks) listens to
`signals.py`.
"""

import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.core import pgvector
from apps.core.errors import Conflict, Problems, ValidationFailed
from apps.datasets import settings_validation as sv
from apps.datasets import signals
from apps.datasets.models import (
    DATASET_NAME_PATTERN,
    MAX_MIN_SUBMITTED,
    Dataset,
    DatasetStatus,
    Field,
    MetadataProperty,
    Question,
    VectorSettings,
)
from apps.workspaces.models import Workspace

_UNSET = object()
# What `update_dataset` may change, as listeners are told (`signals.dataset_updated`).
_UPDATABLE = ("name", "guidelines", "allow_extra_metadata", "min_submitted", "metadata")


def _changes(instance, before: dict) -> dict:
    """{attribute: (old, new)} of the attributes of `before` that `instance` now holds
    differently."""
    after = {attribute: getattr(instance, attribute) for attribute in before}
    return {a: (before[a], after[a]) for a in before if before[a] != after[a]}


def _clean_dataset_name(problems: Problems, name) -> None:
    if not isinstance(name, str) or not name.strip():
        problems.add(("name",), _("A dataset name is required."))
    elif len(name) > 200:
        problems.add(("name",), _("The dataset name must be at most 200 characters."))
    elif not re.match(DATASET_NAME_PATTERN, name):
        problems.add(
            ("name",),
            _("%(name)r is not a valid dataset name: use letters, digits, spaces, '-' and '_'.")
            % {"name": name},
        )


def _clean_guidelines(problems: Problems, guidelines) -> str | None:
    if guidelines is None or guidelines == "":
        return None
    if not isinstance(guidelines, str):
        problems.add(("guidelines",), _("Guidelines must be a string or null."))
    elif len(guidelines) > 10000:
        problems.add(("guidelines",), _("Guidelines must be at most 10000 characters."))
    return guidelines


def _clean_min_submitted(problems: Problems, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_MIN_SUBMITTED:
        problems.add(
            ("distribution", "min_submitted"),
            _("min_submitted must be an integer from 1 to %(max)d.") % {"max": MAX_MIN_SUBMITTED},
        )


def _dataset_name_taken(workspace: Workspace, name: str, *, exclude=None) -> bool:
    query = Dataset.objects.filter(workspace=workspace, name=name)
    if exclude is not None:
        query = query.exclude(pk=exclude.pk)
    return query.exists()


def _conflict_name(kind: str, name: str) -> Conflict:
    return Conflict.single(
        ("name",), _("%(kind)s %(name)r already exists.") % {"kind": kind, "name": name}
    )


@transaction.atomic
def create_dataset(
    *,
    workspace: Workspace,
    name: str,
    guidelines: str | None = None,
    allow_extra_metadata: bool = True,
    min_submitted: int = 1,
    metadata: dict | None = None,
) -> Dataset:
    """A new dataset in draft: settings are added next, then it is published."""
    problems = Problems()
    _clean_dataset_name(problems, name)
    guidelines = _clean_guidelines(problems, guidelines)
    _clean_min_submitted(problems, min_submitted)
    if not isinstance(allow_extra_metadata, bool):
        problems.add(("allow_extra_metadata",), _("allow_extra_metadata must be true or false."))
    problems.raise_if_any()
    if _dataset_name_taken(workspace, name):
        raise Conflict.single(
            ("name",),
            _("A dataset named %(name)r already exists in workspace %(workspace)s.")
            % {"name": name, "workspace": workspace.name},
        )
    try:
        with transaction.atomic():
            dataset = Dataset.objects.create(
                workspace=workspace,
                name=name,
                guidelines=guidelines,
                allow_extra_metadata=allow_extra_metadata,
                min_submitted=min_submitted,
                metadata=metadata,
            )
    except IntegrityError:  # lost a race with a concurrent create of the same name
        raise _conflict_name(_("Dataset"), name) from None
    signals.dataset_created.send(sender=Dataset, dataset=dataset)
    return dataset


@transaction.atomic
def update_dataset(
    *,
    dataset: Dataset,
    name=_UNSET,
    guidelines=_UNSET,
    allow_extra_metadata=_UNSET,
    min_submitted=_UNSET,
    metadata=_UNSET,
) -> Dataset:
    """Change what stays editable at any time. The one writer of `min_submitted` (the rules
    service, `annotation.services.update_rules`, checks a new one against the annotator pool
    and calls this): a new one re-computes statuses (`signals.min_submitted_changed`)."""
    problems = Problems()
    if name is not _UNSET:
        _clean_dataset_name(problems, name)
    if guidelines is not _UNSET:
        guidelines = _clean_guidelines(problems, guidelines)
    if allow_extra_metadata is not _UNSET and not isinstance(allow_extra_metadata, bool):
        problems.add(("allow_extra_metadata",), _("allow_extra_metadata must be true or false."))
    if min_submitted is not _UNSET:
        _clean_min_submitted(problems, min_submitted)
    problems.raise_if_any()
    if name is not _UNSET and _dataset_name_taken(dataset.workspace, name, exclude=dataset):
        raise _conflict_name(_("Dataset"), name)

    old_min_submitted = dataset.min_submitted
    before = {attribute: getattr(dataset, attribute) for attribute in _UPDATABLE}
    changes = {
        "name": name,
        "guidelines": guidelines,
        "allow_extra_metadata": allow_extra_metadata,
        "min_submitted": min_submitted,
        "metadata": metadata,
    }
    for attribute, value in changes.items():
        if value is not _UNSET:
            setattr(dataset, attribute, value)
    dataset.save()
    if dataset.min_submitted != old_min_submitted:
        signals.min_submitted_changed.send(sender=Dataset, dataset=dataset)
    signals.dataset_updated.send(sender=Dataset, dataset=dataset, changes=_changes(dataset, before))
    return dataset


SETTING_MODELS = (Field, Question, MetadataProperty, VectorSettings)


def name_in_use(dataset_id, name: str, *, exclude=None) -> bool:
    """Names are unique across a dataset's fields, questions, metadata and vectors."""
    for model in SETTING_MODELS:
        query = model.objects.filter(dataset_id=dataset_id, name=name)
        if exclude is not None and isinstance(exclude, model):
            query = query.exclude(pk=exclude.pk)
        if query.exists():
            return True
    return False


def check_span_field_free(dataset_id, settings: dict, *, exclude=None) -> None:
    """One span question per field: two would compete for the same highlights."""
    if settings.get("type") != "span":
        return
    others = Question.objects.filter(dataset_id=dataset_id, settings__type="span")
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if any(q.settings.get("field") == settings.get("field") for q in others):
        raise ValidationFailed.single(
            ("settings", "field"),
            _("The field %(field)r already has a span question.") % {"field": settings["field"]},
        )


def _next_position(model, dataset: Dataset) -> int:
    last = model.objects.filter(dataset=dataset).order_by("-position").first()
    return last.position + 1 if last else 0


def _ensure_draft(dataset: Dataset, what: str) -> None:
    if dataset.is_published:
        raise ValidationFailed.single(
            (),
            _("%(what)s cannot be added to or removed from a published dataset.") % {"what": what},
        )


def _create_setting(model, *, dataset: Dataset, kind: str, cleaned: dict):
    if name_in_use(dataset.pk, cleaned["name"]):
        raise _conflict_name(kind, cleaned["name"])
    try:
        with transaction.atomic():
            setting = model.objects.create(
                dataset=dataset, position=_next_position(model, dataset), **cleaned
            )
    except IntegrityError:
        raise _conflict_name(kind, cleaned["name"]) from None
    signals.setting_added.send(sender=model, dataset=dataset, setting=setting)
    return setting


@transaction.atomic
def add_field(*, dataset: Dataset, **data) -> Field:
    """Add a field (name, settings, title, required, description) to a draft dataset."""
    _ensure_draft(dataset, _("Fields"))
    return _create_setting(Field, dataset=dataset, kind=_("Field"), cleaned=sv.clean_field(data))


def field_settings_by_name(dataset: Dataset) -> dict[str, dict]:
    return dict(Field.objects.filter(dataset=dataset).values_list("name", "settings"))


@transaction.atomic
def add_question(*, dataset: Dataset, **data) -> Question:
    """Add a question (name, settings, title, required, description) to a draft dataset."""
    _ensure_draft(dataset, _("Questions"))
    cleaned = sv.clean_question(data, fields=field_settings_by_name(dataset))
    check_span_field_free(dataset.pk, cleaned["settings"])
    return _create_setting(Question, dataset=dataset, kind=_("Question"), cleaned=cleaned)


@transaction.atomic
def add_metadata_property(*, dataset: Dataset, **data) -> MetadataProperty:
    """Metadata properties can be added at any time, published or not."""
    cleaned = sv.clean_metadata_property(data)
    return _create_setting(
        MetadataProperty, dataset=dataset, kind=_("Metadata property"), cleaned=cleaned
    )


@transaction.atomic
def add_vector_settings(*, dataset: Dataset, **data) -> VectorSettings:
    """Vector settings can be added at any time, published or not; only on a server with
    pgvector (else a 422 naming the extension): vectors are there to be searched."""
    cleaned = sv.clean_vector_settings(data)
    if name_in_use(dataset.pk, cleaned["name"]):
        raise _conflict_name(_("Vector settings"), cleaned["name"])
    pgvector.require(("dimensions",))
    return _create_setting(
        VectorSettings, dataset=dataset, kind=_("Vector settings"), cleaned=cleaned
    )


@transaction.atomic
def update_setting(*, setting, **data):
    """Edit what stays editable: title, description, and (draft only or same shape) settings.

    Published datasets keep their questions' types and option values: answers depend on them.
    """
    with_description = isinstance(setting, Field | Question)
    cleaned = sv.clean_title_and_description(data, with_description=with_description)
    if isinstance(setting, MetadataProperty) and "visible_for_annotators" in data:
        problems = Problems()
        cleaned["visible_for_annotators"] = sv.clean_bool(
            problems, "visible_for_annotators", data["visible_for_annotators"], default=True
        )
        problems.raise_if_any()
    if isinstance(setting, Field | Question) and isinstance(data.get("settings"), dict):
        cleaned["settings"] = _clean_settings_update(setting, data["settings"])
    if isinstance(setting, Field | Question) and "required" in data:
        if data["required"] != setting.required and setting.dataset.is_published:
            raise ValidationFailed.single(
                ("required",), _("'required' cannot change once the dataset is published.")
            )
        problems = Problems()
        cleaned["required"] = sv.clean_bool(problems, "required", data["required"], default=True)
        problems.raise_if_any()
    before = {attribute: getattr(setting, attribute) for attribute in cleaned}
    for attribute, value in cleaned.items():
        setattr(setting, attribute, value)
    setting.save()
    _setting_updated(setting, _changes(setting, before))
    return setting


def _setting_updated(setting, changes: dict) -> None:
    if changes:
        signals.setting_updated.send(
            sender=type(setting), dataset=setting.dataset, setting=setting, changes=changes
        )


def _clean_settings_update(setting, settings: dict) -> dict:
    merged = {**setting.settings, **settings, "type": setting.settings.get("type")}
    if settings.get("type", merged["type"]) != merged["type"]:
        raise ValidationFailed.single(("settings", "type"), _("The type cannot be changed."))
    if isinstance(setting, Field):
        cleaned = sv.clean_field({"name": setting.name, "settings": merged})["settings"]
    else:
        fields = field_settings_by_name(setting.dataset)
        cleaned = sv.clean_question({"name": setting.name, "settings": merged}, fields=fields)[
            "settings"
        ]
        check_span_field_free(setting.dataset_id, cleaned, exclude=setting)
        if setting.dataset.is_published and _option_values(cleaned) != _option_values(
            setting.settings
        ):
            raise ValidationFailed.single(
                ("settings", "options"),
                _("Option values cannot change once the dataset is published."),
            )
    return cleaned


def _option_values(settings: dict) -> list:
    return [option.get("value") for option in settings.get("options") or []]


@transaction.atomic
def move_setting(*, setting, position: int) -> None:
    """Show a setting at another place in its list (the admin's ordering; the API appends)."""
    if isinstance(position, bool) or not isinstance(position, int) or position < 0:
        raise ValidationFailed.single(
            ("position",), _("The position must be a whole number, 0 or more.")
        )
    changes = {"position": (setting.position, position)} if setting.position != position else {}
    setting.position = position
    setting.save(update_fields=["position", "updated_at"])
    _setting_updated(setting, changes)


@transaction.atomic
def delete_setting(*, setting) -> None:
    """Fields and questions only while draft; metadata and vector settings at any time."""
    if isinstance(setting, Field):
        _ensure_draft(setting.dataset, _("Fields"))
    if isinstance(setting, Question):
        _ensure_draft(setting.dataset, _("Questions"))
    signals.setting_deleting.send(sender=type(setting), dataset=setting.dataset, setting=setting)
    setting.delete()


def missing_for_publishing(dataset: Dataset) -> Problems:
    """What a draft still lacks to be published (the admin's checklist shows the same)."""
    problems = Problems()
    if not Field.objects.filter(dataset=dataset).exists():
        problems.add(("fields",), _("A dataset needs at least one field to be published."))
    if not Question.objects.filter(dataset=dataset).exists():
        problems.add(("questions",), _("A dataset needs at least one question to be published."))
    if Field.objects.filter(dataset=dataset, required=True).count() == 0 and not problems:
        problems.add(("fields",), _("A dataset needs at least one required field."))
    return problems


@transaction.atomic
def publish_dataset(*, dataset: Dataset) -> Dataset:
    """Draft → ready. Needs at least one field and one question; idempotent-safe."""
    # Lock the row so two concurrent publishes (or a publish and an add_field) serialise.
    current_status = Dataset.objects.select_for_update().values_list("status", flat=True)
    if current_status.get(pk=dataset.pk) == DatasetStatus.READY:
        raise ValidationFailed.single(("status",), _("The dataset is already published."))
    missing_for_publishing(dataset).raise_if_any()
    dataset.status = DatasetStatus.READY
    dataset.save(update_fields=["status", "updated_at"])
    signals.dataset_published.send(sender=Dataset, dataset=dataset)
    return dataset


@transaction.atomic
def delete_dataset(*, dataset: Dataset) -> None:
    """Deletes the dataset with its settings, records, suggestions, vectors and responses."""
    signals.dataset_deleting.send(sender=Dataset, dataset=dataset)
    dataset.delete()
