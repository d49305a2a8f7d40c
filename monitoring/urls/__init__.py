"""Every URL of the monitoring app, mounted once by pk_portal/urls.py. One module per page
family in monitoring/urls/, each pointing at the view module of the same name in
monitoring/views/:

    pemantauan/pk/…, pemantauan/bukti/…   namespace "monitoring": the quarter form,
                                          verification, evidence files (quarter)
    pemantauan/nasional/…, provinsi/…,    namespace "monitoring_reports": the dashboards and
    pemantauan/pk/…/pengukuran.*, api/v1/ the measurement table (reports), the read API (api)
"""

from django.urls import include, path

from monitoring.urls import api, quarter, reports

urlpatterns = [
    path("pemantauan/", include((quarter.urlpatterns, "monitoring"))),
    path("", include(([path("", include(reports)), path("", include(api))], "monitoring_reports"))),
]
