"""One PK's quarter: the form, verification and evidence files (under pemantauan/, namespace
"monitoring")."""

from django.urls import path

from monitoring.views import quarter

urlpatterns = [
    path("pk/<int:pk>/tw/<int:quarter>/", quarter.quarter_form, name="quarter"),
    path("pk/<int:pk>/tw/<int:quarter>/verifikasi/", quarter.verify_page, name="verify"),
    path(
        "pk/<int:pk>/tw/<int:quarter>/verifikasi/setujui/",
        quarter.verify_confirm,
        name="verify_confirm",
    ),
    path(
        "pk/<int:pk>/tw/<int:quarter>/verifikasi/kembalikan/",
        quarter.verify_return,
        name="verify_return",
    ),
    path("bukti/<int:evidence_id>/", quarter.evidence_file, name="evidence"),
]
