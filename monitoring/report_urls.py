"""The monitoring dashboards, the measurement table downloads and the read API, in the
"monitoring_reports" namespace, included at the root of the site (their paths carry their
own prefixes, "pemantauan/" beside monitoring.urls and "api/v1/"):

reverse("monitoring_reports:national", args=[2027, 1])        -> /pemantauan/nasional/2027/tw/1/
reverse("monitoring_reports:province", args=["64", 2027, 1])  -> /pemantauan/provinsi/64/2027/tw/1/
reverse("monitoring_reports:measurement_pdf", args=[pk, 1])
                                                -> /pemantauan/pk/<pk>/tw/1/pengukuran.pdf
reverse("monitoring_reports:api_unit_year", args=["64.74", 2027]) -> /api/v1/pemantauan/64.74/2027/
"""

from django.urls import path

from monitoring import api, report_views

app_name = "monitoring_reports"
urlpatterns = [
    path("pemantauan/nasional/", report_views.national_home, name="national_home"),
    path(
        "pemantauan/nasional/<int:year>/tw/<int:quarter>/",
        report_views.national_page,
        name="national",
    ),
    path(
        "pemantauan/nasional/<int:year>/tw/<int:quarter>/ekspor.xlsx",
        report_views.national_xlsx,
        name="national_xlsx",
    ),
    path("pemantauan/provinsi/", report_views.province_home, name="province_home"),
    path(
        "pemantauan/provinsi/<str:province_code>/<int:year>/tw/<int:quarter>/",
        report_views.province_page,
        name="province",
    ),
    path(
        "pemantauan/provinsi/<str:province_code>/<int:year>/tw/<int:quarter>/ekspor.xlsx",
        report_views.province_xlsx,
        name="province_xlsx",
    ),
    path(
        "pemantauan/pk/<int:pk>/tw/<int:quarter>/pengukuran.xlsx",
        report_views.measurement_xlsx_view,
        name="measurement_xlsx",
    ),
    path(
        "pemantauan/pk/<int:pk>/tw/<int:quarter>/pengukuran.pdf",
        report_views.measurement_pdf_view,
        name="measurement_pdf",
    ),
    path("api/v1/", api.docs_page, name="api_docs"),
    path("api/v1/openapi.json", api.openapi, name="openapi"),
    path(
        "api/v1/pemantauan/<str:unit_code>/<int:year>/",
        api.unit_year,
        name="api_unit_year",
    ),
]
