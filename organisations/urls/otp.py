"""Setting up, confirming and removing one's one-time codes (under akun/kode-sekali-pakai/, no
namespace)."""

from django.urls import path

from organisations.views import otp

urlpatterns = [
    path("", otp.otp_settings, name="otp_settings"),
    path("mulai/", otp.otp_start, name="otp_start"),
    path("konfirmasi/", otp.otp_confirm, name="otp_confirm"),
    path("nonaktifkan/", otp.otp_remove, name="otp_remove"),
]
