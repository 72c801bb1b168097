"""Admin URLs of the evidence app, mounted under /admin/evidence/."""

from django.urls import path

from evidence import views

app_name = "evidence_review"

urlpatterns = [
    path("review/<int:page_id>/", views.ReviewView.as_view(), name="page"),
]
