from django.urls import path

from organisations import views

app_name = "organisations"
urlpatterns = [
    path("pengguna/", views.unit_users, name="unit_users"),
    path("pengguna/<int:pk>/status/", views.membership_toggle, name="membership_toggle"),
    path("<str:code>/", views.unit_detail, name="unit_detail"),
]
