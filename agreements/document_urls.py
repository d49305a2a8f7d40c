"""URLs of the PK documents, included into agreements/urls.py (app_name "agreements").

reverse("agreements:document_preview", args=[pk, "lampiran"])  -> …/<pk>/dokumen/lampiran/
reverse("agreements:document_pdf", args=[pk, "lengkap"])       -> …/<pk>/dokumen/lengkap.pdf
"""

from django.urls import re_path

from agreements import document_views

_PART = r"(?P<part>lengkap|pernyataan|lampiran)"

urlpatterns = [
    re_path(
        rf"^(?P<pk>[0-9]+)/dokumen/{_PART}/$",
        document_views.document_preview,
        name="document_preview",
    ),
    re_path(
        rf"^(?P<pk>[0-9]+)/dokumen/{_PART}\.pdf$",
        document_views.document_pdf,
        name="document_pdf",
    ),
]
