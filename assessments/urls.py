from django.urls import path

from assessments import views
from assessments.opendata.urls import region_urlpatterns as open_data_urlpatterns
from assessments.reassessment.urls import urlpatterns as reassessment_urlpatterns
from assessments.results.urls import urlpatterns as results_urlpatterns
from assessments.team.urls import region_urlpatterns as team_urlpatterns

app_name = "assessments"

assessment = "<slug:region_slug>/assessments/<int:pk>/"

urlpatterns = [
    path("", views.region_list, name="region-list"),
    path("<slug:region_slug>/", views.region_detail, name="region-detail"),
    path("<slug:region_slug>/assessments/start/", views.assessment_start, name="assessment-start"),
    path(assessment, views.assessment_tasks, name="assessment-tasks"),
    path(f"{assessment}themes/<slug:theme_slug>/", views.theme_detail, name="theme-detail"),
    path(f"{assessment}themes/<slug:theme_slug>/owner/", views.theme_assign, name="theme-assign"),
    path(
        f"{assessment}questions/<int:question_pk>/",
        views.question_detail,
        name="question-detail",
    ),
    path(
        f"{assessment}comments/<int:comment_pk>/resolve/",
        views.comment_resolve,
        name="comment-resolve",
    ),
    path(f"{assessment}check/", views.assessment_check, name="assessment-check"),
    path(f"{assessment}submit/", views.assessment_submit, name="assessment-submit"),
    path(f"{assessment}reopen/", views.assessment_reopen, name="assessment-reopen"),
    *results_urlpatterns,
    *reassessment_urlpatterns,
    *open_data_urlpatterns,
    *team_urlpatterns,
]
