"""Reads of a dataset's settings that depend on who is asking.

Argilla's rule for metadata: a property with `visible_for_annotators=False` exists only for
owners and admins. An annotator never sees its definition, never finds its key in a
record's `metadata`, and cannot filter or sort by it (422, the answer for a property that
does not exist). Every face — the API's settings list, record answers and search, the
annotator web app — asks this module, so the rule lives here and nowhere else.
"""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.errors import Loc, ValidationFailed
from apps.datasets.models import Dataset, MetadataProperty


def sees_hidden_metadata(user: User) -> bool:
    """Owners and admins see every metadata property; annotators only the visible ones."""
    return user.is_manager


def visible_metadata_properties(
    user: User, properties: QuerySet[MetadataProperty]
) -> QuerySet[MetadataProperty]:
    """`properties` narrowed, in the query, to those `user` may see."""
    if sees_hidden_metadata(user):
        return properties
    return properties.filter(visible_for_annotators=True)


def metadata_properties_for(user: User, dataset: Dataset) -> QuerySet[MetadataProperty]:
    """The metadata properties of `dataset` that `user` may see (one query)."""
    return visible_metadata_properties(user, MetadataProperty.objects.filter(dataset=dataset))


def unknown_metadata_property(name, loc: Loc) -> ValidationFailed:
    """The 422 for a property that does not exist or that the caller may not see: the same
    answer for both, so a hidden property is not confirmed by asking for it."""
    return ValidationFailed.single(
        loc, _("%(n)r is not a metadata property of this dataset.") % {"n": name}
    )


class MetadataVisibility:
    """Which metadata keys of one dataset one user may see, for one request.

    Owners and admins: nothing is hidden and nothing is read. Annotators: the names of the
    hidden properties, read with one query the first time they are needed, or with none
    when the caller has already loaded the dataset's properties and passes them to `learn`.
    """

    def __init__(self, user: User, dataset: Dataset):
        self.user = user
        self.dataset = dataset
        self._hidden: frozenset[str] | None = frozenset() if sees_hidden_metadata(user) else None

    def learn(self, properties: Iterable[MetadataProperty]) -> None:
        """Take the hidden names from all of the dataset's properties, already loaded."""
        if self._hidden is None:
            self._hidden = frozenset(p.name for p in properties if not p.visible_for_annotators)

    @property
    def hidden(self) -> frozenset[str]:
        if self._hidden is None:
            self._hidden = frozenset(
                MetadataProperty.objects.filter(
                    dataset=self.dataset, visible_for_annotators=False
                ).values_list("name", flat=True)
            )
        return self._hidden

    def hides(self, name) -> bool:
        return name in self.hidden

    def visible_properties(self, properties: dict[str, MetadataProperty]) -> dict:
        """`properties` (by name) without the hidden ones."""
        hidden = self.hidden
        return {name: p for name, p in properties.items() if name not in hidden}

    def record_metadata(self, metadata: dict | None) -> dict:
        """A record's `metadata` without the keys of hidden properties. Keys that belong to
        no property (`allow_extra_metadata`) stay, as in Argilla."""
        hidden = self.hidden  # read even for an empty dict: the query count stays predictable
        if not metadata:
            return {}
        if not hidden:
            return metadata
        return {key: value for key, value in metadata.items() if key not in hidden}

    def check_usable(self, name, loc: Loc) -> None:
        """422 naming the property when the user may not filter or sort by it."""
        if self.hides(name):
            raise unknown_metadata_property(name, loc)
