"""Every URL of the organisations app, mounted once by pk_portal/urls.py. One list per page
family, each pointing at the view module of the same name in organisations/views/:

    unit/…                     namespace "organisations": a unit's page, its users (units)
    akun/kode-sekali-pakai/…   no namespace: setting up one-time codes (otp)
    akun/profil/               no namespace: the user's e-mail and notice preferences (profile)
"""

from django.urls import include, path

from organisations.views import otp, profile, units

unit_patterns = [
    path("pengguna/", units.unit_users, name="unit_users"),
    path("pengguna/<int:pk>/status/", units.membership_toggle, name="membership_toggle"),
    path("pengguna/surel-pejabat/", units.official_email_request, name="official_email_request"),
    path("pengguna/permintaan/", units.signatory_requests, name="signatory_requests"),
    path(
        "pengguna/permintaan/<int:pk>/<str:action>/",
        units.signatory_request_decide,
        name="signatory_request_decide",
    ),
    path("<str:code>/", units.unit_detail, name="unit_detail"),
]

otp_patterns = [
    path("", otp.otp_settings, name="otp_settings"),
    path("mulai/", otp.otp_start, name="otp_start"),
    path("konfirmasi/", otp.otp_confirm, name="otp_confirm"),
    path("nonaktifkan/", otp.otp_remove, name="otp_remove"),
]

profile_patterns = [
    path("", profile.profile, name="profile"),
]

urlpatterns = [
    path("unit/", include((unit_patterns, "organisations"))),
    path("akun/profil/", include(profile_patterns)),
    path("akun/kode-sekali-pakai/", include(otp_patterns)),
]
