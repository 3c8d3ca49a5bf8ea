from django.urls import path

from .views import letters, settings, worklist

app_name = "casework"

urlpatterns = [
    path("arbetslista/", worklist.worklist, name="worklist"),
    path("installningar/", settings.settings_page, name="settings"),
    path("installningar/brevmallar/", letters.letter_templates, name="letter_templates"),
    path(
        "installningar/brevmallar/<str:kind>/",
        letters.letter_template_edit,
        name="letter_template_edit",
    ),
    path("inskrivningar/<int:pk>/brev/", letters.letter_pdf, name="letter_pdf"),
    path("brev/", letters.letters_batch, name="letters_batch"),
    path("brev/utskick/<int:pk>/", letters.letters_batch_detail, name="letters_batch_detail"),
    path("brev/utskick/<int:pk>/pdf/", letters.letters_batch_pdf, name="letters_batch_pdf"),
    path(
        "brev/utskick/<int:pk>/bekrafta/",
        letters.letters_batch_confirm,
        name="letters_batch_confirm",
    ),
]
