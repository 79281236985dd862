"""The phone's side of the facilitator's "How is this landing?" check-in: a one-tap card on every page while the
poll is open (workshop/templatetags/checkin_tags.py draws it), the tap itself, and the card alone for the
page's script to fetch, so it appears without a reload when the facilitator opens the poll."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from workshop.learning.checkin import CheckinClosed, checkin_answer, checkin_card
from workshop.participants.selectors import participant_or_404

FETCHED = "X-Checkin-Fetch"  # the header static/js/checkin.js sends: answer with the card, not a redirect


def checkin(request: HttpRequest) -> HttpResponse:
    participant = participant_or_404(request)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = ""
    answered = None
    if request.method == "POST":
        try:
            value = int(request.POST.get("value", ""))
            checkin_answer(participant=participant, value=value)
            answered = True
        except CheckinClosed:
            answered = False
        except ValueError:
            return HttpResponseBadRequest("A check-in is a number from 1 to 5.")
        if FETCHED not in request.headers:
            return redirect(next_url or "participants:home")
    context = {**checkin_card(participant=participant, answered=answered), "checkin_next": next_url,
               "participant": participant}
    response = render(request, "participants/_checkin.html", context)
    response["Cache-Control"] = "no-store"
    return response
