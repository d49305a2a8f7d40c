"""URLs of the PK documents, mounted by agreements/urls/__init__.py (under pk/, "agreements").

reverse("agreements:document_preview", args=[pk, "lampiran"])  -> …/<pk>/dokumen/lampiran/
reverse("agreements:document_pdf", args=[pk, "lengkap"])       -> …/<pk>/dokumen/lengkap.pdf
"""

from django.urls import re_path

from agreements.views import documents

_PART = r"(?P<part>lengkap|pernyataan|lampiran)"

urlpatterns = [
    re_path(
        rf"^(?P<pk>[0-9]+)/dokumen/{_PART}/$",
        documents.document_preview,
        name="document_preview",
    ),
    re_path(
        rf"^(?P<pk>[0-9]+)/dokumen/{_PART}\.pdf$",
        documents.document_pdf,
        name="document_pdf",
    ),
]
