"""Staff pages, mounted at /admin/archives/."""

from django.urls import path

from . import views, year_views

app_name = "archives"
urlpatterns = [
    path("", views.archive_list, name="list"),
    path("file/<int:pk>/", views.file_application, name="file"),
    path("<int:pk>/package.zip", views.package, name="package"),
    path("<str:code>/<int:year>/", year_views.year_page, name="year"),
    path("<str:code>/<int:year>/bulk/", year_views.bulk, name="bulk"),
    path("<str:code>/<int:year>/directory.<str:fmt>", year_views.directory, name="directory"),
    path("<str:code>/<int:year>/transfer/", year_views.transfer, name="transfer"),
    path("<str:code>/<int:year>/transfer/package/", year_views.transfer_zip, name="transfer_package"),
    path("<str:code>/<int:year>/destruction/", year_views.destruction_propose, name="destruction_propose"),
    path(
        "<str:code>/<int:year>/destruction/approve/",
        year_views.destruction_approve,
        name="destruction_approve",
    ),
]
