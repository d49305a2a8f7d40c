"""Every URL of the submissions app, mounted once by pk_portal/urls.py. One module per page
family in submissions/urls/, each pointing at the view module of the same name in
submissions/views/:

    dipa/…          DIPA dates of each office (no namespace)
    reviu/…         the national review (no namespace)
    kompilasi/…     the KPU Provinsi's compilation (namespace "submissions")
    penyampaian/…   submitting a signed PK, ministry deliveries, hardcopy (no namespace)
"""

from django.urls import include, path

from submissions.urls import dipa, province, review, submission

urlpatterns = [
    path("dipa/", include(dipa)),
    path("reviu/", include(review)),
    path("kompilasi/", include((province.urlpatterns, "submissions"))),
    path("penyampaian/", include(submission)),
]
