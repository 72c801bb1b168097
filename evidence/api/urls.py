"""Routes for /api/v1/: sources and claim detection."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from evidence.api.views import ClaimDetectView, SourceViewSet

router = SimpleRouter()
router.register("sources", SourceViewSet, basename="source")

urlpatterns = [
    path("claims/detect/", ClaimDetectView.as_view(), name="claims-detect"),
    *router.urls,
]
