"""Back-office URLs of the catalogue, mounted at /admin/catalog/."""

from django.urls import path

from . import images, jobs, views

app_name = "catalog"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_create, name="create"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/edit/", views.item_edit, name="edit"),
    path("<int:pk>/step/<slug:step>/", views.item_step, name="step"),
    path("<int:pk>/amended/", views.item_amended, name="amended"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/attachments/<int:aid>/", views.attachment_download, name="attachment"),
    path("<int:pk>/attachments/<int:aid>/delete/", views.attachment_delete, name="attachment_delete"),
    path("<int:pk>/images/", images.image_upload, name="image_upload"),
    path("checks/", views.checks, name="checks"),
    path("dictionary/", views.dictionary, name="dictionary"),
    path("fields/", views.field_list, name="fields"),
    path("reindex/", jobs.reindex, name="reindex"),
]
