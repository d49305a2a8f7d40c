from django.urls import path

from submissions import dipa_views

urlpatterns = [
    path("", dipa_views.dipa_list, name="dipa_list"),
    path("<int:year>/", dipa_views.dipa_list, name="dipa_list_year"),
    path("<int:year>/impor/", dipa_views.dipa_import, name="dipa_import"),
    path("<int:year>/<str:code>/", dipa_views.dipa_edit, name="dipa_edit"),
]
