"""Tenant-scoped accessors for records and suggestions.

`access_record` and `access_suggestion` start from an id alone and scope by the caller's
workspaces in the query; `record_of` and `records_of` start from a dataset the caller has
already been given by `access_dataset` and scope by it. Either way another tenant's record
answers like a missing one (NotFound).
"""

from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.access import NotFound, as_uuid
from apps.datasets.access import check_dataset_need, datasets_for
from apps.datasets.models import Dataset
from apps.records.models import Record, Suggestion
from apps.workspaces.access import Need


def _manage_records_message():
    return _("Only owners and admins can change records.")


def access_record(user: User, record_id, *, need: Need = "view") -> Record:
    """A record of a dataset `user` can see; someone else's record is a 404."""
    record = (
        Record.objects.filter(dataset__in=datasets_for(user), pk=as_uuid(record_id))
        .select_related("dataset")
        .first()
    )
    if record is None:
        raise NotFound(_("Record not found."))
    check_dataset_need(user, record.dataset, need, _manage_records_message())
    return record


def access_suggestion(user: User, suggestion_id, *, need: Need = "view") -> Suggestion:
    """A suggestion on a record of a dataset `user` can see; someone else's is a 404."""
    suggestion = (
        Suggestion.objects.filter(record__dataset__in=datasets_for(user), pk=as_uuid(suggestion_id))
        .select_related("record__dataset")
        .first()
    )
    if suggestion is None:
        raise NotFound(_("Suggestion not found."))
    check_dataset_need(user, suggestion.record.dataset, need, _manage_records_message())
    return suggestion


def record_of(dataset: Dataset, record_id) -> Record:
    """A record of an already access-checked dataset; other datasets' records are NotFound."""
    record = Record.objects.filter(dataset=dataset, pk=as_uuid(record_id)).first()
    if record is None:
        raise NotFound(_("Record not found."))
    return record


def records_of(dataset: Dataset, record_ids: list) -> list[Record]:
    """The records of an already access-checked dataset among `record_ids`; ids of other
    datasets' records (or of none) are left out. One query."""
    return list(Record.objects.filter(dataset=dataset, pk__in=record_ids))
