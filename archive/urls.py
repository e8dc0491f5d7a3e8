from django.urls import path

from archive import views

app_name = "archive"
urlpatterns = [
    path("projects/<uuid:project_id>/unarchive/", views.project_unarchive, name="unarchive"),
]
