from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts.roles import ANALYST, MANAGER, has_role


def role_required(role: str, message: str):
    """Logged in (else the login page) and the role (else 403 with ``message``); admins have every role."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not has_role(request.user, role):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


analyst_required = role_required(ANALYST, "This page needs the analyst role.")
manager_required = role_required(MANAGER, "This page needs the manager role.")
