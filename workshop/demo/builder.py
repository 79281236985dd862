"""Builds the demo: two organizations, members, an open workshop each, 12 participants, their analogies
and packets; and, in the first organization, an open Korean-language workshop with a few Korean participants
(and one who reads English). Every step looks for what is already there, so running it twice is safe.

The main workshops are composed of several kinds of activity (two scenarios with analogy, an empathy map,
bystander rehearsal, a commitment), and their participants stand at every step of them (TARGETS), so the
monitor's columns, the before/after chart, the wall and the projector's results all have something to show.
Harbor Health's is presenter-paced."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from workshop.activities.bystander_services import (
    bystander_rehearsal_save,
    bystander_response_save,
    bystander_seat_save,
)
from workshop.activities.commitment_services import commitment_save
from workshop.activities.empathy_map import STEP_PARTS
from workshop.activities.empathy_map_services import map_notes_save, map_questions_save
from workshop.activities.flow import DONE, JOINED, PROFILE, Place, participant_place, workshop_activities
from workshop.activities.kinds import ActivityKind, Pacing
from workshop.activities.registry import activity_for
from workshop.api.services import api_token_for_demo
from workshop.debrief.models import DebriefPacket
from workshop.debrief.services import packet_pdf, packet_request_for_participant
from workshop.engine import ProfileSpec
from workshop.participants.answers import response_after_save, response_before_save
from workshop.participants.models import Analogy, Participant
from workshop.participants.services import participant_join, participant_profile_part_save, participant_profile_save
from workshop.reports.synthetic import SyntheticSpec, synthetic_history_add
from workshop.scenarios.models import Scenario
from workshop.tenancy.models import Membership, Organization, Role
from workshop.tenancy.usernames import username_normalize
from workshop.workshops.activities import ActivityPlan, workshop_move_to
from workshop.workshops.models import Workshop
from workshop.workshops.services import workshop_create, workshop_open
from workshop.workshops.short_code import short_code_shown

PROFILES = Path(__file__).with_name("profiles.yaml")
ANSWERS = Path(__file__).with_name("answers.yaml")
# A main workshop's activities: (kind, index of the scenario in "scenarios" or None).
COMPOSED = [(ActivityKind.ANALOGY, 0), (ActivityKind.ANALOGY, 1), (ActivityKind.EMPATHY_MAP, 2),
            (ActivityKind.BYSTANDER, 1), (ActivityKind.COMMITMENT, None)]
ORGANIZATIONS = [
    {"slug": "northwind", "name": "Northwind Logistics",
     "workshop": "Seen and heard: a team workshop",
     "scenarios": ["idea-repeated-by-someone-else", "leaves-at-four", "lunch-plans-in-the-side-channel"],
     # A workshop in Korean: a scenario written for Korean workplaces first, two translated ones, and the people
     # of profiles.yaml named here (each reads the language their profile names).
     "more_workshops": [
         {"title": "서로의 자리에서: 공감 워크숍", "language": "ko",
          "scenarios": ["left-out-of-the-team-dinner", "leaves-at-four", "lunch-plans-in-the-side-channel"],
          "participants": ["민지", "준호", "서연", "영수", "Sam"]},
     ]},
    {"slug": "harbor-health", "name": "Harbor Health",
     "workshop": "Empathy on the ward", "pacing": Pacing.PRESENTER,
     "scenarios": ["the-rota-she-used-to-write", "let-someone-else-present", "blamed-for-the-empty-aisle"]},
]
PARTICIPANTS_PER_WORKSHOP = 12  # the first ones of profiles.yaml, in each organization's main workshop
# Where each of them stands (k is 5): eight finish the first scenario, seven the second, five the empathy map, so
# the chart, the wall and the combined map are shown; the others are on every step before and after them.
TARGETS = [JOINED, PROFILE, (1, "before"), (1, "after"), (2, "before"), (3, "goal"), (3, "observe"), (4, "seat"),
           (4, "respond"), (5, "commit"), DONE, DONE]
FIRST_STEP = (1, "before")  # where everyone else waits: the profile is done, the analogies are queued
KEEPS_PRIVATE = {(6, 2)}  # (participant, activity position): a reflection not shared
# The report's history: past workshops over the last 18 months, with answers (synthetic, clearly titled).
HISTORY_WORKSHOPS = 16
HISTORY_PARTICIPANTS = 400


def _password(previous: dict, username: str) -> str:
    return previous.get(username) or secrets.token_urlsafe(12)


def _previous_passwords(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return {u["username"]: u["password"] for org in data.get("organizations", []) for u in org.get("users", [])}


def _previous_api_tokens(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return {u["username"]: u.get("api_token", "") for org in data.get("organizations", [])
            for u in org.get("users", [])}


def _with_api_tokens(*, organization: Organization, users: list[dict], previous: dict[str, str]) -> list[dict]:
    """Each user's login, plus an API token (reused from the last run while it still authenticates)."""
    return [{**{k: u[k] for k in ("username", "password", "role")},
             "api_token": api_token_for_demo(organization_id=organization.id, user=u["user"],
                                             previous_key=previous.get(u["username"], ""))} for u in users]


