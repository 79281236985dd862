"""Bystander rehearsal: the scenario from a witness's seat, what you would do at the moment (one of the five
options and your own words), acting it out in pairs; the room's responses by option at k, in batches, with
examples only from those who let theirs be shown; the facilitator packet's discussion guide uses the groups."""

import json
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from tests.activities.stepped import (
    BAD_TEXT,
    ODD_TEXT,
    activity_at,
    anonymity,
    at,
    library,
    open_workshop_of,
    page_text,
    phone,
    record,
)
from workshop.activities.bystander import OPTION_HINTS, BystanderOption, BystanderRehearsal, bystander_discussion
from workshop.activities.kinds import ActivityKind
from workshop.debrief.selectors import facilitator_packet_context, participant_packet_context
from workshop.tenancy.scope import unscoped
from workshop.workshops.projector import workshop_projector_set

LEAVES = "leaves-at-four"  # has a witness seat
WINE = "wine-pairing-joke"  # has none
K = 3


def plan(slug=LEAVES):
    return [(ActivityKind.BYSTANDER, slug)]


def respond(option="delay", words="I'd find Daniel later and ask how he is.", share="private"):
    return {"step": "respond", "option": option, "response": words, "share": share}


def go_through(browser, *, option="delay", words="I'd find Daniel later and ask how he is.", share="private",
               rehearsed="did"):
    for data in ({"step": "seat"}, respond(option, words, share), {"step": "rehearse", "rehearsed": rehearsed}):
        response = browser.post(at(1), data)
        assert response.status_code == 302, page_text(response)[:3000]
    return response


def room(workshop, k=K):
    with unscoped():
        return BystanderRehearsal().room_result(activity_at(workshop), k=k)


def test_the_five_options_are_declared_once_with_a_hint_each():
    assert BystanderOption.values == ["direct", "distract", "delegate", "delay", "document"]
    assert set(OPTION_HINTS) == set(BystanderOption)


def test_from_the_seat_to_the_moment_to_acting_it_out(org_a):
    workshop = open_workshop_of(org_a, plan())
    participant, browser = phone(workshop, "Robin")
    seat = page_text(browser.get(at(1)))
    assert escape(library(LEAVES).witness) in seat and "refilling your cup at the coffee machine" in seat
    assert browser.post(at(1), {"step": "seat"})["Location"] == at(1)
    moment = page_text(browser.get(at(1)))
    for option in BystanderOption:
        assert str(option.label) in moment and escape(str(OPTION_HINTS[option])) in moment
    assert browser.post(at(1), respond())["Location"] == at(1)
    pairs = page_text(browser.get(at(1)))
    assert "One of you plays Daniel" in pairs and "We did it" in pairs and "Skip" in pairs
    assert "ask how he is" in pairs, "what they wrote, to say aloud"
    done = browser.post(at(1), {"step": "rehearse", "rehearsed": "did"})
    assert done["Location"] == reverse("participants:done")
    saved = record(participant)
    assert saved.facts["option"] == "delay" and saved.facts["rehearsed"] is True and saved.done_at is not None
    assert not saved.shared, "a response is private until its writer shares it"
    assert "Daniel" not in json.dumps(saved.facts)
    summary = page_text(browser.get(reverse("participants:done")))
    assert "Delay" in summary and "ask how he is" in summary and "You acted it out with a partner." in summary


def test_a_scenario_without_a_witness_seat_puts_you_beside_the_person_as_a_colleague(org_a):
    workshop = open_workshop_of(org_a, plan(WINE))
    _participant, browser = phone(workshop, "Robin")
    assert "You were there: a colleague of Jamal&#x27;s who saw it happen." in page_text(browser.get(at(1)))


def test_a_korean_phone_takes_the_korean_seat(org_a):
    workshop = open_workshop_of(org_a, plan(), language="ko")
    _participant, browser = phone(workshop, "Jiwoo", language="ko")
    assert escape(library(LEAVES).localized("ko").witness) in page_text(browser.get(at(1)))


def test_skipping_the_rehearsal_is_fine(org_a):
    workshop = open_workshop_of(org_a, plan())
    participant, browser = phone(workshop, "Robin")
    go_through(browser, rehearsed="skip")
    assert record(participant).facts["rehearsed"] is False and record(participant).done_at is not None


def test_coming_back_mid_way_keeps_what_was_saved(org_a):
    workshop = open_workshop_of(org_a, plan())
    participant, browser = phone(workshop, "Robin")
    browser.post(at(1), {"step": "seat"})
    browser.post(at(1), respond("document", "I'd write down what she said."))
    assert "We did it" in page_text(browser.get(at(1)))
    back = page_text(browser.get(at(1, "respond")))
    assert "I&#x27;d write down what she said." in back
    assert re.search(r'value="document"[^>]* checked', back)
    assert browser.post(at(1), respond("direct", "I'd say it is not fair."))["Location"] == at(1)
    assert record(participant).facts["option"] == "direct" and record(participant).step == "rehearse"


@pytest.mark.parametrize("data, message", [
    (respond(option=""), "Choose the option closest to what you would do."),
    (respond(option="shout"), "Select a valid choice."),
    (respond(words="   "), "Write what you would say or do."),
    (respond(words=BAD_TEXT["huge"]), "at most 600 characters"),
    (respond(words=BAD_TEXT["nul"]), "Null characters are not allowed."),
    ({"step": "rehearse", "rehearsed": "maybe"}, None),
])
def test_bad_input_gets_a_message_not_an_error(org_a, data, message):
    workshop = open_workshop_of(org_a, plan())
    participant, browser = phone(workshop, "Robin")
    browser.post(at(1), {"step": "seat"})
    if data["step"] == "rehearse":
        browser.post(at(1), respond())
    response = browser.post(at(1), data)
    assert response.status_code == 200
    if message:
        assert escape(message) in page_text(response)
    assert record(participant).done_at is None


