"""Server-side cost of each request, for the load benchmarks only (never in the product's settings).

The response carries ``X-Bench-CPU-us``: the CPU time the request's thread spent inside Django, middleware
included (``time.thread_time``, so the other threads of a gthread worker are not counted). gunicorn's access
log writes it beside the request's wall time (see ``ACCESS_LOG_FORMAT``), so the client's figures can be set
against what the server saw.
"""

import time

HEADER = "X-Bench-CPU-us"
# gunicorn access_log_format: path, status, wall time inside gunicorn (microseconds), CPU time inside Django.
ACCESS_LOG_FORMAT = '%(U)s %(s)s %(D)s %({x-bench-cpu-us}o)s'


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.thread_time()
        response = self.get_response(request)
        response[HEADER] = str(int((time.thread_time() - started) * 1_000_000))
        return response
