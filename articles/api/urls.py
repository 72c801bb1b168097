"""Routes for /api/v1/articles/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from articles.api.views import (
    ArticleViewSet,
    ContextConfirmationView,
    PassageReviewsView,
)

router = SimpleRouter()
router.register("articles", ArticleViewSet, basename="article")

urlpatterns = [
    *router.urls,
    path(
        "articles/<str:pk>/passages/<str:block_id>/reviews/",
        PassageReviewsView.as_view(),
        name="passage-reviews",
    ),
    path(
        "articles/<str:pk>/context-confirmations/",
        ContextConfirmationView.as_view(),
        name="context-confirmations",
    ),
]
