from django.urls import path

from .views import compliance, dashboard, index, regional, scb

app_name = "reports"

urlpatterns = [
    path("oversikt/", dashboard.dashboard, name="dashboard"),
    path("oversikt/mal/", dashboard.target_set, name="target_set"),
    path("oversikt/befolkning/", dashboard.population_set, name="population_set"),
    path("nyckeltal.csv", dashboard.key_figures_csv, name="key_figures_csv"),
    path("rutinefterlevnad/", compliance.compliance_page, name="compliance"),
    path("rutinefterlevnad/arenden/", compliance.compliance_cases, name="compliance_cases"),
    path("scb/", scb.scb_page, name="scb"),
    path("scb/export/", scb.scb_export, name="scb_export"),
    path("scb/<int:pk>/fil/", scb.scb_download, name="scb_download"),
    path("analys/", index.analysis_save, name="analysis_save"),
    path("namndrapport/", index.board_report_create, name="board_report_create"),
    path("namndrapport/<int:pk>/status/", index.board_report_status, name="board_report_status"),
    path("namndrapport/<int:pk>/pdf/", index.board_report_download, name="board_report_download"),
    path("region/", regional.regional_page, name="regional"),
    path("region/rutinefterlevnad/", regional.regional_compliance, name="regional_compliance"),
    path("region.csv", regional.regional_csv, name="regional_csv"),
    path("region/rapport.pdf", regional.regional_pdf, name="regional_pdf"),
    path("", index.index, name="index"),
]
