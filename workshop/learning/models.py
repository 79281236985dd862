"""The loop's rows: an organization's settings for it, one assignment per analogy it chose a strategy for, and
the running sums of the outcomes that the posteriors are read from."""

from django.db import models
from django.utils.translation import gettext_lazy

from workshop.tenancy.models import Organization
from workshop.tenancy.scope import ScopedManager


class LoopState(models.TextChoices):
    RUNNING = "running", gettext_lazy("Running")
    PAUSED = "paused", gettext_lazy("Paused")


class AssignmentMode(models.TextChoices):
    """How an assignment was drawn."""
    ADAPTIVE = "adaptive", gettext_lazy("Thompson sampling mixed with uniform assignment")
    PAUSED = "paused", gettext_lazy("Uniform (the loop was paused)")
    ONLY = "only", gettext_lazy("Nothing to choose (one strategy)")


class LoopSettings(models.Model):
    """One organization's loop. No row: running, sharing, epoch 1."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=LoopState.choices, default=LoopState.RUNNING)
    # Learn from the other organizations' outcomes and lend them ours (aggregate sums only, never a row).
    share_with_others = models.BooleanField(default=True)
    epoch = models.PositiveIntegerField(default=1)  # a reset starts the next one: what came before is not learned from
    updated = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    def __str__(self) -> str:
        return f"loop of organization {self.organization_id} ({self.state})"


class StrategyAssignment(models.Model):
    """The loop's choice for one analogy: the strategy, the exact probability it was drawn with (for unbiased,
    inverse-propensity-weighted reports) and, later, what the participant's answers said about it."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    analogy = models.OneToOneField("participants.Analogy", on_delete=models.CASCADE, related_name="assignment")
    epoch = models.PositiveIntegerField()
    theme = models.CharField(max_length=40)  # the context: the scenario's main relational theme
    strategy = models.CharField(max_length=120)  # as chosen (the analogy row names the one it was written by)
    probability = models.FloatField()
    eligible = models.PositiveSmallIntegerField()  # how many strategies there were to choose from
    mode = models.CharField(max_length=10, choices=AssignmentMode.choices)
    uniform_share = models.FloatField()  # TS-PostDiff's chance of a uniform draw at that moment
    # Every eligible strategy's chance at that moment ({"strategy": probability}, summing to 1): the whole draw,
    # so an audit or a later estimator can recompute what the loop did. Empty on assignments made before it was kept.
    probabilities = models.JSONField(default=dict)
    resonance_hit = models.BooleanField(null=True)  # rated 4 or 5 of 5; False when replaced ("try another")
    gain = models.FloatField(null=True)  # post_f1 - pre_f1: the gain in naming the feelings
    replaced = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        indexes = [models.Index(fields=["organization", "epoch", "strategy"], name="assignment_org_epoch")]

    def __str__(self) -> str:
        return f"{self.strategy} p={self.probability:.3f}"


class StrategyStats(models.Model):
    """Running sums of one organization's outcomes for one (epoch, theme, strategy). The posteriors read these (and
    the other sharing organizations' sums), not the rows, so choosing stays cheap at any size."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    epoch = models.PositiveIntegerField()  # earlier epochs' sums stay as history; only the current one is read
    theme = models.CharField(max_length=40)
    strategy = models.CharField(max_length=120)
    resonance_n = models.IntegerField(default=0)
    resonance_hits = models.IntegerField(default=0)
    gain_n = models.IntegerField(default=0)
    gain_sum = models.FloatField(default=0.0)
    gain_sumsq = models.FloatField(default=0.0)

    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "epoch", "theme", "strategy"],
                                               name="one_stats_row_per_strategy")]
        indexes = [models.Index(fields=["theme", "strategy"], name="stats_theme_strategy")]

    def __str__(self) -> str:
        return f"{self.strategy} in {self.theme}: {self.resonance_hits}/{self.resonance_n}"
