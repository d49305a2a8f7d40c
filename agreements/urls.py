"""Every URL of the agreements app, mounted once by pk_portal/urls.py.

One list per page family, each pointing at the view module of the same name in
agreements/views/ (drafting: pages, copying, lampiran, transfer, amendment):

    pk/…              namespace "agreements": drafting, checks, workflow, documents,
                      signatory (approvers, scans, notifications), signing
    verifikasi/…      no namespace, public: the address a signed PK's QR code carries

reverse("agreements:document_pdf", args=[pk, "lengkap"])  -> /pk/<pk>/dokumen/lengkap.pdf
reverse("agreements:sign", args=[pk])                     -> /pk/<pk>/tandatangan/
reverse("verification", args=[code])                      -> /verifikasi/<code>/
"""

from django.urls import include, path, re_path

from agreements.views import (
    amendment,
    checks,
    copying,
    documents,
    enrolment,
    lampiran,
    pages,
    signatory,
    signing,
    transfer,
    workflow,
)

# Drafting a PK: the list, creating, editing the statement and the lampiran, import/export,
# copying forward and amendments.
drafting_patterns = [
    path("", pages.agreement_list, name="list"),
    path("buat/", pages.agreement_create, name="create"),
    path("sumber-salinan/", pages.source_options, name="source_options"),
    re_path(r"^template\.(?P<fmt>xlsx|csv)$", transfer.template_download, name="template"),
    path("<int:pk>/", pages.agreement_detail, name="detail"),
    path("<int:pk>/ubah/", pages.agreement_edit, name="edit"),
    path("<int:pk>/hapus/", pages.agreement_delete, name="delete"),
    path("<int:pk>/lampiran/", lampiran.lampiran_edit, name="lampiran"),
    path("<int:pk>/lampiran/baris/<str:kind>/", lampiran.lampiran_row, name="lampiran_row"),
    path("<int:pk>/impor/", transfer.import_upload, name="import"),
    path("<int:pk>/impor/kolom/", transfer.import_mapping, name="import_mapping"),
    path("<int:pk>/impor/konfirmasi/", transfer.import_confirm, name="import_confirm"),
    re_path(r"^(?P<pk>\d+)/ekspor\.(?P<fmt>xlsx|csv)$", transfer.agreement_export, name="export"),
    path("<int:pk>/salin/", copying.agreement_copy, name="copy"),
    path("<int:pk>/perubahan/", amendment.agreement_amend, name="amend"),
]

# The cascade-check report of a PK and accepting a warning.
check_patterns = [
    path("<int:pk>/pemeriksaan/", checks.check_report, name="checks"),
    path("<int:pk>/pemeriksaan/terima/", checks.accept_warning, name="accept_warning"),
]

# Moving a PK through the workflow: submit, approve, return.
workflow_patterns = [
    path("<int:pk>/tindakan/<str:action>/", workflow.workflow_action, name="workflow_action"),
]

# The PK documents: HTML preview and PDF of the statement, the lampiran or both.
_PART = r"(?P<part>lengkap|pernyataan|lampiran)"
document_patterns = [
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

# The approvers' and signatories' pages, wet-signature scans and the notifications.
signatory_patterns = [
    path("menunggu/", signatory.waiting, name="waiting"),
    path("<int:pk>/tinjau/", signatory.review, name="review"),
    path("<int:pk>/tinjau/dokumen.pdf", signatory.review_pdf, name="review_pdf"),
    path("<int:pk>/tanda-tangan-basah/", signatory.scan_upload, name="scan_upload"),
    path("<int:pk>/pindaian/<int:doc_id>/", signatory.scan_file, name="scan_file"),
    path("<int:pk>/pindaian/konfirmasi/", signatory.scan_confirm, name="scan_confirm"),
    path("<int:pk>/pindaian/tolak/", signatory.scan_reject, name="scan_reject"),
    path("notifikasi/", signatory.notification_list, name="notifications"),
    path(
        "notifikasi/baca-semua/",
        signatory.notifications_read_all,
        name="notifications_read_all",
    ),
    path("notifikasi/<int:pk>/baca/", signatory.notification_read, name="notification_read"),
]

# Electronic signing and the signed originals.
signing_patterns = [
    path("<int:pk>/tandatangan/", signing.sign, name="sign"),
    path(
        "<int:pk>/dokumen-bertanda-tangan/<int:doc_id>.pdf",
        signing.signed_download,
        name="signed_download",
    ),
]

# The official's own enrolment of a signing key (the link e-mailed to them).
enrolment_patterns = [
    path(
        "kunci-tanda-tangan/kirim-tautan/", enrolment.request_enrolment_link, name="enrolment_link"
    ),
    path("kunci-tanda-tangan/daftar/<str:token>/", enrolment.key_enrolment, name="key_enrolment"),
]

# At the site root, without a namespace: the address a signed PK's QR code carries.
verification_patterns = [
    path("verifikasi/<str:code>/", signing.verification, name="verification"),
]

agreement_patterns = [
    *drafting_patterns,
    *check_patterns,
    *workflow_patterns,
    *document_patterns,
    *signatory_patterns,
    *signing_patterns,
    *enrolment_patterns,
]

urlpatterns = [
    path("pk/", include((agreement_patterns, "agreements"))),
    *verification_patterns,
]
