"""Moving a PK through the workflow: submit, approve, return (under pk/, "agreements")."""

from django.urls import path

from agreements.views import workflow

urlpatterns = [
    path("<int:pk>/tindakan/<str:action>/", workflow.workflow_action, name="workflow_action"),
]
