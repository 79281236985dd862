"""The report's rollup: the people of each workshop and day summed once, so a report adds up a few thousand
cells instead of grouping every person's answers (issue 15: the cold report of 100,000 participants).

A cell holds sums, never a person: each participant belongs to exactly one workshop and joined on one day, so
cells add up exactly across workshops, days and months, and a report filtered by dates, a workshop or a
facilitator reads only cells. They are brought up to date from what changed since (workshop/reports/rollup.py).
"""

from django.db import models

from workshop.tenancy.models import Organization
from workshop.tenancy.scope import ScopedManager
from workshop.workshops.models import Workshop


class ReportRollup(models.Model):
    """How far one organization's cells are up to date."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="+")
    through = models.DateTimeField(null=True)  # every change before this is in the cells (less a margin)
    themes = models.CharField(max_length=64, blank=True)  # the scenarios' first themes the cells were built with

    objects = ScopedManager()

    def __str__(self) -> str:
        return f"report rollup of organization {self.organization_id}"


class ReportCell(models.Model):
    """The participants of one workshop who joined on one day (UTC), in one condition: the sums that
    queries.ParticipantGroup adds up (people at each step, and their per-person means)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    condition = models.CharField(max_length=12)
    joined = models.IntegerField()
    profile = models.IntegerField()
    before = models.IntegerField()
    analogy = models.IntegerField()
    after = models.IntegerField()
    reflection = models.IntegerField()
    answered = models.IntegerField()
    f1_before = models.FloatField()
    f1_after = models.FloatField()
    f1_gain = models.FloatField()
    f1_gain_sq = models.FloatField()
    u_before = models.FloatField()
    u_after = models.FloatField()
    u_gain = models.FloatField()
    u_gain_sq = models.FloatField()

    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workshop", "day", "condition"], name="report_cell_once")]
        indexes = [models.Index(fields=["organization", "day"], name="report_cell_org_day")]

    def __str__(self) -> str:
        return f"report cell {self.workshop_id} {self.day} {self.condition}"


class ReportResonanceCell(models.Model):
    """Resonance ratings of one workshop's participants who joined on one day, for one key of a breakdown
    (what the analogy drew on, the scenario's first theme, the life domain): distinct people, ratings, sum."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    dimension = models.CharField(max_length=16)  # source_kind, source_family or theme
    key = models.CharField(max_length=200)
    people = models.IntegerField()
    responses = models.IntegerField()
    total = models.IntegerField()

    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workshop", "day", "dimension", "key"],
                                               name="report_resonance_cell_once")]
        indexes = [models.Index(fields=["organization", "dimension", "day"], name="report_resonance_org_dim")]

    def __str__(self) -> str:
        return f"resonance cell {self.workshop_id} {self.day} {self.dimension}={self.key}"
