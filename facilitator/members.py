"""Organization admins: members, roles, removal and invitations. Accepting an invitation creates the account."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from facilitator.forms import AcceptInvitationForm, InvitationForm, MemberRoleForm
from workshop.tenancy.access import member_required
from workshop.tenancy.members import LastAdminError, membership_remove, membership_role_change
from workshop.tenancy.models import Invitation, Membership, Role
from workshop.tenancy.scope import unscoped
from workshop.tenancy.services import audit_record


@member_required(Role.ADMIN)
def members(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation = Invitation.objects.create(
            organization_id=request.membership.organization_id, email=form.cleaned_data["email"],
            role=form.cleaned_data["role"], invited_by=request.user,
        )
        link = request.build_absolute_uri(reverse("invitation_accept", args=[invitation.token]))
        send_mail("You are invited to run empathy workshops",
                  f"Join {request.membership.organization.name}: {link}\nThe link works for 7 days.",
                  None, [invitation.email])
        audit_record(organization_id=invitation.organization_id, actor=request.user, action="member.invite",
                     obj=invitation, detail={"role": invitation.role})
        messages.success(request, f"Invitation sent to {invitation.email}. The link works for 7 days.")
        return redirect("facilitator:members")
    return render(request, "facilitator/members.html", {
        "form": form,
        "memberships": Membership.objects.select_related("user").order_by("role", "user__username"),
        "invitations": Invitation.objects.filter(accepted__isnull=True, expires__gt=timezone.now()),
    })


def _membership(membership_id: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user"), pk=membership_id)


@member_required(Role.ADMIN)
def member_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    """GET asks which role and confirms; POST changes it."""
    membership = _membership(membership_id)
    form = MemberRoleForm(request.POST or None, initial={"role": request.GET.get("role") or membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            membership_role_change(membership=membership, role=form.cleaned_data["role"], actor=request.user)
        except LastAdminError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(name)s is now %(role)s.") % {
                "name": membership.user.get_username(), "role": membership.get_role_display()})
            if membership.user == request.user and membership.role != Role.ADMIN:
                return redirect("facilitator:home")
        return redirect("facilitator:members")
    return render(request, "facilitator/confirm_member_role.html", {"membership": membership, "form": form})


@member_required(Role.ADMIN)
def member_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    """GET asks for confirmation; POST removes the person from the organization."""
    membership = _membership(membership_id)
    if request.method == "POST":
        try:
            membership_remove(membership=membership, actor=request.user)
        except LastAdminError as exc:
            messages.error(request, str(exc))
            return redirect("facilitator:members")
        if membership.user == request.user:
            logout(request)
            messages.success(request, _("You have left the organization."))
            return redirect("login")
        messages.success(request, _("%(name)s was removed.") % {"name": membership.user.get_username()})
        return redirect("facilitator:members")
    return render(request, "facilitator/confirm_member_remove.html", {
        "membership": membership, "is_self": membership.user == request.user})


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    # An invitation names its organization: looking it up by its token is a deliberate unscoped read.
    with unscoped():
        invitation = Invitation.objects.select_related("organization").filter(token=token[:64]).first()
        if invitation is None or not invitation.is_usable:
            return render(request, "participants/join_refused.html", {
                "reason": "This invitation has expired or was already used. Ask your admin for a new one."},
                status=410)
        form = AcceptInvitationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            user_model = get_user_model()
            user = user_model(username=form.cleaned_data["username"], email=invitation.email)
            try:
                validate_password(form.cleaned_data["password"], user)
                with transaction.atomic():
                    user.set_password(form.cleaned_data["password"])
                    user.save()
                    Membership.objects.create(organization=invitation.organization, user=user, role=invitation.role)
                    invitation.accepted = timezone.now()
                    invitation.save(update_fields=["accepted"])
                    audit_record(organization_id=invitation.organization_id, actor=user, action="member.join",
                                 obj=invitation, detail={"role": invitation.role})
            except ValidationError as exc:
                form.add_error("password", exc)
            except IntegrityError:
                form.add_error("username", "That username is taken.")
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect("facilitator:home")
    return render(request, "facilitator/invitation_accept.html", {"invitation": invitation, "form": form})
