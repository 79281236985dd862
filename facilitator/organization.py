"""Organization settings for admins: anonymity threshold, retention, paper, language, the LLM endpoint."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workshop.participants.llm import llm_base_url_blocked
from workshop.tenancy.access import member_required
from workshop.tenancy.models import Organization, Role
from workshop.tenancy.services import audit_record

AUDITED_FIELDS = ["anonymity_k", "retention_days", "paper_size", "default_language", "llm_base_url", "llm_model",
                  "llm_requests_per_minute", "llm_tokens_per_minute"]


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

    class Meta:
        model = Organization
        fields = AUDITED_FIELDS
        labels = {
            "anonymity_k": gettext_lazy("Anonymity threshold (k)"),
            "retention_days": gettext_lazy("Keep personal data for (days)"),
            "llm_model": gettext_lazy("LLM model"), "paper_size": gettext_lazy("Paper size"),
            "default_language": gettext_lazy("Default language"),
            "llm_requests_per_minute": gettext_lazy("LLM requests per minute"),
            "llm_tokens_per_minute": gettext_lazy("LLM tokens per minute"),
        }
        help_texts = {
            "anonymity_k": gettext_lazy("Reports never show a group smaller than this (3 to 10)."),
        }

    def clean_retention_days(self):
        days = self.cleaned_data["retention_days"]
        if not 1 <= days <= 3650:
            raise forms.ValidationError(_("Choose between 1 and 3650 days."))
        return days

    def clean_llm_api_key(self):
        return self.cleaned_data.get("llm_api_key", "").strip()

    def clean_llm_base_url(self):
        url = self.cleaned_data.get("llm_base_url", "")
        if url and llm_base_url_blocked(url):
            raise forms.ValidationError(_(
                "This address is on the server's own network (loopback, private, link-local or reserved), "
                "which an LLM endpoint may not use. The server's operator can allow an on-premises endpoint."))
        return url

    def clean(self):
        data = super().clean()
        # The stored key goes only to the address it was entered for (the instance still holds the old one).
        moved = "llm_base_url" in data and data["llm_base_url"] != self.instance.llm_base_url
        if (moved and self.instance.has_llm_api_key and not data.get("llm_api_key")
                and not data.get("clear_llm_api_key")):
            self.add_error("llm_api_key", _(
                "The LLM base URL changed: enter the API key for the new address, or remove the stored key. "
                "A stored key is only sent to the address it was entered for."))
        return data


@member_required(Role.ADMIN)
def organization_settings(request: HttpRequest) -> HttpResponse:
    organization = Organization.objects.get(pk=request.membership.organization_id)
    before = {f: getattr(organization, f) for f in AUDITED_FIELDS}
    form = OrganizationSettingsForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        organization = form.save(commit=False)
        key_change = None
        if form.cleaned_data["clear_llm_api_key"]:
            organization.set_llm_api_key("")
            key_change = "removed"
        elif form.cleaned_data["llm_api_key"]:
            organization.set_llm_api_key(form.cleaned_data["llm_api_key"])
            key_change = "replaced"
        organization.save()
        changed = sorted(f for f in AUDITED_FIELDS if getattr(organization, f) != before[f])
        audit_record(organization_id=organization.id, actor=request.user, action="settings.change",
                     obj=organization, detail={"fields": changed, "api_key": key_change})
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
