from django import forms

from workshop.scenarios.models import Scenario


class ScenarioChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Scenario) -> str:
        themes = ", ".join(t.replace("_", " ") for t in obj.themes[:3])
        origin = "" if obj.is_builtin else f" · yours, v{obj.version}"
        return f"{obj.title} — {obj.perspective_name}, {obj.perspective_role} ({themes}){origin}"


class WorkshopForm(forms.Form):
    title = forms.CharField(max_length=200, label="Workshop title")
    scenarios = ScenarioChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple,
        label="Scenarios", help_text="They are shown in the order you pick them.",
    )
    order = forms.CharField(required=False, widget=forms.HiddenInput)
    capacity = forms.IntegerField(min_value=1, max_value=10000, initial=40, label="Capacity")
    generic_share = forms.IntegerField(
        min_value=0, max_value=100, initial=0, label="Share who get a generic analogy (%)",
        help_text="For comparing personalized with generic analogies. 0 means everyone gets their own.",
    )
    engine = forms.ChoiceField(
        choices=[("builtin", "Built-in engine (no LLM, nothing leaves this server)"),
                 ("openai", "LLM from the organization settings (falls back to the built-in engine)")],
        initial="builtin", label="Analogy engine", widget=forms.RadioSelect,
    )
    instrument = forms.ChoiceField(
        choices=[("mini_ipip", "Mini-IPIP: 20 short statements (about 2 minutes)"),
                 ("tipi", "TIPI: 10 pairs of adjectives (about 1 minute)")],
        initial="mini_ipip", label="Personality questions", widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(choices=[("en", "English"), ("ko", "Korean (한국어)")], initial="en",
                                 help_text="Participants can switch between English and Korean themselves.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenarios"].queryset = Scenario.objects.filter(is_current=True).order_by("title")

    def ordered_scenarios(self) -> list[Scenario]:
        chosen = {str(s.pk): s for s in self.cleaned_data["scenarios"]}
        order = [pk for pk in (self.cleaned_data.get("order") or "").split(",") if pk in chosen]
        order += [pk for pk in chosen if pk not in order]
        return [chosen[pk] for pk in order]


class ScenarioImportForm(forms.Form):
    file = forms.FileField(label="Scenario file (JSON or YAML)")


class InvitationForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=[("facilitator", "Facilitator"), ("analyst", "Analyst"), ("admin", "Admin")])


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(max_length=150)
    password = forms.CharField(widget=forms.PasswordInput, min_length=10)
