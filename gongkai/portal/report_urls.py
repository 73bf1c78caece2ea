"""Public report pages; included by portal/urls.py."""

from django.urls import path

from . import report_views as public_views

urlpatterns = [
    path("gk/<str:code>/nianbao/", public_views.column, name="nianbao"),
    path("gk/<str:code>/nianbao/<int:year>/", public_views.report_page, name="report"),
    path("gk/<str:code>/nianbao/<int:year>/v<int:version>/", public_views.report_page, name="report_version"),
    path("gk/<str:code>/nianbao/<int:year>/report.<str:kind>", public_views.report_file, name="report_file"),
]
