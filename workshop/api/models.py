from django.conf import settings
from django.db import models

from workshop.tenancy.models import Organization
from workshop.tenancy.scope import ScopedManager

TOKEN_PREFIX_LENGTH = 8


class ApiToken(models.Model):
    """A member's personal key to the REST API, valid in one organization with the owner's current role.

    Only the SHA-256 of the key is stored, plus its first characters so people can tell their tokens apart.
    The key itself is shown once, when it is made.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=TOKEN_PREFIX_LENGTH)
    key_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
