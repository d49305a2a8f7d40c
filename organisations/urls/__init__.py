"""Every URL of the organisations app, mounted once by pk_portal/urls.py. One module per page
family in organisations/urls/, each pointing at the view module of the same name in
organisations/views/:

    unit/…                     namespace "organisations": a unit's page, its users (units)
    akun/kode-sekali-pakai/…   no namespace: setting up one-time codes (otp)
"""

from django.urls import include, path

from organisations.urls import otp, units

urlpatterns = [
    path("unit/", include((units.urlpatterns, "organisations"))),
    path("akun/kode-sekali-pakai/", include(otp)),
]
