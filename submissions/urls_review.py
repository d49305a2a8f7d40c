"""The national review, included under "reviu/" (like submissions.urls_dipa, without a namespace):

reverse("review_dashboard", args=[2027])     -> /reviu/2027/
reverse("review_export", args=[2027])        -> /reviu/2027/ekspor.xlsx
reverse("review_submission", args=[pk])      -> /reviu/penyampaian/<pk>/
reverse("review_softcopy", args=[pk])        -> /reviu/penyampaian/<pk>/softcopy.pdf
reverse("review_accept" | "review_return", args=[pk])  (POST only)
"""

from django.urls import path

from submissions.views import dashboard

urlpatterns = [
    path("", dashboard.review_home, name="review_home"),
    path("<int:year>/", dashboard.review_dashboard, name="review_dashboard"),
    path("<int:year>/ekspor.xlsx", dashboard.review_export, name="review_export"),
    path("penyampaian/<int:pk>/", dashboard.review_submission, name="review_submission"),
    path("penyampaian/<int:pk>/softcopy.pdf", dashboard.review_softcopy, name="review_softcopy"),
    path("penyampaian/<int:pk>/terima/", dashboard.review_accept, name="review_accept"),
    path("penyampaian/<int:pk>/kembalikan/", dashboard.review_return, name="review_return"),
]
