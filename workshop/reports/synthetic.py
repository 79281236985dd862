"""A synthetic organization of any size, for demos and the report benchmark.

Workshops spread over about 18 months and several facilitators; participants in both conditions, with
answers drawn so that identification and understanding improve after the analogy, a little more with a
personalized analogy than with the generic one (a real, moderate effect for the report to find). Rows go in
with bulk_create in batches; nothing runs the engine or the queue.

Replacing an organization deletes it first, but only one this generator made (it leaves an audit event
saying so): a real organization with the same slug is refused, never overwritten.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from workshop.debrief.models import DebriefPacket
from workshop.engine import DOMAIN_FAMILIES, EMOTIONS
from workshop.participants.answers import identification_f1
from workshop.participants.models import Analogy, Participant, Response
from workshop.scenarios.models import Scenario
from workshop.scenarios.services import library_load
from workshop.tenancy.audit import AuditAction
from workshop.tenancy.models import AuditEvent, Membership, Organization
from workshop.tenancy.scope import unscoped
from workshop.tenancy.usernames import username_normalize
from workshop.workshops.models import Workshop, WorkshopScenario

MARK = AuditAction.SYNTHETIC_CREATE
BATCH = 2000
MONTHS = 18
FACILITATORS = 6
DROPOUT = 0.06  # share of people who join but answer no scenario
REFLECTIONS = [
    "I did not expect to feel it this strongly.",
    "It reminded me of the first weeks in my team.",
    "Next time I will ask before assuming.",
    "The analogy was close to something I lived through.",
]


class SyntheticRefused(Exception):
    """The slug belongs to an organization this generator did not make."""


@dataclass(frozen=True)
class SyntheticSpec:
    slug: str
    participants: int
    workshops: int
    responses: int
    seed: int = 1
    password: str = ""  # empty: the members get unusable passwords (sign in with force_login or a reset)


@contextmanager
def _keep_given_times(*fields: models.DateTimeField) -> Iterator[None]:
    """bulk_create would stamp auto_now(_add) columns with 'now'; synthetic history needs its own times."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _field(model, name: str) -> models.DateTimeField:
    return model._meta.get_field(name)


def organization_delete_synthetic(*, slug: str) -> bool:
    """Delete a synthetic organization quickly (its big tables with plain DELETEs). False when none exists."""
    with unscoped():
        org = Organization.objects.filter(slug=slug).first()
        if org is None:
            return False
        if not AuditEvent.objects.filter(organization=org, action=MARK).exists():
            raise SyntheticRefused(f"organization {slug!r} exists and was not made by synth_org; not touching it")
        with transaction.atomic():
            for model in (Response, Analogy, DebriefPacket, Participant, WorkshopScenario, Workshop):
                queryset = model.objects.filter(organization=org)
                queryset._raw_delete(queryset.db)
            users = list(Membership.objects.filter(organization=org).values_list("user_id", flat=True))
            org.delete()  # the small tables, through Django's cascade
            get_user_model().objects.filter(pk__in=users, memberships__isnull=True).delete()
    return True


def _members(org: Organization, spec: SyntheticSpec):
    User = get_user_model()
    people = {}
    for role, count in (("admin", 1), ("analyst", 1), ("facilitator", FACILITATORS)):
        for i in range(count):
            username = username_normalize(f"{spec.slug}-{role}" + (f"-{i + 1}" if count > 1 else ""))
            user = User.objects.filter(username=username).first() or User(username=username)
            user.email = f"{username}@synthetic.example"
            if spec.password:
                user.set_password(spec.password)
            else:
                user.set_unusable_password()
            user.save()
            Membership.objects.create(organization=org, user=user, role=role)
            people.setdefault(role, []).append(user)
    return people


def _labels(rng: random.Random, targets: list[str], others: list[str], hit: float, noise: float) -> list[str]:
    chosen = [t for t in targets if rng.random() < hit]
    chosen += [o for o in rng.sample(others, 3) if rng.random() < noise]
    return chosen or [rng.choice(others)]


def _allot(rng: random.Random, people: int, responses: int, most: int) -> list[int]:
    """How many scenarios each person answers: a few stop after joining or the profile (0), the others about
    responses / people each, adding up to ``responses`` when that is possible (at most ``most`` each)."""
    dropouts = set(rng.sample(range(people), round(people * DROPOUT)))
    if responses > most * (people - len(dropouts)):
        dropouts = set()
    active = [i for i in range(people) if i not in dropouts]
    mean = min(responses / max(len(active), 1), most)
    base, frac = int(mean), mean - int(mean)
    counts = [0] * people
    for i in active:
        counts[i] = min(most, base + (rng.random() < frac))
    gap = min(responses, len(active) * most) - sum(counts)
    rng.shuffle(active)
    for i in active:
        if gap == 0:
            break
        if gap > 0 and counts[i] < most:
            counts[i] += 1
            gap -= 1
        elif gap < 0 and counts[i] > 1:
            counts[i] -= 1
            gap += 1
    return counts


