from django.urls import path

from .views import access_log, enrolments, imports, moves, youths

app_name = "registry"

urlpatterns = [
    path("", youths.youth_list, name="youth_list"),
    path("ny/", youths.youth_create, name="youth_create"),
    path("<int:pk>/", youths.youth_detail, name="youth_detail"),
    path("<int:pk>/andra/", youths.youth_edit, name="youth_edit"),
    path("<int:pk>/inskrivning/ny/", enrolments.enrolment_create, name="enrolment_create"),
    path("<int:pk>/atkomstlogg/", access_log.access_log_youth, name="access_log_youth"),
    path("inskrivning/<int:pk>/avregistrera/", enrolments.enrolment_end, name="enrolment_end"),
    path(
        "inskrivning/<int:pk>/sysselsattning/ny/",
        enrolments.occupation_create,
        name="occupation_create",
    ),
    path("inskrivning/<int:pk>/koordinator/", enrolments.enrolment_assign, name="enrolment_assign"),
    path("inskrivning/<int:pk>/flyttbrev.pdf", moves.move_letter_pdf, name="move_letter_pdf"),
    path("flytt/<int:pk>/registrera/", moves.move_register, name="move_register"),
    path("flytt/<int:pk>/avfarda/", moves.move_dismiss, name="move_dismiss"),
    path("inlasning/", imports.import_upload, name="import_upload"),
    path("inlasning/mall.csv", imports.import_template, name="import_template"),
    path("inlasning/<int:pk>/", imports.import_batch, name="import_batch"),
    path("inlasning/<int:pk>/bekrafta/", imports.import_confirm, name="import_confirm"),
    path("inlasning/<int:pk>/avbryt/", imports.import_cancel, name="import_cancel"),
    path("atkomstlogg/", access_log.access_log_users, name="access_log_users"),
    path("atkomstlogg/anvandare/<int:pk>/", access_log.access_log_user, name="access_log_user"),
    path("atkomstlogg/inloggningar/", access_log.sign_in_failures, name="sign_in_failures"),
]
