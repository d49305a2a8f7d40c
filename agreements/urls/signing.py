"""URLs of electronic signing.

`urlpatterns` belong in the "agreements" namespace (under pk/):
    reverse("agreements:sign", args=[pk])           -> /pk/<pk>/tandatangan/
    reverse("agreements:signed_download", args=[pk, doc_id])
                                                    -> /pk/<pk>/dokumen-bertanda-tangan/<doc_id>.pdf
`verification_urlpatterns` belong at the site root, without a namespace (the QR code's address):
    reverse("verification", args=[code])            -> /verifikasi/<code>/
"""

from django.urls import path

from agreements.views import signing

urlpatterns = [
    path("<int:pk>/tandatangan/", signing.sign, name="sign"),
    path(
        "<int:pk>/dokumen-bertanda-tangan/<int:doc_id>.pdf",
        signing.signed_download,
        name="signed_download",
    ),
]

verification_urlpatterns = [
    path("verifikasi/<str:code>/", signing.verification, name="verification"),
]
