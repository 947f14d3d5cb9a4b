from django.urls import path

from feedback.api.apis import FeedbackListCreateApi

urlpatterns = [
    path("feedback/", FeedbackListCreateApi.as_view(), name="feedback"),
]
