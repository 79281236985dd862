"""What the phone pages of the stepped activities share (empathy map, perspective-getting, bystander rehearsal):
opening the page (the record, whether the participant may open the activity yet, which step to show, the
scenario's text and their words), where to go after saving a step, the page's common context, the questions
form, and the sharing choice."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from participants.flow import redirect_onward
from workshop.activities.base import Activity
from workshop.activities.empathy_map import MAX_QUESTION_CHARS, QUESTION_SLOTS
from workshop.activities.flow import Place
from workshop.activities.stepped import record_of, record_words, step_to_show, text_clean
from workshop.participants.models import ActivityRecord, Participant
from workshop.scenarios.languages import ScenarioText
from workshop.workshops.models import WorkshopActivity

SHARE, PRIVATE = "share", "private"


def may_open(*, activity: WorkshopActivity, place: Place, record: ActivityRecord | None) -> bool:
    """An activity the participant is on, or one they finished (to look back or change an answer). One further
    on waits until they get there."""
    return (record is not None and record.done_at is not None) or (
        place.in_activity and place.position == activity.position)


def after_step(*, participant: Participant, activity: WorkshopActivity, record: ActivityRecord, names: list[str],
               saved: str) -> HttpResponse:
    """Onward once the last step is saved; else the next step (named in the address when the participant went
    back and is further on already)."""
    url = reverse("participants:activity", args=[activity.position])
    at = names.index(saved)
    if at == len(names) - 1:
        return redirect_onward(participant)
    furthest = len(names) - 1 if record.done_at is not None else names.index(record.step)
    return redirect(f"{url}?step={names[at + 1]}" if at + 1 < furthest else url)


@dataclass(frozen=True)
class StepPage:
    """One request to a stepped activity's phone page, opened: the participant's record (None before their
    first save), the step to show, the scenario in their language, their words so far, and the posted data
    (None on a GET)."""

    participant: Participant
    activity: WorkshopActivity
    declared: Activity
    record: ActivityRecord | None
    step: str
    text: ScenarioText
    words: dict
    data: QueryDict | None

    @property
    def names(self) -> list[str]:
        return self.declared.step_names()

    def onward(self, record: ActivityRecord) -> HttpResponse:
        """Where to go once this step is saved (``after_step``)."""
        return after_step(participant=self.participant, activity=self.activity, record=record, names=self.names,
                          saved=self.step)

    def render(self, request: HttpRequest, template: str, *, form: forms.Form, **more) -> HttpResponse:
        """The step's page, with what every stepped page shows (where the step stands among the steps, the way
        back, the story open on the first step) and the kind's own ``more``."""
        names, at = self.names, self.names.index(self.step)
        return render(request, template, {
            "participant": self.participant, "activity": self.activity, "text": self.text, "form": form,
            "step": self.step, "number": at + 1, "steps": len(names), "previous": names[at - 1] if at else None,
            "open_story": at == 0, "step_label": self.declared.step_label(self.step), **more})


def step_page_open(request: HttpRequest, *, participant: Participant, activity: WorkshopActivity, place: Place,
                   declared: Activity) -> StepPage | None:
    """The page opened for this request, or None when the participant may not open the activity yet (the
    caller sends them onward)."""
    record = record_of(participant=participant, activity=activity)
    if not may_open(activity=activity, place=place, record=record):
        return None
    step = step_to_show(record=record, names=declared.step_names(),
                        asked=request.POST.get("step") or request.GET.get("step"))
    return StepPage(participant=participant, activity=activity, declared=declared, record=record, step=step,
                    text=activity.scenario.localized(get_language()), words=record_words(record),
                    data=request.POST if request.method == "POST" else None)


def share_field(*, share_label, private_label, label, shared: bool | None) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        choices=[(SHARE, share_label), (PRIVATE, private_label)], coerce=lambda value: value == SHARE,
        widget=forms.RadioSelect, label=label, initial=SHARE if shared else PRIVATE,
        error_messages={"required": _("Please choose one.")})


class QuestionsForm(forms.Form):
    """Up to three questions to the scenario's person, and whether they may count in the room's list."""

    def __init__(self, *args, person: str, saved: list[str], share_label, private_label, share_question,
                 shared: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = []
        for i in range(1, QUESTION_SLOTS + 1):
            name = f"question_{i}"
            self.fields[name] = forms.CharField(
                max_length=MAX_QUESTION_CHARS, required=False,
                label=_("Question %(n)d") % {"n": i} if i > 1 else _("What would you ask %(name)s?") % {"name": person},
                widget=forms.TextInput(attrs={"autocomplete": "off"}))
            if len(saved) >= i:
                self.initial[name] = saved[i - 1]
            self.slots.append(name)
        self.question_fields = [self[name] for name in self.slots]
        self.fields["share"] = share_field(share_label=share_label, private_label=private_label,
                                           label=share_question, shared=shared)

    def clean(self):
        data = super().clean()
        self.questions = [q for q in (text_clean(data.get(name) or "") for name in self.slots) if q]
        if not self.errors and not self.questions:
            raise forms.ValidationError(_("Write at least one question."))
        return data
