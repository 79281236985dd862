from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from workshop.participants.instruments import Instrument, domain_suggestions, emotion_name, text, values

MAX_MEMORY_CHARS = 1500
MAX_DOMAINS_CHARS = 600
MAX_REFLECTION_CHARS = 2000


class JoinForm(forms.Form):
    pseudonym = forms.CharField(
        max_length=40, label=_("Pick a name to use today"),
        help_text=_("A first name or a nickname. Others in the room may see it."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname", "autocapitalize": "words"}),
    )
    consent = forms.BooleanField(
        required=True, label=_("I understand what is asked and stored, and I agree to take part."),
        error_messages={
            "required": _("To take part, please tick the box. If you would rather not, just close this page."),
        },
    )

    def clean_pseudonym(self):
        value = " ".join(self.cleaned_data["pseudonym"].split())
        if not value:
            raise forms.ValidationError(_("Please pick a name, any name."))
        return value


def _lines(text_value: str, limit: int) -> list[str]:
    parts = [p.strip() for chunk in text_value.splitlines() for p in chunk.split(",")]
    return [p for p in parts if p][:limit]


class PersonalityForm(forms.Form):
    """One page of the personality instrument: a few items, each on the instrument's own scale."""

    def __init__(self, *args, instrument: Instrument, page: int, language: str, initial_answers: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(i), text(label, language)) for i, label in enumerate(instrument.scale, 1)]
        for item in instrument.page_items(page):
            name = f"item_{item.number}"
            self.fields[name] = forms.TypedChoiceField(
                label=text(item.text, language), choices=choices, coerce=int, widget=forms.RadioSelect,
                error_messages={"required": _("Please choose an answer for this one.")},
            )
            if str(item.number) in initial_answers:
                self.initial[name] = str(initial_answers[str(item.number)])

    def answers(self) -> dict[str, int]:
        return {name.removeprefix("item_"): value for name, value in self.cleaned_data.items()}


class ValuesForm(forms.Form):
    values = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, label=_("Which three matter most to you?"),
        error_messages={"required": _("Please pick three.")},
    )

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["values"].choices = [(key, text(words, language)) for key, words in values().items()]

    def clean_values(self):
        chosen = self.cleaned_data["values"]
        if len(chosen) != 3:
            raise forms.ValidationError(_("Please pick exactly three (you picked %(count)s).") % {"count": len(chosen)})
        return chosen


