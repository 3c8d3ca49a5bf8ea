from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from registry.health import healthz

from . import oidc, twofactor, views
from .admin_scope import scope_admin_site
from .api.urls import api

admin.site.site_header = "KAA – administration"
# Every app's admin is scoped: an admin sees its own municipality, the superuser no register.
scope_admin_site(admin.site)
admin.site.site_title = "KAA"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("konto/", views.account, name="account"),
    path("logga-in/", oidc.KaaLoginView.as_view(), name="login"),
    # Single sign-on (kaa/oidc.py): 404 unless OIDC_RP_CLIENT_ID is set.
    path("oidc/authenticate/", oidc.authenticate_view, name="oidc_authentication_init"),
    path("oidc/callback/", oidc.callback_view, name="oidc_authentication_callback"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/tvastegs/", twofactor.verify, name="two_factor_verify"),
    path("konto/tvastegs/aktivera/", twofactor.enrol, name="two_factor_enrol"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("ungdomar/", include("registry.urls")),
    path("arende/", include("casework.urls")),
    path("uppfoljning/", include("followup.urls")),
    path("rapporter/", include("reports.urls")),
]

handler400 = "kaa.views.bad_request"
handler403 = "kaa.views.permission_denied"
handler404 = "kaa.views.page_not_found"
handler500 = "kaa.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static as static_urls

    urlpatterns += static_urls(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
