"""Organization admins: members, roles, removal and invitations. Accepting an invitation creates the account."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facilitator.forms import AcceptInvitationForm, InvitationForm, MemberRoleForm
from workshop.tenancy import invitations
from workshop.tenancy.access import member_required
from workshop.tenancy.members import LastAdminError, membership_remove, membership_role_change
from workshop.tenancy.models import Invitation, Membership, Role
from workshop.tenancy.scope import unscoped


@member_required(Role.ADMIN)
def members(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation = invitations.invitation_create(
            organization_id=request.membership.organization_id, email=form.cleaned_data["email"],
            role=form.cleaned_data["role"], actor=request.user)
        link = request.build_absolute_uri(reverse("invitation_accept", args=[invitation.token]))
        send_mail("You are invited to run empathy workshops",
                  f"Join {request.membership.organization.name}: {link}\nThe link works for 7 days.",
                  None, [invitation.email])
        messages.success(request, _("Invitation sent to %(email)s. The link works for 7 days.")
                         % {"email": invitation.email})
        return redirect("facilitator:members")
    return render(request, "facilitator/members.html", {
        "form": form,
        "memberships": Membership.objects.select_related("user").order_by("role", "user__username"),
        "invitations": invitations.invitations_pending(organization_id=request.membership.organization_id),
    })


@require_POST
@member_required(Role.ADMIN)
def invitation_revoke_view(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=invitation_id)
    if invitations.invitation_revoke(invitation=invitation, actor=request.user):
        messages.success(request, _("The invitation for %(email)s was revoked: its link no longer works.")
                         % {"email": invitation.email})
    else:
        messages.error(request, _("The invitation for %(email)s was already used or revoked.")
                       % {"email": invitation.email})
    return redirect("facilitator:members")


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
        "membership": membership, "is_self": membership.user == request.user,
        "pending_sent": invitations.invitations_pending(organization_id=membership.organization_id,
                                                        sent_by=membership.user).count()})


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    # An invitation names its organization: looking it up by its token is a deliberate unscoped read.
    with unscoped():
        invitation = Invitation.objects.select_related("organization").filter(token=token[:64]).first()
        try:
            invitations.invitation_check(invitation)
        except invitations.InvitationUnusable as refused:
            return render(request, "participants/join_refused.html", {"reason": str(refused)}, status=410)
        form = AcceptInvitationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                user = invitations.invitation_accept(invitation=invitation,
                                                     username=form.cleaned_data["username"],
                                                     password=form.cleaned_data["password"])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field, errors)
            except IntegrityError:
                form.add_error("username", _("That username is taken."))
            except invitations.InvitationUnusable as refused:
                return render(request, "participants/join_refused.html", {"reason": str(refused)}, status=410)
            else:
                login(request, user, backend="workshop.tenancy.auth.UsernameBackend")
                return redirect("facilitator:home")
    return render(request, "facilitator/invitation_accept.html", {"invitation": invitation, "form": form})
