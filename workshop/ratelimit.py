"""Per-address and per-participant request limits, counted in Django's cache (Redis in production).

A limit is a count within a window that starts at the first counted request. The limiter fails open: when
the cache is down (Redis stopped), the request goes through and a warning is logged, because a workshop
that cannot be joined is worse than a workshop that can be joined too often for a few minutes.
"""

import hashlib
import ipaddress
import logging
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str:
    """The caller's address. Behind TRUSTED_PROXY_COUNT proxies, the address the outermost of them saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so with n trusted
    proxies the n-th entry from the right is the client; anything left of it may be forged by the client.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies and _is_address(forwarded[-proxies]):
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def rate_limit_hit(*, scope: str, key: str, limit: tuple[int, int]) -> bool:
    """Count one request for `key`; True while it stays within `limit` (count, window seconds)."""
    count_allowed, window = limit
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]  # no address or id in the cache's key space
    cache_key = f"ratelimit:{scope}:{digest}"
    try:
        cache = caches[settings.RATE_LIMIT_CACHE]
        cache.add(cache_key, 0, timeout=window)
        count = cache.incr(cache_key)
    except ValueError:  # the window expired between add and incr: this request opens a new one
        return True
    except Exception:  # noqa: BLE001 - any cache failure (Redis down, timeout) must not lock people out
        logger.warning("rate limit %s not enforced: the cache is unavailable", scope, exc_info=True)
        return True
    return count <= count_allowed


def rate_limited_response(request: HttpRequest, *, window: int) -> HttpResponse:
    response = render(request, "participants/rate_limited.html", {"minutes": max(1, round(window / 60))},
                      status=429)
    response["Retry-After"] = str(window)
    return response


def limit_posts(scope: str, key_of, setting: str):
    """Decorate a view so POSTs beyond the limit named by `setting` get the 429 page.

    `key_of(request, **kwargs)` names who is counted; None means "not counted" (the view refuses anyway).
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if request.method == "POST":
                key = key_of(request, **kwargs)
                limit = getattr(settings, setting)
                if key is not None and not rate_limit_hit(scope=scope, key=key, limit=limit):
                    logger.info("rate limit %s reached", scope)
                    return rate_limited_response(request, window=limit[1])
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
