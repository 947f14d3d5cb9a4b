from django.urls import path

from feedback.api.apis import FeedbackCreateApi, FeedbackListApi


class FeedbackListCreateApi(FeedbackCreateApi, FeedbackListApi):
    """GET lists, POST records a decision, on the same URL; each method keeps its own permission."""

    def get_permissions(self):
        view = FeedbackListApi if self.request.method in ("GET", "HEAD", "OPTIONS") else FeedbackCreateApi
        return [permission() for permission in view.permission_classes]


urlpatterns = [
    path("feedback/", FeedbackListCreateApi.as_view(), name="feedback"),
]
