"""Routes for /api/v1/: sources, claim detection, tokens and the index."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from evidence.api.views import ClaimDetectView, ObtainTokenView, RootView, SourceViewSet

router = SimpleRouter()
router.register("sources", SourceViewSet, basename="source")

urlpatterns = [
    path("", RootView.as_view(), name="root"),
    path("auth/token/", ObtainTokenView.as_view(), name="auth-token"),
    path("claims/detect/", ClaimDetectView.as_view(), name="claims-detect"),
    *router.urls,
]
