from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("review/", views.queue, name="queue"),
    path("review/decide/", views.decide, name="decide"),
    path("review/undo/", views.undo, name="undo"),
    path("review/decisions/", views.decision_list, name="list"),
    path("history/", views.history, name="history"),
]
