"""Staff pages of the report importer, mounted at /admin/report-check/."""

from django.urls import path

from . import views

app_name = "report_check"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("jobs/<int:pk>/source/", views.cell_source, name="cell_source"),
]
