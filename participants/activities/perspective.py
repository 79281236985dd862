"""Perspective-getting on a phone: what you would ask the person; what they said when someone asked (or that the
scenario has no answer written down); the feelings question once more, as after the analogy."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from participants.activities.stepped import QuestionsForm, step_page_open
from participants.flow import redirect_onward
from participants.forms import FeelingsForm
from workshop.activities.flow import Place
from workshop.activities.perspective import Perspective
from workshop.activities.perspective_services import (
    perspective_answer_save,
    perspective_heard_save,
    perspective_questions_save,
)
from workshop.participants.answers import emotion_choices
from workshop.participants.models import Participant, Response
from workshop.workshops.models import WorkshopActivity

DECLARED = Perspective()


def page(request: HttpRequest, *, participant: Participant, activity: WorkshopActivity, place: Place) -> HttpResponse:
    opened = step_page_open(request, participant=participant, activity=activity, place=place, declared=DECLARED)
    if opened is None:
        return redirect_onward(participant)
    record, step, text, data = opened.record, opened.step, opened.text, opened.data
    questions = opened.words.get("questions") or []
    if step == "ask":
        form = QuestionsForm(
            data, person=text.perspective_name, saved=questions, shared=record.shared if record else True,
            share_question=_("May your questions count in the room's list of questions?"),
            share_label=_("Yes, without my name"), private_label=_("No, keep them to myself"))
    elif step == "hear":
        form = forms.Form(data)
    else:
        answer = Response.objects.filter(participant=participant, scenario=activity.scenario).first()
        initial = {}
        if answer is not None and answer.asked_understanding is not None:  # coming back to change it
            initial = {"labels": answer.asked_labels, "understanding": str(answer.asked_understanding),
                       "intensity": str((record.facts or {}).get("asked_intensity", ""))}
        form = FeelingsForm(data, initial=initial, language=get_language(), person=text.perspective_name,
                            choices=emotion_choices(participant=participant, scenario=activity.scenario))
    if data is not None and form.is_valid():
        if step == "ask":
            record = perspective_questions_save(participant=participant, activity=activity,
                                                questions=form.questions, shared=form.cleaned_data["share"])
        elif step == "hear":
            record = perspective_heard_save(participant=participant, activity=activity, shown=bool(text.when_asked))
        else:
            record = perspective_answer_save(participant=participant, activity=activity,
                                             labels=form.cleaned_data["labels"],
                                             intensity=form.cleaned_data["intensity"],
                                             understanding=form.cleaned_data["understanding"])
        return opened.onward(record)
    return opened.render(request, "participants/activities/perspective.html", form=form, questions=questions)
