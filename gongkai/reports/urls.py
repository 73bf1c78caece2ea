"""Staff pages of the annual reports (mounted at /admin/reports/)."""

from django.urls import path

from . import bundle_jobs, images, views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("figures/", views.figures, name="figures"),
    path("figures/import/", views.figures_import, name="figures_import"),
    path("bundle/", bundle_jobs.bundle, name="bundle"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views.report_edit, name="edit"),
    path("<int:pk>/images/", images.image_upload, name="image_upload"),
    path("<int:pk>/download.<str:kind>", views.report_download, name="download"),
    path("<int:pk>/<str:action>/", views.report_action, name="action"),
]