def build_people(*, credentials_path: Path) -> list[dict]:
    """Organizations, members (with passwords reused from an earlier run), open workshops."""
    previous = _previous_passwords(credentials_path)
    user_model = get_user_model()
    out = []
    for spec in ORGANIZATIONS:
        with transaction.atomic():
            org, _ = Organization.objects.get_or_create(slug=spec["slug"], defaults={"name": spec["name"]})
            users = []
            for role in (Role.ADMIN, Role.FACILITATOR, Role.ANALYST):
                username = username_normalize(f"{role.value}@{spec['slug']}")
                password = _password(previous, username)
                user, _ = user_model.objects.get_or_create(
                    username=username, defaults={"email": f"{role.value}@{spec['slug']}.example"})
                user.set_password(password)
                user.save()
                Membership.objects.get_or_create(organization=org, user=user, defaults={"role": role.value})
                users.append({"username": username, "password": password, "role": role.value, "user": user})
        facilitator = users[1]["user"]
        workshop = _open_workshop(organization=org, facilitator=facilitator, title=spec["workshop"],
                                  slugs=spec["scenarios"], generic_share=0.25, composed=True,
                                  pacing=spec.get("pacing", Pacing.SELF))
        more = [_open_workshop(organization=org, facilitator=facilitator, title=extra["title"],
                               slugs=extra["scenarios"], language=extra["language"])
                for extra in spec.get("more_workshops", [])]
        out.append({"organization": org, "workshop": workshop, "workshops": [workshop, *more], "users": users})
    return out


def _open_workshop(*, organization: Organization, facilitator, title: str, slugs: list[str],
                   generic_share: float = 0.0, language: str = "en", composed: bool = False,
                   pacing: str = Pacing.SELF) -> Workshop:
    """The organization's demo workshop of this title, created the first time, open. A presenter-paced one is
    moved to its last activity once, so the demo's people can be anywhere in it."""
    workshop = Workshop.objects.filter(organization=organization, title=title).first()
    created = workshop is None
    if created:
        scenarios = [Scenario.objects.get(organization__isnull=True, slug=slug, is_current=True) for slug in slugs]
        plan = [ActivityPlan(kind, scenarios[i] if i is not None else None) for kind, i in COMPOSED] if composed \
            else None
        workshop = workshop_create(organization_id=organization.id, owner=facilitator, title=title,
                                   scenarios=scenarios, capacity=40, generic_share=generic_share, language=language,
                                   activities=plan, pacing=pacing)
    if workshop.state != Workshop.State.OPEN:
        workshop = workshop_open(workshop=workshop, actor=facilitator)
    if created and workshop.pacing == Pacing.PRESENTER:
        workshop = workshop_move_to(workshop=workshop, position=workshop.activities.count(), actor=facilitator)
    return workshop


def _roster(workshop: Workshop) -> list[dict]:
    """The profiles that join this workshop: the named ones for an extra workshop, else the first twelve."""
    profiles = yaml.safe_load(PROFILES.read_text())
    for spec in ORGANIZATIONS:
        for extra in spec.get("more_workshops", []):
            if spec["slug"] == workshop.organization.slug and extra["title"] == workshop.title:
                by_name = {p["name"]: p for p in profiles}
                return [by_name[name] for name in extra["participants"]]
    return profiles[:PARTICIPANTS_PER_WORKSHOP]


