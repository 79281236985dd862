"""The phone page of any activity that is not a scenario with analogy: one URL per activity position, the
kind's own view module (participants/activities/<kind>.py) does the rest. The waiting page of presenter
pacing sits here too."""
from importlib import import_module

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from participants.flow import place_url, redirect_onward
from workshop.activities.flow import WAITING, participant_place, place_of
from workshop.activities.kinds import ActivityKind
from workshop.participants.models import Participant
from workshop.participants.selectors import participant_or_404
from workshop.tenancy.middleware import participant_place_poll
from workshop.workshops.models import WorkshopActivity


def activity_at(participant: Participant, position: int) -> WorkshopActivity:
    found = (WorkshopActivity.objects.filter(workshop_id=participant.workshop_id, position=position)
             .select_related("scenario").first())
    if found is None:
        raise Http404("No such activity")
    return found


def activity(request: HttpRequest, position: int) -> HttpResponse:
    participant = participant_or_404(request)
    current = activity_at(participant, position)
    if current.kind == ActivityKind.ANALOGY:
        return redirect("participants:scenario", position=position)
    place = participant_place(participant)
    if place.step == WAITING and position >= place.position:
        return redirect_onward(participant)
    try:
        view = import_module(f"participants.activities.{current.kind}").page
    except ModuleNotFoundError:
        raise Http404("No such activity") from None
    return view(request, participant=participant, activity=current, place=place)


def waiting(request: HttpRequest) -> HttpResponse:
    """Presenter pacing: the facilitator has not moved the room on yet. The page polls `next` and follows."""
    participant = participant_or_404(request)
    place = participant_place(participant)
    if place.step != WAITING:
        return redirect_onward(participant)
    return render(request, "participants/waiting.html", {"participant": participant, "place": place})


@participant_place_poll
def next_place(request: HttpRequest) -> JsonResponse:
    """What a waiting phone polls: the URL it should be on now. Its participant comes with what the flow needs
    to place them, read in the poll's one statement (participant_for_place_poll)."""
    participant = participant_or_404(request)
    activities, facts = participant.poll_flow
    place = place_of(participant, workshop=participant.workshop, activities=activities, facts=facts)
    return JsonResponse({"step": place.step, "position": place.position, "url": place_url(place, participant)},
                        headers={"Cache-Control": "no-store"})
