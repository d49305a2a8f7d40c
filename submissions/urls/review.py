"""The national review, mounted under "reviu/" (like submissions/urls/dipa.py, no namespace):

reverse("review_dashboard", args=[2027])     -> /reviu/2027/
reverse("review_export", args=[2027])        -> /reviu/2027/ekspor.xlsx
reverse("review_submission", args=[pk])      -> /reviu/penyampaian/<pk>/
reverse("review_softcopy", args=[pk])        -> /reviu/penyampaian/<pk>/softcopy.pdf
reverse("review_accept" | "review_return", args=[pk])  (POST only)
"""

from django.urls import path

from submissions.views import review

urlpatterns = [
    path("", review.review_home, name="review_home"),
    path("<int:year>/", review.review_dashboard, name="review_dashboard"),
    path("<int:year>/ekspor.xlsx", review.review_export, name="review_export"),
    path("penyampaian/<int:pk>/", review.review_submission, name="review_submission"),
    path("penyampaian/<int:pk>/softcopy.pdf", review.review_softcopy, name="review_softcopy"),
    path("penyampaian/<int:pk>/terima/", review.review_accept, name="review_accept"),
    path("penyampaian/<int:pk>/kembalikan/", review.review_return, name="review_return"),
]