def _targets(workshop: Workshop) -> list:
    """Where each person of the roster stands: every step of a main workshop, the first for the others."""
    roster = _roster(workshop)
    main = any(spec["slug"] == workshop.organization.slug and spec["workshop"] == workshop.title
               for spec in ORGANIZATIONS)
    return TARGETS[:len(roster)] if main else [FIRST_STEP] * len(roster)


def build_participants(*, workshop: Workshop) -> list[Participant]:
    """Everyone joins; their profiles are done (the analogies queued) unless they stand before that."""
    existing = {p.pseudonym: p for p in workshop.participants.all()}
    for data, target in zip(_roster(workshop), _targets(workshop), strict=True):
        participant = existing.get(data["name"])
        if participant is None:
            participant, _ = participant_join(workshop=workshop, pseudonym=data["name"],
                                              language=data.get("language", ""))
            existing[participant.pseudonym] = participant
        _advance(participant, target if target in (JOINED, PROFILE) else FIRST_STEP, data)
    return list(existing.values())


def build_progress(*, workshop: Workshop) -> None:
    """Once their analogies are written: each person answers their way to where they stand (TARGETS)."""
    people = {p.pseudonym: p for p in workshop.participants.all()}
    for data, target in zip(_roster(workshop), _targets(workshop), strict=True):
        if data["name"] in people:
            _advance(people[data["name"]], target, data)


def _rank(place, activities: dict) -> tuple:
    """How far along a place (or a target: JOINED, PROFILE, DONE or (position, step)) is, to compare them."""
    step, position = (place.step, place.position) if isinstance(place, Place) else (
        (place[1], place[0]) if isinstance(place, tuple) else (place, None))
    if step in (JOINED, PROFILE):
        return (0, int(step == PROFILE))
    if step == DONE or position not in activities:
        return (2,)
    names = activity_for(activities[position].kind).step_names()
    return (1, position, names.index(step) if step in names else -1)


def _advance(participant: Participant, target, data: dict) -> None:
    """Take one step at a time, as the phone pages would, until the participant stands at ``target`` (or can go
    no further: an analogy not written yet, or the end). Someone already there, or further, is left as they are."""
    activities = {a.position: a for a in workshop_activities(workshop=participant.workshop)}
    answers = yaml.safe_load(ANSWERS.read_text())
    index = [p["name"] for p in _roster(participant.workshop)].index(participant.pseudonym)
    for _turn in range(40):
        place = participant_place(participant)
        if _rank(place, activities) >= _rank(target, activities) or not _answer(
                participant, place, target, data, answers, index, activities):
            return
        participant.refresh_from_db()


def _answer(participant: Participant, place: Place, target, data: dict, answers: dict, index: int,
            activities: dict) -> bool:
    """The one step the participant is on, answered through the services the phone pages use."""
    if place.step == JOINED and target == PROFILE:
        participant_profile_part_save(participant=participant, values=data.get("values") or ["benevolence"])
        return True
    if place.step in (JOINED, PROFILE):
        participant_profile_save(participant=participant, profile=ProfileSpec.model_validate(data))
        return True
    activity = activities.get(place.position)
    if activity is None:
        return False
    scenario = activity.scenario
    step = place.step
    if step == "before":
        targets = [e["label"] for e in scenario.emotions]
        wrong = next(label for label in ("confusion", "relief", "surprise") if label not in targets)
        response_before_save(participant=participant, scenario=scenario, labels=[targets[0], wrong], intensity=3,
                             understanding=3)
    elif step == "after":
        reflections = answers["reflections"]
        response_after_save(participant=participant, scenario=scenario, labels=[e["label"] for e in scenario.emotions],
                            intensity=5, understanding=6, reflection=reflections[(index + place.position) % len(
                                reflections)], share_reflection=(index, place.position) not in KEEPS_PRIVATE,
                            resonance=4 + index % 2)
    elif step in STEP_PARTS and STEP_PARTS[step]:
        map_notes_save(participant=participant, activity=activity, step=step,
                       notes={part.value: answers["empathy_map"][part.value] for part in STEP_PARTS[step]})
    elif step == "ask":
        map_questions_save(participant=participant, activity=activity, questions=answers["questions"], shared=True)
    elif step == "seat":
        bystander_seat_save(participant=participant, activity=activity)
    elif step == "respond":
        bystander_response_save(participant=participant, activity=activity, option=answers["bystander"]["option"],
                                response=answers["bystander"]["response"], shared=True)
    elif step == "rehearse":
        bystander_rehearsal_save(participant=participant, activity=activity, rehearsed=True)
    elif step == "commit":
        commitment_save(participant=participant, activity=activity, prompt=0,
                        situation=answers["commitment"]["situation"], action=answers["commitment"]["action"])
    else:  # waiting for an analogy, or a step the demo does not answer
        return False
    return True


