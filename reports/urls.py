from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("oversikt/", views.dashboard, name="dashboard"),
    path("", views.index, name="index"),
]
