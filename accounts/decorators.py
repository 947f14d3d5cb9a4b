from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from accounts.roles import ANALYST, MANAGER, has_role

View = Callable[..., HttpResponseBase]


class AuthenticatedHttpRequest(HttpRequest):
    """The request a view behind ``role_required`` gets: its user is logged in (for the type checker)."""

    user: User


def role_required(role: str, message: str) -> Callable[[View], View]:
    """Logged in (else the login page) and the role (else 403 with ``message``); admins have every role."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not has_role(request.user, role):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


analyst_required = role_required(ANALYST, "This page needs the analyst role.")
manager_required = role_required(MANAGER, "This page needs the manager role.")
