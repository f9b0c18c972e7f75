from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path(
        "<slug:region_slug>/assessments/<int:assessment_id>/briefings/",
        views.briefing_create,
        name="briefing-create",
    ),
    path(
        "<slug:region_slug>/assessments/<int:assessment_id>/briefing-preview/",
        views.briefing_preview,
        name="briefing-preview",
    ),
    path("<slug:region_slug>/briefings/<int:pk>/", views.briefing_status, name="briefing-status"),
    path(
        "<slug:region_slug>/briefings/<int:pk>/status.json",
        views.briefing_status_json,
        name="briefing-status-json",
    ),
    path(
        "<slug:region_slug>/briefings/<int:pk>/download/",
        views.briefing_download,
        name="briefing-download",
    ),
    path(
        "<slug:region_slug>/briefings/<int:pk>/retry/", views.briefing_retry, name="briefing-retry"
    ),
]
