from django.urls import path

from .views import dashboard, index

app_name = "reports"

urlpatterns = [
    path("oversikt/", dashboard.dashboard, name="dashboard"),
    path("oversikt/mal/", dashboard.target_set, name="target_set"),
    path("oversikt/befolkning/", dashboard.population_set, name="population_set"),
    path("nyckeltal.csv", dashboard.key_figures_csv, name="key_figures_csv"),
    path("analys/", index.analysis_save, name="analysis_save"),
    path("namndrapport/", index.board_report_create, name="board_report_create"),
    path("namndrapport/<int:pk>/status/", index.board_report_status, name="board_report_status"),
    path("namndrapport/<int:pk>/pdf/", index.board_report_download, name="board_report_download"),
    path("", index.index, name="index"),
]
