"""Tenant-scoped accessors for datasets and their children (fields, questions, metadata
properties, vector settings, export jobs): scoped to the caller's workspaces in the query,
so a missing object and another tenant's are both NotFound."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.access import NotFound, as_uuid
from apps.datasets.models import Dataset
from apps.workspaces.access import Need, check_need, workspaces_for


def datasets_for(user: User) -> QuerySet[Dataset]:
    """Datasets of the workspaces `user` sees (`workspaces_for`, the one tenancy rule)."""
    return Dataset.objects.filter(workspace__in=workspaces_for(user))


def check_dataset_need(user: User, dataset: Dataset, need: Need, message=None) -> None:
    """`need` on a dataset found through `datasets_for`: "manage" asks for an owner or an
    admin; "annotate" for a published dataset (a draft is not there to annotate yet)."""
    check_need(user, need, message)
    if need == "annotate" and not dataset.is_published:
        raise NotFound(_("This dataset is not published yet."))


def access_dataset(user: User, dataset_id, *, need: Need = "view") -> Dataset:
    dataset = datasets_for(user).select_related("workspace").filter(pk=as_uuid(dataset_id)).first()
    if dataset is None:
        raise NotFound(_("Dataset not found."))
    check_dataset_need(user, dataset, need)
    return dataset


def access_dataset_child(user: User, model, child_id, *, need: Need = "view"):
    """A field, question, metadata property, vector settings or export job of a dataset
    `user` can see: a missing child and another tenant's child are both NotFound."""
    child = (
        model.objects.select_related("dataset__workspace")
        .filter(pk=as_uuid(child_id), dataset__in=datasets_for(user))
        .first()
    )
    if child is None:
        raise NotFound(_("Not found."))
    check_dataset_need(user, child.dataset, need)
    return child