@pytest.mark.parametrize("kind", sorted(ODD_TEXT))
def test_odd_responses_are_kept_and_shown_as_text(org_a, kind):
    workshop = open_workshop_of(org_a, plan())
    participant, browser = phone(workshop, "Robin")
    browser.post(at(1), {"step": "seat"})
    browser.post(at(1), respond(words=ODD_TEXT[kind]))
    assert json.loads(record(participant).content)["response"] == ODD_TEXT[kind]
    assert "<script>alert" not in page_text(browser.get(at(1)))


def test_the_room_sees_its_responses_by_option_only_at_k_and_in_batches(org_a):
    workshop = open_workshop_of(org_a, plan())
    phones = [phone(workshop, f"P{n}") for n in range(5)]
    choices = [("direct", "share"), ("direct", "private"), ("delay", "share"), ("distract", "share"),
               ("document", "share")]
    for (_participant, browser), (option, share) in zip(phones[:K - 1], choices, strict=False):
        go_through(browser, option=option, words=f"My {option} words", share=share)
    assert room(workshop) is None
    go_through(phones[K - 1][1], option="delay", words="Later I'd ask him", share="share")
    result = room(workshop)
    assert result["people"] == K and [o["key"] for o in result["options"]] == BystanderOption.values
    by = {o["key"]: o for o in result["options"]}
    assert (by["direct"]["people"], by["delay"]["people"], by["document"]["people"]) == (2, 1, 0)
    assert by["direct"]["examples"] == ["My direct words"], "only the one who let theirs be shown"
    assert by["delay"]["examples"] == ["Later I'd ask him"] and by["direct"]["hint"]
    go_through(phones[K][1], option="distract")
    assert room(workshop)["people"] == K, "one more waits for a batch of k"
    json.dumps(result)


def test_answering_but_not_yet_rehearsing_counts_and_rehearsing_moves_nothing(org_a):
    workshop = open_workshop_of(org_a, plan())
    browsers = [phone(workshop, f"P{n}")[1] for n in range(K)]
    for browser in browsers:
        browser.post(at(1), {"step": "seat"})
        browser.post(at(1), respond("delegate", share="share"))
    before = room(workshop)
    assert before["people"] == K
    browsers[0].post(at(1), {"step": "rehearse", "rehearsed": "did"})
    assert room(workshop) == before, "the rehearsal is not shown to the room, so it never holds the result back"


def test_staff_never_see_a_response_kept_private_and_the_packet_groups_them(client, org_a):
    anonymity(org_a, K)
    workshop = open_workshop_of(org_a, plan())
    for n, option in enumerate(("direct", "delegate", "delay")):
        go_through(phone(workshop, f"P{n}")[1], option=option, words=f"Shared response {option}", share="share")
    go_through(phone(workshop, "Private")[1], option="direct", words="Marzipansecret response", share="private")
    with unscoped():
        workshop_projector_set(workshop=workshop, mode="result", actor=org_a.facilitator)
    client.force_login(org_a.facilitator)
    projector = page_text(client.get(reverse("facilitator:projector", args=[workshop.public_id])))
    assert "Shared response direct" in projector
    for name in ("facilitator:projector", "facilitator:monitor", "facilitator:workshop"):
        assert "Marzipansecret" not in page_text(client.get(reverse(name, args=[workshop.public_id]))), name
    with unscoped():
        [discussion] = bystander_discussion(workshop=workshop, k=K)
        context = facilitator_packet_context(workshop=workshop)
        html = render_to_string("pdf/facilitator_packet.html", context)
    assert discussion["result"]["people"] == K + 1
    assert "Shared response delegate" in html and "Marzipansecret" not in html
    assert "Bystander rehearsal" in html and "Start with the option fewest people chose" in html


def test_below_k_the_packet_says_why_it_shows_no_groups(org_a):
    workshop = open_workshop_of(org_a, plan())
    go_through(phone(workshop, "Only")[1], words="Alone here", share="share")
    with unscoped():
        html = render_to_string("pdf/facilitator_packet.html", facilitator_packet_context(workshop=workshop))
    assert "Alone here" not in html and "The room's responses are not shown: fewer than 5 people answered." in html


def test_my_packet_has_my_response_and_nobody_elses(org_a):
    workshop = open_workshop_of(org_a, plan())
    me, mine = phone(workshop, "Robin")
    go_through(mine, words="Robin's own words")
    other, theirs = phone(workshop, "Sam")
    go_through(theirs, words="Sam's own words", share="share")
    with unscoped():
        html = render_to_string("pdf/participant_packet.html", participant_packet_context(participant=me))
    assert "Robin&#x27;s own words" in html and "Sam&#x27;s own words" not in html and "Delay" in html


def test_an_outsider_organization_is_refused(client, org_a, org_b):
    workshop = open_workshop_of(org_a, plan())
    for n in range(K):
        go_through(phone(workshop, f"P{n}")[1], words="Acme response", share="share")
    client.force_login(org_b.facilitator)
    assert client.get(reverse("facilitator:projector", args=[workshop.public_id])).status_code == 404
    theirs = open_workshop_of(org_b, plan(), title="Globex")
    _outsider, browser = phone(theirs, "Eve")
    assert "Acme response" not in page_text(browser.get(at(1)))
    with unscoped():
        assert bystander_discussion(workshop=theirs, k=K)[0]["result"] is None
