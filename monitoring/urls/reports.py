"""The monitoring dashboards and the measurement table downloads, in the "monitoring_reports"
namespace at the root of the site (their paths carry their own prefix, "pemantauan/", beside
the quarter pages of monitoring/urls/quarter.py; the read API is monitoring/urls/api.py):

reverse("monitoring_reports:national", args=[2027, 1])        -> /pemantauan/nasional/2027/tw/1/
reverse("monitoring_reports:province", args=["64", 2027, 1])  -> /pemantauan/provinsi/64/2027/tw/1/
reverse("monitoring_reports:measurement_pdf", args=[pk, 1])
                                                -> /pemantauan/pk/<pk>/tw/1/pengukuran.pdf
"""

from django.urls import path

from monitoring.views import reports

urlpatterns = [
    path("pemantauan/nasional/", reports.national_home, name="national_home"),
    path(
        "pemantauan/nasional/<int:year>/tw/<int:quarter>/",
        reports.national_page,
        name="national",
    ),
    path(
        "pemantauan/nasional/<int:year>/tw/<int:quarter>/ekspor.xlsx",
        reports.national_xlsx,
        name="national_xlsx",
    ),
    path("pemantauan/provinsi/", reports.province_home, name="province_home"),
    path(
        "pemantauan/provinsi/<str:province_code>/<int:year>/tw/<int:quarter>/",
        reports.province_page,
        name="province",
    ),
    path(
        "pemantauan/provinsi/<str:province_code>/<int:year>/tw/<int:quarter>/ekspor.xlsx",
        reports.province_xlsx,
        name="province_xlsx",
    ),
    path(
        "pemantauan/pk/<int:pk>/tw/<int:quarter>/pengukuran.xlsx",
        reports.measurement_xlsx_view,
        name="measurement_xlsx",
    ),
    path(
        "pemantauan/pk/<int:pk>/tw/<int:quarter>/pengukuran.pdf",
        reports.measurement_pdf_view,
        name="measurement_pdf",
    ),
]
