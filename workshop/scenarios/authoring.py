"""Writing organization scenarios in the facilitator console: save the next version, duplicate, browse."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from workshop.engine import ScenarioSpec
from workshop.scenarios.models import Scenario
from workshop.scenarios.services import _save_version
from workshop.scenarios.themes import themes_match
from workshop.tenancy.models import Organization

SLUG_MAX = 80


def scenario_slug_free(*, organization: Organization, base: str) -> str:
    """``base`` itself when no version of this organization's scenarios uses it, else base-2, base-3..."""
    base = (slugify(base) or "scenario")[:SLUG_MAX - 4].strip("-") or "scenario"
    taken = set(Scenario.objects.filter(organization=organization, slug__startswith=base)
                .values_list("slug", flat=True))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def scenario_save(*, organization: Organization, spec: ScenarioSpec) -> tuple[Scenario, bool]:
    """Store spec as the organization's next version of its slug. (scenario, False) when nothing changed.

    Earlier versions are never touched: a workshop that used one keeps the text it showed.
    """
    with transaction.atomic():
        return _save_version(organization=organization, spec=spec)


def scenario_duplicate(*, organization: Organization, scenario: Scenario) -> Scenario:
    """An editable copy in the organization (of a built-in or of its own scenario), under a new slug."""
    data = scenario.to_spec_dict()
    data["slug"] = scenario_slug_free(organization=organization, base=f"{scenario.slug}-copy")
    data["title"] = f"{scenario.title} (copy)"[:200]
    with transaction.atomic():
        return _save_version(organization=organization, spec=ScenarioSpec.model_validate(data))[0]


def scenario_themes_used() -> list[str]:
    """Every theme the current scenarios the organization in scope can use carry, once each."""
    listed = Scenario.objects.filter(is_current=True).values_list("themes", flat=True)
    return list(dict.fromkeys(t for themes in listed for t in (themes or []) if isinstance(t, str)))


def scenarios_browse(*, theme: str = "", emotion: str = "") -> list[Scenario]:
    """The current version of every scenario the organization in scope can use, built-ins first. ``theme`` is
    any theme word (a known theme's id or label, or a free one); it matches in any case.

    Filtered in Python: the library is small (tens of rows) and JSON list lookups differ between databases.
    """
    scenarios = Scenario.objects.filter(is_current=True).order_by(F("organization_id").asc(nulls_first=True), "title")
    return [
        s for s in scenarios
        if (not theme or themes_match(s.themes, theme))
        and (not emotion or any(e["label"] == emotion for e in s.emotions))
    ]
