"""A unit's page and the users of one's units (under unit/, namespace "organisations")."""

from django.urls import path

from organisations.views import units

urlpatterns = [
    path("pengguna/", units.unit_users, name="unit_users"),
    path("pengguna/<int:pk>/status/", units.membership_toggle, name="membership_toggle"),
    path("<str:code>/", units.unit_detail, name="unit_detail"),
]
