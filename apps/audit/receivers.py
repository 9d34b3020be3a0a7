"""From the domain apps' signals to audit entries: the same signals the webhooks listen to,
plus the ones only the audit trail needs (people, memberships, settings, webhooks, exports)
and Django's sign-in signals (allauth, the admin and SSO logins all send them). Connected in
`AuditConfig.ready()`."""

from django.contrib.auth import signals as auth_signals

from apps.audit.models import Action
from apps.audit.trail import record

RECORD_IDS_KEPT = 100  # a bulk delete's entry names its first ids and counts the rest


# --- Datasets and their settings -------------------------------------------------------------


def _dataset(action, dataset, **details):
    record(
        action,
        dataset=dataset,
        target_type="dataset",
        target_id=dataset.pk,
        target_label=dataset.name,
        details=details,
    )


def on_dataset_created(sender, *, dataset, **kwargs):
    _dataset(Action.DATASET_CREATED, dataset)


def on_dataset_updated(sender, *, dataset, changes=None, **kwargs):
    if changes == {}:
        return  # saved as it was: nothing to tell
    _dataset(Action.DATASET_UPDATED, dataset, **({"changes": changes} if changes else {}))


def on_dataset_published(sender, *, dataset, **kwargs):
    _dataset(Action.DATASET_PUBLISHED, dataset)


def on_dataset_deleting(sender, *, dataset, **kwargs):
    _dataset(Action.DATASET_DELETED, dataset)


def _setting(action, sender, dataset, setting, **details):
    record(
        action,
        dataset=dataset,
        target_type=sender._meta.model_name,
        target_id=setting.pk,
        target_label=setting.name,
        details={"type": setting.type, **details},
    )


def on_setting_added(sender, *, dataset, setting, **kwargs):
    _setting(Action.SETTING_ADDED, sender, dataset, setting)


def on_setting_updated(sender, *, dataset, setting, changes, **kwargs):
    _setting(Action.SETTING_UPDATED, sender, dataset, setting, changes=changes)


def on_setting_deleting(sender, *, dataset, setting, **kwargs):
    _setting(Action.SETTING_DELETED, sender, dataset, setting)


# --- Records -----------------------------------------------------------------------------------


def on_records_deleting(sender, *, dataset, records, **kwargs):
    if isinstance(records, list | tuple):
        ids, count = [record.pk for record in records], len(records)
        if dataset is None and records:
            dataset = records[0].dataset
    else:  # a queryset: one query for the ids kept, one more only when there are more
        ids = list(records.values_list("pk", flat=True)[: RECORD_IDS_KEPT + 1])
        count = len(ids) if len(ids) <= RECORD_IDS_KEPT else records.count()
    if not count:
        return
    record(
        Action.RECORDS_DELETED,
        dataset=dataset,
        target_type="records",
        target_label=str(count),
        details={"count": count, "ids": ids[:RECORD_IDS_KEPT]},
    )


# --- People, keys and memberships ---------------------------------------------------------------


def _user(action, user, **details):
    record(
        action,
        target_type="user",
        target_id=user.pk,
        target_label=user.get_username(),
        details=details,
    )


def on_user_created(sender, *, user, **kwargs):
    _user(Action.USER_CREATED, user, role=user.role)


def on_user_updated(sender, *, user, changes, **kwargs):
    action = Action.USER_ROLE_CHANGED if "role" in changes else Action.USER_UPDATED
    _user(action, user, changes=changes)


def on_user_deactivated(sender, *, user, **kwargs):
    _user(Action.USER_DEACTIVATED, user)


def on_user_reactivated(sender, *, user, **kwargs):
    _user(Action.USER_REACTIVATED, user)


def on_user_deleting(sender, *, user, **kwargs):
    _user(Action.USER_DELETED, user, role=user.role)


def on_api_key_issued(sender, *, user, name="", **kwargs):
    _user(Action.API_KEY_ISSUED, user, name=name)


