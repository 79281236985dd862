"""Content-Security-Policy header (Django 5.2 has none built in).

Every page of the site gets the strict policy: scripts, styles, images and requests from our own origin
only, no inline script or style attribute, never framed. The paths in CONTENT_SECURITY_POLICY_EXEMPT
(the API's browsable pages and schema viewer, which carry their own inline code) get the relaxed policy,
which still forbids framing.
"""

from django.conf import settings
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
