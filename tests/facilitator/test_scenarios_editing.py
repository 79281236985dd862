"""Writing, editing (a new version each time) and duplicating scenarios from the facilitator console."""

import pytest
from django.urls import reverse

from facilitator.forms import WorkshopForm
from tests import factories
from workshop.scenarios.models import Scenario
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import organization_scope, unscoped
from workshop.workshops.selectors import workshop_scenarios
from workshop.workshops.services import workshop_create

NARRATIVE = " ".join(["Mina hears about the offsite from a photo; nobody had asked her along."] * 4)


def scenario_form(**changes) -> dict:
    data = {"title": "The offsite photo", "slug": "", "perspective_name": "Mina", "perspective_role": "Designer",
            "narrative": NARRATIVE, "emotions": "hurt 0.7\nloneliness: 50%", "themes": "being left out, Remote work",
            "discussion_prompts": "What would have helped Mina?\n\nWho could have asked her?"}
    data.update(changes)
    return data


def own_scenarios(team, **filters) -> list[Scenario]:
    with unscoped():
        return list(Scenario.objects.filter(organization=team.org, **filters).order_by("slug", "version"))


def test_a_facilitator_writes_a_scenario_that_is_checked_by_the_engine(client, org_a):
    client.force_login(org_a.facilitator)
    response = client.post(reverse("facilitator:scenario_new"), scenario_form())
    [scenario] = own_scenarios(org_a)
    assert response.status_code == 302 and response["Location"] == reverse("facilitator:scenario", args=[scenario.pk])
    assert scenario.slug == "the-offsite-photo" and scenario.version == 1 and scenario.is_current
    assert scenario.emotions == [{"label": "hurt", "intensity": 0.7}, {"label": "loneliness", "intensity": 0.5}]
    assert scenario.themes == ["exclusion", "remote_work"]
    assert scenario.discussion_prompts == ["What would have helped Mina?", "Who could have asked her?"]
    with unscoped():
        assert AuditEvent.objects.filter(organization=org_a.org, action="scenario.create").count() == 1


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"emotions": "hurt 0.7\nhurtt 0.5"}, "emotions", "Line 2: unknown emotion 'hurtt'"),
    ({"emotions": "hurt high"}, "emotions", "Line 1: write the feeling, then its intensity"),
    ({"emotions": "hurt 1.5"}, "emotions", "Line 1: Input should be less than or equal to 1"),
    ({"emotions": "  \n"}, "emotions", "Name at least one feeling"),
    ({"themes": ", ".join(f"theme {i}" for i in range(13))}, "themes", "at most 12 items"),
    ({"title": ""}, "title", "This field is required."),
    ({"slug": "no spaces please"}, "slug", "String should match pattern"),
    ({"perspective_role": "x" * 121}, "perspective_role", "at most 120 characters"),
    ({"discussion_prompts": "\n".join(f"Question {i}?" for i in range(11))}, "discussion_prompts", "at most 10"),
])
def test_a_scenario_form_error_names_the_field_and_saves_nothing(client, org_a, changes, field, message):
    client.force_login(org_a.facilitator)
    response = client.post(reverse("facilitator:scenario_new"), scenario_form(**changes))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    assert own_scenarios(org_a) == []


def test_a_short_name_already_used_in_the_organization_is_refused(client, org_a):
    client.force_login(org_a.facilitator)
    client.post(reverse("facilitator:scenario_new"), scenario_form(slug="offsite"))
    response = client.post(reverse("facilitator:scenario_new"), scenario_form(slug="offsite", title="Other"))
    assert "already has a scenario with this short name" in " ".join(response.context["form"].errors["slug"])
    assert len(own_scenarios(org_a)) == 1


