from django.urls import include, path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("robots.txt", views.robots, name="robots"),
    path("wuzhangai/", views.accessibility, name="accessibility"),
    path("shenqing/", views.apply, name="apply"),
    path("gk/<str:code>/", views.org_home, name="org_home"),
    path("gk/<str:code>/zhinan/", views.guide, name="guide"),
    # catalogue and report pages come before the generic column route
    path("", include("gongkai.portal.catalog_urls")),
    path("", include("gongkai.portal.report_urls")),
    path("gk/<str:code>/<slug:slug>/", views.column, name="column"),
]
