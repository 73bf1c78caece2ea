"""Staff pages, mounted at /admin/applications/."""

from django.urls import path

from . import delivery_views, receipt_views, remedy_views, views
from .evidence import views as evidence_views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("inbox/", views.inbox, name="inbox"),
    path("new/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", views.detail_action, name="act"),
    path("<int:pk>/receipt.<str:fmt>", receipt_views.registration_receipt, name="registration_receipt"),
    path("letters/<int:pk>/", views.letter_edit, name="letter"),
    path("letters/<int:pk>/delivery/", delivery_views.letter_delivery, name="letter_delivery"),
    path("letters/<int:pk>/delivery/proof/", delivery_views.delivery_proof, name="delivery_proof"),
    path("letters/<int:pk>/stamped/", delivery_views.letter_stamped, name="letter_stamped"),
    path("letters/<int:pk>/stamped/scan/", delivery_views.stamped_scan, name="stamped_scan"),
    path("letters/<int:pk>/seal/", delivery_views.letter_seal, name="letter_seal"),
    path(
        "letters/<int:pk>/<str:fmt>/", views.letter_download, name="letter_download"
    ),  # after the delivery paths (fmt would match them)
    path("seals/", delivery_views.seals, name="seals"),
    path("seals/<str:code>/image/", delivery_views.seal_image, name="seal_image"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("remedies/", remedy_views.remedy_list, name="remedies"),
    path("remedies/new/", remedy_views.remedy_edit, name="remedy_new"),
    path("remedies/<int:pk>/", remedy_views.remedy_edit, name="remedy_edit"),
    path("remedies/<int:pk>/evidence/", evidence_views.evidence_build, name="evidence_build"),
    path("evidence/<int:pk>.<str:fmt>", evidence_views.evidence_download, name="evidence_download"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/<str:code>/<slug:kind>.<str:fmt>", views.ledger_export, name="ledger_export"),
]
