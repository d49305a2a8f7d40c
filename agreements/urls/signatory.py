"""URLs of the approvers' and signatories' pages and of the notifications, mounted by
agreements/urls/__init__.py (under pk/, namespace "agreements"):

reverse("agreements:waiting")                    -> …/menunggu/
reverse("agreements:review", args=[pk])          -> …/<pk>/tinjau/
reverse("agreements:scan_upload", args=[pk])     -> …/<pk>/tanda-tangan-basah/   (POST)
reverse("agreements:notifications")              -> …/notifikasi/
"""

from django.urls import path

from agreements.views import signatory

urlpatterns = [
    path("menunggu/", signatory.waiting, name="waiting"),
    path("<int:pk>/tinjau/", signatory.review, name="review"),
    path("<int:pk>/tinjau/dokumen.pdf", signatory.review_pdf, name="review_pdf"),
    path("<int:pk>/tanda-tangan-basah/", signatory.scan_upload, name="scan_upload"),
    path("<int:pk>/pindaian/<int:doc_id>/", signatory.scan_file, name="scan_file"),
    path("notifikasi/", signatory.notification_list, name="notifications"),
    path(
        "notifikasi/baca-semua/",
        signatory.notifications_read_all,
        name="notifications_read_all",
    ),
    path("notifikasi/<int:pk>/baca/", signatory.notification_read, name="notification_read"),
]
