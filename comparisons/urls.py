from django.urls import path

from comparisons import views

app_name = "comparisons"

urlpatterns = [
    path("", views.home, name="home"),
    path("compare/", views.compare, name="create"),
    path("compare/<uuid:prediction_id>/", views.compare_detail, name="detail"),
    path("batch/", views.batch_create, name="batch_create"),
    path("batch/<uuid:job_id>/", views.batch_detail, name="batch_detail"),
    path("batch/<uuid:job_id>/status/", views.batch_status, name="batch_status"),
    path("batch/<uuid:job_id>/download/", views.batch_download, name="batch_download"),
]
