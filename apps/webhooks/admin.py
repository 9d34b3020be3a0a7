"""Webhooks in the admin, for owners only: their events and state, and each one's recent
deliveries (when, which event, the receiver's answer or the error, how many tries), so an
owner can see why a receiver got nothing. Writes go through the services."""

from django import forms
from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from apps.core.admin import ServiceAdminMixin
from apps.core.errors import Problems, ValidationFailed
from apps.webhooks import services
from apps.webhooks.models import Delivery, Event, Webhook
from apps.workspaces.admin_scoping import is_owner

RECENT_DELIVERIES = 20


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("events"), choices=Event.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Webhook
        fields = ("url", "events", "enabled", "description")

    def clean(self):
        cleaned = super().clean()
        try:
            # The services' own rules, so the admin refuses what the API refuses.
            problems = Problems()
            services.clean_url(problems, cleaned.get("url"))
            services.clean_events(problems, list(cleaned.get("events") or []))
            services.clean_description(problems, cleaned.get("description") or None)
            problems.raise_if_any()
        except ValidationFailed as error:
            for problem in error.problems:
                field = problem.loc[0] if problem.loc and problem.loc[0] in self.fields else None
                self.add_error(field, problem.message)
        return cleaned


class RecentDeliveryInline(admin.TabularInline):
    model = Delivery
    verbose_name_plural = _("recent deliveries")
    fields = (
        "inserted_at",
        "event",
        "status",
        "response_status",
        "error",
        "attempts",
        "last_attempt_at",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        # The latest few of the webhook shown: an inline's queryset cannot be sliced, so a
        # subquery correlated on the webhook picks them.
        recent = Delivery.objects.filter(webhook=OuterRef("webhook")).order_by("-inserted_at")
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=Subquery(recent.values("pk")[:RECENT_DELIVERIES]))
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OwnersOnly:
    def has_module_permission(self, request):
        return is_owner(request.user)

    def has_view_permission(self, request, obj=None):
        return is_owner(request.user)

    def has_add_permission(self, request, *args):
        return is_owner(request.user)

    def has_change_permission(self, request, obj=None):
        return is_owner(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_owner(request.user)


@admin.register(Webhook)
class WebhookAdmin(ServiceAdminMixin, OwnersOnly, admin.ModelAdmin):
    form = WebhookForm
    list_display = ("url", "event_list", "enabled", "description", "inserted_at")
    list_filter = ("enabled",)
    readonly_fields = ("secret", "inserted_at", "updated_at")
    inlines = (RecentDeliveryInline,)

    @admin.display(description=_("events"))
    def event_list(self, obj):
        return ", ".join(obj.events)

    def save_model(self, request, obj, form, change):
        data = {key: form.cleaned_data.get(key) for key in ("url", "events", "description")}
        data["description"] = data["description"] or None
        data["events"] = list(data["events"])
        if change:
            stored = Webhook.objects.get(pk=obj.pk)
            services.update_webhook(webhook=stored, enabled=form.cleaned_data["enabled"], **data)
        else:
            created = services.create_webhook(**data)
            if not form.cleaned_data["enabled"]:
                services.update_webhook(webhook=created, enabled=False)
            obj.pk = created.pk

    def delete_model(self, request, obj):
        services.delete_webhook(webhook=obj)

    def delete_queryset(self, request, queryset):
        for webhook in queryset:
            services.delete_webhook(webhook=webhook)


@admin.register(Delivery)
class DeliveryAdmin(OwnersOnly, admin.ModelAdmin):
    list_display = (
        "inserted_at",
        "webhook",
        "event",
        "status",
        "response_status",
        "error",
        "attempts",
    )
    list_filter = ("status", "event")
    list_select_related = ("webhook",)
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False
