from django import forms
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from workshop.activities.kinds import Pacing
from workshop.engine import ScenarioSpec
from workshop.participants.instruments import InstrumentId
from workshop.scenarios.authoring import scenario_slug_free
from workshop.scenarios.languages import (
    DEFAULT_LANGUAGE,
    LANGUAGE_CHOICES,
    SCENARIO_LANGUAGES,
    language_of_text,
    language_supported,
)
from workshop.scenarios.models import Scenario
from workshop.scenarios.services import (
    ActivityTexts,
    ScenarioContent,
    ScenarioStructureError,
    scenario_content_finish,
    scenario_translation_check,
)
from workshop.scenarios.themes import theme_labels, theme_suggestions
from workshop.tenancy.models import Role
from workshop.workshops.models import Workshop

PRONOUN_SUGGESTIONS = ("she", "he", "they")


class ScenarioChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Scenario) -> str:
        text = obj.localized(get_language())  # the console's language, where the scenario has it
        themes = ", ".join(theme_labels(text.themes[:3]))
        origin = "" if obj.is_builtin else " · " + _("yours, version %(n)s") % {"n": obj.version}
        return f"{text.title} — {text.perspective_name}, {text.perspective_role} ({themes}){origin}"


# What each choice means for the facilitator choosing it: the names are declared once (Workshop.Engine,
# InstrumentId); these say more than their labels.
ENGINE_CHOICES = [
    (Workshop.Engine.BUILTIN, gettext_lazy("Built-in engine (no LLM, nothing leaves this server)")),
    (Workshop.Engine.OPENAI, gettext_lazy("LLM from the organization settings (falls back to the built-in engine)")),
]
INSTRUMENT_CHOICES = [
    (InstrumentId.MINI_IPIP, gettext_lazy("Mini-IPIP: 20 short statements (about 2 minutes)")),
    (InstrumentId.TIPI, gettext_lazy("TIPI: 10 pairs of adjectives (about 1 minute)")),
]
# Who an admin invites, most often a facilitator: every role, in the order the form offers them.
INVITATION_ROLES = [(role, role.label) for role in (Role.FACILITATOR, Role.ANALYST, Role.ADMIN)]


