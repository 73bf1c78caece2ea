"""Public intake and status pages, mounted at /ysqgk/."""

from django.urls import path

from . import views

app_name = "applications_public"
urlpatterns = [
    path("status/", views.public_status, name="status"),
    path("<str:code>/", views.public_form, name="form"),
    path("<str:code>/done/", views.public_done, name="done"),
]
