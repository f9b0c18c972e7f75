"""URL patterns of results and the action plan, included in the `assessments` namespace."""

from django.urls import path

from assessments.results import views

assessment = "<slug:region_slug>/assessments/<int:pk>/"

urlpatterns = [
    path(f"{assessment}results/", views.results_detail, name="results-detail"),
    path(f"{assessment}results/calculate/", views.results_calculate, name="results-calculate"),
    path(f"{assessment}results/scores.csv", views.results_scores_csv, name="results-scores-csv"),
    path(f"{assessment}results/answers.csv", views.results_answers_csv, name="results-answers-csv"),
    path(f"{assessment}results/results.json", views.results_json, name="results-json"),
    path(f"{assessment}action-plan/", views.action_plan, name="action-plan"),
    path(
        f"{assessment}action-plan/<int:item_pk>/",
        views.action_plan_item,
        name="action-plan-item",
    ),
    path(
        f"{assessment}action-plan/<int:item_pk>/done/",
        views.action_plan_item_done,
        name="action-plan-item-done",
    ),
    path(f"{assessment}action-plan.csv", views.action_plan_csv, name="action-plan-csv"),
    path(f"{assessment}action-plan.ics", views.action_plan_ics, name="action-plan-ics"),
]
