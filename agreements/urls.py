from django.urls import include, path, re_path

from agreements import check_views, views, workflow_views
from agreements.views.amendment import agreement_amend

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("buat/", views.agreement_create, name="create"),
    path("sumber-salinan/", views.source_options, name="source_options"),
    re_path(r"^template\.(?P<fmt>xlsx|csv)$", views.template_download, name="template"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/ubah/", views.agreement_edit, name="edit"),
    path("<int:pk>/lampiran/", views.lampiran_edit, name="lampiran"),
    path("<int:pk>/lampiran/baris/<str:kind>/", views.lampiran_row, name="lampiran_row"),
    path("<int:pk>/impor/", views.import_upload, name="import"),
    path("<int:pk>/impor/konfirmasi/", views.import_confirm, name="import_confirm"),
    re_path(r"^(?P<pk>\d+)/ekspor\.(?P<fmt>xlsx|csv)$", views.agreement_export, name="export"),
    path("<int:pk>/salin/", views.agreement_copy, name="copy"),
    path("<int:pk>/perubahan/", agreement_amend, name="amend"),
    path("<int:pk>/pemeriksaan/", check_views.check_report, name="checks"),
    path("<int:pk>/pemeriksaan/terima/", check_views.accept_warning, name="accept_warning"),
    path("<int:pk>/tindakan/<str:action>/", workflow_views.workflow_action, name="workflow_action"),
    # The PK documents (preview and PDF), in this namespace: agreements:document_preview, …
    path("", include("agreements.document_urls")),
    # The signatory's pages, wet-signature scans and notifications.
    path("", include("agreements.signatory_urls")),
    # Electronic signing and the signed files.
    path("", include("agreements.signing_urls")),
]
