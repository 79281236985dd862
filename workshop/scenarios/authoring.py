"""Writing organization scenarios (the console and the API): write one, save its next version, duplicate it,
browse. Each write checks its rules and records its audit row here, so both front ends answer alike."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from workshop.scenarios.models import Scenario
from workshop.scenarios.services import ScenarioContent, _save_version, scenario_content_parse
from workshop.scenarios.themes import themes_match
from workshop.tenancy.audit import AuditAction
from workshop.tenancy.models import Organization
from workshop.tenancy.services import audit_record

SLUG_MAX = 80


class ScenarioRefused(ValueError):
    """A scenario write the rules refuse. ``field`` is the input it is about ("" for the whole scenario);
    ``code`` says why: ``unique`` (the slug is taken) or ``read_only`` (a built-in scenario, or a slug that would
    change)."""

    def __init__(self, message: str, *, code: str, field: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.field = field


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


def _detail(scenario: Scenario, via: str) -> dict:
    return {"slug": scenario.slug, "version": scenario.version, **({"via": via} if via else {})}


def scenario_create(*, organization: Organization, content: ScenarioContent, actor, via: str = "") -> Scenario:
    """Version 1 of a new organization scenario. Refused when the organization already has the slug (any
    version of it): that one is edited instead. ``via`` names the front end when it is not the console."""
    with transaction.atomic():
        if Scenario.objects.filter(organization=organization, slug=content.slug).exists():
            raise ScenarioRefused(_("Your organization already has a scenario with this short name. Edit that one, "
                                    "or choose another name."), code="unique", field="slug")
        scenario, _created = _save_version(organization=organization, content=content)
        audit_record(organization_id=organization.id, actor=actor, action=AuditAction.SCENARIO_CREATE, obj=scenario,
                     detail=_detail(scenario, via))
    return scenario


def scenario_update(*, scenario: Scenario, content: ScenarioContent, actor, via: str = "") -> tuple[Scenario, bool]:
    """Store content (every language) as the next version of an organization scenario; (the current version,
    False) when nothing changed. A built-in scenario is read-only (its copy is edited), and a scenario keeps its
    slug. Earlier versions are never touched: a workshop that used one keeps the text it showed."""
    if scenario.is_builtin:
        raise ScenarioRefused(_("Built-in scenarios are read-only. Write your own from a copy."), code="read_only")
    if content.slug != scenario.slug:
        raise ScenarioRefused(_("A scenario keeps its slug; write a new scenario for a new slug."),
                              code="read_only", field="slug")
    with transaction.atomic():
        saved, created = _save_version(organization=scenario.organization, content=content)
        if created:
            audit_record(organization_id=saved.organization_id, actor=actor, action=AuditAction.SCENARIO_EDIT,
                         obj=saved, detail=_detail(saved, via))
    return saved, created


def scenario_duplicate(*, organization: Organization, scenario: Scenario, actor=None) -> Scenario:
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
        copy = _save_version(organization=organization, content=scenario_content_parse(data))[0]
        audit_record(organization_id=organization.id, actor=actor, action=AuditAction.SCENARIO_DUPLICATE, obj=copy,
                     detail={"from": scenario.slug, "from_version": scenario.version, "builtin": scenario.is_builtin,
                             "slug": copy.slug})
    return copy


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
