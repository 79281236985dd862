"""Who may see a page. Refusals look like 'not found' so they reveal nothing about other organizations."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from workshop.tenancy.models import Role

# Who may do what, by role, for the console and the API alike.
ALL_ROLES = (Role.ADMIN, Role.FACILITATOR, Role.ANALYST)
STAFF_ROLES = (Role.ADMIN, Role.FACILITATOR)  # run workshops and write scenarios
REPORT_ROLES = (Role.ADMIN, Role.ANALYST)  # read the organization's reports
ADMIN_ROLES = (Role.ADMIN,)


def member_required(*roles: str):
    """Signed in, a member of the organization in scope, and (if given) holding one of ``roles``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = request.membership
            if membership is None or (roles and membership.role not in roles):
                raise Http404("Not found")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
