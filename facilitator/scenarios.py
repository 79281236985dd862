"""Scenario library: browse and filter, preview, write, edit (a new version), duplicate, import, export."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facilitator.forms import ScenarioForm, ScenarioImportForm
from workshop.engine import EMOTIONS
from workshop.scenarios.authoring import (
    ScenarioRefused,
    scenario_create,
    scenario_duplicate,
    scenario_themes_used,
    scenario_update,
    scenarios_browse,
)
from workshop.scenarios.languages import DEFAULT_LANGUAGE, LANGUAGE_CHOICES, SCENARIO_LANGUAGES, language_supported
from workshop.scenarios.models import Scenario
from workshop.scenarios.services import MAX_IMPORT_BYTES, ScenarioFileError, scenario_file_export, scenario_import
from workshop.scenarios.themes import theme_filter_choices, theme_labels, theme_normalize
from workshop.tenancy.access import STAFF_ROLES, member_required

LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)


@member_required(*STAFF_ROLES)
def scenario_library(request: HttpRequest) -> HttpResponse:
    form = ScenarioImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # One byte past the limit is enough to refuse it: a huge upload is never read into memory.
            imported = scenario_import(organization=request.membership.organization,
                                       raw=upload.read(MAX_IMPORT_BYTES + 1), filename=upload.name,
                                       actor=request.user)
        except ScenarioFileError as exc:
            form.add_error("file", _("Nothing was imported. %(problem)s") % {"problem": exc})
        else:
            messages.success(request, _("Imported %(n)d scenario(s).") % {"n": len(imported)})
            return redirect("facilitator:scenarios")
    language = get_language()
    themes = theme_filter_choices(scenario_themes_used(language=language))
    theme = theme_normalize(request.GET.get("theme", "")[:80])
    theme = theme if theme in {value for value, _label in themes} or theme in scenario_themes_used() else ""
    emotion = request.GET.get("emotion", "") if request.GET.get("emotion") in EMOTIONS else ""
    scenarios = scenarios_browse(theme=theme, emotion=emotion)
    rows = [{"scenario": s, "text": s.localized(language)} for s in scenarios]  # in the console's language
    for row in rows:
        row["theme_labels"] = theme_labels(row["text"].themes)
    return render(request, "facilitator/scenarios.html", {
        "scenarios": scenarios, "rows": rows, "form": form,
        "theme": theme, "emotion": emotion, "filtered": bool(theme or emotion),
        "themes": themes, "emotions": sorted(EMOTIONS),
    })


@member_required(*STAFF_ROLES)
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = get_object_or_404(Scenario, pk=pk)
    current = scenario if scenario.is_current else Scenario.objects.filter(
        organization_id=scenario.organization_id, slug=scenario.slug, is_current=True).first()
    versions = []
    for code in scenario.languages:
        text = scenario.localized(code)
        versions.append({"code": code, "name": LANGUAGE_NAMES[code], "text": text,
                         "theme_labels": theme_labels(text.themes)})
    return render(request, "facilitator/scenario_detail.html", {
        "scenario": scenario, "current": current, "versions": versions,
        "missing": [LANGUAGE_NAMES[code] for code in SCENARIO_LANGUAGES if code not in scenario.languages]})


def _form_context(form: ScenarioForm, scenario: Scenario | None) -> dict:
    return {"form": form, "scenario": scenario, "emotions": sorted(EMOTIONS)}


@member_required(*STAFF_ROLES)
def scenario_new(request: HttpRequest) -> HttpResponse:
    organization = request.membership.organization
    form = ScenarioForm(request.POST or None, organization=organization,
                        initial={"language": language_supported(get_language()) or DEFAULT_LANGUAGE})
    if request.method == "POST" and form.is_valid():
        try:
            scenario = scenario_create(organization=organization, content=form.content, actor=request.user)
        except ScenarioRefused as exc:
            form.add_error(exc.field or None, str(exc))
        else:
            messages.success(request, _("Scenario saved. It is ready to use in a workshop."))
            return redirect("facilitator:scenario", pk=scenario.pk)
    return render(request, "facilitator/scenario_form.html", _form_context(form, None))


@member_required(*STAFF_ROLES)
def scenario_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Editing saves the next version; the version a past workshop used stays as it was."""
    organization = request.membership.organization
    scenario = get_object_or_404(Scenario, pk=pk, organization_id=organization.id)
    form = ScenarioForm(request.POST or None, initial=ScenarioForm.initial_from(scenario),
                        organization=organization, fixed_slug=scenario.slug)
    if request.method == "POST" and form.is_valid():
        saved, created = scenario_update(scenario=scenario, content=form.content, actor=request.user)
        if created:
            messages.success(request, _("Saved as version %(v)d. Workshops that used an earlier version keep "
                                        "it.") % {"v": saved.version})
        else:
            messages.info(request, _("Nothing changed, so no new version was made."))
        return redirect("facilitator:scenario", pk=saved.pk)
    return render(request, "facilitator/scenario_form.html", _form_context(form, scenario))


@require_POST
@member_required(*STAFF_ROLES)
def scenario_copy(request: HttpRequest, pk: int) -> HttpResponse:
    organization = request.membership.organization
    original = get_object_or_404(Scenario, pk=pk)
    copy = scenario_duplicate(organization=organization, scenario=original, actor=request.user)
    messages.success(request, _("This is your organization's copy. Change what you need and save."))
    return redirect("facilitator:scenario_edit", pk=copy.pk)


@member_required(*STAFF_ROLES)
def scenario_export_view(request: HttpRequest) -> HttpResponse:
    fmt = "json" if request.GET.get("format") == "json" else "yaml"
    body = scenario_file_export(organization_id=request.membership.organization_id,
                                library=bool(request.GET.get("builtin")), fmt=fmt, actor=request.user)
    response = HttpResponse(body, content_type="application/json" if fmt == "json" else "application/yaml")
    response["Content-Disposition"] = f'attachment; filename="scenarios.{fmt}"'
    return response
