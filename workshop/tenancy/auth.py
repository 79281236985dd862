"""Login with a lockout after repeated failures (per username and per address)."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy

from workshop.ratelimit import client_address as _request_address
from workshop.tenancy.models import LoginFailure


def client_address(request) -> str | None:
    """The caller's address, through TRUSTED_PROXY_COUNT proxies (else everyone would share the proxy's)."""
    return (_request_address(request) or None) if request is not None else None


def is_locked_out(*, username: str, address: str | None) -> bool:
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    recent = LoginFailure.objects.filter(time__gte=since)
    by_user = recent.filter(username=username.lower()[:150]).count()
    # An address gets a larger allowance: an office shares one.
    by_address = recent.filter(address=address).count() if address else 0
    limit = settings.LOGIN_LOCKOUT_ATTEMPTS
    return by_user >= limit or by_address >= limit * 4


@receiver(user_login_failed)
def _record_failure(sender, credentials, request=None, **kwargs):
    LoginFailure.objects.create(username=str(credentials.get("username", "")).lower()[:150],
                                address=client_address(request))


@receiver(user_logged_in)
def _clear_failures(sender, request, user, **kwargs):
    LoginFailure.objects.filter(username=user.get_username().lower()).delete()


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
