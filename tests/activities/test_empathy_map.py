"""The empathy map: Dave Gray's order one short step at a time, each note marked as in the scenario or assumed,
the "ask, don't assume" lane; the room's combined map (near-duplicates merged, in English and Korean) only at
k and in batches of k, from maps their authors let count; staff never see a map that was kept private."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.activities.stepped import (
    BAD_TEXT,
    ODD_TEXT,
    activity_at,
    anonymity,
    at,
    open_workshop_of,
    page_text,
    phone,
    record,
)
from workshop.activities.empathy_map import EmpathyMap
from workshop.activities.notes import content_words, notes_merge
from workshop.tenancy.scope import unscoped
from workshop.workshops.projector import workshop_projector_set

MAP = [("empathy_map", "lunch-plans-in-the-side-channel")]
K = 3


def goal(text="To belong in the team", source="scenario"):
    return {"step": "goal", "goal_1": text, "goal_1_source": source}


OBSERVE = {"step": "observe", "see_1": "Empty desks at lunch", "see_1_source": "scenario",
           "hear_1": "Come sometime", "hear_1_source": "scenario"}


def inside(feeling="Feels left out", source="assumption"):
    return {"step": "inside", "think_feel_1": feeling, "think_feel_1_source": source,
            "pains_1": "Being the only one not asked", "pains_1_source": "assumption"}


def ask(question="Would you like to join us for lunch?", share="share"):
    return {"step": "ask", "question_1": question, "share": share}


def fill(browser, *, feeling="Feels left out", question="Would you like to join us for lunch?", share="share"):
    for data in (goal(), OBSERVE, inside(feeling), ask(question, share)):
        response = browser.post(at(1), data)
        assert response.status_code == 302, page_text(response)[:2000]
    return response


def room(workshop, k=K):
    with unscoped():
        return EmpathyMap().room_result(activity_at(workshop), k=k)


def test_a_participant_fills_the_map_in_dave_grays_order_one_step_at_a_time(org_a):
    workshop = open_workshop_of(org_a, MAP)
    participant, browser = phone(workshop, "Robin")
    first = page_text(browser.get(at(1)))
    assert "What does Mei need here?" in first and "In the scenario" in first and "My assumption" in first
    prompts = {"observe": "What does Mei see around them?", "inside": "What might Mei think and feel",
               "ask": "what would you ask Mei"}
    for data, next_step in ((goal(), "observe"), (OBSERVE, "inside"), (inside(), "ask")):
        response = browser.post(at(1), data)
        assert response.status_code == 302 and response["Location"] == at(1)
        assert record(participant).step == next_step
        assert prompts[next_step] in page_text(browser.get(at(1)))
    done = browser.post(at(1), ask())
    assert done["Location"] == reverse("participants:done")
    saved = record(participant)
    assert saved.done_at is not None and saved.shared
    words = json.loads(saved.content)
    assert words["notes"]["goal"] == [{"text": "To belong in the team", "source": "scenario"}]
    assert words["notes"]["think_feel"] == [{"text": "Feels left out", "source": "assumption"}]
    assert words["questions"] == ["Would you like to join us for lunch?"]
    assert saved.facts["notes"]["see"] == {"scenario": 1, "assumption": 0}
    assert "Empty desks" not in json.dumps(saved.facts), "facts hold counts, never anyone's words"
    summary = page_text(browser.get(reverse("participants:done")))
    assert "Feels left out" in summary and "my assumption" in summary and "join us for lunch" in summary


def test_coming_back_mid_way_keeps_what_was_saved(org_a):
    workshop = open_workshop_of(org_a, MAP)
    participant, browser = phone(workshop, "Robin")
    browser.post(at(1), goal())
    browser.post(at(1), OBSERVE)
    other_device = Client()  # the same person on another device (their personal link gives the same cookie)
    other_device.cookies = browser.cookies
    assert "What might Mei think and feel" in page_text(other_device.get(at(1)))
    back = page_text(other_device.get(at(1, "goal")))
    assert 'value="To belong in the team"' in back
    assert re.search(r'name="goal_1_source" value="scenario"[^>]* checked', back)
    assert "What might Mei think and feel" in page_text(other_device.get(at(1, "ask"))), "no skipping ahead"
    changed = other_device.post(at(1), goal("To be asked, not assumed", "assumption"))
    assert changed["Location"] == at(1, "observe")
    words = json.loads(record(participant).content)
    assert words["notes"]["goal"] == [{"text": "To be asked, not assumed", "source": "assumption"}]
    assert words["notes"]["see"] == [{"text": "Empty desks at lunch", "source": "scenario"}], "kept"
    assert record(participant).step == "inside"


def test_each_note_says_where_it_comes_from_and_a_step_needs_a_note(org_a):
    workshop = open_workshop_of(org_a, MAP)
    participant, browser = phone(workshop, "Robin")
    unmarked = browser.post(at(1), {"step": "goal", "goal_1": "To belong"})
    assert unmarked.status_code == 200 and "Is this in the scenario, or your assumption?" in page_text(unmarked)
    empty = browser.post(at(1), {"step": "goal"})
    assert empty.status_code == 200 and "Write at least one note." in page_text(empty)
    assert record(participant) is None


@pytest.mark.parametrize("kind", sorted(BAD_TEXT))
def test_bad_input_gets_a_message_not_an_error(org_a, kind):
    workshop = open_workshop_of(org_a, MAP)
    participant, browser = phone(workshop, "Robin")
    response = browser.post(at(1), goal(BAD_TEXT[kind]))
    assert response.status_code == 200
    assert 'class="field-error"' in page_text(response)
    assert record(participant) is None
    question = browser.post(at(1), {**ask(BAD_TEXT[kind]), "step": "goal"})
    assert question.status_code == 200


@pytest.mark.parametrize("kind", sorted(ODD_TEXT))
def test_html_emoji_and_right_to_left_notes_are_kept_and_shown_as_text(org_a, kind):
    workshop = open_workshop_of(org_a, MAP)
    participant, browser = phone(workshop, "Robin")
    browser.post(at(1), goal(ODD_TEXT[kind] + "\u202e"))
    assert json.loads(record(participant).content)["notes"]["goal"][0]["text"] == ODD_TEXT[kind], \
        "kept as typed, without the direction override"
    shown = page_text(browser.get(at(1, "goal")))
    assert "<script>alert" not in shown and "<b>bold</b>" not in shown


def test_the_room_map_appears_only_at_k_and_changes_in_batches_of_k(org_a):
    workshop = open_workshop_of(org_a, MAP)
    phones = [phone(workshop, f"P{n}") for n in range(6)]
    for _participant, browser in phones[:K - 1]:
        fill(browser)
    assert room(workshop) is None
    fill(phones[K - 1][1])
    result = room(workshop)
    assert result["people"] == K and result["kind"] == "empathy_map"
    assert [p["key"] for p in result["parts"]] == ["goal", "see", "say", "do", "hear", "think_feel", "pains", "gains"]
    fill(phones[K][1], feeling="Wonders what she did wrong")
    assert room(workshop)["people"] == K, "one more person waits for a batch of k"
    assert "Wonders" not in json.dumps(room(workshop))
    for _participant, browser in phones[K + 1:]:
        fill(browser)
    assert room(workshop)["people"] == 6
    json.dumps(room(workshop))  # plain JSON for the projector


def test_merged_notes_carry_their_counts_and_the_share_of_assumptions(org_a):
    workshop = open_workshop_of(org_a, MAP)
    for n, feeling in enumerate(("Feels left out", "she feels left out of the team", "Left out.")):
        fill(phone(workshop, f"P{n}")[1], feeling=feeling)
    think = next(p for p in room(workshop)["parts"] if p["key"] == "think_feel")
    assert think["merged"] == [{"text": "Left out.", "people": 3, "assumptions": 3}]
    assert (think["notes"], think["assumptions"], think["assumption_share"]) == (3, 3, 1.0)
    see = next(p for p in room(workshop)["parts"] if p["key"] == "see")
    assert see["assumption_share"] == 0.0 and see["merged"][0]["people"] == 3
    say = next(p for p in room(workshop)["parts"] if p["key"] == "say")
    assert say == {**say, "notes": 0, "assumption_share": None, "merged": []}


def test_korean_notes_merge_on_their_morphemes(org_a):
    workshop = open_workshop_of(org_a, MAP, language="ko")
    for n, feeling in enumerate(("팀장이 무시했다", "팀장님한테 무시당함", "점심에 안 불러줘서 서운함")):
        fill(phone(workshop, f"P{n}", language="ko")[1], feeling=feeling)
    think = next(p for p in room(workshop)["parts"] if p["key"] == "think_feel")
    merged = {(m["text"], m["people"]) for m in think["merged"]}
    assert merged == {("팀장이 무시했다", 2), ("점심에 안 불러줘서 서운함", 1)}


@pytest.mark.parametrize("same, other", [
    (("He feels left out", "feels left out of the team"), "wants to be invited"),
    (("소외감을 느낀다", "소외감 느낌"), "점심에 안 불러줘서 서운함"),
    (("점심에 안 불러줘서 서운함", "점심에 같이 가자고 안 해서 서운하다"), "팀장이 무시했다"),
    (("😢", "😢 "), "🙈"),
])
def test_near_duplicates_merge_and_different_notes_do_not(same, other):
    merged = notes_merge([(text, n, False) for n, text in enumerate((*same, other))])
    assert sorted(m.people for m in merged) == [1, 2]
    assert content_words(same[0]) & content_words(same[1]) or not content_words(same[0])


def test_only_maps_their_authors_let_count_are_in_it_and_staff_never_see_the_others(client, org_a):
    anonymity(org_a, K)
    workshop = open_workshop_of(org_a, MAP)
    for n, feeling in enumerate(("Shared loneliness", "Shared confusion", "Shared hurt")):
        fill(phone(workshop, f"P{n}")[1], feeling=feeling)
    private, browser = phone(workshop, "Private")
    fill(browser, feeling="Zanzibarsecret", question="Quuxquestion?", share="private")
    assert not record(private).shared
    result = json.dumps(room(workshop))
    assert "Zanzibarsecret" not in result and "Quuxquestion" not in result and room(workshop)["people"] == K
    with unscoped():
        workshop_projector_set(workshop=workshop, mode="result", actor=org_a.facilitator)
    client.force_login(org_a.facilitator)
    projector = page_text(client.get(reverse("facilitator:projector", args=[workshop.public_id])))
    assert "Shared loneliness" in projector, "the projector shows the room's map"
    for url in (reverse("facilitator:projector", args=[workshop.public_id]),
                reverse("facilitator:monitor", args=[workshop.public_id]),
                reverse("facilitator:workshop", args=[workshop.public_id])):
        assert "Zanzibarsecret" not in page_text(client.get(url)), url
    private_summary = page_text(browser.get(reverse("participants:done")))
    assert "Zanzibarsecret" in private_summary and "You kept your map to yourself." in private_summary


def test_another_participant_never_sees_my_map(org_a):
    workshop = open_workshop_of(org_a, MAP)
    _me, mine = phone(workshop, "Robin")
    fill(mine, feeling="Mine alone", share="private")
    _other, theirs = phone(workshop, "Sam")
    assert "Mine alone" not in page_text(theirs.get(reverse("participants:done")))
    assert "Mine alone" not in page_text(theirs.get(at(1)))


def test_an_outsider_organization_is_refused(client, org_a, org_b):
    workshop = open_workshop_of(org_a, MAP)
    for n in range(K):
        fill(phone(workshop, f"P{n}")[1], feeling="Acme only")
    client.force_login(org_b.facilitator)
    for name in ("facilitator:projector", "facilitator:monitor"):
        response = client.get(reverse(name, args=[workshop.public_id]))
        assert response.status_code == 404 and "Acme only" not in page_text(response)
    theirs = open_workshop_of(org_b, MAP, title="Globex")
    _outsider, browser = phone(theirs, "Eve")
    assert "Acme only" not in page_text(browser.get(at(1)))
    with unscoped():
        assert EmpathyMap().room_result(activity_at(theirs), k=K) is None
