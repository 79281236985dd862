"""The short join code: typed at /go (or the site's front page) or put in the address (/go/<code>), it leads to
the workshop's join link. Case, spaces and dashes are forgiven; an unknown code gets a clear page with a 404;
look-ups are limited per address like joins; a new join link brings a new code."""

import secrets

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import SHORT_CODE_ALPHABET, Workshop
from workshop.workshops.services import workshop_join_token_rotate
from workshop.workshops.short_code import short_code_normalize, short_code_shown


def fresh_address() -> str:
    return "10." + ".".join(str(secrets.randbelow(250) + 1) for _ in range(3))


def phone() -> Client:
    return Client(REMOTE_ADDR=fresh_address())


def join_link(workshop) -> str:
    return reverse("participants:join", args=[workshop.join_token])


def sloppy(code: str) -> str:
    """As someone types it off the screen: lower case, a space in the middle, a dash, spaces around."""
    return f"  {code[:3].lower()} -{code[3:].lower()} "


def test_a_code_typed_in_lower_case_with_spaces_and_dashes_leads_to_the_join_link(workshop_a):
    response = phone().post(reverse("participants:go"), {"code": sloppy(workshop_a.short_code)})

    assert response.status_code == 302 and response["Location"] == join_link(workshop_a)


def test_the_code_in_the_address_leads_to_the_join_link_too(workshop_a):
    for path in (f"/go/{workshop_a.short_code.lower()}", f"/go/{workshop_a.short_code}/"):
        response = phone().get(path)
        assert response.status_code == 302 and response["Location"] == join_link(workshop_a)


def test_the_go_page_asks_for_the_code(workshop_a):
    body = phone().get("/go").content.decode()

    assert 'name="code"' in body and "Code on the screen" in body


def test_full_width_letters_from_a_phone_keyboard_are_read_as_the_code(workshop_a):
    wide = "".join(chr(ord(c) + 0xFEE0) for c in workshop_a.short_code)  # 'Ａ' for 'A', '３' for '3'

    response = phone().post(reverse("participants:go"), {"code": wide})

    assert response["Location"] == join_link(workshop_a)


@pytest.mark.parametrize("typed", ["QQQQQQ", "ABC", "K7MXQ4K7MXQ4", "OOOOOO"])
def test_an_unknown_code_gets_a_clear_message_and_404(workshop_a, typed):
    if typed == "QQQQQQ" and workshop_a.short_code == typed:
        pytest.skip("the one code in 244 million")
    for response in (phone().post(reverse("participants:go"), {"code": typed}), phone().get(f"/go/{typed}")):
        body = response.content.decode()
        assert response.status_code in (400, 404)
        assert 'role="alert"' in body and ("No open workshop has this code" in body or "six letters" in body)
    assert phone().get(f"/go/{typed}").status_code == 404


@pytest.mark.parametrize("typed", ["\x00\x00\x00\x00\x00\x00", "<script>alert(1)</script>", "A" * 100_000,
                                   "💥💥💥💥💥💥", ""])
def test_hostile_input_gets_the_page_with_a_message_never_a_500(workshop_a, typed):
    response = phone().post(reverse("participants:go"), {"code": typed})
    body = response.content.decode()

    assert response.status_code in (400, 404)
    assert 'role="alert"' in body and "<script>alert(1)</script>" not in body


def test_a_draft_or_closed_workshop_is_not_found_by_its_code(org_a):
    with unscoped():
        draft = factories.open_workshop(org_a, title="Not yet")
        Workshop.objects.filter(pk=draft.pk).update(state=Workshop.State.DRAFT)
        closed = factories.open_workshop(org_a, title="Over")
        Workshop.objects.filter(pk=closed.pk).update(state=Workshop.State.CLOSED)

    for workshop in (draft, closed):
        response = phone().post(reverse("participants:go"), {"code": workshop.short_code})
        assert response.status_code == 404 and "No open workshop has this code" in response.content.decode()


def test_a_new_join_link_brings_a_new_code_and_the_old_one_stops_working(org_a, workshop_a):
    old_code, old_token = workshop_a.short_code, workshop_a.join_token
    with unscoped():
        rotated = workshop_join_token_rotate(workshop=workshop_a, actor=org_a.facilitator)

    assert rotated.short_code != old_code and rotated.join_token != old_token
    assert phone().get(f"/go/{old_code}").status_code == 404
    assert phone().get(f"/go/{rotated.short_code}")["Location"] == join_link(rotated)


def test_each_organizations_code_leads_to_its_own_workshop(workshop_a, org_b):
    workshop_b = factories.open_workshop(org_b, title="Globex session")

    assert phone().get(f"/go/{workshop_b.short_code}")["Location"] == join_link(workshop_b)
    assert phone().get(f"/go/{workshop_a.short_code}")["Location"] == join_link(workshop_a)


def test_codes_tried_from_one_address_are_limited_like_joins(settings, workshop_a):
    settings.JOIN_RATE_LIMIT = (3, 60)
    guesser = phone()
    for _ in range(3):
        assert guesser.post(reverse("participants:go"), {"code": "QQQQQQ"}).status_code in (302, 404)

    refused = guesser.post(reverse("participants:go"), {"code": workshop_a.short_code})

    assert refused.status_code == 429 and "too many tries" in refused.content.decode()
    assert guesser.get(f"/go/{workshop_a.short_code}").status_code == 429
    assert phone().get(f"/go/{workshop_a.short_code}").status_code == 302, "another address is not limited"


def test_the_front_page_offers_the_code_box_to_people_who_are_not_signed_in(client, org_a, workshop_a):
    body = client.get("/").content.decode()

    assert f'action="{reverse("participants:go")}"' in body and 'name="code"' in body
    assert 'name="username"' in body, "facilitators still sign in here"
    client.force_login(org_a.facilitator)
    assert client.get("/")["Location"] == reverse("facilitator:home")


def test_the_go_page_follows_the_language_switch_and_remembers_it_for_joining(workshop_a):
    visitor = phone()
    body = visitor.get("/go?lang=ko").content.decode()

    assert '<html lang="ko">' in body
    joined = visitor.get(visitor.post(reverse("participants:go"), {"code": workshop_a.short_code})["Location"])
    assert joined["Content-Language"] == "ko"


def test_codes_use_only_the_alphabet_without_look_alikes_and_read_in_two_groups():
    assert set(SHORT_CODE_ALPHABET).isdisjoint("0O1IL2Z5S8B")
    assert short_code_normalize("k7m-xq4") == "K7MXQ4" and short_code_shown("K7MXQ4") == "K7M XQ4"
    assert short_code_normalize("K7MXQ5") is None, "5 is not in the alphabet (it looks like S)"
