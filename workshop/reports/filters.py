"""What a report is about: a date range, a scenario, a theme, a facilitator, a workshop.

Filters arrive as strings (a GET form, an API query) and are checked against the organization before any
figure is computed: a bad date, an unknown scenario or a range that ends before it starts comes back as a
message under the field's name, never as an error page and never as a silently unfiltered report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from workshop.scenarios.models import Scenario
from workshop.scenarios.themes import theme_label
from workshop.tenancy.models import Membership, Organization
from workshop.workshops.models import Workshop

FIELDS = ("date_from", "date_to", "scenario", "theme", "facilitator", "workshop")
MAX_TEXT = 200  # longer than any slug, theme, username or public id we issue
# The days a report can start or end on. Far wider than any workshop, and far enough from date.min and date.max
# that the day after the end and the start of a day in any time zone still exist.
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2999, 12, 31)


@dataclass(frozen=True)
class ReportFilters:
    """Empty strings and None mean 'not filtered'. Dates are the days people joined, both ends included."""

    date_from: date | None = None
    date_to: date | None = None
    scenario: str = ""  # a scenario slug (every version of it)
    theme: str = ""  # matches a scenario that carries the theme anywhere in its list
    facilitator: str = ""  # the username of the workshop's owner
    workshop: str = ""  # a workshop's public id

    @property
    def is_empty(self) -> bool:
        return self == ReportFilters()

    def as_query(self) -> dict[str, str]:
        """The filters as the strings the form and the API take (for links that keep them)."""
        return {name: value.isoformat() if isinstance(value, date) else value
                for name, value in asdict(self).items() if value}


def _scenarios(organization: Organization):
    """The library and the organization's own scenarios (named explicitly as well as by the scope)."""
    return Scenario.objects.filter(Q(organization=organization) | Q(organization__isnull=True))


def report_filter_choices(*, organization: Organization) -> dict[str, list[tuple[str, str]]]:
    """What the form offers: the scenarios, themes, facilitators and workshops this organization has."""
    language = get_language()
    scenario_choices, themes = [], set()
    for scenario in _scenarios(organization).filter(is_current=True):
        # Each scenario by its title in the reader's language; its themes in every language it is written in.
        scenario_choices.append((scenario.slug, scenario.localized(language).title))
        themes.update(t for t in scenario.themes or [] if isinstance(t, str))
    scenario_choices.sort(key=lambda choice: choice[1])
    owners = (get_user_model().objects
              .filter(pk__in=Workshop.objects.filter(organization=organization).exclude(owner=None).values("owner_id"))
              .order_by("username").values_list("username", flat=True))
    workshops = (Workshop.objects.filter(organization=organization).exclude(state=Workshop.State.DRAFT)
                 .order_by("-created").values_list("public_id", "title")[:500])
    return {
        "scenario": scenario_choices,
        "theme": sorted(((t, theme_label(t)) for t in themes), key=lambda choice: choice[1]),
        "facilitator": [(u, u) for u in owners],
        "workshop": list(workshops),
    }


def report_filters_parse(*, data: Mapping[str, str], organization: Organization
                         ) -> tuple[ReportFilters, dict[str, str]]:
    """Read and check filters. Returns the filters (with every invalid field left out) and the errors by field
    name. Callers should show the errors instead of a report when there are any."""
    raw = {name: str(data.get(name) or "").strip() for name in FIELDS}
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    for name, text in raw.items():
        if len(text) > MAX_TEXT:
            errors[name] = _("This value is too long.")
            raw[name] = ""
    for name in ("date_from", "date_to"):
        if raw[name]:
            try:
                day = date.fromisoformat(raw[name])
            except ValueError:
                errors[name] = _("Enter a date as YYYY-MM-DD, for example 2026-03-31.")
                continue
            if EARLIEST_DAY <= day <= LATEST_DAY:
                values[name] = day
            else:
                errors[name] = _("Enter a date between %(earliest)s and %(latest)s.") % {
                    "earliest": EARLIEST_DAY.isoformat(), "latest": LATEST_DAY.isoformat()}
    if values.get("date_from") and values.get("date_to") and values["date_from"] > values["date_to"]:
        errors["date_to"] = _("The end date is before the start date.")
        values.pop("date_to")
    if raw["scenario"]:
        if _scenarios(organization).filter(slug=raw["scenario"]).exists():
            values["scenario"] = raw["scenario"]
        else:
            errors["scenario"] = _("There is no scenario with this name in your organization's library.")
    if raw["theme"]:
        themes = _scenarios(organization).values_list("themes", flat=True)
        known = any(raw["theme"] in (listed or []) for listed in themes)
        if known:
            values["theme"] = raw["theme"]
        else:
            errors["theme"] = _("No scenario in your library has this theme.")
    if raw["facilitator"]:
        user = get_user_model().objects.filter(username=raw["facilitator"]).first()
        if user is not None and Membership.objects.filter(organization=organization, user=user).exists():
            values["facilitator"] = raw["facilitator"]
        else:
            errors["facilitator"] = _("No member of your organization has this user name.")
    if raw["workshop"]:
        if Workshop.objects.filter(organization=organization, public_id=raw["workshop"]).exists():
            values["workshop"] = raw["workshop"]
        else:
            errors["workshop"] = _("There is no such workshop in your organization.")
    return ReportFilters(**values), errors
