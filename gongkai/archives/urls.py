"""Staff pages, mounted at /admin/archives/."""

from django.urls import path

from . import views

app_name = "archives"
urlpatterns = [
    path("", views.archive_list, name="list"),
    path("file/<int:pk>/", views.file_application, name="file"),
    path("<int:pk>/package.zip", views.package, name="package"),
]
