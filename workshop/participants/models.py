from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy

from workshop.scenarios.models import Scenario
from workshop.tenancy.crypto import EncryptedTextField
from workshop.tenancy.models import Organization, new_token
from workshop.tenancy.scope import ScopedManager
from workshop.workshops.models import Workshop


class Participant(models.Model):
    """An employee in one workshop. No account: a secret token (we keep only its hash) is their key."""

    class Step(models.TextChoices):
        PROFILE = "profile", gettext_lazy("Profile")
        SCENARIOS = "scenarios", gettext_lazy("Scenarios")
        DONE = "done", gettext_lazy("Done")

    class Condition(models.TextChoices):
        PERSONALIZED = "personalized", gettext_lazy("Personalized")
        GENERIC = "generic", gettext_lazy("Generic")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    public_id = models.CharField(max_length=64, unique=True, default=new_token)  # for the API; never the pk
    pseudonym = models.CharField(max_length=40)
    token_hash = models.CharField(max_length=64, unique=True)
    consent_at = models.DateTimeField()
    step = models.CharField(max_length=12, choices=Step.choices, default=Step.PROFILE)
    condition = models.CharField(max_length=12, choices=Condition.choices, default=Condition.PERSONALIZED)
    language = models.CharField(max_length=12, blank=True)  # empty: the workshop's language
    # The engine's ProfileSpec as JSON, without the memories: those live encrypted in `memories`.
    profile = models.JSONField(default=dict, blank=True)
    personality_answers = models.JSONField(default=dict, blank=True)  # item number -> answer
    memories = EncryptedTextField(blank=True)  # JSON list of the participant's own memories
    created = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)  # 'delete my data': only anonymous counts stay

    objects = ScopedManager()

    class Meta:
        ordering = ["created"]

    def __str__(self) -> str:
        return self.pseudonym


class Analogy(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", gettext_lazy("Queued")
        RUNNING = "running", gettext_lazy("Being written")
        DONE = "done", gettext_lazy("Done")
        FAILED = "failed", gettext_lazy("Failed")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    public_id = models.CharField(max_length=64, unique=True, default=new_token)
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="analogies")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveSmallIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    condition = models.CharField(max_length=12, choices=Participant.Condition.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    engine = models.CharField(max_length=10, blank=True)
    title = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    bridge = models.TextField(blank=True)
    source = models.JSONField(default=dict, blank=True)
    mapping = models.JSONField(default=list, blank=True)
    emotions = models.JSONField(default=list, blank=True)
    checks = models.JSONField(default=dict, blank=True)
    tokens_in = models.PositiveIntegerField(default=0)
    tokens_out = models.PositiveIntegerField(default=0)
    cached_tokens = models.PositiveIntegerField(default=0)
    latency_ms = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    fallback_reason = models.CharField(max_length=300, blank=True)
    # The named strategy the analogy was written by (workshop/engine: kind:family:framing:audience) and the
    # probability with which the learning loop chose it (1.0 when nothing was left to choose).
    strategy = models.CharField(max_length=120, blank=True)
    assignment_probability = models.FloatField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True, db_index=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["participant", "scenario", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "scenario"], condition=models.Q(is_current=True),
                                    name="one_current_analogy"),
            models.UniqueConstraint(fields=["participant", "scenario", "version"], name="analogy_version_unique"),
        ]

    def __str__(self) -> str:
        return f"analogy {self.pk} v{self.version} ({self.state})"


class Response(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="responses")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="+")
    pre_labels = models.JSONField(default=list, blank=True)
    pre_intensity = models.JSONField(default=dict, blank=True)
    pre_understanding = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(7)])
    post_labels = models.JSONField(default=list, blank=True)
    post_intensity = models.JSONField(default=dict, blank=True)
    post_understanding = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(7)])
    reflection = EncryptedTextField(blank=True)
    share_reflection = models.BooleanField(default=False)
    hidden_from_wall = models.BooleanField(default=False)  # the facilitator took it off the room's wall
    resonance = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)])
    # Denormalized for reports, written when the answers are saved, so aggregation stays in the database:
    # identification F1 of the chosen labels against the scenario's targets, and what the rated analogy drew on.
    pre_f1 = models.FloatField(null=True, blank=True)
    post_f1 = models.FloatField(null=True, blank=True)
    source_kind = models.CharField(max_length=20, blank=True)  # own_experience / domain / universal
    source_family = models.CharField(max_length=40, blank=True)  # the engine's domain family, when known
    strategy = models.CharField(max_length=120, blank=True)  # the rated analogy's strategy
    assignment_probability = models.FloatField(null=True, blank=True)  # ... and the chance it was chosen
    # Perspective-getting: the third answer, given after asking the person (and reading what they said).
    asked_labels = models.JSONField(default=list, blank=True)
    asked_understanding = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(7)])
    asked_f1 = models.FloatField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True, null=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "scenario"], name="one_response")]

    def __str__(self) -> str:
        return f"response {self.pk}"


class ActivityRecord(models.Model):
    """A participant's work in one activity that is not a scenario's before/after answer (those are Responses):
    empathy-map notes, questions, a listening-lab reflection, a bystander response, a commitment and its
    check-in. What they wrote is encrypted (`content`, JSON); what the room and the reports count (choices,
    grades, roles, times) sits in `facts`, plain JSON with no one's words in it."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="activity_records")
    activity = models.ForeignKey("workshops.WorkshopActivity", on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(max_length=20)  # the activity's kind, kept for reports across workshops
    step = models.CharField(max_length=30, blank=True)  # the step the participant is on in this activity
    content = EncryptedTextField(blank=True)
    facts = models.JSONField(default=dict, blank=True)
    shared = models.BooleanField(default=True)  # may count in the room's anonymous combined result
    done_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "activity"], name="one_record_per_activity")]

    def __str__(self) -> str:
        return f"record {self.pk} ({self.kind})"


class RoomCheckin(models.Model):
    """One tap on the facilitator's "How is this landing?" poll. Shown to the room only as a count over at
    least k people; one answer per participant per poll."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="checkins")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="checkins")
    poll = models.PositiveIntegerField(default=1)  # which poll of the workshop (the facilitator can run several)
    value = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    created = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "poll"], name="one_checkin_per_poll")]

    def __str__(self) -> str:
        return f"check-in {self.pk}"
