"""The database connection drops in the middle of a request or a task (a restart, a failover, a killed backend).

The victim is found exactly: it is the backend waiting on a row lock this test holds, and it is ended with
pg_terminate_backend from the test's own connection. Only PostgreSQL has backends to end.
"""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.conf import settings
from django.db import connection, transaction

from tests import factories
from tests.conftest import _database_url, wait_for
from workshop.participants.models import Analogy, Participant
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop

from .conftest import all_done, analogies_in, free_port

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the test ends the request's database backend with pg_terminate_backend")


def end_the_backend_waiting_on_my_lock() -> int:
    """Wait for a backend blocked by this connection's lock, terminate it, return its pid."""
    def blocked() -> int | None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))")
            row = cursor.fetchone()
        return row[0] if row else None

    pid = wait_for(blocked, timeout=30, interval=0.05, what="a backend waiting on the test's lock")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    return pid


@pytest.fixture
def web_server(tmp_path):
    """The site under gunicorn (one sync worker, persistent database connections) with production settings."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": _database_url(connection.settings_dict),
           "DJANGO_SETTINGS_MODULE": "workshop.settings", "DEBUG": "0", "SECRET_KEY": "faults-" + "x" * 50,
           "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0"}
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "workshop.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--timeout", "60"], cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn died at start:\n{log_path.read_text()[-3000:]}")
        try:
            return httpx.get(f"{base_url}/healthz", timeout=2).status_code in (200, 503)
        except httpx.HTTPError:
            return False

    wait_for(answers, timeout=60, what="gunicorn")
    yield base_url
    proc.terminate()
    proc.wait(timeout=20)


def test_a_request_whose_connection_drops_gets_a_clean_error_page_and_the_next_one_works(web_server, org_a):
    workshop = factories.open_workshop(org_a, scenarios=1)
    phone = httpx.Client(base_url=web_server, timeout=30)
    join_url = f"/j/{workshop.join_token}/"
    assert phone.get(join_url).status_code == 200
    form = {"pseudonym": "Noor", "consent": "on", "csrfmiddlewaretoken": phone.cookies["csrftoken"]}

    # Joining locks the workshop row; while the request waits on the lock this test holds, its backend is ended.
    with unscoped(), transaction.atomic():
        Workshop.objects.select_for_update().get(pk=workshop.pk)
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(phone.post, join_url, data=form)
            end_the_backend_waiting_on_my_lock()
            failed = pending.result(timeout=30)

    page = failed.text
    assert failed.status_code == 500 and failed.headers["content-type"].startswith("text/html")
    assert "Something went wrong on our side" in page and "Empathy workshops" in page
    assert "Nothing you saved before was lost" in page
    for leak in ("Traceback", "OperationalError", "terminating connection", "psycopg", str(settings.BASE_DIR)):
        assert leak not in page
    with unscoped():
        assert not Participant.objects.filter(workshop=workshop).exists()

    again = phone.post(join_url, data=form)
    assert again.status_code == 302 and again.headers["location"].startswith("/p/")  # on to their first page
    with unscoped():
        assert list(Participant.objects.filter(workshop=workshop).values_list("pseudonym", flat=True)) == ["Noor"]
    assert phone.get("/healthz").json()["database"]["ok"] is True


@pytest.mark.worker
def test_a_task_whose_connection_drops_is_retried_and_succeeds(start_worker, llm_workshop, llm_server):
    llm_server.hold("analogy")
    worker = start_worker("db")
    participant, _ = factories.joined_participant(llm_workshop, "Omar", domains=["sailing"])
    [analogy] = analogies_in(llm_workshop)
    wait_for(lambda: len(llm_server.chat_requests("analogy")) == 1, what="the worker to be mid-generation")

    # The worker saves the analogy with one UPDATE of its row: hold the row, let the LLM answer, end the backend
    # that waits to write.
    with unscoped(), transaction.atomic():
        Analogy.objects.select_for_update().get(pk=analogy.pk)
        llm_server.release()
        end_the_backend_waiting_on_my_lock()

    [done] = wait_for(lambda: all_done(llm_workshop, 1), what="the retried task")
    assert done.id == analogy.id and done.version == 1 and len(analogies_in(llm_workshop)) == 1
    assert done.engine == "openai" and done.fallback_reason == ""
    assert done.attempts == 2, "the retry took back its own claim and wrote the analogy"
    assert len(llm_server.chat_requests("analogy")) == 2
    assert "OperationalError" in worker.log() and "retry" in worker.log().lower()
    assert participant.pseudonym == "Omar"
