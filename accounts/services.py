import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.roles import ADMIN, ROLES
from legalname.common.exceptions import ApplicationError

User = get_user_model()


@transaction.atomic
def user_create(*, username: str, role: str, password: str, email: str = "") -> "User":
    """Create a user in one role; admins are staff so they reach the Django admin."""
    if role not in ROLES:
        raise ApplicationError(f"role: unknown role {role!r}; expected one of {', '.join(ROLES)}")
    user = User(username=username, email=email, is_staff=role == ADMIN)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


def demo_users_create(*, password: str = "") -> tuple[list[str], str]:
    """Create one demo user per role (``analyst``, ``manager``, ``admin``) if missing.

    Returns the usernames created and the password used (generated when none is given)."""
    password = password or secrets.token_urlsafe(12)
    created = []
    for role in ROLES:
        if not User.objects.filter(username=role).exists():
            user_create(username=role, role=role, password=password, email=f"{role}@legalname.local")
            created.append(role)
    return created, password
