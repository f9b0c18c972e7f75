from django.urls import path

from questionbank import views

app_name = "questionbank"

urlpatterns = [
    path("versions/<int:version>/preview/", views.BankPreviewView.as_view(), name="preview"),
]
