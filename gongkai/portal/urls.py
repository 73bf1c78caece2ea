from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("gk/<str:code>/", views.org_home, name="org_home"),
    path("gk/<str:code>/zhinan/", views.guide, name="guide"),
    path("gk/<str:code>/<slug:slug>/", views.column, name="column"),
]
