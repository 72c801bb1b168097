"""Admin URLs of living evidence, mounted under /admin/evidence/living/."""

from django.urls import path

from evidence.living import views

app_name = "evidence_living"

urlpatterns = [
    path("<int:page_id>/reconfirm/", views.reconfirm_view, name="reconfirm"),
    path("<int:page_id>/schedule/", views.schedule_view, name="schedule"),
    path(
        "<int:page_id>/claims/<str:block_id>/search/",
        views.saved_search_view,
        name="search",
    ),
    path(
        "candidates/<int:pk>/<str:action>/",
        views.candidate_view,
        name="candidate",
    ),
]
