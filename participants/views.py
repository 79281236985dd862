"""The participant's side: join, profile, scenarios with their analogy, their own packet."""

import io

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participants.flow import next_part_url, redirect_onward
from participants.forms import JoinForm
from participants.scenario_views import scenario_at as _scenario_at
from workshop.activities.flow import WAITING, place_of, room_facts, workshop_activities
from workshop.activities.kinds import ActivityKind
from workshop.activities.registry import activity_for
from workshop.debrief import services as debrief
from workshop.debrief.models import DebriefPacket
from workshop.debrief.services import packet_filename, packet_request_for_participant
from workshop.participants.answers import identification_f1, participant_delete_data
from workshop.participants.instruments import emotion_name
from workshop.participants.models import Participant
from workshop.participants.selectors import participant_analogies, participant_analogy_state, participant_or_404
from workshop.participants.services import JoinRefused, analogy_regenerate, analogy_retry, participant_join
from workshop.ratelimit import client_address, limit_posts
from workshop.tenancy.middleware import PARTICIPANT_COOKIE, participant_poll
from workshop.workshops.models import Workshop

COOKIE_MAX_AGE = 60 * 60 * 24 * 30


def _set_participant_cookie(response: HttpResponse, token: str) -> HttpResponse:
    response.set_cookie(PARTICIPANT_COOKIE, token, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax",
                        secure=settings.PARTICIPANT_COOKIE_SECURE)
    return response


def _first_page(participant: Participant) -> HttpResponse:
    """Where joining or resuming lands: the profile's next part, else the overview."""
    if participant.step == Participant.Step.PROFILE:
        return redirect(next_part_url(participant))
    return redirect("participants:home")


def _participant_key(request: HttpRequest, **_kwargs) -> str | None:
    return request.participant.public_id if request.participant is not None else None


@limit_posts("join", lambda request, **_kwargs: client_address(request), "JOIN_RATE_LIMIT")
def join(request: HttpRequest, join_token: str) -> HttpResponse:
    workshop = request.join_workshop
    if workshop is None:
        return render(request, "participants/join_refused.html",
                      {"reason": _("This join link is not valid. Check the link or scan the code again.")}, status=404)
    if request.participant is not None:  # same browser, same workshop: resume, never a second participant
        return redirect("participants:home")
    if workshop.state != Workshop.State.OPEN:
        reason = (_("This workshop has ended. Thank you for your interest.") if workshop.state == Workshop.State.CLOSED
                  else _("This workshop has not opened yet. Ask your facilitator."))
        return render(request, "participants/join_refused.html", {"reason": reason, "workshop": workshop}, status=410)
    if workshop.participants.count() >= workshop.capacity:  # say so before anyone types a name
        return render(request, "participants/join_refused.html", {"reason": _(
            "This workshop is full: every place is taken. Ask your facilitator to make room, then open the link "
            "again."), "workshop": workshop}, status=409)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            participant, token = participant_join(workshop=workshop, pseudonym=form.cleaned_data["pseudonym"],
                                                   language=get_language())
        except JoinRefused as refused:
            return render(request, "participants/join_refused.html", {"reason": str(refused), "workshop": workshop},
                          status=409)
        # Straight to the first page they fill in: no hop through /p/ and /p/profile/.
        return _set_participant_cookie(_first_page(participant), token)
    # Only a display name: the login name is half of a facilitator's credentials, and the link is passed around.
    facilitator = workshop.owner.get_full_name() if workshop.owner else ""
    return render(request, "participants/join.html", {
        "workshop": workshop, "form": form, "facilitator": facilitator,
        "scenario_count": workshop.workshop_scenarios.count(),
        "retention_days": workshop.organization.retention_days,
    })


def resume(request: HttpRequest, participant_token: str) -> HttpResponse:
    if request.participant is None:
        return render(request, "participants/join_refused.html",
                      {"reason": _("This personal link is not valid any more.")}, status=404)
    # The token is traded for the cookie at once, and the address bar (and every later log line) shows /p/...
    # of wherever they are: one hop, not /p/ then /p/profile/ then the page.
    response = _set_participant_cookie(_first_page(request.participant), participant_token)
    response["Cache-Control"] = "no-store"
    return response


