"""URLs of the approvers' and signatories' pages and of the notifications, to be included into
agreements/urls.py (app_name "agreements") like agreements.document_urls:

    path("", include("agreements.signatory_urls")),

reverse("agreements:waiting")                    -> …/menunggu/
reverse("agreements:review", args=[pk])          -> …/<pk>/tinjau/
reverse("agreements:scan_upload", args=[pk])     -> …/<pk>/tanda-tangan-basah/   (POST)
reverse("agreements:notifications")              -> …/notifikasi/
"""

from django.urls import path

from agreements import signatory_views

urlpatterns = [
    path("menunggu/", signatory_views.waiting, name="waiting"),
    path("<int:pk>/tinjau/", signatory_views.review, name="review"),
    path("<int:pk>/tinjau/dokumen.pdf", signatory_views.review_pdf, name="review_pdf"),
    path("<int:pk>/tanda-tangan-basah/", signatory_views.scan_upload, name="scan_upload"),
    path("<int:pk>/pindaian/<int:doc_id>/", signatory_views.scan_file, name="scan_file"),
    path("notifikasi/", signatory_views.notification_list, name="notifications"),
    path(
        "notifikasi/baca-semua/",
        signatory_views.notifications_read_all,
        name="notifications_read_all",
    ),
    path("notifikasi/<int:pk>/baca/", signatory_views.notification_read, name="notification_read"),
]
