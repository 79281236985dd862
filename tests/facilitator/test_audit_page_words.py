"""The audit page speaks words, never codes: every action, detail key and coded value is shown by its label, in
the admin's language."""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from workshop.activities.kinds import ActivityKind
from workshop.debrief.models import DebriefPacket
from workshop.reports.labels import FILTER
from workshop.tenancy.audit import DETAIL_LABELS, AuditAction
from workshop.tenancy.models import AuditEvent, RevokeReason, Role
from workshop.tenancy.scope import unscoped

# Details as the services write them, with a coded value for each kind of code the page must put in words.
CODED_DETAILS = {
    AuditAction.PACKET_DOWNLOAD: {"kind": "participant", "by": "participant"},
    AuditAction.SCENARIO_DUPLICATE: {"from": "left-out", "from_version": 2, "builtin": True, "slug": "left-out-copy"},
    AuditAction.MEMBER_ROLE_CHANGE: {"user": "robin", "from": "admin", "to": "analyst"},
    AuditAction.MEMBER_INVITE_REVOKE: {"email": "a@example.com", "role": "facilitator", "reason": "sender_removed"},
    AuditAction.WORKSHOP_ACTIVITIES: {"kinds": ["analogy"]},
    AuditAction.REPORT_EXPORT: {"format": "aggregates.csv", "filters": {"scenario": "left-out"}},
    AuditAction.SETTINGS_CHANGE: {"fields": ["anonymity_k"], "api_key": "replaced"},
}


def visible_text(body: str) -> str:
    """What a reader sees: the page's text without its tags and attribute values."""
    main = body[body.index("<main"):] if "<main" in body else body
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


def admin_client(user, language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


@pytest.fixture
def every_action(org_a):
    with unscoped():
        for action in AuditAction:
            AuditEvent.objects.create(organization=org_a.org, actor=org_a.admin, action=action,
                                      object_type="Workshop", object_id="7", detail=CODED_DETAILS.get(action, {}))


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_action_and_coded_detail_reads_as_words_in_the_admins_language(org_a, every_action, language):
    text = visible_text(admin_client(org_a.admin, language).get(reverse("facilitator:audit")).content.decode())
    with translation.override(language):
        for action in AuditAction:
            assert str(action.label) in text, f"{action.value}: its label is not on the page"
            assert action.value not in text, f"the page shows the code {action.value}"
        pairs = [(DETAIL_LABELS["kind"], DebriefPacket.Kind.PARTICIPANT.label),
                 (DETAIL_LABELS["by"], _("the participant")), (DETAIL_LABELS["builtin"], _("yes")),
                 (DETAIL_LABELS["from_version"], "2"), (DETAIL_LABELS["to"], Role.ANALYST.label),
                 (DETAIL_LABELS["reason"], RevokeReason.SENDER_REMOVED.label),
                 (DETAIL_LABELS["kinds"], ActivityKind.ANALOGY.label), (DETAIL_LABELS["api_key"], _("replaced")),
                 (DETAIL_LABELS["filters"], f"{FILTER['scenario']}: left-out")]
        for key, value in pairs:
            assert f"{key}: {value}" in text
    for code in ("from_version", "builtin", "kinds", "sender_removed", "api_key", "True", "anonymity_k"):
        assert not re.search(rf"\b{code}\b", text), f"the page shows the code {code!r}"


def test_the_participant_file_export_is_described_in_words(client, org_a):
    client.force_login(org_a.admin)
    assert client.get(reverse("facilitator:reports_people")).status_code == 200
    with unscoped():
        event = AuditEvent.objects.get(organization=org_a.org, action=AuditAction.REPORT_EXPORT)
    text = visible_text(client.get(reverse("facilitator:audit")).content.decode())
    assert "Report downloaded" in text
    assert [key for key in event.detail if re.search(rf"\b{key}:", text)] == []
