"""A small per-organization cache of built reports, keyed on the filters, k and a data version.

The data version is read from the database on every request (a few index lookups), so an exact cached report
is never older than the last answer, analogy, join or deletion: any of them changes the key. The cache is the
site's (Redis when configured); when it is unreachable the report is simply computed.

A large organization's unfiltered report takes seconds to compute (docs/benchmarks.md), and while a
workshop is running every answer changes the data version. So the report page and the API may take the
last build for the same filters, if it is younger than REPORT_STALE_SECONDS: they get it at once, marked
`stale` with the time it was computed, and a worker computes the new one (one at a time per filter set).
Downloads never take a stale build. The background refresh needs a cache the worker shares with the web
processes (Redis); with the in-process cache of the embedded set-up every report is computed exactly.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from workshop.participants.models import Analogy, Participant, Response
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
    # The organization's creation time too: a database restored or rebuilt with the same ids (a test run)
    # must not read another organization's builds or locks.
    digest = hashlib.sha256(repr((SCHEMA, organization.created.isoformat(), organization.anonymity_k,
                                  sorted(filters.as_query().items()), version)).encode()).hexdigest()
    return f"report:{organization.id}:{digest}"


def _latest_key(organization: Organization, filters: ReportFilters) -> str:
    return _key(organization, filters, "latest")


def _shared_cache() -> bool:
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def cached_report(*, organization: Organization, filters: ReportFilters, build: Callable,
                  allow_stale: bool = False):
    """The cached report for these filters and this data, or ``build()`` (then stored). With ``allow_stale``,
    a recent build for older data is returned instead (marked stale) while a worker computes the new one."""
    key = _key(organization, filters, data_version(organization=organization))
    try:
        report = cache.get(key)
        latest = cache.get(_latest_key(organization, filters)) if report is None and allow_stale else None
    except Exception:  # an unreachable cache must not cost the page
        log.warning("report cache unreachable", exc_info=True)
        return build()
    if report is not None:
        return report
    if latest is not None and _shared_cache() and _young(latest) and _refresh_later(organization, filters):
        return dataclasses.replace(latest, stale=True)
    report = build()
    report.cache_key = key
    try:
        cache.set_many({key: report, _latest_key(organization, filters): report}, TIMEOUT)
    except Exception:
        log.warning("report cache unreachable", exc_info=True)
    return report


def _young(report) -> bool:
    return (timezone.now() - report.generated).total_seconds() <= settings.REPORT_STALE_SECONDS


def _refresh_later(organization: Organization, filters: ReportFilters) -> bool:
    """Queue one background build for these filters (a lock in the cache keeps it to one at a time). False
    when it cannot be queued: the caller then computes the report itself rather than serve old figures
    that nothing will refresh."""
    from workshop.reports.tasks import report_refresh

    lock = _latest_key(organization, filters) + ":refreshing"
    if not cache.add(lock, 1, settings.REPORT_STALE_SECONDS):
        return True  # a worker is already on it
    try:
        report_refresh.delay(organization_id=organization.id, filters=filters.as_query())
    except Exception:  # the broker is down: no one would refresh it
        log.warning("report refresh could not be queued", exc_info=True)
        cache.delete(lock)
        return False
    return True


def refresh_done(*, organization: Organization, filters: ReportFilters) -> None:
    cache.delete(_latest_key(organization, filters) + ":refreshing")
