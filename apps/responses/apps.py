from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResponsesConfig(AppConfig):
    name = "apps.responses"
    label = "responses"
    verbose_name = _("Responses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Responses build on datasets and records, which name no responses module: what they
        # need of responses is plugged in here.
        from apps.accounts import signals as account_signals
        from apps.datasets import signals as dataset_signals
        from apps.records.upsert import RESPONSES
        from apps.responses import services, status, user_deletion, validation

        # A record upsert's responses: cleaned and written by this app's one bulk writer.
        RESPONSES.connect(clean=validation.clean_item_responses, save=services.save_responses)
        # A new min_submitted: every record's status again (one statement).
        dataset_signals.min_submitted_changed.connect(
            status.recompute_after_min_submitted, dispatch_uid="responses_recompute_statuses"
        )
        # A user deleted for good: their responses go first, and their records are recounted.
        account_signals.user_deleting.connect(
            user_deletion.forget_responses_of_deleted_user,
            dispatch_uid="responses_forget_deleted_user",
        )
