from django.db import models

from workshop.tenancy.models import Organization
from workshop.tenancy.scope import ScopedWithSharedManager


class Scenario(models.Model):
    """One version of a scenario. organization=None is the read-only built-in library.

    Editing never changes a row a workshop may have used: it adds the next version and marks it current.
    """

    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+")
    slug = models.SlugField(max_length=80)
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    title = models.CharField(max_length=200)
    narrative = models.TextField()
    perspective_name = models.CharField(max_length=100)
    perspective_role = models.CharField(max_length=200)
    # "she", "he", "they"... as the narrative refers to the person; empty: the engine reads it from the story.
    perspective_pronouns = models.CharField(max_length=20, blank=True, default="")
    emotions = models.JSONField(default=list)  # [{"label": str, "intensity": float}]
    themes = models.JSONField(default=list)
    discussion_prompts = models.JSONField(default=list)
    content_hash = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)

    objects = ScopedWithSharedManager()

    class Meta:
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], condition=models.Q(organization__isnull=True),
                                    name="builtin_scenario_version_unique"),
            models.UniqueConstraint(fields=["organization", "slug", "version"],
                                    condition=models.Q(organization__isnull=False),
                                    name="org_scenario_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_builtin(self) -> bool:
        return self.organization_id is None

    def to_spec_dict(self) -> dict:
        """The scenario file format of DESIGN.md (what the engine and exports take)."""
        return {
            "slug": self.slug,
            "title": self.title,
            "narrative": self.narrative,
            "perspective": {"name": self.perspective_name, "role": self.perspective_role,
                            "pronouns": self.perspective_pronouns},
            "emotions": self.emotions,
            "themes": self.themes,
            "discussion_prompts": self.discussion_prompts,
        }


class ScenarioAnalysis(models.Model):
    """An LLM's analysis of one scenario version's emotional structure, made once and reused by every worker.

    The key names the analysis scope, the scenario's content hash and the model. The scope is the server's own
    endpoint (shared by the organizations that use it) or one organization's own endpoint or key (that
    organization alone): the analysis goes into later prompts as trusted structure, so one organization's
    endpoint must not write what another's prompts read (participants/llm.py, workshop/engine/llm/analysis.py).
    """

    key = models.CharField(max_length=255, unique=True)
    data = models.JSONField()
    pending = models.BooleanField(default=False)  # claimed by a worker that is asking the model right now
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
