from django.urls import path

from .views import actors, contacts, letters, mapping, plans, settings, worklist

app_name = "casework"

urlpatterns = [
    path("arbetslista/", worklist.worklist, name="worklist"),
    path("arbetslista/<int:pk>/logga/", worklist.worklist_log_form, name="worklist_log_form"),
    path("installningar/", settings.settings_page, name="settings"),
    path("inskrivning/<int:pk>/kontakt/", contacts.enrolment_contacts, name="enrolment_contacts"),
    path("inskrivning/<int:pk>/kontakt/ny/", contacts.contact_create, name="contact_create"),
    path("kontaktforsok/<int:pk>/andra/", contacts.contact_update, name="contact_update"),
    path("planer/", plans.plan_list, name="plans"),
    path("inskrivning/<int:pk>/plan/", plans.plan_page, name="plan"),
    path("inskrivning/<int:pk>/plan.pdf", plans.plan_pdf, name="plan_pdf"),
    path(
        "inskrivning/<int:pk>/plan/sysselsattning/", plans.plan_occupation, name="plan_occupation"
    ),
    path("inskrivning/<int:pk>/kartlaggning/", mapping.mapping_page, name="mapping"),
    path("inskrivning/<int:pk>/plan/insatser/ny/", plans.measure_create, name="measure_create"),
    path("insatser/<int:pk>/", plans.measure_edit, name="measure_edit"),
    path("insatser/<int:pk>/avsluta/", plans.measure_end, name="measure_end"),
    path("aktorer/", actors.actor_list, name="actors"),
    path("aktorer/<int:pk>/", actors.actor_edit, name="actor_edit"),
    path("installningar/brevmallar/", letters.letter_templates, name="letter_templates"),
    path(
        "installningar/brevmallar/<str:kind>/",
        letters.letter_template_edit,
        name="letter_template_edit",
    ),
    path("inskrivningar/<int:pk>/brev/", letters.letter_pdf, name="letter_pdf"),
    path("inskrivningar/<int:pk>/brev/skickat/", letters.letter_sent, name="letter_sent"),
    path("brev/", letters.letters_batch, name="letters_batch"),
    path("brev/utskick/<int:pk>/", letters.letters_batch_detail, name="letters_batch_detail"),
    path("brev/utskick/<int:pk>/pdf/", letters.letters_batch_pdf, name="letters_batch_pdf"),
    path(
        "brev/utskick/<int:pk>/status/", letters.letters_batch_status, name="letters_batch_status"
    ),
    path("brev/utskick/<int:pk>/skapa/", letters.letters_batch_print, name="letters_batch_print"),
    path(
        "brev/utskick/<int:pk>/bekrafta/",
        letters.letters_batch_confirm,
        name="letters_batch_confirm",
    ),
]
