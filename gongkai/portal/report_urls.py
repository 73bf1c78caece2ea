"""Public report pages (owned by the report app's engineer); included by portal/urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
