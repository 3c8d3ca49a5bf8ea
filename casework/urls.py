from django.urls import path

from . import views

app_name = "casework"

urlpatterns = [
    path("arbetslista/", views.worklist, name="worklist"),
    path("installningar/", views.settings_page, name="settings"),
]
