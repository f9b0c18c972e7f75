"""URL patterns of re-assessment and comparison, included in the `assessments` namespace."""

from django.urls import path

from assessments.reassessment import views

assessment = "<slug:region_slug>/assessments/<int:pk>/"

urlpatterns = [
    path("<slug:region_slug>/compare/", views.assessment_compare, name="assessment-compare"),
    path(f"{assessment}start-from/", views.reassessment_start, name="reassessment-start"),
    path(f"{assessment}carried-over/", views.carry_over, name="carry-over"),
]
