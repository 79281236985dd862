"""gunicorn settings for production, read from the environment so one file serves every machine.

    gunicorn workshop.wsgi -c deploy/gunicorn.conf.py

Threads let one process overlap the waits on PostgreSQL and Redis; processes use the cores. Each thread
keeps its own PostgreSQL connection (CONN_MAX_AGE), so a web machine holds up to workers x threads of them.
"""

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
# process is gone for ~4 s while the next one imports Django, and it drops its idle keep-alive connections
# (at 5,000 the load runs recycled each process every ~90 s of a join burst, with dropped POSTs).
max_requests = 50000
max_requests_jitter = 5000
# Behind a reverse proxy on the same host only its address may set X-Forwarded-* (see docs/deploy.md).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
# A participant's resume link (/r/<token>/) is a secret: the access log shows it as /r/-/, and drops query
# strings on participant routes (/j/, /r/, /p/) and any Cookie or Authorization header a format might name.
logger_class = "workshop.logs.RedactingGunicornLogger"
