"""One scenario: read it, say what the person feels, get the analogy, answer again, reflect, rate."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language

from participants.flow import redirect_onward
from participants.forms import AfterForm, FeelingsForm
from workshop.activities.flow import WAITING, participant_place, workshop_activities
from workshop.activities.kinds import ActivityKind
from workshop.participants.answers import emotion_choices, response_after_save, response_before_save
from workshop.participants.models import Analogy, Participant, Response
from workshop.participants.selectors import analogy_mapping_shown, participant_analogies, participant_or_404
from workshop.participants.services import MAX_ANALOGY_VERSIONS


def scenario_at(participant: Participant, position: int):
    """The scenario of the scenario-with-analogy activity at ``position``, and how many activities there are."""
    activities = workshop_activities(workshop=participant.workshop)
    if not 1 <= position <= len(activities) or activities[position - 1].kind != ActivityKind.ANALOGY:
        raise Http404("No such scenario")
    return activities[position - 1].scenario, len(activities)


def _held_back(participant: Participant, position: int) -> bool:
    # Presenter pacing: an activity the room has not reached yet waits (the flow says so).
    place = participant_place(participant)
    return place.step == WAITING and position >= (place.position or 0)


def _feelings_kwargs(participant, scenario) -> dict:
    return {"choices": emotion_choices(participant=participant, scenario=scenario),
            "person": scenario.localized(get_language()).perspective_name, "language": get_language()}


def scenario(request: HttpRequest, position: int) -> HttpResponse:
    participant = participant_or_404(request)
    if participant.step == Participant.Step.PROFILE:
        return redirect("participants:profile")
    current, total = scenario_at(participant, position)
    if _held_back(participant, position):
        return redirect("participants:waiting")
    response = Response.objects.filter(participant=participant, scenario=current).first()
    before_done = response is not None and response.pre_understanding is not None
    form = None
    if not before_done:
        form = FeelingsForm(request.POST or None, **_feelings_kwargs(participant, current))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            response_before_save(participant=participant, scenario=current, labels=data["labels"],
                                 intensity=data["intensity"], understanding=data["understanding"])
            return redirect("participants:scenario", position=position)
    elif request.method == "POST":  # a second tab or the back button: the answer is already saved
        return redirect("participants:scenario", position=position)
    analogy = participant_analogies(participant=participant).get(current.id) if before_done else None
    earlier = participant.analogies.filter(scenario=current, is_current=False, state=Analogy.State.DONE)
    return render(request, "participants/scenario.html", {
        "participant": participant, "scenario": current, "text": current.localized(get_language()),
        "position": position, "total": total, "form": form, "analogy": analogy,
        "earlier": earlier.order_by("-version") if before_done else [],
        "waiting": analogy is not None and analogy.state in (Analogy.State.PENDING, Analogy.State.RUNNING),
        "tries_left": max(0, MAX_ANALOGY_VERSIONS - analogy.version) if analogy else 0,
        "mapping": analogy_mapping_shown(analogy=analogy,
                                         after_saved=response is not None and response.post_understanding is not None),
    })


def after(request: HttpRequest, position: int) -> HttpResponse:
    participant = participant_or_404(request)
    current, total = scenario_at(participant, position)
    response = Response.objects.filter(participant=participant, scenario=current).first()
    if response is None or response.pre_understanding is None:
        return redirect("participants:scenario", position=position)
    initial = {}
    if response.post_understanding is not None:  # coming back to change an answer
        initial = {"labels": response.post_labels, "intensity": str(response.post_intensity.get("overall", "")),
                   "understanding": str(response.post_understanding), "reflection": response.reflection,
                   "share_reflection": "share" if response.share_reflection else "private",
                   "resonance": str(response.resonance or "")}
    form = AfterForm(request.POST or None, initial=initial, **_feelings_kwargs(participant, current))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response_after_save(participant=participant, scenario=current, labels=data["labels"],
                            intensity=data["intensity"], understanding=data["understanding"],
                            reflection=data["reflection"].strip(), share_reflection=data["share_reflection"],
                            resonance=data["resonance"])
        return redirect_onward(participant)
    return render(request, "participants/after.html", {
        "participant": participant, "scenario": current, "text": current.localized(get_language()),
        "position": position, "total": total, "form": form})
