"""The activity kinds a facilitator composes a workshop from, declared once (with labels) for the models,
forms, API, monitor and reports. What each kind asks and what counts as done lives in its own module."""
from django.db import models
from django.utils.translation import gettext_lazy


class ActivityKind(models.TextChoices):
    ANALOGY = "analogy", gettext_lazy("Scenario with analogy")
    EMPATHY_MAP = "empathy_map", gettext_lazy("Empathy map")
    PERSPECTIVE = "perspective", gettext_lazy("Perspective-getting")
    LISTENING = "listening", gettext_lazy("Active-listening lab")
    BYSTANDER = "bystander", gettext_lazy("Bystander rehearsal")
    COMMITMENT = "commitment", gettext_lazy("Commitment and check-in")


class Pacing(models.TextChoices):
    SELF = "self", gettext_lazy("Self-paced")
    PRESENTER = "presenter", gettext_lazy("Presenter-paced")