class LifeForm(forms.Form):
    domains = forms.CharField(
        max_length=MAX_DOMAINS_CHARS, label=_("What fills your life outside work?"),
        help_text=_("A few words each, separated by commas."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Name at least one thing you do or care about outside work.")},
    )
    avoid = forms.CharField(
        max_length=300, required=False, label=_("Topics to keep out of your analogy"),
        help_text=_("Optional, separated by commas: illness, divorce, dogs."),
    )

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = domain_suggestions(language)

    def clean_domains(self):
        domains = _lines(self.cleaned_data["domains"], 10)
        if not domains:
            raise forms.ValidationError(_("Name at least one thing you do or care about outside work."))
        return domains

    def clean_avoid(self):
        return _lines(self.cleaned_data.get("avoid", ""), 20)


class MemoryEvent(models.TextChoices):
    """What happened in a memory, as the participant may say it on the memory page. The values are the
    engine's MEMORY_EVENTS ids; the labels are the participant's words for them."""

    LEFT_OUT = "left_out", _("I was left out")
    NOT_HEARD = "not_heard", _("I was talked over or not heard")
    NOT_CREDITED = "not_credited", _("Someone else got the credit")
    UNDERESTIMATED = "underestimated", _("I was underestimated")
    JUDGED = "judged", _("I was judged for what I am, not what I did")
    REPLACED = "replaced", _("My place or role went to someone else")
    THREATENED = "threatened", _("Something I counted on was under threat")
    TORN = "torn", _("I was torn between two duties")
    LET_DOWN = "let_down", _("I let someone down")
    BLAMED = "blamed", _("I was blamed for something that was not my fault")
    ODD_ONE_OUT = "odd_one_out", _("I was the odd one out")


# The feelings a participant may tick for a memory of their own: a short list, the ones such memories carry.
MEMORY_FEELINGS = ("hurt", "loneliness", "embarrassment", "frustration", "anger", "sadness", "disappointment",
                   "anxiety", "helplessness", "guilt")


class MemoriesForm(forms.Form):
    """One text per prompt, and for each, optional choices: what happened and how it felt."""

    def __init__(self, *args, prompts: list[str], language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.numbers = range(1, len(prompts) + 1)
        feelings = [(label, emotion_name(label, language)) for label in MEMORY_FEELINGS]
        for i, prompt in zip(self.numbers, prompts, strict=True):
            self.fields[f"memory_{i}"] = forms.CharField(
                max_length=MAX_MEMORY_CHARS, required=False, label=prompt,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"events_{i}"] = forms.MultipleChoiceField(
                required=False, choices=MemoryEvent.choices, widget=forms.CheckboxSelectMultiple,
                label=_("What happened? Tick any that fit."),
            )
            self.fields[f"feelings_{i}"] = forms.MultipleChoiceField(
                required=False, choices=feelings, widget=forms.CheckboxSelectMultiple,
                label=_("How did it feel?"),
            )

    def memory_groups(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        """Per memory: its text, what happened, how it felt (for the template)."""
        return [(self[f"memory_{i}"], self[f"events_{i}"], self[f"feelings_{i}"]) for i in self.numbers]

    def memories(self) -> list[dict]:
        """The memories written, each with the choices ticked for it. Choices without a memory are dropped."""
        out = []
        for i in self.numbers:
            memory = (self.cleaned_data.get(f"memory_{i}") or "").strip()
            if memory:
                out.append({"text": memory, "events": self.cleaned_data.get(f"events_{i}") or [],
                            "feelings": self.cleaned_data.get(f"feelings_{i}") or []})
        return out


INTENSITY = [(str(i), str(i)) for i in range(1, 6)]
UNDERSTANDING = [(str(i), str(i)) for i in range(1, 8)]
RESONANCE = [(str(i), str(i)) for i in range(1, 6)]


class FeelingsForm(forms.Form):
    """The same questions before and after the analogy."""

    labels = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, error_messages={"required": _("Choose at least one feeling.")})
    intensity = forms.TypedChoiceField(choices=INTENSITY, coerce=int, widget=forms.RadioSelect,
                                       error_messages={"required": _("Please choose how strong it is.")})
    understanding = forms.TypedChoiceField(choices=UNDERSTANDING, coerce=int, widget=forms.RadioSelect,
                                           error_messages={"required": _("Please choose a number.")})

    def __init__(self, *args, choices: list[str], person: str, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["labels"].choices = [(c, emotion_name(c, language)) for c in choices]
        self.fields["labels"].label = _("What does %(name)s feel? Choose all that apply.") % {"name": person}
        self.fields["intensity"].label = _("How strong are these feelings? (1 = faint, 5 = overwhelming)")
        self.fields["understanding"].label = _(
            "How well do you understand how %(name)s feels? (1 = not at all, 7 = completely)") % {"name": person}


class AfterForm(FeelingsForm):
    reflection = forms.CharField(
        max_length=MAX_REFLECTION_CHARS, required=False, widget=forms.Textarea(attrs={"rows": 4}),
        label=_("What do you take from this? (optional)"),
    )
    share_reflection = forms.TypedChoiceField(
        choices=[("private", _("Keep it private: only I see it")),
                 ("share", _("Share it anonymously with the group"))],
        coerce=lambda v: v == "share", widget=forms.RadioSelect, initial="private",
        label=_("Who may see your reflection?"),
    )
    resonance = forms.TypedChoiceField(
        choices=RESONANCE, coerce=int, widget=forms.RadioSelect,
        label=_("How much did your analogy resonate with you? (1 = not at all, 5 = very much)"),
        error_messages={"required": _("Please choose a number.")},
    )
