import hashlib
import json
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from workshop.tenancy.scope import ScopedManager


def validate_endpoint_url(value: str) -> None:
    """http(s) with a host, any host: a container name like http://ollama:11434/v1 is a fine LLM endpoint."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("Enter an address that starts with http:// or https:// and names a host.")


def new_token(nbytes: int = 24) -> str:
    """An unguessable public code (>= 128 bits) from ``secrets``."""
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Organization(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    anonymity_k = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(3), MaxValueValidator(10)],
        help_text="No report shows a group smaller than this.",
    )
    retention_days = models.PositiveIntegerField(default=180)
    default_language = models.CharField(max_length=12, default="en")
    paper_size = models.CharField(max_length=8, choices=[("A4", "A4"), ("Letter", gettext_lazy("Letter"))],
                                  default="A4")
    llm_base_url = models.CharField(max_length=300, blank=True, validators=[validate_endpoint_url])
    llm_model = models.CharField(max_length=100, blank=True)
    llm_api_key_encrypted = models.TextField(blank=True)
    llm_requests_per_minute = models.PositiveIntegerField(default=60)
    llm_tokens_per_minute = models.PositiveIntegerField(default=60000)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(anonymity_k__gte=3, anonymity_k__lte=10), name="org_k_between_3_and_10"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def set_llm_api_key(self, key: str) -> None:
        """Seal the key together with the base URL it is entered for (set llm_base_url first): one encrypted
        blob, so the key is only ever given out for that address."""
        from workshop.tenancy.crypto import encrypt_text

        sealed = json.dumps({"key": key, "base_url": self.llm_base_url}) if key else ""
        self.llm_api_key_encrypted = encrypt_text(sealed)

    def llm_api_key(self) -> str:
        """The key, while the base URL is the one it was entered for; "" once the URL is another."""
        from workshop.tenancy.crypto import decrypt_text

        plain = decrypt_text(self.llm_api_key_encrypted)
        try:
            sealed = json.loads(plain)
        except ValueError:
            sealed = None
        if not isinstance(sealed, dict):
            return plain  # stored before keys were sealed with their URL: it was entered for the current one
        return sealed.get("key", "") if sealed.get("base_url") == self.llm_base_url else ""

    @property
    def has_llm_api_key(self) -> bool:
        return bool(self.llm_api_key_encrypted)


class Role(models.TextChoices):
    ADMIN = "admin", gettext_lazy("Admin")
    FACILITATOR = "facilitator", gettext_lazy("Facilitator")
    ANALYST = "analyst", gettext_lazy("Analyst")


class RevokeReason(models.TextChoices):
    """Why an invitation stopped working (recorded in the audit entry)."""

    BY_ADMIN = "by_admin", gettext_lazy("revoked by an admin")
    SENDER_REMOVED = "sender_removed", gettext_lazy("the admin who sent it was removed")
    SENDER_NOT_ADMIN = "sender_not_admin", gettext_lazy("the admin who sent it is no longer an admin")


class Membership(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="one_membership_per_org")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization_id} ({self.role})"


def invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_DAYS)


class Invitation(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(default=invitation_expiry)
    accepted = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()

    def __str__(self) -> str:
        return f"invitation for {self.email} ({self.role})"

    @property
    def is_usable(self) -> bool:
        return self.accepted is None and self.revoked is None and self.expires > timezone.now()


class AuditEvent(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    time = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-time"]

    def __str__(self) -> str:
        return f"{self.action} at {self.time:%Y-%m-%d %H:%M}"


class LoginFailure(models.Model):
    """One failed login. Not a tenant table: a username is not yet tied to an organization at login.

    ``username`` is the name as typed, normalized; ``skeleton`` is what it looks like (look-alikes share one).
    """

    username = models.CharField(max_length=150, db_index=True)
    skeleton = models.CharField(max_length=150, db_index=True, blank=True, default="")
    address = models.GenericIPAddressField(null=True, blank=True)
    time = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"failed login for {self.username}"
