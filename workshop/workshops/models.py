from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy

from workshop.activities.kinds import ActivityKind, Pacing
from workshop.participants.instruments import InstrumentId
from workshop.scenarios.models import Scenario
from workshop.tenancy.models import Organization, new_token
from workshop.tenancy.scope import ScopedManager


def new_join_token() -> str:
    return new_token(18)  # 144 bits


# Six characters a person reads off a projector and types on a phone: no 0/O, 1/I/L, 2/Z, 5/S, 8/B.
SHORT_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
SHORT_CODE_LENGTH = 6


def new_short_code() -> str:
    import secrets

    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


class Workshop(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", gettext_lazy("Draft")
        OPEN = "open", gettext_lazy("Open")
        CLOSED = "closed", gettext_lazy("Closed")

    class Engine(models.TextChoices):
        BUILTIN = "builtin", gettext_lazy("Built-in (no LLM)")
        OPENAI = "openai", gettext_lazy("LLM (OpenAI-compatible)")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    join_token = models.CharField(max_length=64, unique=True, default=new_join_token)
    public_id = models.CharField(max_length=64, unique=True, default=new_token)
    capacity = models.PositiveIntegerField(default=60, validators=[MinValueValidator(1), MaxValueValidator(10000)])
    generic_share = models.FloatField(
        default=0.0, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="Share of participants who get the generic analogy (the comparison condition).",
    )
    language = models.CharField(max_length=12, default="en")
    engine = models.CharField(max_length=10, choices=Engine.choices, default=Engine.BUILTIN)
    instrument = models.CharField(max_length=10, default=InstrumentId.MINI_IPIP, choices=InstrumentId.choices)
    show_reflections = models.BooleanField(
        default=True, help_text="Whether reflections participants chose to share may be shown to the room.")
    wall_revealed = models.BooleanField(default=False)  # the facilitator is showing the wall right now
    # A short code beside the QR code; it rotates with the join link. Null for workshops made before it.
    short_code = models.CharField(max_length=8, unique=True, null=True, blank=True, default=new_short_code)
    pacing = models.CharField(max_length=10, choices=Pacing.choices, default=Pacing.SELF)
    # Presenter pacing: the activity position (from 1) the facilitator has moved the room to.
    current_position = models.PositiveSmallIntegerField(default=1)
    # What the projector shows: the join screen, the current activity, its room result, or the wall.
    projector_mode = models.CharField(max_length=10, default="join", blank=True)
    # The facilitator's one-tap "How is this landing?" poll: which poll is open (0: none yet) and whether it is.
    checkin_poll = models.PositiveIntegerField(default=0)
    checkin_open = models.BooleanField(default=False)
    followup_days = models.PositiveSmallIntegerField(default=7, validators=[MinValueValidator(1),
                                                                           MaxValueValidator(90)])
    created = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.title


class WorkshopScenario(models.Model):
    """A workshop's ordered scenarios. It points at one scenario *version*, the one this workshop saw."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="workshop_scenarios")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    objects = ScopedManager()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "position"], name="one_scenario_per_position"),
            models.UniqueConstraint(fields=["workshop", "scenario"], name="scenario_once_per_workshop"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. scenario {self.scenario_id}"


class WorkshopActivity(models.Model):
    """One step of a workshop's sequence: an activity kind, the scenario it is about (when the kind needs one)
    and its settings. The flow (workshop/activities/flow.py) reads these in position order."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=ActivityKind.choices, default=ActivityKind.ANALOGY)
    scenario = models.ForeignKey(Scenario, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    settings = models.JSONField(default=dict, blank=True)
    # What the room shares in this activity and nobody owns: the listening lab's trios and rounds, for example.
    room_state = models.JSONField(default=dict, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "position"], name="one_activity_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.kind}"


class RoomRelease(models.Model):
    """What a live workshop has shown its room so far (workshop/workshops/room.py): the before/after figures
    and the reflections on the wall, each released only in batches that cover at least k people. It holds
    numbers and row ids, never anyone's words; one row per workshop, locked while a batch is released."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    workshop = models.OneToOneField(Workshop, on_delete=models.CASCADE, related_name="room_release")
    # {scenario id: {"answers": [response ids], "people", "answered", "before", "after"}, "room": {...}}
    # and "mood": the room mood's release (workshop/learning/room_mood.py)
    figures = models.JSONField(default=dict)
    # [{"id": response id, "updated": that response's update time when released}] in the order shown
    wall = models.JSONField(default=list)
    updated = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    def __str__(self) -> str:
        return f"room release of workshop {self.workshop_id}"
