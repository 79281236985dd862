"""Report exports with their audit events: every file that leaves the system is recorded, with its filters."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext

from workshop.debrief.render import render_pdf
from workshop.reports import charts, exports
from workshop.reports.filters import ReportFilters
from workshop.reports.labels import report_labels
from workshop.reports.report import Report
from workshop.tenancy.audit import AuditAction
from workshop.tenancy.models import Organization
from workshop.tenancy.services import audit_record


def _audit(*, organization: Organization, actor: AbstractBaseUser | None, kind: str, filters: ReportFilters,
           **detail) -> None:
    audit_record(organization_id=organization.id, actor=actor, action=AuditAction.REPORT_EXPORT,
                 detail={"format": kind, "filters": filters.as_query(), **detail})


def report_export_csv(*, organization: Organization, report: Report, actor: AbstractBaseUser | None) -> str:
    _audit(organization=organization, actor=actor, kind="aggregates.csv", filters=report.filters)
    return exports.aggregates_csv(report)


def report_export_json(*, organization: Organization, report: Report, actor: AbstractBaseUser | None) -> str:
    _audit(organization=organization, actor=actor, kind="aggregates.json", filters=report.filters)
    return exports.aggregates_json(report)


def report_export_people(*, organization: Organization, filters: ReportFilters,
                         actor: AbstractBaseUser | None) -> Iterator[str]:
    """The anonymized participant-level CSV, streamed. The audit event records how many people had their
    workshop or month generalized, and how many were left out, to keep every group at k or more."""
    export = exports.people_export(organization=organization, filters=filters)
    _audit(organization=organization, actor=actor, kind="participants.csv", filters=filters, **export.summary)
    return exports.people_csv_chunks(export)


def report_export_pdf(*, organization: Organization, report: Report, actor: AbstractBaseUser | None,
                      language: str = "en") -> bytes:
    labels = report_labels()
    pdf = render_pdf("pdf/report.html", {
        "organization": organization, "report": report, "charts": charts.report_charts(report, labels),
        "labels": labels, "generated": timezone.now(), "language": language,
        "resonance_tables": [
            (gettext("By what the analogy drew on"), report.resonance_by_source, labels["source"]),
            (gettext("By the scenario's main theme"), report.resonance_by_theme, labels["theme"]),
            (gettext("By life domain"), report.resonance_by_family, labels["family"]),
        ],
    })
    _audit(organization=organization, actor=actor, kind="report.pdf", filters=report.filters)
    return pdf


def report_filename(*, organization: Organization, extension: str, kind: str = "report") -> str:
    return f"{organization.slug}-{kind}-{timezone.now():%Y-%m-%d}.{extension}"
