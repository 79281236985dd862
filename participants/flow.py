"""Where the phone goes next: the URL of the participant's place in the flow (workshop/activities/flow.py)."""
from django.shortcuts import redirect
from django.urls import reverse

from workshop.activities.flow import DONE, JOINED, PROFILE, WAITING, Place, participant_place
from workshop.activities.registry import activity_for
from workshop.participants.instruments import instrument
from workshop.participants.models import Participant


def _next_part(participant: Participant) -> tuple[str, dict]:
    """The first part of the profile that is not done yet."""
    tool = instrument(participant.workshop.instrument)
    answered = participant.personality_answers or {}
    for page in range(1, tool.pages + 1):
        if any(str(item.number) not in answered for item in tool.page_items(page)):
            return "participants:profile_personality", {"page": page}
    profile = participant.profile or {}
    if "values" not in profile:
        return "participants:profile_values", {}
    if not profile.get("domains"):
        return "participants:profile_life", {}
    return "participants:profile_memories", {}


def next_part_url(participant: Participant) -> str:
    """Where a participant who has not finished the profile goes: its first part not done yet. Every page
    that sends someone into the profile links here directly, never through /p/profile/ (one hop, no chain)."""
    name, kwargs = _next_part(participant)
    return reverse(name, kwargs=kwargs)


def profile_url(participant: Participant) -> str:
    """Where /p/profile/ sends the participant: the profile's next part, or the overview once it is done."""
    if participant.step == Participant.Step.PROFILE:
        return next_part_url(participant)
    return reverse("participants:home")


def place_url(place: Place, participant: Participant) -> str:
    """The page of ``place``, where ``participant`` is. Before the activities, the page /p/profile/ would send
    them to rather than /p/profile/: one hop."""
    if place.step in (JOINED, PROFILE):
        return profile_url(participant)
    if place.step == DONE:
        return reverse("participants:done")
    if place.step == WAITING:
        return reverse("participants:waiting")
    name = activity_for(place.kind).url_name
    return reverse(name, args=[place.position])


def redirect_onward(participant: Participant):
    """A redirect to wherever the participant is now: one hop, never a chain."""
    return redirect(place_url(participant_place(participant), participant))
