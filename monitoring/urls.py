"""Every URL of the monitoring app, mounted once by pk_portal/urls.py. One list per page
family, each pointing at the view module of the same name in monitoring/views/:

    pemantauan/, pemantauan/pk/…,         namespace "monitoring": the operator's quarters
    pemantauan/bukti/…                    (worklist), the quarter form, verification,
                                          evidence files (quarter)
    pemantauan/nasional/…, provinsi/…,    namespace "monitoring_reports": the dashboards and
    pemantauan/pk/…/pengukuran.*, api/v1/ the measurement table (reports), the read API (api)

reverse("monitoring:quarter", args=[pk, 1])                  -> /pemantauan/pk/<pk>/tw/1/
reverse("monitoring_reports:national", args=[2027, 1])       -> /pemantauan/nasional/2027/tw/1/
reverse("monitoring_reports:api_unit_year", args=["64.74", 2027])
                                                             -> /api/v1/pemantauan/64.74/2027/
"""

from django.urls import include, path

from monitoring.views import api, quarter, quarter_sheet, reports, worklist

# One PK's quarter: the form, verification and evidence files (under pemantauan/), and the
# operator's list of the quarters they report.
quarter_patterns = [
    path("", worklist.operator_home, name="home"),
    path("pk/<int:pk>/tw/<int:quarter>/", quarter.quarter_form, name="quarter"),
    path("pk/<int:pk>/tw/<int:quarter>/excel/", quarter_sheet.quarter_sheet, name="quarter_sheet"),
    path(
        "pk/<int:pk>/tw/<int:quarter>/excel/unggah/",
        quarter_sheet.quarter_sheet_upload,
        name="quarter_sheet_upload",
    ),
    path(
        "pk/<int:pk>/tw/<int:quarter>/excel/simpan/",
        quarter_sheet.quarter_sheet_confirm,
        name="quarter_sheet_confirm",
    ),
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

# The dashboards and the measurement table downloads (their paths carry their own prefix).
report_patterns = [
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

# The read API and its documentation.
api_patterns = [
    path("api/v1/", api.docs_page, name="api_docs"),
    path("api/v1/openapi.json", api.openapi, name="openapi"),
    path(
        "api/v1/pemantauan/<str:unit_code>/<int:year>/",
        api.unit_year,
        name="api_unit_year",
    ),
]

urlpatterns = [
    path("pemantauan/", include((quarter_patterns, "monitoring"))),
    path("", include(([*report_patterns, *api_patterns], "monitoring_reports"))),
]
