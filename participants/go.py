"""The short way in: /go asks for the code on the projector, /go/<code> takes it from the address; both lead to
the workshop's join link. Every look-up counts against the caller's address, as joining does, so codes cannot
be tried in bulk."""
from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy

from participants.middleware import LANGUAGE_COOKIE, SUPPORTED
from workshop.ratelimit import client_address, rate_limit_hit, rate_limited_response
from workshop.workshops.short_code import TYPED_MAX, short_code_normalize, workshop_by_short_code


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=TYPED_MAX, label=gettext_lazy("Code on the screen"),
        help_text=gettext_lazy("Six letters and digits, for example K7M XQ4. Capitals or not, as you like."),
        error_messages={"required": gettext_lazy("Type the code shown on the screen.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                                      "autocorrect": "off", "enterkeyhint": "go"}),
    )

    def clean_code(self) -> str:
        code = short_code_normalize(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(gettext_lazy("A code has six letters and digits. Check the screen and "
                                                     "try again."))
        return code


def go(request: HttpRequest, code: str | None = None) -> HttpResponse:
    if code is None and request.method != "POST":
        return _page(request, CodeForm())
    form = CodeForm({"code": request.POST.get("code", "") if code is None else code})
    limit = settings.JOIN_RATE_LIMIT
    if not rate_limit_hit(scope="go", key=client_address(request), limit=limit):
        return rate_limited_response(request, window=limit[1])
    if not form.is_valid():
        return _page(request, form, status=404 if code is not None else 400)
    workshop = workshop_by_short_code(form.cleaned_data["code"])
    if workshop is None:
        form.add_error("code", gettext_lazy("No open workshop has this code. Check the code on the screen, or "
                                            "scan the QR code instead."))
        return _page(request, form, status=404)
    return redirect("participants:join", join_token=workshop.join_token)


def _page(request: HttpRequest, form: CodeForm, status: int = 200) -> HttpResponse:
    # No workshop is known yet, so the phone pages' language switch (?lang=) is honoured here, and remembered
    # for the join page the code leads to.
    chosen = request.GET.get("lang")
    chosen = chosen if chosen in SUPPORTED else None
    remembered = request.COOKIES.get(LANGUAGE_COOKIE)
    language = chosen or (remembered if remembered in SUPPORTED else None) or translation.get_language()
    with translation.override(language):
        response = render(request, "participants/go.html", {"form": form}, status=status)
    if chosen:
        response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=60 * 60 * 24 * 365, samesite="Lax", httponly=True)
    return response
