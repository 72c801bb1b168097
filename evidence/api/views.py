"""API views for the source library and claim detection."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField
from django.db.models.functions import Cast
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.models import Page, ReferenceIndex

from evidence.analysis.claims import detect_paragraphs
from evidence.api.common import IsStaff, has_admin_access, parse_id
from evidence.api.filters import SourceFilter
from evidence.api.serializers import (
    ClaimDetectInputSerializer,
    ClaimReportSerializer,
    SourceCitationSerializer,
    SourceSerializer,
)
from evidence.audit.fhir import citation
from evidence.audit.records import source_record
from evidence.models import Source


class FHIRJSONRenderer(JSONRenderer):
    """FHIR's own JSON media type (what FHIR clients ask for)."""

    media_type = "application/fhir+json"
    format = "fhir"


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
            "reference index: the live version of live pages and, for the "
            "editorial team only, the draft of pages that were never "
            "published. Others see live, public pages only."
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
        if not has_admin_access(request.user):
            public = (
                Page.objects.live()
                .public()
                .annotate(key=Cast("pk", output_field=CharField()))
            )
            references = references.filter(object_id__in=public.values("key"))
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

    @extend_schema(
        summary="A source as a FHIR R5 Citation",
        description=(
            "The source as a FHIR R5 Citation resource: identifiers (DOI, "
            "PMID), title, journal, date, authors, links, study design, "
            "population, participants, the GRADE certainty once a medical "
            "reviewer confirmed it, and its retraction state. Served as "
            "application/fhir+json (or application/json when asked)."
        ),
        responses={200: OpenApiTypes.OBJECT},
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        pagination_class=None,
        renderer_classes=[FHIRJSONRenderer, JSONRenderer],
    )
    def fhir(self, request, pk=None):
        return Response(citation(source_record(self.get_object())))


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
