from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from registry import views as registry_views
from registry.health import healthz

from . import error_pages
from .api.urls import api

admin.site.site_header = "KAA – administration"
admin.site.site_title = "KAA"

urlpatterns = [
    path("", registry_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page links; answer with the SVG icon.
    path("favicon.ico", error_pages.favicon),
    path("konto/", registry_views.account, name="account"),
    path(
        "logga-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("ungdomar/", include("registry.urls")),
    path("arende/", include("casework.urls")),
    path("uppfoljning/", include("followup.urls")),
    path("rapporter/", include("reports.urls")),
]

handler400 = "kaa.error_pages.bad_request"
handler403 = "registry.views.permission_denied"
handler404 = "registry.views.page_not_found"
handler500 = "registry.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static as static_urls

    urlpatterns += static_urls(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
