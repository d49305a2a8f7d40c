"""DIPA dates of each office (under dipa/, no namespace)."""

from django.urls import path

from submissions.views import dipa

urlpatterns = [
    path("", dipa.dipa_list, name="dipa_list"),
    path("<int:year>/", dipa.dipa_list, name="dipa_list_year"),
    path("<int:year>/impor/", dipa.dipa_import, name="dipa_import"),
    path("<int:year>/<str:code>/", dipa.dipa_edit, name="dipa_edit"),
]
