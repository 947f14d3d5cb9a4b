import secrets

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from accounts.roles import ROLES, STAFF_ROLES, assign_role_permissions
from legalname.common.exceptions import ApplicationError

User = get_user_model()


@transaction.atomic
def user_create(*, username: str, role: str, password: str, email: str = "") -> AbstractUser:
    """Create a user in one role; admins and managers are staff so they reach the Django admin (managers read-only)."""
    if role not in ROLES:
        raise ApplicationError(f"role: unknown role {role!r}; expected one of {', '.join(ROLES)}")
    user = User(username=username, email=email, is_staff=role in STAFF_ROLES)
    user.set_password(password)
    user.full_clean()
    user.save()
    group = Group.objects.filter(name=role).first()
    if group is None:  # the groups were removed (or a test flushed them): recreate them from the role table
        roles_sync()
        group = Group.objects.get(name=role)
    user.groups.add(group)
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


@transaction.atomic
def roles_sync() -> None:
    """(Re)create the role groups with their permissions; idempotent (the data migration does the same)."""
    ContentType.objects.clear_cache()  # content types may have been recreated under new ids (e.g. after a flush)
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    assign_role_permissions(Group, Permission)
