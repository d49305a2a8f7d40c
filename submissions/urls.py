"""Every URL of the submissions app, mounted once by pk_portal/urls.py. One list per page
family, each pointing at the view module of the same name in submissions/views/:

    dipa/…          DIPA dates of each office (no namespace)
    reviu/…         the national review (no namespace)
    kompilasi/…     the KPU Provinsi's compilation (namespace "submissions")
    penyampaian/…   submitting a signed PK, ministry deliveries, hardcopy (no namespace)

reverse("review_dashboard", args=[2027])              -> /reviu/2027/
reverse("submissions:province", args=["64", 2027])    -> /kompilasi/64/2027/
"""

from django.urls import include, path

from submissions.views import dipa, province, review, submission

dipa_patterns = [
    path("", dipa.dipa_list, name="dipa_list"),
    path("<int:year>/", dipa.dipa_list, name="dipa_list_year"),
    path("<int:year>/impor/", dipa.dipa_import, name="dipa_import"),
    path("<int:year>/<str:code>/", dipa.dipa_edit, name="dipa_edit"),
]

review_patterns = [
    path("", review.review_home, name="review_home"),
    path("<int:year>/", review.review_dashboard, name="review_dashboard"),
    path("<int:year>/ekspor.xlsx", review.review_export, name="review_export"),
    path("penyampaian/<int:pk>/", review.review_submission, name="review_submission"),
    path("penyampaian/<int:pk>/softcopy.pdf", review.review_softcopy, name="review_softcopy"),
    path("penyampaian/<int:pk>/terima/", review.review_accept, name="review_accept"),
    path("penyampaian/<int:pk>/kembalikan/", review.review_return, name="review_return"),
]

# The fixed prefixes come first: "progres" and "hasil" are no provinces.
province_patterns = [
    path("", province.province_home, name="province_home"),
    path("progres/<int:pk>/", province.compilation_progress, name="compilation_progress"),
    path("hasil/<int:pk>/sampaikan/", province.compilation_submit, name="compilation_submit"),
    path("hasil/<int:pk>/tarik/", province.compilation_withdraw, name="compilation_withdraw"),
    path("hasil/<int:pk>/baca.pdf", province.compilation_pdf, name="compilation_pdf"),
    path("hasil/<int:pk>/asli.zip", province.compilation_zip, name="compilation_zip"),
    path("<str:province_code>/<int:year>/", province.province_page, name="province"),
    path("<str:province_code>/<int:year>/kompilasi/", province.compile_view, name="compile"),
]

submission_patterns = [
    path("pk/<int:pk>/", submission.submission_submit, name="submission_submit"),
    path("<int:pk>/tarik/", submission.submission_withdraw, name="submission_withdraw"),
    path("<int:pk>/kementerian/", submission.delivery_add, name="delivery_add"),
    path("<int:pk>/hardcopy/", submission.hardcopy_update, name="hardcopy_update"),
]

urlpatterns = [
    path("dipa/", include(dipa_patterns)),
    path("reviu/", include(review_patterns)),
    path("kompilasi/", include((province_patterns, "submissions"))),
    path("penyampaian/", include(submission_patterns)),
]
