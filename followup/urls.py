from django.urls import path

from . import views

app_name = "followup"

urlpatterns = [
    path("", views.index, name="index"),
    path("flaggor/kor/", views.run_flags, name="run_flags"),
]
