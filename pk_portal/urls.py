from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from agreements.signing_urls import verification_urlpatterns
from organisations import otp_views
from organisations.forms import QueuedPasswordResetForm
from pk_portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("unit/", include("organisations.urls")),
    path("pk/", include("agreements.urls")),
    path("dipa/", include("submissions.urls_dipa")),
    path("reviu/", include("submissions.urls_review")),
    path("kompilasi/", include(("submissions.urls_province", "submissions"))),
    path("penyampaian/", include("submissions.urls_submission")),
    path("pemantauan/", include("monitoring.urls")),
    path("", include("monitoring.report_urls")),  # /pemantauan/nasional/…, /api/v1/…
    path(
        "akun/lupa-sandi/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path("akun/kode-sekali-pakai/", otp_views.otp_settings, name="otp_settings"),
    path("akun/kode-sekali-pakai/mulai/", otp_views.otp_start, name="otp_start"),
    path("akun/kode-sekali-pakai/konfirmasi/", otp_views.otp_confirm, name="otp_confirm"),
    path("akun/kode-sekali-pakai/nonaktifkan/", otp_views.otp_remove, name="otp_remove"),
    # Public, so that "Keluar" after the session expired ends at the login page, not at a 405.
    path("akun/logout/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("akun/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Public: anyone checks a signed PK by the address its QR code carries.
    *verification_urlpatterns,
]
