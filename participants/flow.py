"""Where the phone goes next: the URL of the participant's place in the flow (workshop/activities/flow.py)."""
from django.shortcuts import redirect
from django.urls import reverse

from workshop.activities.flow import DONE, JOINED, PROFILE, WAITING, Place, participant_place
from workshop.activities.registry import activity_for
from workshop.participants.models import Participant


def place_url(place: Place) -> str:
    if place.step in (JOINED, PROFILE):
        return reverse("participants:profile")
    if place.step == DONE:
        return reverse("participants:done")
    if place.step == WAITING:
        return reverse("participants:waiting")
    name = activity_for(place.kind).url_name
    return reverse(name, args=[place.position])


def redirect_onward(participant: Participant):
    """A redirect to wherever the participant is now: one hop, never a chain."""
    return redirect(place_url(participant_place(participant)))
