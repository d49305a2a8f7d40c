from django.urls import path

from monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("pk/<int:pk>/tw/<int:quarter>/", views.quarter_form, name="quarter"),
    path("pk/<int:pk>/tw/<int:quarter>/verifikasi/", views.verify_page, name="verify"),
    path(
        "pk/<int:pk>/tw/<int:quarter>/verifikasi/setujui/",
        views.verify_confirm,
        name="verify_confirm",
    ),
    path(
        "pk/<int:pk>/tw/<int:quarter>/verifikasi/kembalikan/",
        views.verify_return,
        name="verify_return",
    ),
    path("bukti/<int:evidence_id>/", views.evidence_file, name="evidence"),
]
