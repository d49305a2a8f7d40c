"""Submitting a signed PK, ministry deliveries and hardcopy (under penyampaian/, no
namespace)."""

from django.urls import path

from submissions.views import submission

urlpatterns = [
    path("pk/<int:pk>/", submission.submission_submit, name="submission_submit"),
    path("<int:pk>/kementerian/", submission.delivery_add, name="delivery_add"),
    path("<int:pk>/hardcopy/", submission.hardcopy_update, name="hardcopy_update"),
]
