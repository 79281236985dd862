"""Perspective-getting: after the analogy, what you would ask; what the person said when asked (or that the
scenario has none); the same feelings question once more, kept beside the before and after answers; the room's
figures and questions only at k, in batches of k, questions only from those who let theirs count."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from tests import factories
from tests.activities.stepped import (
    BAD_TEXT,
    ODD_TEXT,
    activity_at,
    anonymity,
    at,
    library,
    open_workshop_of,
    page_text,
    record,
)
from workshop.activities.kinds import ActivityKind
from workshop.activities.perspective import Perspective
from workshop.participants.models import Response
from workshop.tenancy.middleware import PARTICIPANT_COOKIE
from workshop.tenancy.scope import unscoped
from workshop.workshops.activities import ActivityPlan, ActivityPlanError, plan_check
from workshop.workshops.projector import workshop_projector_set

LUNCH = "lunch-plans-in-the-side-channel"  # has a "when asked" text; its feelings: loneliness, hurt, confusion
WINE = "wine-pairing-joke"  # has none
K = 3


def plan(slug=LUNCH):
    return [(ActivityKind.ANALOGY, slug), (ActivityKind.PERSPECTIVE, slug)]


def after_the_analogy(workshop, name, *, language="en", before=("anger",), after=("hurt",)):
    """A participant who answered before and after the analogy (the activity before this one), and their phone."""
    participant, token = factories.joined_participant(workshop, name)
    with unscoped():
        scenario = activity_at(workshop, 2).scenario
        Response.objects.create(organization=workshop.organization, participant=participant, scenario=scenario,
                                pre_labels=list(before), pre_understanding=3, post_labels=list(after),
                                post_understanding=5)
    browser = Client(HTTP_ACCEPT_LANGUAGE=language)
    browser.cookies[PARTICIPANT_COOKIE] = token
    return participant, browser


def ask(question="What would have made lunch feel open to you?", share="share"):
    return {"step": "ask", "question_1": question, "share": share}


def again(labels=("loneliness", "hurt"), understanding=6):
    return {"step": "again", "labels": list(labels), "intensity": 4, "understanding": understanding}


def go_through(browser, *, question="What would have made lunch feel open to you?", share="share",
               labels=("loneliness", "hurt")):
    for data in (ask(question, share), {"step": "hear"}, again(labels)):
        response = browser.post(at(2), data)
        assert response.status_code == 302, page_text(response)[:3000]
    return response


def answer(participant):
    with unscoped():
        return Response.objects.get(participant=participant)


def room(workshop, k=K):
    with unscoped():
        return Perspective().room_result(activity_at(workshop, 2), k=k)


def test_it_follows_the_analogy_of_the_same_scenario(db):
    with pytest.raises(ActivityPlanError, match="follows a scenario with analogy"):
        plan_check([ActivityPlan(ActivityKind.PERSPECTIVE, library(LUNCH))])


def test_ask_then_hear_what_they_said_then_answer_once_more(org_a):
    workshop = open_workshop_of(org_a, plan())
    participant, browser = after_the_analogy(workshop, "Robin")
    assert browser.get(reverse("participants:home")).status_code == 200
    first = page_text(browser.get(at(2)))
    assert "What would you ask Mei?" in first
    assert browser.post(at(2), ask())["Location"] == at(2)
    heard = page_text(browser.get(at(2)))
    assert "this is what Mei said" in heard and "It wasn&#x27;t about the ramen" in heard
    assert "What would have made lunch feel open to you?" in heard, "their own questions beside the answer"
    assert browser.post(at(2), {"step": "hear"})["Location"] == at(2)
    third = page_text(browser.get(at(2)))
    assert "Now that you have asked" in third and 'name="labels"' in third
    done = browser.post(at(2), again())
    assert done["Location"] == reverse("participants:done")
    saved = answer(participant)
    assert saved.asked_labels == ["loneliness", "hurt"] and saved.asked_understanding == 6
    assert saved.asked_f1 == pytest.approx(0.8)
    assert (saved.pre_labels, saved.post_labels) == (["anger"], ["hurt"]), "before and after stay as they were"
    facts = record(participant, 2).facts
    assert facts["heard"] is True and facts["asked_intensity"] == 4 and "lunch" not in json.dumps(facts)
    summary = page_text(browser.get(reverse("participants:done")))
    assert "80% after asking" in summary and "0% before the analogy" in summary and "lunch feel open" in summary


def test_without_a_written_answer_the_step_says_so_and_moves_on(org_a):
    workshop = open_workshop_of(org_a, plan(WINE))
    participant, browser = after_the_analogy(workshop, "Robin")
    browser.post(at(2), ask("How did the group chat make you feel?"))
    page = page_text(browser.get(at(2)))
    assert "This scenario has no answer from Jamal written down." in page
    browser.post(at(2), {"step": "hear"})
    assert record(participant, 2).facts["heard"] is False and record(participant, 2).step == "again"


def test_a_korean_participant_reads_the_korean_answer(org_a):
    workshop = open_workshop_of(org_a, plan())
    _participant, browser = after_the_analogy(workshop, "Jiwoo", language="ko")
    browser.post(at(2), ask("점심 같이 가자고 했으면 어땠을까요?"))
    page = page_text(browser.get(at(2)))
    assert escape(library(LUNCH).localized("ko").when_asked) in page and 'lang="ko"' in page


def test_coming_back_mid_way_keeps_what_was_saved(org_a):
    workshop = open_workshop_of(org_a, plan())
    participant, browser = after_the_analogy(workshop, "Robin")
    browser.post(at(2), ask("First question?"))
    browser.post(at(2), {"step": "hear"})
    again_device = Client()
    again_device.cookies = browser.cookies
    assert 'name="labels"' in page_text(again_device.get(at(2)))
    assert 'value="First question?"' in page_text(again_device.get(at(2, "ask")))
    changed = again_device.post(at(2), ask("Second question?"))
    assert changed["Location"] == at(2, "hear")
    assert json.loads(record(participant, 2).content)["questions"] == ["Second question?"]
    assert record(participant, 2).step == "again"
    browser.post(at(2), again(("confusion",), understanding=4))
    back = page_text(browser.get(at(2, "again")))
    assert re.search(r'value="confusion"[^>]* checked', back), "the third answer is shown again"
    assert not re.search(r'value="hurt"[^>]* checked', back)


@pytest.mark.parametrize("kind", sorted(BAD_TEXT))
def test_bad_questions_get_a_message_not_an_error(org_a, kind):
    workshop = open_workshop_of(org_a, plan())
    participant, browser = after_the_analogy(workshop, "Robin")
    response = browser.post(at(2), ask(BAD_TEXT[kind]))
    assert response.status_code == 200 and 'class="field-error"' in page_text(response)
    assert record(participant, 2) is None


def test_a_missing_or_unknown_feeling_gets_a_message(org_a):
    workshop = open_workshop_of(org_a, plan())
    participant, browser = after_the_analogy(workshop, "Robin")
    go_through(browser)
    for bad in ({"step": "again"}, {**again(), "labels": ["<script>"]}, {**again(), "understanding": "99"}):
        response = browser.post(at(2, "again"), bad)
        assert response.status_code == 200 and 'class="field-error"' in page_text(response)
    assert answer(participant).asked_labels == ["loneliness", "hurt"]


@pytest.mark.parametrize("kind", sorted(ODD_TEXT))
def test_odd_questions_are_kept_and_shown_as_text(org_a, kind):
    workshop = open_workshop_of(org_a, plan())
    participant, browser = after_the_analogy(workshop, "Robin")
    browser.post(at(2), ask(ODD_TEXT[kind]))
    assert json.loads(record(participant, 2).content)["questions"] == [ODD_TEXT[kind]]
    assert "<script>alert" not in page_text(browser.get(at(2)))


def test_the_room_sees_before_after_and_asked_only_at_k_and_in_batches(org_a):
    workshop = open_workshop_of(org_a, plan())
    phones = [after_the_analogy(workshop, f"P{n}") for n in range(4)]
    for _participant, browser in phones[:K - 1]:
        go_through(browser)
    assert room(workshop) is None
    go_through(phones[K - 1][1], question="Did you want to come along?")
    result = room(workshop)
    assert result["people"] == K
    assert result["accuracy"] == {"before": 0.0, "after": pytest.approx(0.5), "asked": pytest.approx(0.8)}
    assert result["understanding"] == {"before": 3.0, "after": 5.0, "asked": 6.0}
    assert result["questions"]["asked"] == K and result["questions"]["merged"][0]["people"] == 2
    go_through(phones[K][1], labels=("confusion",))
    assert room(workshop)["people"] == K, "the fourth waits for a batch of k"
    json.dumps(result)


def test_questions_kept_private_never_reach_the_room_or_staff(client, org_a):
    anonymity(org_a, K)
    workshop = open_workshop_of(org_a, plan())
    for n, question in enumerate(("Were you hoping to be asked?", "What would help now?", "Who could ask you?")):
        go_through(after_the_analogy(workshop, f"P{n}")[1], question=question)
    go_through(after_the_analogy(workshop, "Private")[1], question="Xylophonequestion?", share="private")
    result = room(workshop, k=K + 1)
    assert result["people"] == K + 1 and "Xylophonequestion" not in json.dumps(result)
    with unscoped():
        workshop_projector_set(workshop=workshop, mode="result", actor=org_a.facilitator)
    client.force_login(org_a.facilitator)
    projector = page_text(client.get(reverse("facilitator:projector", args=[workshop.public_id])))
    assert "What would help now?" in projector and "after asking" in projector
    for name in ("facilitator:projector", "facilitator:monitor", "facilitator:workshop"):
        assert "Xylophonequestion" not in page_text(client.get(reverse(name, args=[workshop.public_id]))), name


def test_an_outsider_organization_is_refused(client, org_a, org_b):
    workshop = open_workshop_of(org_a, plan())
    for n in range(K):
        go_through(after_the_analogy(workshop, f"P{n}")[1], question="Acme's question?")
    client.force_login(org_b.facilitator)
    assert client.get(reverse("facilitator:projector", args=[workshop.public_id])).status_code == 404
    theirs = open_workshop_of(org_b, plan(), title="Globex")
    _outsider, browser = after_the_analogy(theirs, "Eve")
    assert "Acme&#x27;s question?" not in page_text(browser.get(at(2)))
