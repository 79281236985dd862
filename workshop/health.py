"""/healthz: is the database reachable, is the broker reachable. 200 when both are, 503 otherwise."""

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from kombu import Connection


def _database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, connection.vendor
    except Exception as exc:  # any failure means 'not ok'; the name of the error helps the operator
        return False, type(exc).__name__


def _broker() -> tuple[bool, str]:
    url = settings.CELERY_BROKER_URL
    try:
        with Connection(url, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            return True, conn.transport.driver_type
    except Exception as exc:
        return False, type(exc).__name__


def healthz(request: HttpRequest) -> JsonResponse:
    db_ok, db_detail = _database()
    broker_ok, broker_detail = _broker()
    ok = db_ok and broker_ok
    return JsonResponse(
        {"status": "ok" if ok else "degraded",
         "database": {"ok": db_ok, "detail": db_detail},
         "broker": {"ok": broker_ok, "detail": broker_detail}},
        status=200 if ok else 503, headers={"Cache-Control": "no-store"},
    )
