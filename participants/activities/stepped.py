"""What the phone pages of the stepped activities share (empathy map, perspective-getting, bystander rehearsal):
which step to show, whether the participant may open the activity yet, where to go after saving a step, the
questions form, and the sharing choice."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from participants.flow import redirect_onward
from workshop.activities.empathy_map import MAX_QUESTION_CHARS, QUESTION_SLOTS
from workshop.activities.flow import Place
from workshop.activities.stepped import text_clean
from workshop.participants.models import ActivityRecord, Participant
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
