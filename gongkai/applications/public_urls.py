"""Public intake and status pages, mounted at /ysqgk/."""

from django.urls import path

from . import delivery_views, views

app_name = "applications_public"
urlpatterns = [
    path("status/", views.public_status, name="status"),
    path("status/letters/<int:pk>/", delivery_views.public_letter, name="letter"),
    path("<str:code>/", views.public_form, name="form"),
    path("<str:code>/done/", views.public_done, name="done"),
]
