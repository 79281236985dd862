"""The participant's language. In order: a choice made on the page (?lang=, remembered on the participant, or
in a cookie before they join), the language they joined in, the browser's language (Accept-Language) when it
is one the workshop offers, else the workshop's language. An explicit choice always wins over the browser.
Facilitator pages keep the site language (Django's LocaleMiddleware)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from workshop.participants.models import Participant

LANGUAGE_COOKIE = "ewt_lang"
SUPPORTED = {code for code, _ in settings.LANGUAGES}


def browser_language(request: HttpRequest) -> str | None:
    """The first language the browser asks for that the workshop offers ("ko-KR" -> "ko"); None when it asks
    for none of them."""
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")[:500]):
        if code == "*":
            return None
        try:
            found = translation.get_supported_language_variant(code)
        except LookupError:
            continue
        if found in SUPPORTED:
            return found
    return None


class ParticipantLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        participant = getattr(request, "participant", None)
        workshop = getattr(request, "join_workshop", None) or (participant.workshop if participant else None)
        if workshop is None:
            return self.get_response(request)
        chosen = request.GET.get("lang")
        chosen = chosen if chosen in SUPPORTED else None
        if chosen and participant and participant.language != chosen:
            Participant.objects.filter(pk=participant.pk).update(language=chosen)
            participant.language = chosen
        remembered = request.COOKIES.get(LANGUAGE_COOKIE)
        language = (chosen or (participant.language if participant else "")
                    or (remembered if remembered in SUPPORTED else None)
                    or browser_language(request) or workshop.language)
        language = language if language in SUPPORTED else settings.LANGUAGE_CODE
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        if chosen:
            response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=60 * 60 * 24 * 365, samesite="Lax", httponly=True)
        response.headers.setdefault("Content-Language", language)
        return response
