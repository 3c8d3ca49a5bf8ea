from django.urls import path

from .views import contacts, settings, worklist

app_name = "casework"

urlpatterns = [
    path("arbetslista/", worklist.worklist, name="worklist"),
    path("installningar/", settings.settings_page, name="settings"),
    path("inskrivning/<int:pk>/kontakt/", contacts.enrolment_contacts, name="enrolment_contacts"),
    path("inskrivning/<int:pk>/kontakt/ny/", contacts.contact_create, name="contact_create"),
    path("kontaktforsok/<int:pk>/andra/", contacts.contact_update, name="contact_update"),
]
