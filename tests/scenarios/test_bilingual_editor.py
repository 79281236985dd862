"""The scenario editor in two languages: the story in its own language, and the other language's version."""

import pytest
from django.urls import reverse

from tests.facilitator.test_scenarios_editing import NARRATIVE, own_scenarios, scenario_form
from workshop.scenarios.themes import theme_labels, themes_normalize

KO_NARRATIVE = " ".join(["미나는 사진을 보고서야 워크숍 소식을 알았다. 아무도 미나에게 같이 가자고 하지 않았다."] * 3)
KOREAN = {"tr_title": "워크숍 사진", "tr_perspective_name": "김미나", "tr_perspective_role": "디자이너",
          "tr_narrative": KO_NARRATIVE, "tr_themes": "소외, 재택근무",
          "tr_discussion_prompts": "미나에게 무엇이 도움이 되었을까요?\n\n누가 먼저 물어볼 수 있었을까요?"}


def test_a_facilitator_writes_the_korean_version_beside_the_english_one(client, org_a):
    client.force_login(org_a.facilitator)
    form = client.get(reverse("facilitator:scenario_new")).content.decode()
    assert "한국어 version (optional)" in form and 'lang="ko"' in form
    response = client.post(reverse("facilitator:scenario_new"), scenario_form(**KOREAN))
    assert response.status_code == 302, response.context["form"].errors
    [scenario] = own_scenarios(org_a)
    assert scenario.language == "en" and scenario.narrative == NARRATIVE
    assert scenario.translations == {"ko": {
        "title": "워크숍 사진", "narrative": KO_NARRATIVE, "perspective_name": "김미나", "perspective_role": "디자이너",
        "themes": themes_normalize(["소외", "재택근무"]),
        "discussion_prompts": ["미나에게 무엇이 도움이 되었을까요?", "누가 먼저 물어볼 수 있었을까요?"]}}
    assert scenario.to_spec_dict("ko")["narrative"] == KO_NARRATIVE


def test_editing_shows_the_korean_version_and_saves_a_change_to_it_as_a_new_version(client, org_a):
    client.force_login(org_a.facilitator)
    client.post(reverse("facilitator:scenario_new"), scenario_form(slug="photo", **KOREAN))
    [first] = own_scenarios(org_a)
    edit_url = reverse("facilitator:scenario_edit", args=[first.pk])
    initial = client.get(edit_url).context["form"].initial
    assert initial["tr_narrative"] == KO_NARRATIVE
    assert initial["tr_themes"] == ", ".join(theme_labels(themes_normalize(["소외", "재택근무"])))
    client.post(edit_url, scenario_form(**{**KOREAN, "tr_title": "워크숍 단체 사진"}))
    second = own_scenarios(org_a, is_current=True)[0]
    assert (second.version, second.translations["ko"]["title"], second.title) == (2, "워크숍 단체 사진", first.title)
    client.post(reverse("facilitator:scenario_edit", args=[second.pk]),
                scenario_form(**{**KOREAN, "tr_title": "워크숍 단체 사진"}))
    assert len(own_scenarios(org_a)) == 2, "nothing changed, no new version"


def test_the_korean_version_is_optional_and_may_be_partial(client, org_a):
    client.force_login(org_a.facilitator)
    client.post(reverse("facilitator:scenario_new"), scenario_form(slug="none"))
    client.post(reverse("facilitator:scenario_new"), scenario_form(slug="title-only", tr_title="워크숍 사진"))
    none, title_only = own_scenarios(org_a)
    assert none.translations == {}
    assert title_only.translations == {"ko": {"title": "워크숍 사진"}}
    text = title_only.localized("ko")
    assert (text.title, text.narrative, text.language) == ("워크숍 사진", NARRATIVE, "en")


def test_a_scenario_written_in_korean_first_takes_its_english_version_below(client, org_a):
    client.force_login(org_a.facilitator)
    form = client.get(reverse("facilitator:scenario_new"), HTTP_ACCEPT_LANGUAGE="ko").context["form"]
    assert form.initial["language"] == "ko" and form.translation_language == "en", "a Korean console writes Korean"
    response = client.post(reverse("facilitator:scenario_new"), scenario_form(
        language="ko", title="워크숍 사진", perspective_name="김미나", perspective_role="디자이너",
        narrative=KO_NARRATIVE, themes="소외, exclusion", discussion_prompts="미나에게 무엇이 필요했을까요?",
        tr_title="The offsite photo", tr_narrative=NARRATIVE, tr_perspective_name="Mina Kim"))
    assert response.status_code == 302, response.context["form"].errors
    [scenario] = own_scenarios(org_a)
    assert scenario.language == "ko" and scenario.title == "워크숍 사진"
    assert scenario.translations["en"] == {"title": "The offsite photo", "narrative": NARRATIVE,
                                           "perspective_name": "Mina Kim"}
    edit = client.get(reverse("facilitator:scenario_edit", args=[scenario.pk])).content.decode()
    assert "English version (optional)" in edit and "The offsite photo" in edit


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"narrative": KO_NARRATIVE}, "narrative", "This story reads as 한국어, but it is marked as English"),
    ({"tr_narrative": NARRATIVE}, "tr_narrative", "This story reads as English, but it is marked as 한국어"),
    ({"tr_narrative": "미" * 5001}, "tr_narrative", "at most 5000 characters"),
    ({"tr_perspective_role": "디" * 121}, "tr_perspective_role", "at most 120 characters"),
    ({"tr_themes": ", ".join(f"주제 {i}" for i in range(13))}, "tr_themes", "at most 12 items"),
    ({"tr_discussion_prompts": "\n".join(f"질문 {i}인가요?" for i in range(11))}, "tr_discussion_prompts",
     "at most 10"),
])
def test_a_korean_version_error_names_its_field_and_saves_nothing(client, org_a, changes, field, message):
    client.force_login(org_a.facilitator)
    response = client.post(reverse("facilitator:scenario_new"), scenario_form(**{**KOREAN, **changes}))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    assert own_scenarios(org_a) == []


def test_an_outsider_cannot_edit_another_organizations_scenario_in_either_language(client, org_a, org_b):
    client.force_login(org_a.facilitator)
    client.post(reverse("facilitator:scenario_new"), scenario_form(slug="photo", **KOREAN))
    [scenario] = own_scenarios(org_a)
    client.force_login(org_b.facilitator)
    edit_url = reverse("facilitator:scenario_edit", args=[scenario.pk])
    assert client.get(edit_url).status_code == 404
    assert client.post(edit_url, scenario_form(**{**KOREAN, "tr_title": "빼앗긴 제목"})).status_code == 404
    assert [s.translations["ko"]["title"] for s in own_scenarios(org_a)] == ["워크숍 사진"]
