"""Background refresh of a report whose data changed (see cache.py)."""

from celery import shared_task

from workshop.reports.cache import refresh_done
from workshop.reports.filters import report_filters_parse
from workshop.reports.selectors import report_build
from workshop.tenancy.models import Organization
from workshop.tenancy.tasks import DB_CONNECTION_ERRORS, TenantTask


@shared_task(base=TenantTask, autoretry_for=DB_CONNECTION_ERRORS, retry_backoff=True, max_retries=3,
             soft_time_limit=120, time_limit=150)
def report_refresh(*, organization_id: int, filters: dict[str, str]) -> None:
    organization = Organization.objects.get(pk=organization_id)
    parsed, errors = report_filters_parse(data=filters, organization=organization)
    try:
        if not errors:  # a workshop or member removed since: the page will say so when asked again
            report_build(organization=organization, filters=parsed)
    finally:
        refresh_done(organization=organization, filters=parsed)
