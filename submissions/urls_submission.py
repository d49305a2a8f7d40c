from django.urls import path

from submissions import submission_views

urlpatterns = [
    path("pk/<int:pk>/", submission_views.submission_submit, name="submission_submit"),
    path("<int:pk>/kementerian/", submission_views.delivery_add, name="delivery_add"),
    path("<int:pk>/hardcopy/", submission_views.hardcopy_update, name="hardcopy_update"),
]
