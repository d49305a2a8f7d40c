"""The read API and its documentation (at the site root under api/v1/, namespace
"monitoring_reports"): reverse("monitoring_reports:api_unit_year", args=["64.74", 2027]) ->
/api/v1/pemantauan/64.74/2027/"""

from django.urls import path

from monitoring.views import api

urlpatterns = [
    path("api/v1/", api.docs_page, name="api_docs"),
    path("api/v1/openapi.json", api.openapi, name="openapi"),
    path(
        "api/v1/pemantauan/<str:unit_code>/<int:year>/",
        api.unit_year,
        name="api_unit_year",
    ),
]
