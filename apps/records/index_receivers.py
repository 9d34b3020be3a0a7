"""Each vector setting's HNSW index and each metadata property's B-tree index live and die
with the setting, however it is created or deleted (the API, the admin, a dataset's deletion
cascading to its settings)."""

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from apps.datasets.models import MetadataProperty, VectorSettings
from apps.records import metadata_index, vector_index


@receiver(post_save, sender=VectorSettings, dispatch_uid="vector_settings_index")
def _index_new_vector_settings(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        vector_index.create_index(instance)


@receiver(pre_delete, sender=VectorSettings, dispatch_uid="vector_settings_unindex")
def _drop_vector_settings_index(sender, instance, **kwargs):
    # Before the row goes (its id names the index); DDL rolls back with a failed deletion.
    vector_index.drop_index(instance)


@receiver(post_save, sender=MetadataProperty, dispatch_uid="metadata_property_index")
def _index_new_metadata_property(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        metadata_index.create_index(instance)


@receiver(pre_delete, sender=MetadataProperty, dispatch_uid="metadata_property_unindex")
def _drop_metadata_property_index(sender, instance, **kwargs):
    metadata_index.drop_index(instance)
