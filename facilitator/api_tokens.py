"""API tokens: every member makes and revokes their own; admins can also revoke anyone's in the organization.
A new token's key is shown once, on the page that answers the form, and never stored in clear."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workshop.api.models import ApiToken
from workshop.api.services import TokenRefused, api_token_create, api_token_revoke
from workshop.tenancy.access import member_required
from workshop.tenancy.models import Role


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=100, label=gettext_lazy("Token name"),
                           help_text=gettext_lazy("What will use it, for example 'HR dashboard'."))


def _tokens(request: HttpRequest):
    """The tokens the page lists: the member's own, or everyone's for an admin (who may revoke any)."""
    tokens = ApiToken.objects.select_related("user").order_by("revoked_at", "-created")
    if request.membership.role != Role.ADMIN:
        tokens = tokens.filter(user=request.user)
    return tokens


@member_required()
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(None if request.POST.get("action") == "revoke" else request.POST or None)
    new_key = None
    if request.method == "POST" and request.POST.get("action") == "revoke":
        token = _tokens(request).filter(pk=_int(request.POST.get("token"))).first()
        if token is None:
            raise Http404("No such token")
        if api_token_revoke(token=token, actor=request.user):
            messages.success(request, _("Token “%(name)s” revoked: it stops working now.") % {"name": token.name})
        return redirect("facilitator:api_tokens")
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = api_token_create(organization_id=request.membership.organization_id,
                                               user=request.user, name=form.cleaned_data["name"])
        except TokenRefused as exc:
            form.add_error(None, str(exc))
        else:
            form = ApiTokenForm()
    response = render(request, "facilitator/api_tokens.html", {
        "form": form, "new_key": new_key, "tokens": _tokens(request),
        "is_admin": request.membership.role == Role.ADMIN,
    })
    response["Cache-Control"] = "no-store"  # the page may carry a key that is shown only once
    return response


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0
