from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts.roles import ANALYST, has_role


def analyst_required(view):
    """Logged in (else the login page) and the analyst role (else 403); admins count as analysts."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not has_role(request.user, ANALYST):
            raise PermissionDenied("This page needs the analyst role.")
        return view(request, *args, **kwargs)

    return wrapper
