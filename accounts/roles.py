"""The three roles and the permissions each one carries. The data migration and tests read this table."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, PermissionsMixin

ANALYST = "analyst"
MANAGER = "manager"
ADMIN = "admin"
ROLES = (ANALYST, MANAGER, ADMIN)

_VIEW_ALL = [
    "comparisons.view_prediction",
    "feedback.view_feedback",
    "models_registry.view_modelversion",
    "models_registry.view_modelmetric",
    "models_registry.view_modeldeployment",
    "models_registry.view_trainingrun",
    "models_registry.view_monitoringthreshold",
    "models_registry.view_alert",
    "models_registry.view_monitoringjobrun",
    "models_registry.view_retrainingcheck",
    "models_registry.view_promotiondecision",
    "experiments.view_experiment",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Analysts compare names and record decisions; they see the models that made the verdicts.
    ANALYST: [
        "comparisons.add_prediction",
        "comparisons.view_prediction",
        "feedback.add_feedback",
        "feedback.view_feedback",
        "models_registry.view_modelversion",
        "experiments.view_experiment",
    ],
    # Managers read everything (analytics), change nothing. They are staff so that the admin's read-only views
    # are open to them; without a change permission the admin shows them no form to save and no action to run.
    MANAGER: _VIEW_ALL,
    # Admins run the control room: every permission of our apps, schedules and users.
    ADMIN: ["*"],
}

ADMIN_APPS = ("comparisons", "feedback", "models_registry", "experiments", "django_celery_beat", "auth", "authtoken")

# Permissions that no role gets: feedback and predictions are never edited or deleted.
FORBIDDEN = {
    "comparisons.change_prediction",
    "comparisons.delete_prediction",
    "feedback.change_feedback",
    "feedback.delete_feedback",
}


def has_role(user: AbstractBaseUser | AnonymousUser | None, role: str) -> bool:
    if user is None or not user.is_authenticated or not isinstance(user, PermissionsMixin):
        return False
    if user.is_superuser:
        return True
    names = {g.name for g in user.groups.all()}
    return role in names or ADMIN in names


# Staff users may log in to the Django admin, which then shows each one only what their permissions allow.
STAFF_ROLES = (MANAGER, ADMIN)

# Where each role starts (a URL name): admins in the control room, managers on their overview, analysts comparing.
HOME_URL_NAMES = {ADMIN: "admin:index", MANAGER: "analytics:home", ANALYST: "comparisons:create"}


def home_url_name(user: AbstractBaseUser | AnonymousUser | None) -> str | None:
    """The URL name of the user's start page: the first of admin, manager, analyst that the user has (superusers
    count as admins); None for a user in no role."""
    return next((HOME_URL_NAMES[role] for role in (ADMIN, MANAGER, ANALYST) if _in_role(user, role)), None)


def _in_role(user: AbstractBaseUser | AnonymousUser | None, role: str) -> bool:
    # has_role lets admins act as every role; choosing a start page needs the role the user actually holds.
    if user is None or not user.is_authenticated or not isinstance(user, PermissionsMixin):
        return False
    return (role == ADMIN and user.is_superuser) or user.groups.filter(name=role).exists()


# Any: the data migration passes its historical model classes, which are not auth's Group and Permission.
def assign_role_permissions(Group: Any, Permission: Any) -> None:
    """Create the groups and give each exactly its permissions. Takes the model classes so that the data
    migration (historical models) and ``roles_sync`` (real models) share it."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        if perms == ["*"]:
            qs = Permission.objects.filter(content_type__app_label__in=ADMIN_APPS)
        else:
            qs = Permission.objects.none()
            for app_label, codename in (p.split(".") for p in perms):
                qs = qs | Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        allowed = [
            p for p in qs.select_related("content_type") if f"{p.content_type.app_label}.{p.codename}" not in FORBIDDEN
        ]
        group.permissions.set(allowed)
