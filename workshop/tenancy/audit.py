"""The audit log's words: every action a service records, the objects it names, and the keys and coded values
of its detail, each with a translatable label. The codes stay stable in the table and the API; people read
the labels (facilitator/audit.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext_lazy

from workshop.tenancy.models import RevokeReason, Role


class AuditAction(models.TextChoices):
    """Every action the audit log records, declared here once. To add one: a line below (its code, ``object.verb``,
    stays stable in the table and the API; its label is what people read), the label's Korean in the catalogue,
    and ``audit_record(action=AuditAction.NEW_ONE, ...)`` inside the service that does it, never in a view.
    tests/tenancy/test_audit_actions.py checks that every action recorded anywhere is declared and translated."""

    ANALOGY_RETRY = "analogy.retry", gettext_lazy("Analogy retried")
    API_TOKEN_CREATE = "api_token.create", gettext_lazy("API token made")
    API_TOKEN_REVOKE = "api_token.revoke", gettext_lazy("API token revoked")
    CHECKIN_CLOSE = "checkin.close", gettext_lazy("Check-in poll closed")
    CHECKIN_OPEN = "checkin.open", gettext_lazy("Check-in poll opened")
    DATA_PURGE = "data.purge", gettext_lazy("Personal data purged (retention)")
    LISTENING_ADVANCE = "listening.advance", gettext_lazy("Listening lab moved to its next round")
    LOOP_PAUSE = "loop.pause", gettext_lazy("Learning loop paused")
    LOOP_RESET = "loop.reset", gettext_lazy("Learning loop reset")
    LOOP_RESUME = "loop.resume", gettext_lazy("Learning loop resumed")
    LOOP_SHARING_OFF = "loop.sharing_off", gettext_lazy("Learning loop stopped sharing with other organizations")
    LOOP_SHARING_ON = "loop.sharing_on", gettext_lazy("Learning loop shares with other organizations again")
    MEMBER_INVITE = "member.invite", gettext_lazy("Member invited")
    MEMBER_INVITE_REVOKE = "member.invite_revoke", gettext_lazy("Invitation revoked")
    MEMBER_JOIN = "member.join", gettext_lazy("Invitation accepted")
    MEMBER_REMOVE = "member.remove", gettext_lazy("Member removed")
    MEMBER_ROLE_CHANGE = "member.role_change", gettext_lazy("Role changed")
    PACKET_DOWNLOAD = "packet.download", gettext_lazy("Packet downloaded")
    PARTICIPANT_DELETE_DATA = "participant.delete_data", gettext_lazy("A participant deleted their data")
    REFLECTION_HIDE = "reflection.hide", gettext_lazy("Reflection hidden from the wall")
    REFLECTION_SHOW = "reflection.show", gettext_lazy("Reflection shown on the wall again")
    REPORT_EXPORT = "report.export", gettext_lazy("Report downloaded")
    SCENARIO_CREATE = "scenario.create", gettext_lazy("Scenario written")
    SCENARIO_DUPLICATE = "scenario.duplicate", gettext_lazy("Scenario duplicated")
    SCENARIO_EDIT = "scenario.edit", gettext_lazy("Scenario edited")
    SCENARIO_EXPORT = "scenario.export", gettext_lazy("Scenarios exported")
    SCENARIO_IMPORT = "scenario.import", gettext_lazy("Scenarios imported")
    SETTINGS_CHANGE = "settings.change", gettext_lazy("Settings changed")
    SYNTHETIC_CREATE = "synthetic.create", gettext_lazy("Synthetic report data made")
    WALL_CONCEAL = "wall.conceal", gettext_lazy("Wall hidden from the room")
    WALL_REVEAL = "wall.reveal", gettext_lazy("Wall shown to the room")
    WORKSHOP_CLOSE = "workshop.close", gettext_lazy("Workshop closed")
    WORKSHOP_CREATE = "workshop.create", gettext_lazy("Workshop created")
    WORKSHOP_JOIN_LINK_ROTATE = "workshop.join_link_rotate", gettext_lazy("Join link replaced")
    WORKSHOP_OPEN = "workshop.open", gettext_lazy("Workshop opened")
    WORKSHOP_UPDATE = "workshop.update", gettext_lazy("Workshop changed")
    WORKSHOP_ACTIVITIES = "workshop.activities", gettext_lazy("Workshop activities composed")
    WORKSHOP_MOVE = "workshop.move", gettext_lazy("Room moved to another activity")


# The model names audit_record writes as object_type.
OBJECT_LABELS = {
    "Analogy": gettext_lazy("Analogy"),
    "ApiToken": gettext_lazy("API token"),
    "DebriefPacket": gettext_lazy("Packet"),
    "Invitation": gettext_lazy("Invitation"),
    "Membership": gettext_lazy("Membership"),
    "Organization": gettext_lazy("Organization"),
    "Participant": gettext_lazy("Participant"),
    "Response": gettext_lazy("Answer"),
    "Scenario": gettext_lazy("Scenario"),
    "Workshop": gettext_lazy("Workshop"),
}

DETAIL_LABELS = {
    "api_key": gettext_lazy("API key"),
    "builtin": gettext_lazy("From the built-in library"),
    "by": gettext_lazy("By"),
    "count": gettext_lazy("Count"),
    "dropped": gettext_lazy("Answers left out (groups below k)"),
    "email": gettext_lazy("Email"),
    "fields": gettext_lazy("Fields"),
    "filters": gettext_lazy("Filters"),
    "format": gettext_lazy("Format"),
    "from": gettext_lazy("From"),
    "from_version": gettext_lazy("From version"),
    "generalized_month": gettext_lazy("Answers shown without their month (groups below k)"),
    "generalized_workshop": gettext_lazy("Answers shown without their workshop (groups below k)"),
    "groups": gettext_lazy("Groups"),
    "joined_before": gettext_lazy("Joined before"),
    "k": gettext_lazy("Anonymity threshold (k)"),
    "kind": gettext_lazy("Kind"),
    "kinds": gettext_lazy("Activities"),
    "name": gettext_lazy("Name"),
    "owner": gettext_lazy("Owner"),
    "participants": gettext_lazy("Participants"),
    "poll": gettext_lazy("Poll"),
    "position": gettext_lazy("Activity"),
    "prefix": gettext_lazy("Prefix"),
    "reason": gettext_lazy("Reason"),
    "responses": gettext_lazy("Answers"),
    "retention_days": gettext_lazy("Kept for (days)"),
    "role": gettext_lazy("Role"),
    "round": gettext_lazy("Round"),
    "seed": gettext_lazy("Seed"),
    "slug": gettext_lazy("Slug"),
    "to": gettext_lazy("To"),
    "user": gettext_lazy("User"),
    "version": gettext_lazy("Version"),
    "via": gettext_lazy("Via"),
    "workshop": gettext_lazy("Workshop"),
    "workshops": gettext_lazy("Workshops"),
}

_ROLES = dict(Role.choices)


def _packet_kinds() -> dict[str, object]:
    from workshop.debrief.models import DebriefPacket  # an app above this one: read when the log is shown

    return dict(DebriefPacket.Kind.choices)


def _activity_kinds() -> dict[str, object]:
    from workshop.activities.kinds import ActivityKind  # an app above this one: read when the log is shown

    return dict(ActivityKind.choices)


# Coded values, by the detail key that carries them: their labels, or a function that returns them (for names
# an app above tenancy declares). Anything else (names, emails, counts) is shown as written.
DETAIL_VALUE_LABELS: dict[str, dict[str, object] | Callable[[], dict[str, object]]] = {
    "role": _ROLES,
    "from": _ROLES,
    "to": _ROLES,
    "reason": dict(RevokeReason.choices),
    "api_key": {"removed": gettext_lazy("removed"), "replaced": gettext_lazy("replaced")},
    "via": {"api": gettext_lazy("the API")},
    "by": {"participant": gettext_lazy("the participant")},
    "kind": _packet_kinds,
    "kinds": _activity_kinds,
}


def audit_action_label(action: str) -> str:
    """The action in words; an action recorded by an older release that no longer exists, by its code."""
    return str(AuditAction(action).label) if action in AuditAction.values else action


def audit_object_label(object_type: str) -> str:
    return str(OBJECT_LABELS.get(object_type, object_type))


def audit_detail_pairs(detail: object, *, field_labels: dict[str, object] | None = None) -> list[tuple[str, str]]:
    """(label, value) of an event's detail, sorted by key. ``field_labels`` names the settings fields a
    settings change lists."""
    if not isinstance(detail, dict):
        return []
    pairs = []
    for key, value in sorted(detail.items()):
        label = str(DETAIL_LABELS.get(key, key))
        pairs.append((label, _detail_value(key, value, field_labels or {})))
    return pairs


def _detail_value(key: str, value: object, field_labels: dict[str, object]) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(gettext_lazy("yes") if value else gettext_lazy("no"))
    if key == "fields" and isinstance(value, list):
        return ", ".join(str(field_labels.get(f, f)) for f in value) if value else "—"
    if key == "filters" and isinstance(value, dict):
        from workshop.reports.labels import FILTER  # an app above this one: read when the log is shown

        return "; ".join(f"{FILTER.get(k, k)}: {v}" for k, v in sorted(value.items())) if value else "—"
    coded = DETAIL_VALUE_LABELS.get(key, {})
    coded = coded() if callable(coded) else coded
    if isinstance(value, list):
        return ", ".join(str(coded.get(v, v)) if isinstance(v, str) else str(v) for v in value)
    if isinstance(value, str) and value in coded:
        return str(coded[value])
    return str(value)
