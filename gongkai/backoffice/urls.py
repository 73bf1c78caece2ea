from django.urls import path

from . import jobs, views
from .audit import views as audit_views

app_name = "backoffice"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("audit/", audit_views.audit_browser, name="audit"),
    path("session/keepalive/", views.keepalive, name="keepalive"),
    path("jobs/<int:pk>/", jobs.job_detail, name="job"),
    path("jobs/<int:pk>/status/", jobs.job_status, name="job_status"),
    path("jobs/<int:pk>/retry/", jobs.job_retry, name="job_retry"),
]
