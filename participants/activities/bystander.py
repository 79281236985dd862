"""Bystander rehearsal on a phone: take the seat of someone who was there and read the scenario from it; at the
moment it happens, choose what you would do (one of the five options) and write what you would say or do;
then act it out aloud in pairs, one of you playing the scenario's person ("we did it" or "skip")."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from participants.activities.stepped import share_field, step_page_open
from participants.flow import redirect_onward
from workshop.activities.bystander import (
    MAX_RESPONSE_CHARS,
    OPTION_HINTS,
    BystanderOption,
    BystanderRehearsal,
    witness_seat,
)
from workshop.activities.bystander_services import (
    SHARED_BY_DEFAULT,
    bystander_rehearsal_save,
    bystander_response_save,
    bystander_seat_save,
)
from workshop.activities.flow import Place
from workshop.activities.stepped import text_clean
from workshop.participants.models import Participant
from workshop.workshops.models import WorkshopActivity

DECLARED = BystanderRehearsal()
DID_IT, SKIPPED = "did", "skip"


class ResponseForm(forms.Form):
    option = forms.ChoiceField(choices=BystanderOption.choices, widget=forms.RadioSelect,
                               error_messages={"required": _("Choose the option closest to what you would do.")})
    response = forms.CharField(max_length=MAX_RESPONSE_CHARS, widget=forms.Textarea(attrs={"rows": 3}),
                               label=_("What would you say or do, in your own words?"),
                               error_messages={"required": _("Write what you would say or do.")})

    def __init__(self, *args, person: str, shared: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].label = _("The moment it happens: what do you do for %(name)s?") % {"name": person}
        self.fields["share"] = share_field(
            label=_("May the room see your words as an example?"), shared=shared,
            share_label=_("Yes, without my name"), private_label=_("No: count my choice only"))

    @property
    def option_rows(self) -> list[tuple]:
        """Each option's radio button with its one-line hint, in BystanderOption order."""
        return [(choice, OPTION_HINTS[option]) for choice, option in zip(self["option"], BystanderOption, strict=True)]

    def clean_response(self) -> str:
        text = text_clean(self.cleaned_data["response"])
        if not text:
            raise forms.ValidationError(_("Write what you would say or do."))
        return text


class RehearsalForm(forms.Form):
    rehearsed = forms.ChoiceField(choices=[(DID_IT, DID_IT), (SKIPPED, SKIPPED)])


def page(request: HttpRequest, *, participant: Participant, activity: WorkshopActivity, place: Place) -> HttpResponse:
    opened = step_page_open(request, participant=participant, activity=activity, place=place, declared=DECLARED)
    if opened is None:
        return redirect_onward(participant)
    record, step, text, words, data = opened.record, opened.step, opened.text, opened.words, opened.data
    if step == "respond":
        initial = {"option": (record.facts or {}).get("option") if record else None,
                   "response": words.get("response", "")}
        form = ResponseForm(data, initial=initial, person=text.perspective_name,
                            shared=record.shared if record else SHARED_BY_DEFAULT)
    elif step == "rehearse":
        form = RehearsalForm(data)
    else:
        form = forms.Form(data)
    if data is not None and form.is_valid():
        if step == "seat":
            record = bystander_seat_save(participant=participant, activity=activity)
        elif step == "respond":
            record = bystander_response_save(participant=participant, activity=activity,
                                             option=form.cleaned_data["option"], response=form.cleaned_data["response"],
                                             shared=form.cleaned_data["share"])
        else:
            record = bystander_rehearsal_save(participant=participant, activity=activity,
                                              rehearsed=form.cleaned_data["rehearsed"] == DID_IT)
        return opened.onward(record)
    option = (record.facts or {}).get("option") if record else None
    return opened.render(request, "participants/activities/bystander.html", form=form, seat=witness_seat(text),
                         response=words.get("response", ""), did_it=DID_IT, skipped=SKIPPED,
                         option=BystanderOption(option).label if option in BystanderOption.values else "")
