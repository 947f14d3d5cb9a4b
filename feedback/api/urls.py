from django.urls import path

from feedback.api.apis import FeedbackCreateApi, FeedbackListApi


class FeedbackListCreateApi(FeedbackCreateApi, FeedbackListApi):
    """GET lists, POST records a decision, on the same URL."""


urlpatterns = [
    path("feedback/", FeedbackListCreateApi.as_view(), name="feedback"),
]
