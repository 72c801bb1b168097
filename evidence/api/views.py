"""API views for the source library, claim detection and API tokens."""

from django.contrib.contenttypes.models import ContentType
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import filters, mixins, permissions, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView
from wagtail.models import Page, ReferenceIndex

from evidence.analysis.claims import detect_paragraphs
from evidence.api.common import IsStaff, parse_id
from evidence.api.filters import SourceFilter
from evidence.api.serializers import (
    ClaimDetectInputSerializer,
    ClaimReportSerializer,
    SourceCitationSerializer,
    SourceSerializer,
    TokenInputSerializer,
    TokenSerializer,
)
from evidence.models import Source


@extend_schema_view(
    list=extend_schema(
        summary="List sources",
        description=(
            "The source library, newest first. Anyone may read it. Filter by "
            "doi, pmid, grade, study_design, population, retracted, or q "
            "(words in the title or authors)."
        ),
    ),
    retrieve=extend_schema(summary="Read a source"),
    create=extend_schema(
        summary="Add a source",
        description=(
            "Writers, medical reviewers and editors. The DOI and PMID are "
            "checked and must not already be in the library."
        ),
    ),
    partial_update=extend_schema(
        summary="Edit a source", description="Medical reviewers and editors."
    ),
)
class SourceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Sources of evidence: read by anyone, kept by the editorial team."""

    queryset = Source.objects.all()
    serializer_class = SourceSerializer
    permission_classes = [permissions.DjangoModelPermissionsOrAnonReadOnly]
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = SourceFilter
    ordering_fields = ["year", "title", "grade", "created_at", "updated_at", "id"]
    ordering = ["-year", "title", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = r"[0-9]+"

    def get_object(self):
        self.kwargs[self.lookup_field] = parse_id(self.kwargs[self.lookup_field])
        return super().get_object()

    @extend_schema(
        summary="Where a source is cited",
        description=(
            "Every page and passage that cites this source, from the "
            "reference index: the live version of live pages and the draft "
            "of pages that were never published."
        ),
        responses=SourceCitationSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def citations(self, request, pk=None):
        source = self.get_object()
        references = (
            ReferenceIndex.get_references_to(source)
            .filter(base_content_type=ContentType.objects.get_for_model(Page))
            .order_by("object_id", "content_path", "id")
        )
        page_of_refs = self.paginate_queryset(references)
        pages = Page.objects.in_bulk({int(ref.object_id) for ref in page_of_refs})
        rows = []
        for ref in page_of_refs:
            page = pages.get(int(ref.object_id))
            if page is None:
                continue
            parts = ref.content_path.split(".")
            rows.append(
                {
                    "page": page.pk,
                    "title": page.title,
                    "url": page.get_url(request),
                    "live": page.live,
                    "has_unpublished_changes": page.has_unpublished_changes,
                    "block_id": parts[1] if len(parts) > 1 else "",
                    "field": ref.content_path,
                }
            )
        return self.get_paginated_response(
            SourceCitationSerializer(rows, many=True).data
        )


class ClaimDetectView(APIView):
    """Which sentences of a text state health claims that need a source."""

    permission_classes = [IsStaff]

    @extend_schema(
        summary="Detect claims in a text",
        description=(
            "Splits the text into paragraphs (blank lines) and sentences and "
            "marks each sentence that states a health claim, with the words "
            "that make it one and whether it is hedged. For the editorial "
            "team; at most 100,000 characters."
        ),
        request=ClaimDetectInputSerializer,
        responses=ClaimReportSerializer,
    )
    def post(self, request):
        serializer = ClaimDetectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = detect_paragraphs(serializer.validated_data["text"])
        return Response(ClaimReportSerializer(report).data)


class ObtainTokenView(ObtainAuthToken):
    """Exchange a username and password for an API token."""

    parser_classes = [JSONParser, FormParser]
    renderer_classes = [JSONRenderer]
    throttle_classes = [AnonRateThrottle]

    @extend_schema(
        summary="Get an API token",
        description=(
            "Send a username and password; use the token as "
            "`Authorization: Token <token>` on later requests."
        ),
        request=TokenInputSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description=_("Wrong username or password.")),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class ApiDocsView(TemplateView):
    """A self-contained page describing every endpoint, from the schema.

    Swagger UI and Redoc load their scripts from a CDN; this page needs
    nothing but the server, so it works offline and without JavaScript.
    """

    template_name = "evidence/api_docs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        schema = SchemaGenerator().get_schema(request=None, public=True)
        operations = []
        for path, methods in schema.get("paths", {}).items():
            for method, operation in methods.items():
                operations.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "summary": operation.get("summary", ""),
                        "description": operation.get("description", ""),
                        "parameters": [
                            {
                                "name": parameter["name"],
                                "in": parameter["in"],
                                "required": parameter.get("required", False),
                                "description": parameter.get("description", ""),
                            }
                            for parameter in operation.get("parameters", [])
                        ],
                        "responses": sorted(operation.get("responses", {})),
                        "tag": (operation.get("tags") or ["api"])[0],
                    }
                )
        context["info"] = schema.get("info", {})
        context["operations"] = operations
        return context


class RootView(APIView):
    """What the API offers, with links."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(exclude=True)
    def get(self, request):
        from django.urls import reverse

        return Response(
            {
                "articles": request.build_absolute_uri(reverse("api:article-list")),
                "sources": request.build_absolute_uri(reverse("api:source-list")),
                "claims_detect": request.build_absolute_uri(
                    reverse("api:claims-detect")
                ),
                "auth_token": request.build_absolute_uri(reverse("api:auth-token")),
                "schema": request.build_absolute_uri(reverse("api-schema")),
                "docs": request.build_absolute_uri(reverse("api-docs")),
            },
            status=status.HTTP_200_OK,
        )


def api_not_found(request, *args, **kwargs):
    """Any other address under /api/: a JSON 404, never the site's HTML page."""
    return JsonResponse(
        {"detail": _("There is no API endpoint at this address; see /api/docs/.")},
        status=404,
    )
