from django import forms

MAX_MEMORY_CHARS = 1500
MAX_DOMAINS_CHARS = 600


class JoinForm(forms.Form):
    pseudonym = forms.CharField(
        max_length=40, label="Pick a name to use today",
        help_text="A first name or a nickname. Others in the room may see it.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname", "autocapitalize": "words"}),
    )
    consent = forms.BooleanField(
        required=True, label="I understand what is asked and stored, and I agree to take part.",
        error_messages={
            "required": "To take part, please tick the box. If you would rather not, just close this page.",
        },
    )

    def clean_pseudonym(self):
        value = " ".join(self.cleaned_data["pseudonym"].split())
        if not value:
            raise forms.ValidationError("Please pick a name, any name.")
        return value


def _lines(text: str, limit: int) -> list[str]:
    parts = [p.strip() for chunk in text.splitlines() for p in chunk.split(",")]
    return [p for p in parts if p][:limit]


class ProfileForm(forms.Form):
    domains = forms.CharField(
        max_length=MAX_DOMAINS_CHARS, label="What fills your life outside work?",
        help_text="A few words each, separated by commas: amateur football, choir, my grandmother, baking.",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Name at least one thing you do or care about outside work."},
    )
    memory = forms.CharField(
        max_length=MAX_MEMORY_CHARS, required=False, label="A time a decision about you was made without you",
        help_text="Optional, two or three sentences. Your analogy is built from your own life, so a real "
                  "memory makes it land. Only you will see it.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    avoid = forms.CharField(
        max_length=300, required=False, label="Topics to keep out of your analogy",
        help_text="Optional, separated by commas: illness, divorce, dogs.",
    )

    def clean_domains(self):
        domains = _lines(self.cleaned_data["domains"], 10)
        if not domains:
            raise forms.ValidationError("Name at least one thing you do or care about outside work.")
        return domains

    def clean_avoid(self):
        return _lines(self.cleaned_data.get("avoid", ""), 20)

    def profile_data(self) -> dict:
        memory = self.cleaned_data.get("memory", "").strip()
        return {
            "domains": self.cleaned_data["domains"],
            "experiences": [{"text": memory}] if memory else [],
            "avoid": self.cleaned_data["avoid"],
        }
