"""Public catalog pages (owned by the catalog app's engineer); included by portal/urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
