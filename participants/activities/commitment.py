"""The commitment on a phone: one concrete thing you will do differently ("When ..., I will ..."), and, once the
follow-up days have passed, the two-minute check-in your personal link offers (even after the workshop has
closed)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from participants.flow import place_url, redirect_onward
from participants.forms import FeelingsForm
from workshop.activities.base import ParticipantFacts
from workshop.activities.commitment import Tried, followup_due
from workshop.activities.commitment_services import (
    MAX_PART,
    CommitmentRefused,
    commitment_prompts,
    commitment_save,
    followup_save,
    followup_vignette,
    vignette_choices,
)
from workshop.activities.flow import participant_place
from workshop.activities.records import record_content
from workshop.activities.registry import activity_for
from workshop.participants.instruments import emotion_name
from workshop.participants.models import ActivityRecord, Participant
from workshop.workshops.models import WorkshopActivity


class CommitmentForm(forms.Form):
    prompt = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, widget=forms.RadioSelect,
        label=_("Start from a question from the discussion (optional)"))
    situation = forms.CharField(
        max_length=MAX_PART, label=_("When…"), error_messages={"required": _("Name the situation.")},
        help_text=_("The situation, as concrete as you can: “When someone goes quiet in our stand-up”"))
    action = forms.CharField(
        max_length=MAX_PART, label=_("I will…"), widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write what you will do.")},
        help_text=_("One thing you will do differently: “I will ask them what they think before we "
                    "decide”"))

    def __init__(self, *args, prompts: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        if prompts:
            self.fields["prompt"].choices = [(i, text) for i, text in enumerate(prompts)]
        else:
            del self.fields["prompt"]


class FollowupForm(FeelingsForm):
    """The check-in: did you try it, then the scenarios' feelings questions about a new vignette."""

    tried = forms.ChoiceField(choices=Tried.choices, widget=forms.RadioSelect,
                              label=_("Did you try what you committed to?"),
                              error_messages={"required": _("Please choose an answer.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["tried", "labels", "intensity", "understanding"])


def _record(participant: Participant, activity: WorkshopActivity) -> ActivityRecord | None:
    return ActivityRecord.objects.filter(participant=participant, activity=activity).first()


def _commit(request: HttpRequest, participant: Participant, activity: WorkshopActivity, record, language: str):
    prompts = commitment_prompts(activity=activity, language=language)
    words = record_content(record)
    initial = {"situation": words.get("when", ""), "action": words.get("will", ""),
               "prompt": (record.facts or {}).get("prompt") if record else None}
    form = CommitmentForm(request.POST or None, prompts=prompts, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            commitment_save(participant=participant, activity=activity, prompt=form.cleaned_data.get("prompt"),
                            situation=form.cleaned_data["situation"], action=form.cleaned_data["action"])
        except CommitmentRefused as refused:
            form.add_error(None, str(refused))
        else:
            return redirect_onward(participant)
    return render(request, "participants/activities/commitment.html", {
        "participant": participant, "activity": activity, "form": form, "mode": "commit",
        "followup_days": activity.workshop.followup_days})


def _followup(request: HttpRequest, participant: Participant, activity: WorkshopActivity, record, language: str):
    vignette = followup_vignette(participant=participant, activity=activity, language=language)
    form = FollowupForm(request.POST or None, choices=vignette_choices(participant=participant, vignette=vignette),
                        person=vignette.person, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            followup_save(participant=participant, activity=activity, tried=form.cleaned_data["tried"],
                          labels=form.cleaned_data["labels"], intensity=form.cleaned_data["intensity"],
                          understanding=form.cleaned_data["understanding"], language=language)
        except CommitmentRefused as refused:
            form.add_error(None, str(refused))
        else:
            return redirect(request.path)
    words = record_content(record)
    return render(request, "participants/activities/commitment.html", {
        "participant": participant, "activity": activity, "form": form, "mode": "followup", "vignette": vignette,
        "situation": words.get("when", ""), "action": words.get("will", "")})


def page(request: HttpRequest, *, participant: Participant, activity: WorkshopActivity, place) -> HttpResponse:
    language = get_language()
    record = _record(participant, activity)
    step = activity_for(activity.kind).step(activity, ParticipantFacts(records={activity.id: record} if record else {}))
    if step == "followup":
        return _followup(request, participant, activity, record, language)
    followed_up = bool(record and (record.facts or {}).get("followup_at"))
    if step == "commit" or (request.GET.get("change") and not followed_up):
        return _commit(request, participant, activity, record, language)
    facts = record.facts or {}
    vignette = followup_vignette(participant=participant, activity=activity, language=language)
    words = record_content(record)
    return render(request, "participants/activities/commitment.html", {
        "participant": participant, "activity": activity, "mode": "done",
        "situation": words.get("when", ""), "action": words.get("will", ""), "due": followup_due(facts),
        "followed_up": followed_up, "tried": dict(Tried.choices).get(facts.get("tried"), ""),
        "vignette": vignette if followed_up else None,
        "targets": [emotion_name(t, language) for t in vignette.targets] if followed_up else [],
        "named": [emotion_name(t, language) for t in facts.get("labels", [])],
        "score": round(100 * facts["f1"]) if followed_up and facts.get("f1") is not None else None,
        "next_url": place_url(participant_place(participant), participant),
    })
