"""The public open-data page and downloads (namespace `opendata`), and a region's own open-data
page (`region_urlpatterns`, included in the `assessments` namespace)."""

from django.urls import path

from assessments.opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.open_data_index, name="index"),
    path("readiness-v1.csv", views.open_data_csv, name="csv"),
    path("readiness-v1.json", views.open_data_json, name="json"),
]

region_urlpatterns = [
    path("<slug:region_slug>/open-data/", views.region_open_data, name="region-open-data"),
]
