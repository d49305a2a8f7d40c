"""The site's URLs: the project's own pages, then one URLconf per app (each app's
`<app>/urls/__init__.py` mounts its page families under their prefixes and namespaces), then
the accounts, language switch and admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from organisations.views.accounts import PasswordResetRequest
from pk_portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("organisations.urls")),  # unit/…, akun/kode-sekali-pakai/…
    path("", include("agreements.urls")),  # pk/…, verifikasi/<code>/ (public)
    path("", include("submissions.urls")),  # dipa/…, reviu/…, kompilasi/…, penyampaian/…
    path("", include("monitoring.urls")),  # pemantauan/…, api/v1/…
    path(
        "akun/lupa-sandi/",
        PasswordResetRequest.as_view(),
        name="password_reset",
    ),
    # Public, so that "Keluar" after the session expired ends at the login page, not at a 405.
    path("akun/logout/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    # Before django.contrib.auth.urls: its own reset page would be neither queued nor limited.
    path(
        "akun/password_reset/",
        PasswordResetRequest.as_view(),
        name="password_reset",
    ),
    path("akun/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