class WorkshopForm(forms.Form):
    title = forms.CharField(max_length=200, label=gettext_lazy("Workshop title"))
    scenarios = ScenarioChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, required=False, label=gettext_lazy("Scenarios"),
        help_text=gettext_lazy("The usual workshop: each scenario you tick, with an analogy, in the order you tick "
                               "them. To add other activities, compose them below."),
    )
    order = forms.CharField(required=False, widget=forms.HiddenInput)
    capacity = forms.IntegerField(min_value=1, max_value=10000, initial=40, label=gettext_lazy("Capacity"))
    pacing = forms.ChoiceField(
        choices=Pacing.choices, initial=Pacing.SELF, widget=forms.RadioSelect, label=gettext_lazy("Pacing"),
        required=False,
        help_text=gettext_lazy("Presenter-paced: you move the room from one activity to the next and phones follow; "
                               "anyone still busy can finish."),
    )
    followup_days = forms.IntegerField(
        min_value=1, max_value=90, initial=7, label=gettext_lazy("Check-in after (days)"), required=False,
        help_text=gettext_lazy("How long after the workshop a commitment's check-in is offered."),
    )
    generic_share = forms.IntegerField(
        min_value=0, max_value=100, initial=0, label=gettext_lazy("Share who get a generic analogy (%)"),
        help_text=gettext_lazy("For comparing personalized with generic analogies. 0 means everyone gets their own."),
    )
    engine = forms.ChoiceField(choices=ENGINE_CHOICES, initial=Workshop.Engine.BUILTIN,
                               label=gettext_lazy("Analogy engine"), widget=forms.RadioSelect)
    instrument = forms.ChoiceField(choices=INSTRUMENT_CHOICES, initial=InstrumentId.MINI_IPIP,
                                   label=gettext_lazy("Personality questions"), widget=forms.RadioSelect)
    show_reflections = forms.BooleanField(
        required=False, initial=True, label=gettext_lazy("Show shared reflections to the room"),
        widget=forms.CheckboxInput(attrs={"aria-describedby": "id_show_reflections-help"}),
        help_text=gettext_lazy("Reflections that participants chose to share can go on the projector, without names. "
                        "You reveal them when you are ready, and can hide any of them."),
    )
    language = forms.ChoiceField(
        choices=LANGUAGE_CHOICES, initial=DEFAULT_LANGUAGE, label=gettext_lazy("Language"),
        help_text=gettext_lazy("Participants can switch between English and Korean themselves."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenarios"].queryset = Scenario.objects.filter(is_current=True).order_by("title")

    def clean_pacing(self) -> str:
        return self.cleaned_data["pacing"] or Pacing.SELF

    def clean_followup_days(self) -> int:
        return self.cleaned_data["followup_days"] or self.fields["followup_days"].initial

    @classmethod
    def carried(cls, data) -> "WorkshopForm":
        """The form as the facilitator left it, not checked yet: what editing the activities shows again."""
        initial = {}
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.BooleanField):
                initial[name] = name in data
            elif isinstance(field, forms.ModelMultipleChoiceField):
                initial[name] = data.getlist(name)[:100]
            elif name in data:
                initial[name] = data.get(name, "")[:1000]
        return cls(initial=initial)

    def ticked(self, data) -> list[Scenario]:
        """The scenarios ticked, in the order they were ticked (static/js/workshop_new.js keeps it)."""
        ids = [v for v in data.getlist("scenarios")[:100] if v.isascii() and v.isdigit() and len(v) < 12]
        chosen = {str(s.pk): s for s in self.fields["scenarios"].queryset.filter(pk__in=ids)}
        order = [pk for pk in (data.get("order") or "")[:2000].split(",") if pk in chosen]
        order += [pk for pk in ids if pk in chosen and pk not in order]
        return [chosen[pk] for pk in dict.fromkeys(order)]


class WorkshopSettingsForm(forms.Form):
    """What the workshop page changes: capacity at any time (never below who joined), pacing and the check-in
    while it is a draft."""

    capacity = forms.IntegerField(min_value=1, max_value=10000, label=gettext_lazy("Capacity"))
    pacing = forms.ChoiceField(choices=Pacing.choices, widget=forms.RadioSelect, label=gettext_lazy("Pacing"),
                               required=False)
    followup_days = forms.IntegerField(min_value=1, max_value=90, label=gettext_lazy("Check-in after (days)"),
                                       required=False)

    def __init__(self, *args, draft: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not draft:
            del self.fields["pacing"], self.fields["followup_days"]


class ScenarioImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Scenario file (JSON or YAML)"))


class InvitationForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email"))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=INVITATION_ROLES)


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(max_length=150, label=gettext_lazy("Username"))
    password = forms.CharField(widget=forms.PasswordInput, min_length=10, label=gettext_lazy("Password"))


def _pydantic_message(message: str) -> str:
    return message.removeprefix("Value error, ")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _words(text: str) -> list[str]:
    """'microaggression, hybrid work' (commas or lines) -> the words; the engine's spec checks the rest."""
    return [w.strip() for line in text.splitlines() for w in line.split(",") if w.strip()]


def other_language(language: str) -> str:
    """The language a scenario written in ``language`` is translated into on the form."""
    return next(code for code in SCENARIO_LANGUAGES if code != language)


class ScenarioForm(forms.Form):
    """Write or edit an organization scenario in its language and, optionally, in the other one (the
    translation fields, tr_*). Everything is checked by the engine's ScenarioSpec, in each language."""

    title = forms.CharField(max_length=200, label=gettext_lazy("Title"))
    slug = forms.CharField(
        required=False, max_length=80, label=gettext_lazy("Short name"),
        help_text=gettext_lazy("Used in exported files. Letters, digits, - and _. Leave empty to make "
            "one from the title."),
    )
    language = forms.ChoiceField(
        required=False, choices=LANGUAGE_CHOICES, label=gettext_lazy("Language of the story"),
        help_text=gettext_lazy("The language the title, story and prompts above are written in. You can add "
                               "the other language's version below."),
    )
    perspective_name = forms.CharField(max_length=80, label=gettext_lazy("Whose perspective (name)"))
    perspective_role = forms.CharField(max_length=120, label=gettext_lazy("Their role"))
    perspective_pronouns = forms.CharField(
        required=False, max_length=20, label=gettext_lazy("Their pronouns (optional)"),
        help_text=gettext_lazy("she, he or they, as the story refers to them. Leave empty to let the engine "
                               "read them from the story."),
        widget=forms.TextInput(attrs={"list": "pronoun-suggestions", "autocomplete": "off"}),
    )
    narrative = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), max_length=5000, label=gettext_lazy("Story"))
    emotions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label=gettext_lazy("Target feelings"),
        help_text=gettext_lazy("One feeling per line with its intensity from 0 to 1, for example: hurt 0.7"),
        error_messages={"required": gettext_lazy("Name at least one feeling, like 'hurt 0.7'.")},
    )
    themes = forms.CharField(
        required=False, max_length=1000, label=gettext_lazy("Themes"),
        help_text=gettext_lazy("In your own words, separated by commas, for example: microaggression, hybrid "
                               "work. They help the engine see what the story is about; the known themes "
                               "below are suggestions."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    discussion_prompts = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), label=gettext_lazy("Discussion prompts"),
        help_text=gettext_lazy("One question per line, up to 10."),
    )
    when_asked = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("What they said when asked (optional)"),
        help_text=gettext_lazy("In the person's own words, what they said when someone asked how it was for them. "
                               "Perspective-getting shows it after participants write what they would ask."),
    )
    witness = forms.CharField(
        required=False, max_length=500, label=gettext_lazy("Someone who was there (optional)"),
        help_text=gettext_lazy("Whose seat bystander rehearsal replays the story from, for example: You are the "
                               "colleague at the coffee machine. Leave empty for a colleague who saw it."),
    )
    # The version in the other language: optional, each field falls back to the story's own language.
    tr_title = forms.CharField(required=False, max_length=200, label=gettext_lazy("Title"))
    tr_perspective_name = forms.CharField(required=False, max_length=80,
                                          label=gettext_lazy("Whose perspective (name)"))
    tr_perspective_role = forms.CharField(required=False, max_length=120, label=gettext_lazy("Their role"))
    tr_narrative = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}), max_length=5000,
                                   label=gettext_lazy("Story"))
    tr_themes = forms.CharField(
        required=False, max_length=1000, label=gettext_lazy("Themes"),
        help_text=gettext_lazy("In that language's words, separated by commas."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    tr_discussion_prompts = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), label=gettext_lazy("Discussion prompts"),
        help_text=gettext_lazy("One question per line, up to 10."),
    )
    tr_when_asked = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                                    label=gettext_lazy("What they said when asked (optional)"))
    tr_witness = forms.CharField(required=False, max_length=500, label=gettext_lazy("Someone who was there (optional)"))

    FIELD_FOR = {"title": "title", "slug": "slug", "narrative": "narrative", "emotions": "emotions",
                 "themes": "themes", "discussion_prompts": "discussion_prompts", "language": "language",
                 "when_asked": "when_asked", "witness": "witness"}
    TRANSLATION_FIELDS = ("tr_title", "tr_perspective_name", "tr_perspective_role", "tr_narrative", "tr_themes",
                          "tr_discussion_prompts", "tr_when_asked", "tr_witness")

    def __init__(self, *args, organization=None, fixed_slug: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fixed_slug = fixed_slug
        if fixed_slug:  # a new version of an existing scenario keeps its slug
            del self.fields["slug"]
        self.theme_suggestions = theme_suggestions()
        self.pronoun_suggestions = PRONOUN_SUGGESTIONS
        self.content: ScenarioContent | None = None
        chosen = (self.data.get("language") if self.is_bound else "") or self.initial.get("language")
        self.story_language = language_supported(chosen) or DEFAULT_LANGUAGE
        self.translation_language = other_language(self.story_language)
        self.translation_language_name = dict(LANGUAGE_CHOICES)[self.translation_language]
        for name in self.TRANSLATION_FIELDS:  # spell-checkers and input methods follow the text's language
            self.fields[name].widget.attrs["lang"] = self.translation_language

    @property
    def main_fields(self) -> list:
        return [self[name] for name in self.fields if name not in self.TRANSLATION_FIELDS]

    @property
    def translation_fields(self) -> list:
        return [self[name] for name in self.TRANSLATION_FIELDS]

    @classmethod
    def initial_from(cls, scenario: Scenario) -> dict:
        translated = (scenario.translations or {}).get(other_language(scenario.language), {})
        return {
            "title": scenario.title, "slug": scenario.slug, "narrative": scenario.narrative,
            "language": scenario.language,
            "perspective_name": scenario.perspective_name, "perspective_role": scenario.perspective_role,
            "perspective_pronouns": scenario.perspective_pronouns,
            "emotions": "\n".join(f"{e['label']} {e['intensity']:g}" for e in scenario.emotions),
            "themes": ", ".join(theme_labels(scenario.themes)),
            "discussion_prompts": "\n".join(scenario.discussion_prompts),
            "tr_title": translated.get("title", ""), "tr_narrative": translated.get("narrative", ""),
            "tr_perspective_name": translated.get("perspective_name", ""),
            "tr_perspective_role": translated.get("perspective_role", ""),
            "tr_themes": ", ".join(theme_labels(translated.get("themes") or [])),
            "tr_discussion_prompts": "\n".join(translated.get("discussion_prompts") or []),
            "when_asked": scenario.when_asked, "witness": scenario.witness,
            "tr_when_asked": translated.get("when_asked", ""), "tr_witness": translated.get("witness", ""),
        }

    def clean_language(self) -> str:
        return self.cleaned_data["language"] or self.story_language

    def clean_themes(self) -> list[str]:
        return _words(self.cleaned_data["themes"])

    def clean_tr_themes(self) -> list[str]:
        return _words(self.cleaned_data["tr_themes"])

    def clean_emotions(self) -> list[tuple[int, dict]]:
        """'hurt 0.7' (or 'hurt: 70%') per line -> [(line number, {label, intensity})]."""
        rows, problems = [], []
        for number, line in enumerate(self.cleaned_data["emotions"].splitlines(), start=1):
            words = line.replace(":", " ").replace(",", " ").split()
            if not words:
                continue
            label, amount = " ".join(words[:-1]), words[-1]
            try:
                intensity = float(amount[:-1]) / 100 if amount.endswith("%") else float(amount)
            except ValueError:
                problems.append(_("Line %(n)d: write the feeling, then its intensity from 0 to 1, like "
                                  "'hurt 0.7'.") % {"n": number})
                continue
            if not label:
                problems.append(_("Line %(n)d: the feeling is missing before the number.") % {"n": number})
                continue
            rows.append((number, {"label": label, "intensity": intensity}))
        if problems:
            raise forms.ValidationError(problems)
        if not rows:
            raise forms.ValidationError(_("Name at least one feeling, like 'hurt 0.7'."))
        return rows

    def _scripts_match(self, data: dict) -> bool:
        """A story put under the wrong language (Korean text marked English, or the reverse) is named."""
        names = dict(LANGUAGE_CHOICES)
        ok = True
        for field, language in (("narrative", data["language"]), ("tr_narrative", self.translation_language)):
            written = language_of_text(data.get(field) or "")
            if written and written != language:
                ok = False
                self.add_error(field, _("This story reads as %(written)s, but it is marked as %(language)s. "
                                        "Choose the story's language above, or move it to the other version.")
                               % {"written": names[written], "language": names[language]})
        return ok

    def clean(self):
        data = super().clean()
        if self.errors or not self._scripts_match(data):
            return data
        # A slug another scenario has is refused by scenario_create, next to this field.
        slug = self.fixed_slug or data.get("slug") or scenario_slug_free(organization=self.organization,
                                                                         base=data["title"])
        emotion_lines = [number for number, _row in data["emotions"]]
        spec_data = {
            "slug": slug, "title": data["title"], "narrative": data["narrative"], "language": data["language"],
            "perspective": {"name": data["perspective_name"], "role": data["perspective_role"],
                            "pronouns": data["perspective_pronouns"]},
            "emotions": [row for _number, row in data["emotions"]], "themes": data["themes"],
            "discussion_prompts": _lines(data["discussion_prompts"]),
        }
        try:
            spec = ScenarioSpec.model_validate(spec_data)
            activity = ActivityTexts.model_validate({"when_asked": data["when_asked"], "witness": data["witness"]})
        except PydanticValidationError as exc:
            for err in exc.errors():
                self._add_spec_error(err["loc"], _pydantic_message(err["msg"]), emotion_lines)
            return data
        translated = {key: value for key, value in {
            "title": data["tr_title"], "narrative": data["tr_narrative"],
            "perspective_name": data["tr_perspective_name"], "perspective_role": data["tr_perspective_role"],
            "themes": data["tr_themes"], "discussion_prompts": _lines(data["tr_discussion_prompts"]),
            "when_asked": data["tr_when_asked"].strip(), "witness": data["tr_witness"].strip(),
        }.items() if value}
        translations = {}
        if translated:
            try:
                translations[self.translation_language] = scenario_translation_check(
                    spec=spec, language=self.translation_language, fields=translated)
            except PydanticValidationError as exc:
                for err in exc.errors():
                    self._add_spec_error(err["loc"], _pydantic_message(err["msg"]), emotion_lines, prefix="tr_")
                return data
        try:
            self.content = scenario_content_finish(spec=spec, translations=translations, activity_texts=activity)
        except ScenarioStructureError as exc:  # the engine can infer nothing from it: its message says what to add
            self._add_spec_error((exc.field,), str(exc), emotion_lines, prefix="tr_" if exc.language else "")
        return data

    def _add_spec_error(self, loc: tuple, message: str, emotion_lines: list[int], prefix: str = "") -> None:
        """A spec error on its form field; ``prefix`` "tr_": on the translation's field."""
        head = loc[0] if loc else ""
        if head == "perspective" and len(loc) > 1 and f"{prefix}perspective_{loc[1]}" in self.fields:
            self.add_error(f"{prefix}perspective_{loc[1]}", message)
        elif head == "emotions" and len(loc) > 1 and isinstance(loc[1], int):
            self.add_error("emotions", _("Line %(n)d: %(problem)s") % {"n": emotion_lines[loc[1]], "problem": message})
        elif head == "discussion_prompts" and len(loc) > 1 and isinstance(loc[1], int):
            self.add_error(f"{prefix}discussion_prompts", _("Prompt %(n)d: %(problem)s") % {"n": loc[1] + 1,
                                                                                             "problem": message})
        elif head in self.FIELD_FOR and f"{prefix}{self.FIELD_FOR[head]}" in self.fields:
            self.add_error(f"{prefix}{self.FIELD_FOR[head]}", message)
        elif head in self.FIELD_FOR and self.FIELD_FOR[head] in self.fields:
            self.add_error(self.FIELD_FOR[head], message)
        else:
            self.add_error(None, f"{'.'.join(str(p) for p in loc)}: {message}")


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, label=gettext_lazy("New role"))
