from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("<int:year>/", views.year_detail, name="year"),
    path("load/", views.load, name="load"),
    path("load/confirm/", views.load_confirm, name="load_confirm"),
]
