"""The participant's side: join, profile, scenarios with their analogy, their own packet."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from participants.forms import JoinForm, ProfileForm
from participants.models import Analogy, Participant
from participants.selectors import participant_analogies
from participants.services import (
    MAX_ANALOGY_VERSIONS,
    JoinRefused,
    analogy_regenerate,
    analogy_retry,
    participant_join,
    participant_profile_save,
)
from workshop.debrief.models import DebriefPacket
from workshop.debrief.services import packet_filename, packet_request_for_participant
from workshop.engine import ProfileSpec
from workshop.tenancy.middleware import PARTICIPANT_COOKIE
from workshop.tenancy.services import audit_record
from workshop.workshops.models import Workshop
from workshop.workshops.selectors import workshop_scenarios

COOKIE_MAX_AGE = 60 * 60 * 24 * 30


def _set_participant_cookie(response: HttpResponse, token: str) -> HttpResponse:
    response.set_cookie(PARTICIPANT_COOKIE, token, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax",
                        secure=settings.PARTICIPANT_COOKIE_SECURE)
    return response


def _require_participant(request: HttpRequest) -> Participant:
    if request.participant is None:
        raise Http404("No participant")
    return request.participant


def join(request: HttpRequest, join_token: str) -> HttpResponse:
    workshop = request.join_workshop
    if workshop is None:
        return render(request, "participants/join_refused.html",
                      {"reason": "This join link is not valid. Check the link or scan the code again."}, status=404)
    if request.participant is not None:  # same browser, same workshop: resume, never a second participant
        return redirect("participants:home")
    if workshop.state != Workshop.State.OPEN:
        reason = ("This workshop has ended. Thank you for your interest." if workshop.state == Workshop.State.CLOSED
                  else "This workshop has not opened yet. Ask your facilitator.")
        return render(request, "participants/join_refused.html", {"reason": reason, "workshop": workshop}, status=410)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _, token = participant_join(workshop=workshop, pseudonym=form.cleaned_data["pseudonym"])
        except JoinRefused as refused:
            return render(request, "participants/join_refused.html", {"reason": str(refused), "workshop": workshop},
                          status=409)
        response = redirect("participants:home")
        return _set_participant_cookie(response, token)
    owner = workshop.owner
    facilitator = (owner.get_full_name() or owner.get_username()) if owner else ""
    return render(request, "participants/join.html", {
        "workshop": workshop, "form": form, "facilitator": facilitator,
        "scenario_count": workshop.workshop_scenarios.count(),
        "retention_days": workshop.organization.retention_days,
    })


def resume(request: HttpRequest, participant_token: str) -> HttpResponse:
    if request.participant is None:
        return render(request, "participants/join_refused.html",
                      {"reason": "This personal link is not valid any more."}, status=404)
    return _set_participant_cookie(redirect("participants:home"), participant_token)


def home(request: HttpRequest) -> HttpResponse:
    participant = _require_participant(request)
    if participant.step == Participant.Step.PROFILE:
        return redirect("participants:profile")
    scenarios = workshop_scenarios(workshop=participant.workshop)
    analogies = participant_analogies(participant=participant)
    token = request.COOKIES.get(PARTICIPANT_COOKIE, "")
    return render(request, "participants/home.html", {
        "participant": participant,
        "items": [{"position": i, "scenario": s, "analogy": analogies.get(s.id)} for i, s in enumerate(scenarios, 1)],
        "resume_url": request.build_absolute_uri(reverse("participants:resume", args=[token])) if token else "",
        "packet": participant.packets.order_by("-created").first(),
    })


def profile(request: HttpRequest) -> HttpResponse:
    participant = _require_participant(request)
    form = ProfileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            spec = ProfileSpec.model_validate({**form.profile_data(), "name": participant.pseudonym})
        except ValidationError as exc:
            form.add_error(None, "; ".join(e["msg"] for e in exc.errors()[:3]))
        else:
            participant_profile_save(participant=participant, profile=spec)
            return redirect("participants:scenario", position=1)
    return render(request, "participants/profile.html", {"participant": participant, "form": form})


def _scenario_at(participant: Participant, position: int):
    scenarios = workshop_scenarios(workshop=participant.workshop)
    if not 1 <= position <= len(scenarios):
        raise Http404("No such scenario")
    return scenarios[position - 1], len(scenarios)


def scenario(request: HttpRequest, position: int) -> HttpResponse:
    participant = _require_participant(request)
    if participant.step == Participant.Step.PROFILE:
        return redirect("participants:profile")
    current, total = _scenario_at(participant, position)
    analogy = participant_analogies(participant=participant).get(current.id)
    earlier = participant.analogies.filter(scenario=current, is_current=False, state=Analogy.State.DONE)
    return render(request, "participants/scenario.html", {
        "participant": participant, "scenario": current, "analogy": analogy, "position": position,
        "total": total, "next_position": position + 1 if position < total else None,
        "waiting": analogy is not None and analogy.state in (Analogy.State.PENDING, Analogy.State.RUNNING),
        "earlier": earlier.order_by("-version"),
        "tries_left": max(0, MAX_ANALOGY_VERSIONS - analogy.version) if analogy else 0,
    })


def analogy_status(request: HttpRequest, position: int) -> JsonResponse:
    participant = _require_participant(request)
    current, _ = _scenario_at(participant, position)
    analogy = participant_analogies(participant=participant).get(current.id)
    if analogy is None:
        return JsonResponse({"state": "missing"})
    return JsonResponse({"state": analogy.state, "label": analogy.get_state_display()},
                        headers={"Cache-Control": "no-store"})


@require_POST
def analogy_retry_view(request: HttpRequest, position: int) -> HttpResponse:
    participant = _require_participant(request)
    current, _ = _scenario_at(participant, position)
    analogy = participant_analogies(participant=participant).get(current.id)
    if analogy is not None:
        analogy_retry(analogy=analogy)
    return redirect("participants:scenario", position=position)


@require_POST
def analogy_another(request: HttpRequest, position: int) -> HttpResponse:
    participant = _require_participant(request)
    current, _ = _scenario_at(participant, position)
    analogy_regenerate(participant=participant, scenario_id=current.id)
    return redirect("participants:scenario", position=position)


def packet(request: HttpRequest) -> HttpResponse:
    participant = _require_participant(request)
    if request.method == "POST":
        packet_request_for_participant(participant=participant)
        return redirect("participants:packet")
    latest = participant.packets.order_by("-created").first()
    return render(request, "participants/packet.html", {
        "participant": participant, "packet": latest,
        "waiting": latest is not None and latest.state in (DebriefPacket.State.PENDING, DebriefPacket.State.RUNNING),
    })


def packet_download(request: HttpRequest, public_id: str) -> FileResponse:
    participant = _require_participant(request)
    found = participant.packets.filter(public_id=public_id, state=DebriefPacket.State.DONE).first()
    if found is None or not found.file:
        raise Http404("No such packet")
    audit_record(organization_id=found.organization_id, actor=None, action="packet.download", obj=found,
                 detail={"kind": found.kind, "by": "participant"})
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=packet_filename(found),
                        content_type="application/pdf")
