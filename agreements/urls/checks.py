"""The cascade-check report of a PK and accepting a warning (under pk/, "agreements")."""

from django.urls import path

from agreements.views import checks

urlpatterns = [
    path("<int:pk>/pemeriksaan/", checks.check_report, name="checks"),
    path("<int:pk>/pemeriksaan/terima/", checks.accept_warning, name="accept_warning"),
]
