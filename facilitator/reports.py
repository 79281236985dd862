"""Organization reports for admins and analysts: the page with its filter form, and the downloads.

Facilitators and other organizations get 'not found', as everywhere in the console. Bad filters are shown
next to their fields; no figure is computed from a filter we could not read.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from workshop.reports import charts
from workshop.reports.activities import activities_page_context
from workshop.reports.filters import ReportFilters, report_filter_choices, report_filters_parse
from workshop.reports.labels import CONDITION, EFFECT, report_labels
from workshop.reports.selectors import report_build
from workshop.reports.services import (
    report_export_csv,
    report_export_json,
    report_export_pdf,
    report_export_people,
    report_filename,
)
from workshop.reports.stats import effect_words
from workshop.tenancy.access import REPORT_ROLES, member_required
from workshop.tenancy.models import Organization


def _bad_filters(request: HttpRequest, errors: dict[str, str]) -> HttpResponse:
    organization = request.membership.organization
    return render(request, "facilitator/reports.html", {
        "errors": errors, "data": request.GET, "choices": report_filter_choices(organization=organization),
        "report": None,
    }, status=400)


def report_view(view):
    """Admins and analysts only; the filters read and checked first. A bad filter shows the form with its
    message (400) and the view never runs; otherwise it gets (request, organization, filters)."""

    @member_required(*REPORT_ROLES)
    @wraps(view)
    def wrapper(request: HttpRequest) -> HttpResponse:
        organization = request.membership.organization
        filters, errors = report_filters_parse(data=request.GET, organization=organization)
        if errors:
            return _bad_filters(request, errors)
        return view(request, organization, filters)

    return wrapper


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@report_view
def report_page(request: HttpRequest, organization: Organization, filters: ReportFilters) -> HttpResponse:
    report = report_build(organization=organization, filters=filters, allow_stale=True)
    labels = report_labels()
    sources = charts.report_chart_sources(report, labels, language=get_language() or "")
    return render(request, "facilitator/reports.html", {
        "report": report, "filters": filters, "data": request.GET, "errors": {},
        "choices": report_filter_choices(organization=organization), "labels": labels,
        "charts": sources, "query": urlencode(filters.as_query()),
        "resonance_tables": [
            (_("By what the analogy drew on"), report.resonance_by_source, sources.get("resonance_source"),
             labels["source"]),
            (_("By the scenario's main theme"), report.resonance_by_theme, sources.get("resonance_theme"),
             labels["theme"]),
            (_("By life domain"), report.resonance_by_family, sources.get("resonance_family"), labels["family"]),
        ],
        "condition_labels": CONDITION,
        "effect_f1_words": EFFECT.get(effect_words(report.effect_f1), ""),
        "effect_understanding_words": EFFECT.get(effect_words(report.effect_understanding), ""),
        **activities_page_context(organization=organization, filters=filters),
    })


@report_view
def report_csv(request: HttpRequest, organization: Organization, filters: ReportFilters) -> HttpResponse:
    report = report_build(organization=organization, filters=filters)
    body = report_export_csv(organization=organization, report=report, actor=request.user)
    return _attachment(HttpResponse(body, content_type="text/csv; charset=utf-8"),
                       report_filename(organization=organization, extension="csv", kind="report"))


@report_view
def report_json(request: HttpRequest, organization: Organization, filters: ReportFilters) -> HttpResponse:
    report = report_build(organization=organization, filters=filters)
    body = report_export_json(organization=organization, report=report, actor=request.user)
    return _attachment(HttpResponse(body, content_type="application/json; charset=utf-8"),
                       report_filename(organization=organization, extension="json", kind="report"))


@report_view
def report_people(request: HttpRequest, organization: Organization, filters: ReportFilters) -> HttpResponse:
    # Written whole rather than streamed: 200,000 answers are about 20 MB, and a complete response lets a
    # failure show as an error instead of a truncated file.
    body = "".join(report_export_people(organization=organization, filters=filters, actor=request.user))
    return _attachment(HttpResponse(body, content_type="text/csv; charset=utf-8"),
                       report_filename(organization=organization, extension="csv", kind="participants"))


@report_view
def report_pdf(request: HttpRequest, organization: Organization, filters: ReportFilters) -> HttpResponse:
    report = report_build(organization=organization, filters=filters)
    pdf = report_export_pdf(organization=organization, report=report, actor=request.user,
                            language=get_language() or "en")
    return _attachment(HttpResponse(pdf, content_type="application/pdf"),
                       report_filename(organization=organization, extension="pdf", kind="report"))