def _membership(action, workspace, user):
    record(
        action,
        workspace=workspace,
        target_type="user",
        target_id=user.pk,
        target_label=user.get_username(),
    )


def on_member_added(sender, *, workspace, user, **kwargs):
    _membership(Action.MEMBER_ADDED, workspace, user)


def on_member_removed(sender, *, workspace, user, **kwargs):
    _membership(Action.MEMBER_REMOVED, workspace, user)


# --- Webhooks and exports ----------------------------------------------------------------------


def _webhook(action, webhook, **details):
    record(
        action,
        target_type="webhook",
        target_id=webhook.pk,
        target_label=webhook.url,
        details=details,
    )


def on_webhook_created(sender, *, webhook, **kwargs):
    _webhook(Action.WEBHOOK_CREATED, webhook, events=webhook.events)


def on_webhook_updated(sender, *, webhook, changes, **kwargs):
    if changes:
        _webhook(Action.WEBHOOK_UPDATED, webhook, changes=changes)


def on_webhook_deleting(sender, *, webhook, **kwargs):
    _webhook(Action.WEBHOOK_DELETED, webhook)


def on_export_downloaded(sender, *, dataset, format, task, job=None, **kwargs):
    details = {"format": format, "task": task}
    if job is not None:
        details["job"] = job.pk
    record(
        Action.EXPORT_DOWNLOADED,
        dataset=dataset,
        target_type="export",
        target_id=job.pk if job is not None else "",
        target_label=f"{task} ({format})",
        details=details,
    )


# --- Sign-ins ---------------------------------------------------------------------------------


def on_user_logged_in(sender, *, request, user, **kwargs):
    record(
        Action.SIGNED_IN,
        actor=user,
        request=request,
        target_type="user",
        target_id=user.pk,
        target_label=user.get_username(),
    )


def on_user_login_failed(sender, *, credentials, request=None, **kwargs):
    # Django has already masked the password; the name tried is all that is kept.
    tried = str(credentials.get("username") or credentials.get("email") or "")
    record(
        Action.SIGN_IN_FAILED,
        actor=None,  # nobody: whoever was signed in before, it is not them trying
        actor_username=tried,
        request=request,
        target_type="user",
        target_label=tried,
    )


def connect_receivers() -> None:
    from apps.accounts import signals as accounts
    from apps.datasets import signals as datasets
    from apps.exports import signals as exports
    from apps.records import signals as records
    from apps.webhooks import signals as webhooks
    from apps.workspaces import signals as workspaces

    for signal, receiver in (
        (datasets.dataset_created, on_dataset_created),
        (datasets.dataset_updated, on_dataset_updated),
        (datasets.dataset_published, on_dataset_published),
        (datasets.dataset_deleting, on_dataset_deleting),
        (datasets.setting_added, on_setting_added),
        (datasets.setting_updated, on_setting_updated),
        (datasets.setting_deleting, on_setting_deleting),
        (records.records_deleting, on_records_deleting),
        (accounts.user_created, on_user_created),
        (accounts.user_updated, on_user_updated),
        (accounts.user_deactivated, on_user_deactivated),
        (accounts.user_reactivated, on_user_reactivated),
        (accounts.user_deleting, on_user_deleting),
        (accounts.api_key_issued, on_api_key_issued),
        (workspaces.member_added, on_member_added),
        (workspaces.member_removed, on_member_removed),
        (webhooks.webhook_created, on_webhook_created),
        (webhooks.webhook_updated, on_webhook_updated),
        (webhooks.webhook_deleting, on_webhook_deleting),
        (exports.export_downloaded, on_export_downloaded),
        (auth_signals.user_logged_in, on_user_logged_in),
        (auth_signals.user_login_failed, on_user_login_failed),
    ):
        signal.connect(receiver, dispatch_uid=f"audit.{receiver.__name__}")
