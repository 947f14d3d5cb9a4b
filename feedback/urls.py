from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("decide/", views.decide, name="decide"),
    path("undo/", views.undo, name="undo"),
    path("decisions/", views.decision_list, name="list"),
]
