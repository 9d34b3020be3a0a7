"""Users with an Argilla-style role, and their hashed API keys."""

import hashlib
import hmac
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    ANNOTATOR = "annotator", _("Annotator")


# Roles that may change a workspace's settings and data: owners everywhere, admins in
# the workspaces they belong to (the membership half lives in apps.workspaces.access).
MANAGER_ROLES = frozenset({Role.OWNER, Role.ADMIN})


class User(AbstractUser):
    """A person. The role decides what they may do; workspaces decide where.

    Owners are superusers (everything, everywhere); admins are staff limited to
    their workspaces; annotators never enter the Django admin.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.ANNOTATOR)
    language = models.CharField(
        _("language"),
        max_length=16,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The interface language; blank follows the browser."),
    )
    inserted_at = models.DateTimeField(_("inserted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [models.Index(fields=["role"])]

    def save(self, *args, **kwargs):
        # The role is the single source of truth for Django's admin flags.
        self.is_superuser = self.role == Role.OWNER
        self.is_staff = self.is_manager
        super().save(*args, **kwargs)

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_manager(self) -> bool:
        """Owner or admin: "owner, or admin of this workspace" once the workspace is known
        to be theirs. The one role rule for managing; `managed_workspaces_for` and the
        accessors' `need="manage"` add the membership half."""
        return self.role in MANAGER_ROLES

    @property
    def is_annotator(self) -> bool:
        return self.role == Role.ANNOTATOR


API_KEY_PREFIX_LENGTH = 8


def hash_api_key(key: str) -> str:
    # Keys are long random strings, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(key.encode()).hexdigest()


def generate_api_key() -> str:
    return "loam_" + secrets.token_urlsafe(32)


class ApiKey(models.Model):
    """A key for `X-Argilla-Api-Key`. Only its SHA-256 is stored; the key is shown once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=API_KEY_PREFIX_LENGTH, editable=False)
    hashed_key = models.CharField(_("hashed key"), max_length=64, unique=True, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    inserted_at = models.DateTimeField(_("inserted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, *, user: User, key: str | None = None, name: str = "") -> tuple["ApiKey", str]:
        """Store a new key for `user` (generated unless given); return it with the clear key."""
        clear = key or generate_api_key()
        api_key = cls.objects.create(
            user=user,
            name=name,
            prefix=clear[:API_KEY_PREFIX_LENGTH],
            hashed_key=hash_api_key(clear),
        )
        return api_key, clear

    @classmethod
    def find_user(cls, key: str) -> User | None:
        """The active user owning `key`, or None. One query on the hashed-key index."""
        if not key:
            return None
        digest = hash_api_key(key)
        api_key = cls.objects.select_related("user").filter(hashed_key=digest).first()
        if api_key is None or not hmac.compare_digest(api_key.hashed_key, digest):
            return None
        if not api_key.user.is_active:
            return None
        return api_key.user

    def touch(self) -> None:
        ApiKey.objects.filter(pk=self.pk).update(last_used_at=timezone.now())
