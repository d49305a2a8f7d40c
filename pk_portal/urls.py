"""The site's URLs: the project's own pages, then one URLconf per app (each app's
`<app>/urls/__init__.py` mounts its page families under their prefixes and namespaces), then
the accounts, language switch and admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from organisations.forms import LoginForm
from organisations.views.accounts import PasswordResetRequest
from pk_portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("organisations.urls")),  # unit/…, akun/kode-sekali-pakai/…
    path("", include("agreements.urls")),  # pk/…, verifikasi/<code>/ (public)
    path("", include("submissions.urls")),  # dipa/…, reviu/…, kompilasi/…, penyampaian/…
    path("", include("monitoring.urls")),  # pemantauan/…, api/v1/…
    path("akun/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    # The same paths as django.contrib.auth.urls below, so that these (found first) serve them:
    # Django's own reset page would be neither queued nor limited.
    path(
        "akun/password_reset/",
        PasswordResetRequest.as_view(),
        name="password_reset",
    ),
    # Public, so that "Keluar" after the session expired ends at the login page, not at a 405.
    path("akun/logout/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("akun/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
