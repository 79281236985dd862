"""The join link is passed around (projected, forwarded, photographed): its page names no facilitator's login
name, which is half of their credentials. It shows the facilitator's display name when they have one, and the
organization's name."""

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests import factories
from workshop.tenancy.scope import unscoped
from workshop.workshops.services import workshop_close


def join_page(workshop) -> str:
    return Client().get(reverse("participants:join", args=[workshop.join_token])).content.decode()


def test_the_join_page_never_shows_the_facilitators_login_name(org_a):
    workshop = factories.open_workshop(org_a)
    page = join_page(workshop)
    assert org_a.facilitator.username not in page
    assert org_a.org.name in page


def test_the_join_page_shows_the_facilitators_display_name_when_they_have_one(org_a):
    with unscoped():
        get_user_model().objects.filter(pk=org_a.facilitator.pk).update(first_name="Dana", last_name="Kim")
    page = join_page(factories.open_workshop(org_a))
    assert "Run by Dana Kim" in page and org_a.facilitator.username not in page


def test_a_closed_workshops_join_page_names_no_login_either(org_a):
    workshop = factories.open_workshop(org_a)
    with unscoped():
        workshop_close(workshop=workshop, actor=org_a.facilitator)
    response = Client().get(reverse("participants:join", args=[workshop.join_token]))
    assert response.status_code == 410 and org_a.facilitator.username not in response.content.decode()
