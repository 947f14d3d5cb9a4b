"""Manager pages. Until the analytics charts exist, one start page says what a manager can already read and where."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import AuthenticatedHttpRequest, manager_required

# The admin's read-only lists a manager can open: (title, what it answers, permission, admin URL name).
ADMIN_VIEWS = (
    (
        "Predictions",
        "every verdict, with its model version, source and confidence",
        "comparisons.view_prediction",
        "admin:comparisons_prediction_changelist",
    ),
    (
        "Feedback",
        "analysts' confirmations and corrections of verdicts",
        "feedback.view_feedback",
        "admin:feedback_feedback_changelist",
    ),
    (
        "Model versions",
        "the trained models, which one is active, their thresholds",
        "models_registry.view_modelversion",
        "admin:models_registry_modelversion_changelist",
    ),
    (
        "Model metrics",
        "measured accuracy, precision and recall of each version",
        "models_registry.view_modelmetric",
        "admin:models_registry_modelmetric_changelist",
    ),
    (
        "Deployments",
        "who switched which model version, when and why",
        "models_registry.view_modeldeployment",
        "admin:models_registry_modeldeployment_changelist",
    ),
    (
        "Training runs",
        "each training: trigger, data size, duration, outcome",
        "models_registry.view_trainingrun",
        "admin:models_registry_trainingrun_changelist",
    ),
    (
        "Experiments",
        "model comparisons run on live traffic",
        "experiments.view_experiment",
        "admin:experiments_experiment_changelist",
    ),
)


@manager_required
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    admin_views = [
        {"title": title, "description": description, "url_name": url_name}
        for title, description, perm, url_name in ADMIN_VIEWS
        if request.user.has_perm(perm)
    ]
    return render(request, "analytics/home.html", {"admin_views": admin_views, "can_use_admin": request.user.is_staff})
