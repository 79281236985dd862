"""A small per-organization cache of built reports, keyed on the filters, k and a data version.

The data version is read from the database on every request (three index lookups), so a cached report is
never older than the last answer, analogy, join or deletion: any of them changes the key. The cache is the
site's (Redis when configured); when it is unreachable the report is simply computed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Count, Max

from participants.models import Analogy, Participant, Response
from workshop.reports.filters import ReportFilters
from workshop.tenancy.models import Organization
from workshop.workshops.models import Workshop

log = logging.getLogger(__name__)

TIMEOUT = 3600
SCHEMA = "r2"  # bump when the Report's shape changes, so old pickles are never read back


def data_version(*, organization: Organization) -> str:
    """Changes whenever anything a report counts changes. Each part is one lookup in an index of the
    reports migration: the latest answer saved (answers are only ever removed with their person's data,
    which stamps deleted_at), the latest analogy change (a profile completed creates analogies), the latest
    join and deletion, and the workshops (a deleted workshop takes its people with it)."""
    people = Participant.objects.filter(organization=organization).order_by().aggregate(
        joined=Max("created"), deleted=Max("deleted_at"))
    answers = Response.objects.filter(organization=organization).order_by().aggregate(last=Max("updated"))
    analogies = Analogy.objects.filter(organization=organization).order_by().aggregate(last=Max("updated"))
    workshops = Workshop.objects.filter(organization=organization).order_by().aggregate(
        n=Count("id"), last=Max("created"))
    return "|".join(str(v) for v in (*people.values(), *answers.values(), *analogies.values(), *workshops.values()))


def _key(organization: Organization, filters: ReportFilters, version: str) -> str:
    digest = hashlib.sha256(repr((SCHEMA, organization.anonymity_k, sorted(filters.as_query().items()),
                                  version)).encode()).hexdigest()
    return f"report:{organization.id}:{digest}"


def cached_report(*, organization: Organization, filters: ReportFilters, build: Callable):
    """The cached report for these filters and this data, or ``build()`` (then stored)."""
    key = _key(organization, filters, data_version(organization=organization))
    try:
        report = cache.get(key)
    except Exception:  # an unreachable cache must not cost the page
        log.warning("report cache unreachable", exc_info=True)
        return build()
    if report is not None:
        return report
    report = build()
    report.cache_key = key
    try:
        cache.set(key, report, TIMEOUT)
    except Exception:
        log.warning("report cache unreachable", exc_info=True)
    return report
