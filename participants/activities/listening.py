"""The active-listening lab on a phone: your role this round, your group, and your part (speak, reflect back,
or observe and rate). Your own feedback, when you listened, shows below. The page asks every few seconds
whether anything it shows has changed, and reloads only then."""

from __future__ import annotations

import hashlib

from django import forms
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from participants.flow import place_url
from workshop.activities.flow import participant_place
from workshop.activities.listening_feedback import Grade, Mechanism
from workshop.activities.listening_groups import ROUNDS, Role
from workshop.activities.listening_services import (
    MAX_MOMENT,
    MAX_TEXT,
    ListeningRefused,
    RoundFeedback,
    Seat,
    feedback_rows,
    listening_arrive,
    listening_feedback,
    listening_rating_save,
    listening_reflection_save,
    listening_seat,
    listening_speaker_done,
)
from workshop.participants.models import Participant
from workshop.workshops.models import WorkshopActivity


class ReflectionForm(forms.Form):
    paraphrase = forms.CharField(
        max_length=MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        label=_("What you heard, in your own words"),
        help_text=_("A sentence or two: “So when …, you …”"))
    feeling = forms.CharField(max_length=200, required=False, label=_("The feeling you heard"),
                              help_text=_("One or two words: worried, left out, proud…"))
    question = forms.CharField(max_length=300, required=False, label=_("One open question you would ask them"))

    def clean(self):
        data = super().clean()
        if not any((data.get(name) or "").strip() for name in ("paraphrase", "feeling", "question")):
            raise forms.ValidationError(_("Write at least one of the three before you send it."))
        return data


# What an observer ticks for each mechanism, in plain words (the values are the Grade set).
RATING_CHOICES = {
    Mechanism.EMOTIONS: (_("Did %(name)s name the feeling they heard?"),
                         [(Grade.NONE, _("No")), (Grade.WEAK, _("Hinted at it")), (Grade.STRONG, _("Named it"))]),
    Mechanism.INTERPRETATIONS: (_("Did %(name)s give back what they heard in their own words?"),
                                [(Grade.NONE, _("No")), (Grade.WEAK, _("In general terms")),
                                 (Grade.STRONG, _("Yes, specifically"))]),
    Mechanism.EXPLORATIONS: (_("Did %(name)s ask an open question?"),
                             [(Grade.NONE, _("No")), (Grade.WEAK, _("A yes-or-no or why question")),
                              (Grade.STRONG, _("An open what or how question"))]),
}


class RatingForm(forms.Form):
    moment = forms.CharField(max_length=MAX_MOMENT, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             label=_("One moment to point out (optional)"),
                             help_text=_("Something they said or did that worked, or that you would try "
                                         "differently. Only they will see it."))

    def __init__(self, *args, listener: str, **kwargs):
        super().__init__(*args, **kwargs)
        for mechanism, (question, choices) in RATING_CHOICES.items():
            self.fields[mechanism] = forms.ChoiceField(
                label=question % {"name": listener}, choices=choices, widget=forms.RadioSelect,
                error_messages={"required": _("Please choose an answer for this one.")})
        self.order_fields([*RATING_CHOICES, "moment"])

    def ratings(self) -> dict[str, str]:
        return {m: self.cleaned_data[m] for m in RATING_CHOICES}


def _signature(seat: Seat, feedback: list[RoundFeedback]) -> str:
    """Changes when anything this person's page shows changes (not when other groups move)."""
    shown = (seat.status, seat.round, seat.role, seat.finished, seat.group, seat.present if seat.status == "gathering"
             else 0, [(f.round, len(f.observed)) for f in feedback])
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:16]


def _post(request: HttpRequest, participant: Participant, activity: WorkshopActivity, seat: Seat):
    """Save this person's part of the round; a form with errors is returned to be shown again."""
    try:
        number = int(request.POST.get("round", ""))
    except ValueError:
        return None
    try:
        if seat.role == Role.SPEAKER:
            listening_speaker_done(participant=participant, activity=activity, round_number=number)
        elif seat.role == Role.LISTENER:
            form = ReflectionForm(request.POST)
            if not form.is_valid():
                return form
            listening_reflection_save(participant=participant, activity=activity, round_number=number,
                                      language=get_language(), **form.cleaned_data)
        elif seat.role == Role.OBSERVER:
            form = RatingForm(request.POST, listener=seat.listener)
            if not form.is_valid():
                return form
            listening_rating_save(participant=participant, activity=activity, round_number=number,
                                  ratings=form.ratings(), moment=form.cleaned_data["moment"])
    except ListeningRefused:
        pass  # the round moved on meanwhile: the page shows where they are now
    return None


def page(request: HttpRequest, *, participant: Participant, activity: WorkshopActivity, place) -> HttpResponse:
    listening_arrive(participant=participant, activity=activity)
    language = get_language()
    seat = listening_seat(participant=participant, activity=activity, language=language)
    form = None
    if request.method == "POST":
        form = _post(request, participant, activity, seat)
        if form is None:
            return redirect(request.path)
    feedback = listening_feedback(participant=participant, activity=activity)
    if request.GET.get("poll"):
        return JsonResponse({"sig": _signature(seat, feedback)}, headers={"Cache-Control": "no-store"})
    if form is None and seat.status == "round" and not seat.finished:
        form = (ReflectionForm() if seat.role == Role.LISTENER
                else RatingForm(listener=seat.listener) if seat.role == Role.OBSERVER else None)
    return render(request, "participants/activities/listening.html", {
        "participant": participant, "activity": activity, "seat": seat, "form": form, "rounds": ROUNDS,
        "role_label": dict(Role.choices).get(seat.role, ""), "feedback": feedback_rows(feedback),
        "signature": _signature(seat, feedback),
        "next_url": place_url(participant_place(participant), participant) if seat.status in ("done", "missed") else "",
    })
