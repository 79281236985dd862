"""Organization settings for admins: anonymity threshold, retention, paper, language, the LLM endpoint."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workshop.scenarios.languages import LANGUAGE_CHOICES
from workshop.tenancy.access import member_required
from workshop.tenancy.models import Organization, Role
from workshop.tenancy.organization import SETTINGS_FIELDS, SettingsRefused, organization_settings_change


class OrganizationSettingsForm(forms.ModelForm):
    llm_base_url = forms.CharField(
        required=False, max_length=300, label=gettext_lazy("LLM base URL"),
        help_text=gettext_lazy("Any OpenAI-compatible endpoint: OpenAI, Azure, vLLM, Ollama, llama.cpp. "
                        "Empty: the server's default, or the built-in engine."),
    )
    llm_api_key = forms.CharField(
        required=False, label=gettext_lazy("LLM API key"), widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("Stored encrypted and never shown again. Leave empty to keep the current key. "
                               "It is sent only to the base URL it was entered for."),
    )
    clear_llm_api_key = forms.BooleanField(required=False, label=gettext_lazy("Remove the stored key"))
    default_language = forms.ChoiceField(choices=LANGUAGE_CHOICES, label=gettext_lazy("Default language"))

    class Meta:
        model = Organization
        fields = list(SETTINGS_FIELDS)
        labels = {
            "anonymity_k": gettext_lazy("Anonymity threshold (k)"),
            "retention_days": gettext_lazy("Keep personal data for (days)"),
            "llm_model": gettext_lazy("LLM model"), "paper_size": gettext_lazy("Paper size"),
            "llm_requests_per_minute": gettext_lazy("LLM requests per minute"),
            "llm_tokens_per_minute": gettext_lazy("LLM tokens per minute"),
        }
        help_texts = {
            "anonymity_k": gettext_lazy("Reports never show a group smaller than this (3 to 10)."),
        }

    def clean_llm_api_key(self):
        return self.cleaned_data.get("llm_api_key", "").strip()


@member_required(Role.ADMIN)
def organization_settings(request: HttpRequest) -> HttpResponse:
    """The rules (ranges, the LLM address, the key that goes with it) are organization_settings_change's."""
    organization = Organization.objects.get(pk=request.membership.organization_id)
    form = OrganizationSettingsForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            organization = organization_settings_change(
                organization_id=organization.id, actor=request.user,
                changes={f: form.cleaned_data[f] for f in SETTINGS_FIELDS},
                api_key=form.cleaned_data["llm_api_key"], clear_api_key=form.cleaned_data["clear_llm_api_key"])
        except SettingsRefused as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            if "test" in request.POST:
                return _test_connection(request, organization)
            messages.success(request, _("Settings saved."))
            return redirect("facilitator:organization")
    return render(request, "facilitator/organization.html", {"form": form, "organization": organization})


def _test_connection(request: HttpRequest, organization: Organization) -> HttpResponse:
    from workshop.engine import llm_test_connection
    from workshop.participants.llm import llm_config_for

    config = llm_config_for(organization, with_hooks=False)
    if config is None:
        messages.error(request, _("Settings saved. No LLM endpoint is set, so the built-in engine is used."))
    else:
        ok, detail = llm_test_connection(config.model_copy(update={"timeout_s": 5, "max_retries": 0}))
        (messages.success if ok else messages.error)(
            request, _("Settings saved. Connection test: %(detail)s") % {"detail": detail})
    return redirect("facilitator:organization")