def test_editing_saves_the_next_version_and_a_past_workshop_keeps_the_one_it_saw(client, org_a):
    client.force_login(org_a.facilitator)
    client.post(reverse("facilitator:scenario_new"), scenario_form(slug="offsite"))
    [first] = own_scenarios(org_a)
    with unscoped():
        past = workshop_create(organization_id=org_a.org.id, owner=org_a.facilitator, title="March session",
                               scenarios=[first], capacity=10, generic_share=0)
    edit_url = reverse("facilitator:scenario_edit", args=[first.pk])
    assert client.get(edit_url).context["form"].initial["emotions"] == "hurt 0.7\nloneliness 0.5"
    response = client.post(edit_url, scenario_form(narrative=NARRATIVE + " The next week it happens again."))
    first_again, second = own_scenarios(org_a)
    assert response["Location"] == reverse("facilitator:scenario", args=[second.pk])
    assert (first_again.pk, first_again.version, first_again.is_current) == (first.pk, 1, False)
    assert first_again.narrative == NARRATIVE and first_again.content_hash == first.content_hash
    assert (second.slug, second.version, second.is_current) == ("offsite", 2, True)
    assert second.narrative.endswith("happens again.")
    with unscoped():
        assert [s.pk for s in workshop_scenarios(workshop=past)] == [first.pk]
        assert AuditEvent.objects.get(organization=org_a.org, action="scenario.edit").detail["version"] == 2
    with organization_scope(org_a.org.id):
        offered = set(WorkshopForm().fields["scenarios"].queryset.values_list("pk", flat=True))
    assert second.pk in offered and first.pk not in offered


def test_saving_without_a_change_makes_no_new_version(client, org_a):
    client.force_login(org_a.facilitator)
    client.post(reverse("facilitator:scenario_new"), scenario_form(slug="offsite"))
    [first] = own_scenarios(org_a)
    client.post(reverse("facilitator:scenario_edit", args=[first.pk]), scenario_form())
    assert own_scenarios(org_a) == [first]


def test_an_earlier_version_says_so_and_points_at_the_current_one(client, org_a):
    client.force_login(org_a.facilitator)
    client.post(reverse("facilitator:scenario_new"), scenario_form(slug="offsite"))
    [first] = own_scenarios(org_a)
    client.post(reverse("facilitator:scenario_edit", args=[first.pk]), scenario_form(title="Renamed"))
    page = client.get(reverse("facilitator:scenario", args=[first.pk])).content.decode()
    second = own_scenarios(org_a, version=2)[0]
    assert "earlier version" in page and reverse("facilitator:scenario", args=[second.pk]) in page


def test_a_built_in_scenario_cannot_be_edited_but_its_duplicate_can(client, org_a):
    builtin = factories.builtin_scenarios()[0]
    client.force_login(org_a.facilitator)
    assert client.get(reverse("facilitator:scenario_edit", args=[builtin.pk])).status_code == 404
    assert client.post(reverse("facilitator:scenario_edit", args=[builtin.pk]), scenario_form()).status_code == 404
    response = client.post(reverse("facilitator:scenario_duplicate", args=[builtin.pk]))
    [copy] = own_scenarios(org_a)
    assert response["Location"] == reverse("facilitator:scenario_edit", args=[copy.pk])
    assert copy.slug == f"{builtin.slug}-copy" and copy.version == 1
    assert copy.narrative == builtin.narrative and copy.emotions == builtin.emotions
    client.post(reverse("facilitator:scenario_duplicate", args=[builtin.pk]))
    assert [s.slug for s in own_scenarios(org_a)] == [f"{builtin.slug}-copy", f"{builtin.slug}-copy-2"]
    client.post(reverse("facilitator:scenario_edit", args=[copy.pk]), {
        **scenario_form(), "title": "Our version"})
    with unscoped():
        untouched = Scenario.objects.get(pk=builtin.pk)
        assert untouched.title == builtin.title and untouched.is_current
        assert AuditEvent.objects.filter(organization=org_a.org, action="scenario.duplicate").count() == 2


def test_duplicating_needs_a_post(client, org_a):
    builtin = factories.builtin_scenarios()[0]
    client.force_login(org_a.facilitator)
    assert client.get(reverse("facilitator:scenario_duplicate", args=[builtin.pk])).status_code == 405
    assert own_scenarios(org_a) == []


def test_another_organization_cannot_edit_or_duplicate_our_scenario(client, org_a, org_b):
    client.force_login(org_a.facilitator)
    client.post(reverse("facilitator:scenario_new"), scenario_form(slug="offsite"))
    [ours] = own_scenarios(org_a)
    client.force_login(org_b.admin)
    assert client.get(reverse("facilitator:scenario_edit", args=[ours.pk])).status_code == 404
    assert client.post(reverse("facilitator:scenario_edit", args=[ours.pk]), scenario_form()).status_code == 404
    assert client.post(reverse("facilitator:scenario_duplicate", args=[ours.pk])).status_code == 404
    assert own_scenarios(org_b) == [] and own_scenarios(org_a) == [ours]
