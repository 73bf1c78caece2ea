from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.org_list, name="list"),
    path("new/", views.org_create, name="create"),
    path("<int:pk>/edit/", views.org_edit, name="edit"),
    path("<int:pk>/delete/", views.org_delete, name="delete"),
    path("import/", views.org_import, name="import"),
    path("export/", views.org_export, name="export"),
]
