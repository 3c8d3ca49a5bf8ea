from django.urls import path

from .views import settings, worklist

app_name = "casework"

urlpatterns = [
    path("arbetslista/", worklist.worklist, name="worklist"),
    path("installningar/", settings.settings_page, name="settings"),
]
