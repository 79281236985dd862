"""The product's Celery app with two more tasks, for the time-limit test: `-A tests.faults.hang_app`.

`hang` has no deadline of its own: it waits in Python until its limits stop it, and writes down when each came.
`mark` writes that it ran: queued behind `hang` on a one-thread worker, it shows the thread was given back."""

import time
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded

from workshop.celery import app

SOFT_S, HARD_S = 2, 4


@app.task(name="tests.hang", soft_time_limit=SOFT_S, time_limit=HARD_S)
def hang(marker: str) -> None:
    path, started = Path(marker), time.monotonic()
    try:
        while True:
            time.sleep(0.05)
    except SoftTimeLimitExceeded:
        path.write_text(f"soft {time.monotonic() - started:.2f}\n")
    try:
        while True:  # it does not give up at the soft limit: only the hard one stops it
            time.sleep(0.05)
    except TimeLimitExceeded:
        with path.open("a") as out:
            out.write(f"hard {time.monotonic() - started:.2f}\n")
        raise


@app.task(name="tests.mark")
def mark(marker: str) -> None:
    Path(marker).write_text("ran\n")
