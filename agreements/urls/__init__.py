"""Every URL of the agreements app, mounted once by pk_portal/urls.py.

One module per page family in agreements/urls/, each pointing at the view module of the same
name in agreements/views/ (drafting: pages, copying, lampiran, transfer, amendment):

    pk/…              namespace "agreements": drafting, checks, workflow, documents,
                      signatory (approvers, scans, notifications), signing
    verifikasi/…      no namespace, public: the address a signed PK's QR code carries
"""

from django.urls import include, path

from agreements.urls import checks, documents, drafting, signatory, signing, workflow

agreement_patterns = [
    path("", include(drafting)),
    path("", include(checks)),
    path("", include(workflow)),
    path("", include(documents)),
    path("", include(signatory)),
    path("", include(signing)),
]

urlpatterns = [
    path("pk/", include((agreement_patterns, "agreements"))),
    path("", include(signing.verification_urlpatterns)),
]
