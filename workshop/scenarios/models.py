from django.db import models

from workshop.scenarios.languages import (
    ACTIVITY_TEXT_FIELDS,
    DEFAULT_LANGUAGE,
    LANGUAGE_CHOICES,
    TEXT_FIELDS,
    ScenarioText,
    known_themes_everywhere,
    language_supported,
    spec_data,
    texts_in,
    translation_block,
)
from workshop.tenancy.models import Organization
from workshop.tenancy.scope import ScopedWithSharedManager


class Scenario(models.Model):
    """One version of a scenario. organization=None is the read-only built-in library.

    Editing never changes a row a workshop may have used: it adds the next version and marks it current.
    The text fields are in the scenario's ``language``; ``translations`` holds other languages' texts
    (workshop/scenarios/languages.py), so one version is the same story in each of them.
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
    # For activities, never the engine (languages.py): what the person said when someone asked them
    # (perspective-getting), and the seat of someone who was there (bystander rehearsal). Optional.
    when_asked = models.TextField(blank=True, default="")
    witness = models.TextField(blank=True, default="")
    language = models.CharField(max_length=12, choices=LANGUAGE_CHOICES, default=DEFAULT_LANGUAGE)
    # {"ko": {"title": ..., "narrative": ..., "perspective_name": ..., "discussion_prompts": [...], ...}}: any
    # subset of the text fields per language; what is left out is read in the primary language.
    translations = models.JSONField(default=dict, blank=True)
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

    @property
    def languages(self) -> list[str]:
        """The primary language, then every language with a translation."""
        return [self.language, *(code for code in self.translations or {} if code != self.language)]

    def localized(self, language: str | None) -> ScenarioText:
        """The texts in ``language`` (a participant's, a workshop's), each falling back to the primary
        language where the scenario has no translation of it."""
        return texts_in(primary={field: getattr(self, field) for field in TEXT_FIELDS},
                        primary_language=self.language, translations=self.translations or {}, language=language)

    def to_spec_dict(self, language: str | None = None) -> dict:
        """The engine's ScenarioSpec in ``language`` (default: the primary one), with ``language`` set to it:
        the version a participant who reads that language sees, for the analogy written for them."""
        code = language_supported(language) or self.language
        return spec_data(slug=self.slug, emotions=self.emotions, text=self.localized(code), language=code,
                         known_themes=known_themes_everywhere(primary_themes=self.themes or [],
                                                              translations=self.translations or {}))

    def to_file_dict(self) -> dict:
        """The scenario file format of DESIGN.md, with every language: the primary texts, its ``language``,
        and a block per translation under its language code (what exports write and imports read)."""
        data = {
            "slug": self.slug,
            "language": self.language,
            "title": self.title,
            "narrative": self.narrative,
            "perspective": {"name": self.perspective_name, "role": self.perspective_role,
                            "pronouns": self.perspective_pronouns},
            "emotions": self.emotions,
            "themes": self.themes,
            "discussion_prompts": self.discussion_prompts,
        }
        data.update({key: getattr(self, key) for key in ACTIVITY_TEXT_FIELDS if getattr(self, key)})
        for code in self.languages[1:]:
            data[code] = translation_block(self.translations[code])
        return data


class ScenarioAnalysis(models.Model):
    """An LLM's analysis of one scenario version's emotional structure, made once and reused by every worker.

    The key names the analysis scope, the scenario's content hash and the model. The scope is the server's own
    endpoint (shared by the organizations that use it) or one organization's own endpoint or key (that
    organization alone): the analysis goes into later prompts as trusted structure, so one organization's
    endpoint must not write what another's prompts read (workshop/participants/llm.py, workshop/engine/llm/analysis.py).
    """

    key = models.CharField(max_length=255, unique=True)
    data = models.JSONField()
    pending = models.BooleanField(default=False)  # claimed by a worker that is asking the model right now
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
