"""Background work (django-tasks): large exports run in `manage.py db_worker`."""

from django_tasks import task

from apps.exports.models import ExportJob


@task()
def run_export_job(job_id: str) -> str:
    from apps.exports.services import run_export

    job = ExportJob.objects.select_related("dataset").get(pk=job_id)
    return run_export(job).status
