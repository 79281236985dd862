"""The participant's language: chosen on the page (?lang=), remembered on the participant (or in a cookie
before they join), else the workshop's. Facilitator pages keep the site language."""

from django.conf import settings
from django.utils import translation

from participants.models import Participant

LANGUAGE_COOKIE = "ewt_lang"
SUPPORTED = {code for code, _ in settings.LANGUAGES}


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
        language = (chosen or (participant.language if participant else "") or request.COOKIES.get(LANGUAGE_COOKIE)
                    or workshop.language)
        language = language if language in SUPPORTED else settings.LANGUAGE_CODE
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        if chosen:
            response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=60 * 60 * 24 * 365, samesite="Lax", httponly=True)
        response.headers.setdefault("Content-Language", language)
        return response
