"""The profile, one short page at a time, each saved as the participant goes."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from pydantic import ValidationError

from participants.flow import next_part_url, profile_url, redirect_onward
from participants.forms import LifeForm, MemoriesForm, PersonalityForm, ValuesForm
from workshop.participants.instruments import instrument, memory_prompts
from workshop.participants.models import Participant
from workshop.participants.selectors import participant_or_404
from workshop.participants.services import participant_profile_complete, participant_profile_part_save
from workshop.scenarios.themes import scenario_relational_themes
from workshop.workshops.selectors import workshop_scenarios


def profile(request: HttpRequest) -> HttpResponse:
    return redirect(profile_url(participant_or_404(request)))


def _render(request, template, participant, form, part, **extra):
    return render(request, template, {"participant": participant, "form": form, "part": part, **extra})


def _save(request, form, participant, **parts) -> HttpResponse | None:
    """Saves the part; then straight on to the next part that is not done."""
    try:
        saved = participant_profile_part_save(participant=participant, **parts)
    except ValidationError as exc:
        form.add_error(None, "; ".join(e["msg"] for e in exc.errors()[:3]))
        return None
    saved.workshop = participant.workshop  # already loaded: the next part needs only its instrument
    return redirect(next_part_url(saved))


def personality(request: HttpRequest, page: int) -> HttpResponse:
    participant = participant_or_404(request)
    tool = instrument(participant.workshop.instrument)
    if not 1 <= page <= tool.pages:
        raise Http404("No such page")
    form = PersonalityForm(request.POST or None, instrument=tool, page=page, language=get_language(),
                           initial_answers=participant.personality_answers or {})
    if request.method == "POST" and form.is_valid():
        if done := _save(request, form, participant, personality_answers=form.answers()):
            return done
    return _render(request, "participants/profile_personality.html", participant, form, "personality",
                   page=page, pages=tool.pages, stem=tool.stem.get(get_language()) or tool.stem["en"])


def values_page(request: HttpRequest) -> HttpResponse:
    participant = participant_or_404(request)
    form = ValuesForm(request.POST or None, language=get_language(),
                      initial={"values": (participant.profile or {}).get("values", [])})
    if request.method == "POST" and form.is_valid():
        if done := _save(request, form, participant, values=form.cleaned_data["values"]):
            return done
    return _render(request, "participants/profile_values.html", participant, form, "values")


def life(request: HttpRequest) -> HttpResponse:
    participant = participant_or_404(request)
    saved = participant.profile or {}
    form = LifeForm(request.POST or None, language=get_language(), initial={
        "domains": ", ".join(saved.get("domains", [])), "avoid": ", ".join(saved.get("avoid", []))})
    if request.method == "POST" and form.is_valid():
        if done := _save(request, form, participant, domains=form.cleaned_data["domains"],
                         avoid=form.cleaned_data["avoid"]):
            return done
    return _render(request, "participants/profile_life.html", participant, form, "life")


def memories(request: HttpRequest) -> HttpResponse:
    participant = participant_or_404(request)
    if participant.step != Participant.Step.PROFILE:
        return redirect("participants:home")
    themes = [t for s in workshop_scenarios(workshop=participant.workshop) for t in scenario_relational_themes(s)]
    form = MemoriesForm(request.POST or None, prompts=memory_prompts(themes, get_language()),
                        language=get_language())
    if request.method == "POST" and form.is_valid():
        try:
            participant_profile_complete(participant=participant, memories=form.memories())
        except ValidationError as exc:
            form.add_error(None, "; ".join(e["msg"] for e in exc.errors()[:3]))
        else:
            participant.refresh_from_db(fields=["step"])
            return redirect_onward(participant)
    return _render(request, "participants/profile_memories.html", participant, form, "memories")
