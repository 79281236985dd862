"""The follow-up check-in: the personal link offers it only once the workshop's follow-up days have passed
(tested with a moved clock), also after the workshop is closed; it asks whether they tried it and shows one new
vignette without an analogy, answered and scored like a scenario."""

from datetime import timedelta

import pytest
import yaml
from django.utils import timezone

from tests.activities.lab import activity_of, lab_path, lab_workshop, phones
from workshop.activities.commitment_services import (
    VIGNETTES,
    CommitmentRefused,
    followup_save,
    followup_vignette,
    vignette_get,
)
from workshop.activities.flow import participant_place
from workshop.activities.kinds import ActivityKind
from workshop.engine import EMOTIONS
from workshop.participants.instruments import emotion_name
from workshop.participants.models import ActivityRecord, Participant
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop
from workshop.workshops.services import workshop_close

pytestmark = pytest.mark.django_db

VIGNETTE_IDS = [v["id"] for v in yaml.safe_load(VIGNETTES.read_text(encoding="utf-8"))]

COMMITMENT = {"prompt": "", "situation": "someone joins our stand-up by video", "action": "ask them first"}


@pytest.fixture
def committed(org_a):
    workshop = lab_workshop(org_a, kinds=(ActivityKind.COMMITMENT,), title="Follow-up session")
    activity = activity_of(workshop, ActivityKind.COMMITMENT)
    (ada,) = phones(workshop, ["Ada"])
    ada.post(lab_path(activity), COMMITMENT)
    return workshop, activity, ada


@pytest.fixture
def clock(monkeypatch):
    """Moves django.utils.timezone.now by some days from the real now."""
    real = timezone.now

    def move(**delta):
        monkeypatch.setattr(timezone, "now", lambda: real() + timedelta(**delta))

    return move


def _resume(phone):
    """The personal link, as it would be opened a week later on any device."""
    response = phone.client.get(f"/r/{phone.token}/")
    assert response.status_code == 302 and response.url == "/p/"
    return phone.client.get("/p/").content.decode()


def _answer(phone, activity, tried="partly"):
    with unscoped():
        participant = Participant.objects.get(pk=phone.id)
        vignette = followup_vignette(participant=participant, activity=activity, language="en")
    return vignette, phone.post(lab_path(activity), {"tried": tried, "labels": list(vignette.targets[:2]),
                                                     "intensity": 4, "understanding": 5})


def test_the_check_in_does_not_appear_before_the_follow_up_days(committed, clock):
    workshop, activity, ada = committed
    clock(days=workshop.followup_days, minutes=-5)
    assert "Your follow-up check-in" not in _resume(ada)
    page = ada.get(lab_path(activity)).content.decode()
    assert "Your check-in opens on" in page and "A new situation" not in page
    _vignette, response = _answer(ada, activity)
    with unscoped():
        assert "tried" not in ActivityRecord.objects.get(participant_id=ada.id, activity=activity).facts
        with pytest.raises(CommitmentRefused):
            followup_save(participant=Participant.objects.get(pk=ada.id), activity=activity, tried="yes",
                          labels=["hurt"], intensity=3, understanding=4, language="en")


def test_after_the_follow_up_days_the_personal_link_offers_the_check_in_and_scores_it(committed, clock):
    workshop, activity, ada = committed
    clock(days=workshop.followup_days, minutes=5)
    home = _resume(ada)
    assert "Your follow-up check-in" in home and f'href="{lab_path(activity)}"' in home
    with unscoped():
        assert participant_place(Participant.objects.get(pk=ada.id)).step == "followup"
    page = ada.get(lab_path(activity)).content.decode()
    assert "A new situation" in page and "Did you try what you committed to?" in page
    vignette, response = _answer(ada, activity, tried="partly")
    assert response.status_code == 302
    with unscoped():
        facts = ActivityRecord.objects.get(participant_id=ada.id, activity=activity).facts
        assert participant_place(Participant.objects.get(pk=ada.id)).step == "done"
    assert facts["tried"] == "partly" and facts["vignette"] == vignette.id
    assert facts["f1"] == pytest.approx(0.8), "two of three target feelings named: F1 = 2*1*(2/3)/(1+2/3)"
    done = ada.get(lab_path(activity)).content.decode()
    assert "Thank you for checking in." in done and "80% match" in done
    assert "Your follow-up check-in" not in _resume(ada)


def test_the_check_in_works_after_the_workshop_is_closed(committed, clock, org_a):
    workshop, activity, ada = committed
    with unscoped():
        workshop_close(workshop=workshop, actor=org_a.facilitator)
        assert Workshop.objects.get(pk=workshop.pk).state == Workshop.State.CLOSED
    clock(days=workshop.followup_days + 2)
    assert "Your follow-up check-in" in _resume(ada)
    _vignette, response = _answer(ada, activity, tried="yes")
    assert response.status_code == 302
    with unscoped():
        assert ActivityRecord.objects.get(participant_id=ada.id, activity=activity).facts["tried"] == "yes"


def test_the_follow_up_days_are_the_workshops(org_a, clock):
    workshop = lab_workshop(org_a, kinds=(ActivityKind.COMMITMENT,))
    with unscoped():
        Workshop.objects.filter(pk=workshop.pk).update(followup_days=3)
    activity = activity_of(workshop, ActivityKind.COMMITMENT)
    (ada,) = phones(workshop, ["Ada"])
    ada.post(lab_path(activity), COMMITMENT)
    clock(days=3, minutes=1)
    assert "Your follow-up check-in" in _resume(ada)


def test_the_vignette_shares_a_theme_with_the_workshop_and_never_names_its_feelings(committed):
    _workshop, activity, ada = committed
    with unscoped():
        vignette = followup_vignette(participant=Participant.objects.get(pk=ada.id), activity=activity,
                                     language="ko")
    assert set(vignette.themes) & {"exclusion", "voice_and_credit"}, "decided-at-the-whiteboard's themes"
    assert vignette.language == "ko" and vignette.person and "\uac00" <= vignette.text[0] <= "\ud7a3"
    for vignette_id in VIGNETTE_IDS:
        for language in ("en", "ko"):
            found = vignette_get(vignette_id, language)
            assert set(found.targets) <= set(EMOTIONS) and found.text and found.person
            for label in found.targets:
                assert emotion_name(label, language).lower() not in found.text.lower(), (vignette_id, label)