def synthetic_organization_create(*, spec: SyntheticSpec, log=print) -> Organization:
    """Create (or replace) the synthetic organization ``spec.slug``. Returns it."""
    rng = random.Random(spec.seed)
    organization_delete_synthetic(slug=spec.slug)
    with unscoped():
        library_load()
        scenarios = list(Scenario.objects.filter(organization__isnull=True, is_current=True).order_by("slug"))
        org = Organization.objects.create(name=f"Synthetic {spec.slug}", slug=spec.slug)
        AuditEvent.objects.create(organization=org, action=MARK, detail={
            "participants": spec.participants, "workshops": spec.workshops, "responses": spec.responses,
            "seed": spec.seed})
        people = _members(org, spec)
        log(f"organization {org.slug}: members {', '.join(u.username for us in people.values() for u in us)}")
        workshops = _workshops(rng, org, spec, scenarios, people["facilitator"])
        log(f"{len(workshops)} workshops")
        _participants(rng, org, spec, workshops, log)
    return org


def synthetic_history_add(*, organization: Organization, facilitators: list, spec: SyntheticSpec,
                          log=print) -> int:
    """Past, closed workshops with their participants' answers, added to an existing organization (the
    demo's, so its report has something to show). Adds nothing when the organization already has a closed
    workshop, so running the demo again is safe. Returns how many workshops it added."""
    with unscoped():
        if Workshop.objects.filter(organization=organization, state=Workshop.State.CLOSED).exists():
            return 0
        rng = random.Random(spec.seed)
        library_load()
        scenarios = list(Scenario.objects.filter(organization__isnull=True, is_current=True).order_by("slug"))
        workshops = _workshops(rng, organization, spec, scenarios, facilitators)
        _participants(rng, organization, spec, workshops, log)
    return len(workshops)


def _workshops(rng, org, spec, scenarios, facilitators) -> list[tuple[Workshop, list[Scenario]]]:
    now = timezone.now()
    start = now - timedelta(days=30 * MONTHS)
    span = (now - start).total_seconds()
    rows, chosen = [], []
    for i in range(max(spec.workshops, 1)):
        when = start + timedelta(seconds=span * (i + rng.random()) / max(spec.workshops, 1))
        picked = rng.sample(scenarios, min(3, len(scenarios)))
        rows.append(Workshop(
            organization=org, owner=rng.choice(facilitators), title=f"Workshop {i + 1}: {picked[0].title}"[:200],
            state=Workshop.State.CLOSED, capacity=10000, generic_share=rng.choice([0.3, 0.4, 0.5]),
            created=when - timedelta(days=3), opened_at=when, closed_at=when + timedelta(hours=2)))
        chosen.append(picked)
    with _keep_given_times(_field(Workshop, "created")):
        made = []
        for i in range(0, len(rows), BATCH):
            made += Workshop.objects.bulk_create(rows[i:i + BATCH])
    WorkshopScenario.objects.bulk_create([
        WorkshopScenario(organization=org, workshop=w, scenario=s, position=p)
        for w, picked in zip(made, chosen, strict=True) for p, s in enumerate(picked, 1)
    ], batch_size=BATCH)
    return list(zip(made, chosen, strict=True))


