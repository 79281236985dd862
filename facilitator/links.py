"""The addresses the room is given: the join link, the short code's page. A facilitator who runs the site on
their own machine browses it as 127.0.0.1, which no phone can reach; then the links use SITE_URL (which
`make demo` sets to the machine's address on the local network)."""
from ipaddress import ip_address
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from workshop.workshops.models import Workshop


def _loopback(host: str | None) -> bool:
    if not host:
        return True
    if host.lower() == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def public_url(request: HttpRequest, path: str) -> str:
    """``path`` as phones in the room reach it."""
    if _loopback(urlsplit("//" + request.get_host()).hostname) and not _loopback(urlsplit(settings.SITE_URL).hostname):
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


def join_url(request: HttpRequest, workshop: Workshop) -> str:
    return public_url(request, reverse("participants:join", args=[workshop.join_token]))


def short_url(request: HttpRequest) -> str:
    """The short code's page without its scheme, as the projector prints it ("team.example.org/go")."""
    url = public_url(request, reverse("participants:go"))
    return url.split("://", 1)[-1]
