from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.region_list, name="region-list"),
    path("<slug:region_slug>/", views.region_detail, name="region-detail"),
]
