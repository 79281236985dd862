"""The empathy map on a phone, in four short steps: their goal; what they see, say, do and hear; what they think
and feel, with pains and gains; then "ask, don't assume". Each note is marked as in the scenario or as the
participant's own assumption."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from participants.activities.stepped import QuestionsForm, step_page_open
from participants.flow import redirect_onward
from workshop.activities.empathy_map import (
    MAX_NOTE_CHARS,
    NOTE_SLOTS,
    STEP_PARTS,
    EmpathyMap,
    MapPart,
    NoteSource,
    map_notes,
    map_questions,
)
from workshop.activities.empathy_map_services import map_notes_save, map_questions_save
from workshop.activities.flow import Place
from workshop.activities.stepped import text_clean
from workshop.participants.models import Participant
from workshop.workshops.models import WorkshopActivity

DECLARED = EmpathyMap()

# What each part asks about the person, by name.
PART_PROMPTS = {
    MapPart.GOAL: _("What does %(name)s need here? What are they trying to do?"),
    MapPart.SEE: _("What does %(name)s see around them?"),
    MapPart.SAY: _("What does %(name)s say, out loud or in writing?"),
    MapPart.DO: _("What does %(name)s do?"),
    MapPart.HEAR: _("What does %(name)s hear others say?"),
    MapPart.THINK_FEEL: _("What might %(name)s think and feel, without saying it?"),
    MapPart.PAINS: _("Pains: what might %(name)s fear, or be frustrated or held back by?"),
    MapPart.GAINS: _("Gains: what might %(name)s wish for? What would help?"),
}


class NotesForm(forms.Form):
    """The notes of one step's parts: for each part a few notes, each marked in the scenario or an assumption."""

    def __init__(self, *args, step: str, person: str, saved: dict[str, list[dict]], **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = []
        for part in STEP_PARTS[step]:
            slots = []
            for i in range(1, NOTE_SLOTS + 1):
                text_name, source_name = f"{part.value}_{i}", f"{part.value}_{i}_source"
                self.fields[text_name] = forms.CharField(
                    max_length=MAX_NOTE_CHARS, required=False, label=_("Note %(n)d") % {"n": i},
                    widget=forms.TextInput(attrs={"autocomplete": "off", "aria-describedby": f"part-{part.value}"}))
                self.fields[source_name] = forms.ChoiceField(
                    choices=NoteSource.choices, required=False, widget=forms.RadioSelect,
                    label=_("Note %(n)d comes from") % {"n": i})
                if len(saved[part.value]) >= i:
                    self.initial[text_name] = saved[part.value][i - 1]["text"]
                    self.initial[source_name] = saved[part.value][i - 1]["source"]
                slots.append((self[text_name], self[source_name]))
            self.parts.append({"part": part, "prompt": PART_PROMPTS[part] % {"name": person}, "slots": slots})

    def clean(self):
        data = super().clean()
        self.notes: dict[str, list[dict]] = {}
        for item in self.parts:
            part = item["part"].value
            self.notes[part] = []
            for text_field, source_field in item["slots"]:
                text = text_clean(data.get(text_field.name) or "")
                if text and not data.get(source_field.name):
                    self.add_error(source_field.name, _("Is this in the scenario, or your assumption?"))
                elif text:
                    self.notes[part].append({"text": text, "source": data[source_field.name]})
        if not self.errors and not any(self.notes.values()):
            raise forms.ValidationError(_("Write at least one note."))
        return data


def page(request: HttpRequest, *, participant: Participant, activity: WorkshopActivity, place: Place) -> HttpResponse:
    opened = step_page_open(request, participant=participant, activity=activity, place=place, declared=DECLARED)
    if opened is None:
        return redirect_onward(participant)
    record, step, text, words, data = opened.record, opened.step, opened.text, opened.words, opened.data
    if step == "ask":
        form = QuestionsForm(
            data, person=text.perspective_name, saved=map_questions(words), shared=record.shared if record else True,
            share_question=_("May your map count in the room's combined map?"),
            share_label=_("Yes, without my name"), private_label=_("No, keep it to myself"))
    else:
        form = NotesForm(data, step=step, person=text.perspective_name, saved=map_notes(words))
    if data is not None and form.is_valid():
        if step == "ask":
            record = map_questions_save(participant=participant, activity=activity, questions=form.questions,
                                        shared=form.cleaned_data["share"])
        else:
            record = map_notes_save(participant=participant, activity=activity, step=step, notes=form.notes)
        return opened.onward(record)
    return opened.render(request, "participants/activities/empathy_map.html", form=form)
