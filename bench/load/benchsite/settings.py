"""Production settings (workshop.settings, from the environment as usual), with the bench URLconf and the
server-side timing middleware outermost, so it counts every other middleware."""

from workshop.settings import *  # noqa: F403
from workshop.settings import MIDDLEWARE

ROOT_URLCONF = "benchsite.urls"
MIDDLEWARE = ["benchsite.timing.ServerTimingMiddleware", *MIDDLEWARE]