def _items(participant: Participant) -> list[dict]:
    """Each activity with where the participant is in it; a scenario with analogy also with the analogy and
    the answers, for the overview and the summary."""
    analogies = participant_analogies(participant=participant)
    responses = {r.scenario_id: r for r in participant.responses.all()}
    language = get_language()
    activities = workshop_activities(workshop=participant.workshop)
    facts = room_facts([participant.id], activities=activities)[participant.id]
    place = place_of(participant, workshop=participant.workshop, activities=activities, facts=facts)
    items = []
    for activity in activities:
        declared = activity_for(activity.kind)
        scenario = activity.scenario
        item = {"position": activity.position, "kind": activity.kind, "label": declared.label,
                "url": reverse(declared.url_name, args=[activity.position]),
                "done": declared.step(activity, facts) is None, "current": place.position == activity.position,
                "waiting": place.step == WAITING and activity.position >= (place.position or 0),
                "summary_template": declared.summary_template, "record": facts.records.get(activity.id),
                "scenario": scenario, "text": scenario.localized(language) if scenario else None}
        if activity.kind == ActivityKind.ANALOGY:
            response = responses.get(scenario.id)
            targets = [e["label"] for e in scenario.emotions]
            item.update({"analogy": analogies.get(scenario.id), "response": response,
                         "targets": [emotion_name(t, language) for t in targets]})
            if response and response.pre_understanding is not None:
                item["before"] = [emotion_name(label, language) for label in response.pre_labels]
                item["before_f1"] = round(100 * identification_f1(response.pre_labels, targets))
            if response and response.post_understanding is not None:
                item["after"] = [emotion_name(label, language) for label in response.post_labels]
                item["after_f1"] = round(100 * identification_f1(response.post_labels, targets))
        items.append(item)
    return items


def home(request: HttpRequest) -> HttpResponse:
    participant = participant_or_404(request)
    if participant.step == Participant.Step.PROFILE:
        return redirect_onward(participant)
    token = request.COOKIES.get(PARTICIPANT_COOKIE, "")
    return render(request, "participants/home.html", {
        "participant": participant, "items": _items(participant),
        "resume_url": request.build_absolute_uri(reverse("participants:resume", args=[token])) if token else "",
        "packet": participant.packets.order_by("-created").first(),
    })


@participant_poll
def analogy_status(request: HttpRequest, position: int) -> JsonResponse:
    state = participant_analogy_state(participant=participant_or_404(request), position=position)
    if state is None:
        return JsonResponse({"state": "missing"})
    labels = {"pending": _("Queued"), "running": _("Being written"), "done": _("Analogy ready"),
              "failed": _("Needs a retry")}
    return JsonResponse({"state": state, "label": labels.get(state, state)}, headers={"Cache-Control": "no-store"})


@require_POST
@limit_posts("analogy", _participant_key, "ANALOGY_RATE_LIMIT")
def analogy_retry_view(request: HttpRequest, position: int) -> HttpResponse:
    participant = participant_or_404(request)
    current, _total = _scenario_at(participant, position)
    analogy = participant_analogies(participant=participant).get(current.id)
    if analogy is not None:
        analogy_retry(analogy=analogy)
    return redirect("participants:scenario", position=position)


@require_POST
@limit_posts("analogy", _participant_key, "ANALOGY_RATE_LIMIT")
def analogy_another(request: HttpRequest, position: int) -> HttpResponse:
    participant = participant_or_404(request)
    current, _total = _scenario_at(participant, position)
    analogy_regenerate(participant=participant, scenario_id=current.id)
    return redirect("participants:scenario", position=position)


def packet(request: HttpRequest) -> HttpResponse:
    participant = participant_or_404(request)
    if request.method == "POST":
        packet_request_for_participant(participant=participant)
        return redirect("participants:packet")
    latest = participant.packets.order_by("-created").first()
    return render(request, "participants/packet.html", {
        "participant": participant, "packet": latest,
        "waiting": latest is not None and latest.state in (DebriefPacket.State.PENDING, DebriefPacket.State.RUNNING),
    })


def done(request: HttpRequest) -> HttpResponse:
    participant = participant_or_404(request)
    if participant.step == Participant.Step.PROFILE:
        return redirect("participants:profile")
    return render(request, "participants/done.html", {
        "participant": participant, "items": _items(participant),
        "packet": participant.packets.order_by("-created").first(),
    })


def delete_data(request: HttpRequest) -> HttpResponse:
    participant = participant_or_404(request)
    if request.method == "POST":
        workshop = participant.workshop
        participant_delete_data(participant=participant)
        response = render(request, "participants/deleted.html", {"workshop": workshop})
        response.delete_cookie(PARTICIPANT_COOKIE)
        return response
    return render(request, "participants/delete.html", {"participant": participant})


def packet_download(request: HttpRequest, public_id: str) -> FileResponse:
    participant = participant_or_404(request)
    found = participant.packets.filter(public_id=public_id).first()
    if found is None:
        raise Http404("No such packet")
    try:
        pdf = debrief.packet_download(packet=found, participant=participant)  # decrypted for its owner only
    except debrief.PacketUnavailable:
        raise Http404("No such packet") from None
    return FileResponse(io.BytesIO(pdf), as_attachment=True, filename=packet_filename(found),
                        content_type="application/pdf")
