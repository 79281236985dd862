from django.db import models
from django.utils.translation import gettext_lazy

from workshop.tenancy.models import Organization, new_token
from workshop.tenancy.scope import ScopedManager
from workshop.workshops.models import Workshop


class DebriefPacket(models.Model):
    """A generated PDF: a row with a state, filled in by a task, never rendered inside a request.

    A participant's packet is theirs alone: its file is encrypted at rest and only its owner can download it;
    staff see its state. The facilitator packet (the room's aggregates) is what staff download."""

    class Kind(models.TextChoices):
        PARTICIPANT = "participant", gettext_lazy("Participant packet")
        FACILITATOR = "facilitator", gettext_lazy("Facilitator packet")

    class State(models.TextChoices):
        PENDING = "pending", gettext_lazy("Queued")
        RUNNING = "running", gettext_lazy("Being made")
        DONE = "done", gettext_lazy("Ready")
        FAILED = "failed", gettext_lazy("Failed")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="packets")
    participant = models.ForeignKey("participants.Participant", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="packets")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    public_id = models.CharField(max_length=64, unique=True, default=new_token)
    file = models.FileField(upload_to="packets/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.kind} packet {self.pk} ({self.state})"
