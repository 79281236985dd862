"""gunicorn settings for production, read from the environment so one file serves every machine.

    gunicorn workshop.wsgi -c deploy/gunicorn.conf.py

Threads let one process overlap the waits on PostgreSQL and Redis; processes use the cores. Each thread
keeps its own PostgreSQL connection (CONN_MAX_AGE), so a web machine holds up to workers x threads of them.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request that takes this long is stuck: the worker is replaced. Generation and PDFs never run in a request.
timeout = 30
graceful_timeout = 30
# Idle keep-alive connections are closed after this many seconds. The proxy in front must give up its idle
# upstream connections sooner (nginx: keepalive_timeout in the upstream block), or it can send a request on a
# connection gunicorn is closing and answer 502 (a POST is not retried).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then (staggered) so slow leaks cannot grow without bound. Not often: a recycled
# process is gone for a few seconds while the next one imports Django, and it drops its idle keep-alive
# connections. A full room sends each of two workers ~330 requests/s, so 50,000 recycled every 1-3 minutes
# (issue 15); 500,000 is about half an hour at that rate, and days on an ordinary day. The application is not
# preloaded in the master, so `systemctl reload` (HUP) still loads new code.
max_requests = 500_000
max_requests_jitter = 50_000
# Behind a reverse proxy on the same host only its address may set X-Forwarded-* (see docs/deploy.md).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
# A participant's resume link (/r/<token>/) is a secret: the access log shows it as /r/-/, and drops query
# strings on participant routes (/j/, /r/, /p/) and any Cookie or Authorization header a format might name.
logger_class = "workshop.logs.RedactingGunicornLogger"


# The garbage collector: what is imported lives as long as the process, and full collections that walk it
# again and again cost a fifth to a quarter of a monitor refresh (issue 15's profile). gc.freeze() moves every
# object alive now out of the collector's sight: in each worker once the application is imported, and again
# after its first requests (compiled templates, URL resolvers, translation catalogues, connections).
WARM_UP_REQUESTS = 200
_warm = False


def post_worker_init(worker) -> None:
    gc.collect()
    gc.freeze()


def post_request(worker, req, environ, resp) -> None:
    global _warm
    if not _warm and worker.nr >= WARM_UP_REQUESTS:
        _warm = True
        gc.collect()
        gc.freeze()
