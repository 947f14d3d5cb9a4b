from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.roles import ADMIN, ANALYST, has_role


class IsAnalyst(BasePermission):
    """Comparing and giving feedback: the analyst role (admins have it too)."""

    message = "This needs the analyst role."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return has_role(request.user, ANALYST)


class IsAdminRole(BasePermission):
    message = "This needs the admin role."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return has_role(request.user, ADMIN)


class CanViewPredictions(BasePermission):
    message = "This needs a role that can read predictions."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(
            request.user and request.user.is_authenticated and request.user.has_perm("comparisons.view_prediction")
        )


class CanViewFeedback(BasePermission):
    message = "This needs a role that can read feedback."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.has_perm("feedback.view_feedback"))


class CanViewExperiments(BasePermission):
    message = "This needs a role that can read experiments."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(
            request.user and request.user.is_authenticated and request.user.has_perm("experiments.view_experiment")
        )
