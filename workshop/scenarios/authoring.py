"""Writing organization scenarios in the facilitator console: save the next version, duplicate, browse."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from workshop.scenarios.models import Scenario
from workshop.scenarios.services import ScenarioContent, _save_version, scenario_content_parse
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


def scenario_save(*, organization: Organization, content: ScenarioContent) -> tuple[Scenario, bool]:
    """Store content (every language) as the organization's next version of its slug. (scenario, False) when
    nothing changed.

    Earlier versions are never touched: a workshop that used one keeps the text it showed.
    """
    with transaction.atomic():
        return _save_version(organization=organization, content=content)


def scenario_duplicate(*, organization: Organization, scenario: Scenario) -> Scenario:
    """An editable copy in the organization (of a built-in or of its own scenario), with every language,
    under a new slug."""
    data = scenario.to_file_dict()
    data["slug"] = scenario_slug_free(organization=organization, base=f"{scenario.slug}-copy")
    for code in scenario.languages:
        texts = data if code == scenario.language else data[code]
        if texts.get("title"):
            with translation.override(code):
                texts["title"] = _("%(title)s (copy)") % {"title": texts["title"]}
            texts["title"] = texts["title"][:200]
    with transaction.atomic():
        return _save_version(organization=organization, content=scenario_content_parse(data))[0]


def scenario_themes_all(scenario: Scenario) -> list[str]:
    """A scenario's theme words in every language it is written in."""
    translated = [t for fields in (scenario.translations or {}).values() for t in fields.get("themes") or []]
    return [*(scenario.themes or []), *translated]


def scenario_themes_used(*, language: str | None = None) -> list[str]:
    """Every theme the current scenarios the organization in scope can use carry, once each: as they read in
    ``language`` (a scenario not translated into it gives its own), or in every language when None."""
    listed = Scenario.objects.filter(is_current=True).only("themes", "translations", "language")
    words = (t for s in listed for t in (scenario_themes_all(s) if language is None else s.localized(language).themes))
    return list(dict.fromkeys(t for t in words if isinstance(t, str)))


def scenarios_browse(*, theme: str = "", emotion: str = "") -> list[Scenario]:
    """The current version of every scenario the organization in scope can use, built-ins first. ``theme`` is
    any theme word (a known theme's id or label, or a free one, in any of the scenario's languages); it
    matches in any case.

    Filtered in Python: the library is small (tens of rows) and JSON list lookups differ between databases.
    """
    scenarios = Scenario.objects.filter(is_current=True).order_by(F("organization_id").asc(nulls_first=True), "title")
    return [
        s for s in scenarios
        if (not theme or themes_match(scenario_themes_all(s), theme))
        and (not emotion or any(e["label"] == emotion for e in s.emotions))
    ]