def build_history(*, entry: dict) -> int:
    """Past workshops with synthetic answers, so the organization's report (Reports, for the analyst and
    admin) has months of figures to show. Once: a second run finds them and adds nothing."""
    organization = entry["organization"]
    facilitators = [u["user"] for u in entry["users"] if u["role"] == "facilitator"]
    spec = SyntheticSpec(slug=f"{organization.slug}-history", participants=HISTORY_PARTICIPANTS,
                         workshops=HISTORY_WORKSHOPS, responses=2 * HISTORY_PARTICIPANTS,
                         seed=sum(organization.slug.encode()))
    return synthetic_history_add(organization=organization, facilitators=facilitators, spec=spec,
                                 log=lambda message: None)


def analogies_outstanding(*, workshop: Workshop) -> int:
    return Analogy.objects.filter(participant__workshop=workshop, is_current=True,
                                  state__in=[Analogy.State.PENDING, Analogy.State.RUNNING]).count()


def request_packets(*, workshop: Workshop) -> list[DebriefPacket]:
    return [packet_request_for_participant(participant=p) for p in workshop.participants.all()]


def packets_outstanding(*, workshop: Workshop) -> int:
    return DebriefPacket.objects.filter(workshop=workshop, state__in=[DebriefPacket.State.PENDING,
                                                                      DebriefPacket.State.RUNNING]).count()


def join_url(workshop: Workshop) -> str:
    return settings.SITE_URL + reverse("participants:join", args=[workshop.join_token])


def _copy_packets(*, workshop: Workshop, folder: Path, out_dir: Path) -> list[str]:
    """Each participant's latest packet as <pseudonym>.pdf in folder; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    packets = []
    for participant in workshop.participants.order_by("created"):
        packet = participant.packets.filter(state=DebriefPacket.State.DONE).order_by("-created").first()
        pdf = packet_pdf(packet=packet) if packet else None  # stored encrypted; the demo's sample copy
        if pdf is not None:
            target = folder / f"{participant.pseudonym}.pdf"
            target.write_bytes(pdf)
            packets.append(str(target.relative_to(out_dir.parent)))
    return packets


def _workshop_summary(workshop: Workshop) -> dict:
    return {"title": workshop.title, "language": workshop.language, "join_link": join_url(workshop),
            "short_code": short_code_shown(workshop.short_code), "go": settings.SITE_URL + reverse("participants:go"),
            "participants": workshop.participants.count()}


def write_outputs(*, built: list[dict], out_dir: Path) -> dict:
    """Copy each participant's latest packet into demo-output/ and write credentials.json. An organization's
    extra workshops keep their packets in a folder named by their language (demo-output/northwind/ko/)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    previous_tokens = _previous_api_tokens(out_dir / "credentials.json")
    summary = {"site": settings.SITE_URL, "api": settings.SITE_URL + "/api/v1/", "organizations": []}
    for entry in built:
        org, workshop = entry["organization"], entry["workshop"]
        folder = out_dir / org.slug
        more = [{**_workshop_summary(extra),
                 "packets": _copy_packets(workshop=extra, folder=folder / extra.language, out_dir=out_dir)}
                for extra in entry["workshops"] if extra.pk != workshop.pk]
        summary["organizations"].append({
            "name": org.name, "slug": org.slug,
            "users": _with_api_tokens(organization=org, users=entry["users"], previous=previous_tokens),
            "workshop": _workshop_summary(workshop),
            "packets": _copy_packets(workshop=workshop, folder=folder, out_dir=out_dir),
            "more_workshops": more,
        })
    path = out_dir / "credentials.json"
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    path.chmod(0o600)
    return summary
