"""Content-Security-Policy header (Django 5.2 has none built in).

Every page of the site gets the strict policy: scripts, styles, images and requests from our own origin
only, no inline script or style attribute, never framed. The paths in CONTENT_SECURITY_POLICY_EXEMPT
(the API's browsable pages and schema viewer, which carry their own inline code) get the relaxed policy,
which still forbids framing.
"""

import base64

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:  # a view that sets its own policy keeps it
            response[HEADER] = policy_for(request.path_info)
        return response


def policy_for(path: str) -> str:
    if any(path.startswith(prefix) for prefix in settings.CONTENT_SECURITY_POLICY_EXEMPT):
        return settings.CONTENT_SECURITY_POLICY_RELAXED
    return settings.CONTENT_SECURITY_POLICY


def svg_data_uri(svg: str) -> str:
    """A server-made SVG chart as an image address. Inline in the page, its <style> element (pygal's colours
    and fonts) would be refused by style-src 'self'; as an image it is a document of its own."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


class NulInQuery(SuspiciousOperation):
    """A NUL character in a query string: PostgreSQL text cannot hold one, so a filter that reached the
    database with it would fail there. Django answers a SuspiciousOperation with a 400 page."""


class RejectNulQueryMiddleware:
    """Page filters (reports, audit log, library) get a 400 for a NUL in the query string instead of a 500.
    Form fields already refuse NUL (Django's CharField validator); the API answers in its own error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith("/api/") and any(
                "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            raise NulInQuery("NUL character in the query string")
        return self.get_response(request)
