from django.urls import path

from . import views
from .audit import views as audit_views

app_name = "backoffice"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("audit/", audit_views.audit_browser, name="audit"),
]
