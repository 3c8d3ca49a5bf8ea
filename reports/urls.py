from django.urls import path

from .views import dashboard, index

app_name = "reports"

urlpatterns = [
    path("oversikt/", dashboard.dashboard, name="dashboard"),
    path("oversikt/mal/", dashboard.target_set, name="target_set"),
    path("oversikt/befolkning/", dashboard.population_set, name="population_set"),
    path("nyckeltal.csv", dashboard.key_figures_csv, name="key_figures_csv"),
    path("", index.index, name="index"),
]
