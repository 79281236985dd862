"""An organization's settings, changed by its admins: the rules every value must meet, the sealed API key, and
the audit row. The console's settings page only parses the form and shows what this refuses."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from workshop.participants.llm import llm_base_url_blocked
from workshop.scenarios.languages import SCENARIO_LANGUAGES
from workshop.tenancy.audit import AuditAction
from workshop.tenancy.models import Organization
from workshop.tenancy.services import audit_record

# The settings an admin changes, in the order the page shows them; each change is recorded by name.
SETTINGS_FIELDS = ("anonymity_k", "retention_days", "paper_size", "default_language", "llm_base_url", "llm_model",
                   "llm_requests_per_minute", "llm_tokens_per_minute")
RETENTION_DAYS_MIN, RETENTION_DAYS_MAX = 1, 3650


class SettingsRefused(ValueError):
    """Some values break the rules; ``errors`` says which, by field (``llm_api_key`` for the key)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _problems(*, before: Organization, after: Organization, api_key: str, clear_api_key: bool) -> dict[str, str]:
    problems: dict[str, str] = {}
    try:
        after.full_clean(exclude=["name", "slug", "llm_api_key_encrypted"], validate_unique=False)
    except ValidationError as exc:
        problems.update({field: " ".join(messages) for field, messages in exc.message_dict.items()})
    if not RETENTION_DAYS_MIN <= after.retention_days <= RETENTION_DAYS_MAX:
        problems["retention_days"] = _("Choose between 1 and 3650 days.")
    if after.default_language not in SCENARIO_LANGUAGES:
        problems["default_language"] = _("Choose one of the site's languages.")
    if after.llm_base_url and llm_base_url_blocked(after.llm_base_url):
        problems["llm_base_url"] = _(
            "This address is on the server's own network (loopback, private, link-local or reserved), "
            "which an LLM endpoint may not use. The server's operator can allow an on-premises endpoint.")
    # The stored key goes only to the address it was entered for.
    if after.llm_base_url != before.llm_base_url and before.has_llm_api_key and not api_key and not clear_api_key:
        problems["llm_api_key"] = _(
            "The LLM base URL changed: enter the API key for the new address, or remove the stored key. "
            "A stored key is only sent to the address it was entered for.")
    return problems


def organization_settings_change(*, organization_id: int, actor, changes: dict[str, object], api_key: str = "",
                                 clear_api_key: bool = False) -> Organization:
    """Change some of SETTINGS_FIELDS (``changes``) and the API key: a new ``api_key`` replaces the stored one,
    ``clear_api_key`` removes it, neither keeps it. Raises SettingsRefused, and changes nothing, when a value
    breaks a rule. The audit row names the fields that changed and what happened to the key, never the key."""
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"not an organization setting: {sorted(unknown)}")
    with transaction.atomic():
        before = Organization.objects.select_for_update().get(pk=organization_id)
        after = Organization.objects.get(pk=organization_id)
        for field, value in changes.items():
            setattr(after, field, value)
        problems = _problems(before=before, after=after, api_key=api_key, clear_api_key=clear_api_key)
        if problems:
            raise SettingsRefused(problems)
        key_change = None
        if clear_api_key:
            after.set_llm_api_key("")
            key_change = "removed"
        elif api_key:
            after.set_llm_api_key(api_key)
            key_change = "replaced"
        after.save()
        changed = sorted(f for f in SETTINGS_FIELDS if getattr(after, f) != getattr(before, f))
        audit_record(organization_id=organization_id, actor=actor, action=AuditAction.SETTINGS_CHANGE, obj=after,
                     detail={"fields": changed, "api_key": key_change})
    return after
