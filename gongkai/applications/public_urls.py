"""Public intake and status pages, mounted at /ysqgk/."""

from django.urls import path

from . import delivery_views, public_views

app_name = "applications_public"
urlpatterns = [
    path("status/", public_views.public_status, name="status"),
    path("status/letters/<int:pk>/", delivery_views.public_letter, name="letter"),
    path("status/<str:code>/", public_views.public_status_detail, name="status_detail"),
    path("<str:code>/", public_views.public_form, name="form"),
    path("<str:code>/done/", public_views.public_done, name="done"),
]