def _participants(rng, org, spec, workshops, log) -> None:
    n = spec.participants
    # Workshop sizes vary (some rooms are twice as full as others) and add up to n.
    home = _homes([0.5 + rng.random() for _ in workshops], n)
    answered = _allot(rng, n, spec.responses, 3)
    emotions = list(EMOTIONS)
    families = list(DOMAIN_FAMILIES)
    times = [_field(Participant, "created"), _field(Response, "created"), _field(Response, "updated"),
             _field(Analogy, "created"), _field(Analogy, "updated")]
    done = 0
    with _keep_given_times(*times):
        for first in range(0, n, BATCH):
            batch = range(first, min(n, first + BATCH))
            people = []
            for i in batch:
                workshop, picked = workshops[home[i]]
                generic = rng.random() < workshop.generic_share
                joined = workshop.opened_at + timedelta(minutes=rng.randint(0, 20))
                people.append(Participant(
                    organization=org, workshop=workshop, pseudonym=f"Person {i + 1}",
                    token_hash=hashlib.sha256(f"{spec.slug}:{spec.seed}:{i}".encode()).hexdigest(),
                    consent_at=joined, created=joined, language="en",
                    step=_step(rng, answered[i], len(picked)),
                    condition=Participant.Condition.GENERIC if generic else Participant.Condition.PERSONALIZED,
                    profile={"domains": [rng.choice(families)]}))
            with transaction.atomic():
                Participant.objects.bulk_create(people)
                responses, analogies = [], []
                for i, person in zip(batch, people, strict=True):
                    _, picked = workshops[home[i]]
                    stopped = rng.random() < 0.04  # left before answering the last one again
                    for position, scenario in enumerate(picked[:answered[i]], 1):
                        response, analogy = _answer(rng, org, person, scenario, emotions, families)
                        if stopped and position == answered[i]:
                            response.post_labels, response.post_understanding, response.post_f1 = [], None, None
                            response.resonance, response.reflection, response.source_kind = None, "", ""
                            response.share_reflection, response.source_family = False, ""
                        responses.append(response)
                        analogies.append(analogy)
                Analogy.objects.bulk_create(analogies, batch_size=BATCH)
                Response.objects.bulk_create(responses, batch_size=BATCH)
            done += len(people)
            if done % 20000 < BATCH or done == n:
                log(f"{done} participants")


def _homes(weights: list[float], n: int) -> list[int]:
    """For each of n people, the index of their workshop: consecutive people fill rooms by weight."""
    scale = n / sum(weights)
    bounds, total = [], 0.0
    for w in weights:
        total += w * scale
        bounds.append(total)
    homes, w = [], 0
    for i in range(n):
        while w < len(bounds) - 1 and i >= bounds[w]:
            w += 1
        homes.append(w)
    return homes


def _step(rng: random.Random, answered: int, scenarios: int) -> str:
    if answered >= scenarios:
        return Participant.Step.DONE
    if answered:
        return Participant.Step.SCENARIOS
    return rng.choice([Participant.Step.PROFILE, Participant.Step.SCENARIOS])


def _answer(rng, org, person: Participant, scenario: Scenario, emotions: list[str], families: list[str]):
    personalized = person.condition == Participant.Condition.PERSONALIZED
    targets = [e["label"] for e in scenario.emotions]
    others = [e for e in emotions if e not in targets]
    ability = rng.gauss(0, 0.12)  # some people read feelings better than others, before and after
    pre = _labels(rng, targets, others, hit=min(0.95, max(0.05, 0.45 + ability)), noise=0.35)
    post = _labels(rng, targets, others, hit=min(0.97, max(0.05, (0.72 if personalized else 0.6) + ability)),
                   noise=0.22 if personalized else 0.28)
    pre_u = max(1, min(7, round(rng.gauss(3.6, 1.1))))
    post_u = max(1, min(7, round(pre_u + rng.gauss(1.3 if personalized else 0.8, 0.9))))
    if personalized:
        kind = rng.choices(["own_experience", "domain", "universal"], weights=[5, 4, 1])[0]
    else:
        kind = "universal"
    family = rng.choice(families) if kind != "universal" else ""
    resonance = max(1, min(5, round(rng.gauss({"own_experience": 4.1, "domain": 3.7, "universal": 3.0}[kind], 0.9))))
    reflection = rng.choice(REFLECTIONS) if rng.random() < 0.3 else ""
    when = person.created + timedelta(minutes=rng.randint(5, 60))
    condition = person.condition
    response = Response(
        organization=org, participant=person, scenario=scenario, pre_labels=pre, pre_intensity={"overall": 3},
        pre_understanding=pre_u, post_labels=post, post_intensity={"overall": 4}, post_understanding=post_u,
        reflection=reflection, share_reflection=bool(reflection) and rng.random() < 0.5, resonance=resonance,
        pre_f1=identification_f1(pre, targets), post_f1=identification_f1(post, targets), source_kind=kind,
        source_family=family, created=when, updated=when)
    analogy = Analogy(
        organization=org, participant=person, scenario=scenario, condition=condition, state=Analogy.State.DONE,
        engine=Workshop.Engine.BUILTIN, title="Synthetic analogy", text="A synthetic analogy for benchmarks.",
        source={"kind": kind, "domain": family or None}, created=when, updated=when)
    return response, analogy
