"""Drafting a PK: the list, creating, editing the statement and the lampiran, import/export,
copying forward and amendments (under pk/, namespace "agreements")."""

from django.urls import path, re_path

from agreements.views import amendment, copying, lampiran, pages, transfer

urlpatterns = [
    path("", pages.agreement_list, name="list"),
    path("buat/", pages.agreement_create, name="create"),
    path("sumber-salinan/", pages.source_options, name="source_options"),
    re_path(r"^template\.(?P<fmt>xlsx|csv)$", transfer.template_download, name="template"),
    path("<int:pk>/", pages.agreement_detail, name="detail"),
    path("<int:pk>/ubah/", pages.agreement_edit, name="edit"),
    path("<int:pk>/lampiran/", lampiran.lampiran_edit, name="lampiran"),
    path("<int:pk>/lampiran/baris/<str:kind>/", lampiran.lampiran_row, name="lampiran_row"),
    path("<int:pk>/impor/", transfer.import_upload, name="import"),
    path("<int:pk>/impor/konfirmasi/", transfer.import_confirm, name="import_confirm"),
    re_path(r"^(?P<pk>\d+)/ekspor\.(?P<fmt>xlsx|csv)$", transfer.agreement_export, name="export"),
    path("<int:pk>/salin/", copying.agreement_copy, name="copy"),
    path("<int:pk>/perubahan/", amendment.agreement_amend, name="amend"),
]
