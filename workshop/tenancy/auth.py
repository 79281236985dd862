"""Login: usernames looked up normalized, and a lockout after repeated failures.

Failures are counted per look-alike group of the name typed (its skeleton: ``Admin``, ``ADMIN`` and a Cyrillic
``аdmin`` are one count) and per address. A successful login clears only the failures recorded for exactly that
account's name, so signing in to one account can never reset the count of another, look-alike or not.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy

from workshop.ratelimit import client_address as _request_address
from workshop.tenancy.models import LoginFailure
from workshop.tenancy.usernames import username_normalize, username_skeleton

KEY_LENGTH = 150


def client_address(request) -> str | None:
    """The caller's address, through TRUSTED_PROXY_COUNT proxies (else everyone would share the proxy's)."""
    return (_request_address(request) or None) if request is not None else None


class UsernameBackend(ModelBackend):
    """Django's model backend, with the username normalized the way it was stored (NFKC, case-folded)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None:
            username = username_normalize(str(username))
        return super().authenticate(request, username=username, password=password, **kwargs)


def is_locked_out(*, username: str, address: str | None) -> bool:
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    recent = LoginFailure.objects.filter(time__gte=since)
    by_name = recent.filter(skeleton=username_skeleton(username)[:KEY_LENGTH]).count()
    # An address gets a larger allowance: an office shares one.
    by_address = recent.filter(address=address).count() if address else 0
    limit = settings.LOGIN_LOCKOUT_ATTEMPTS
    return by_name >= limit or by_address >= limit * 4


@receiver(user_login_failed)
def _record_failure(sender, credentials, request=None, **kwargs):
    typed = str(credentials.get("username", ""))
    LoginFailure.objects.create(username=username_normalize(typed)[:KEY_LENGTH],
                                skeleton=username_skeleton(typed)[:KEY_LENGTH], address=client_address(request))


@receiver(user_logged_in)
def _clear_failures(sender, request, user, **kwargs):
    # Exactly this account's name: never a look-alike's, never a lower-cased other spelling.
    LoginFailure.objects.filter(username=user.get_username()[:KEY_LENGTH]).delete()


class LockoutAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "locked_out": gettext_lazy("Too many failed sign-in attempts. Wait %(minutes)s minutes, or reset your "
                                   "password."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if username and is_locked_out(username=username, address=client_address(self.request)):
            raise forms.ValidationError(self.error_messages["locked_out"], code="locked_out",
                                        params={"minutes": settings.LOGIN_LOCKOUT_MINUTES})
        return super().clean()
