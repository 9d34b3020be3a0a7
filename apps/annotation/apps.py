from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnotationConfig(AppConfig):
    name = "apps.annotation"
    label = "annotation"
    verbose_name = _("Annotation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Datasets and records sit below annotation and name none of its modules: the work
        # queue follows their writes through their signals, inside the writing transaction.
        from apps.datasets.signals import dataset_published
        from apps.records.signals import records_inserted

        dataset_published.connect(_distribute, dispatch_uid="annotation_distribute")
        records_inserted.connect(_assign, dispatch_uid="annotation_assign_new_records")


def _distribute(sender, *, dataset, **kwargs):
    from apps.annotation.services import distribute_published_dataset

    distribute_published_dataset(dataset=dataset)


def _assign(sender, *, dataset, records, **kwargs):
    from apps.annotation.services import assign_new_records

    assign_new_records(dataset=dataset, records=records)
