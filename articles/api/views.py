"""API views for articles: read, draft, check, review and publish.

Readers see live articles only, as they are live. The editorial team may ask
for `?revision=latest` to read the latest draft. Writing never publishes:
publishing goes through `evidence.gate.publish.publish_latest`, the same gate
as the admin, and reviews through `evidence.review.decisions.record_decision`.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from wagtail.models import Page

from articles.api.body import BodyInvalid, clean_body
from articles.api.representation import article_payloads
from articles.api.serializers import (
    ArticleSerializer,
    ArticleWriteSerializer,
    BodyErrorsSerializer,
    PublishRefusedSerializer,
    ReadinessSerializer,
)
from articles.models import ArticleIndexPage, ArticlePage
from evidence.api.common import IsStaff, has_admin_access, parse_id
from evidence.api.serializers import ReviewDecisionSerializer, ReviewInputSerializer
from evidence.gate import PublishBlocked
from evidence.gate.publish import publish_latest
from evidence.gate.rules import evaluate
from evidence.models import ReviewDecision
from evidence.passages import analyse_passages, read_passages
from evidence.review.decisions import ReviewRefused, record_decision
from evidence.roles import is_medical_reviewer

REVISION_PARAMETER = OpenApiParameter(
    "revision",
    OpenApiTypes.STR,
    enum=["latest"],
    required=False,
    description=(
        "Editorial team only: `latest` reads the latest draft (and lists "
        "unpublished articles too) instead of the live version."
    ),
)


def readiness(version) -> dict:
    """The gate's verdict on a version, and the wording-vs-evidence warnings."""
    passages = read_passages(version)
    problems = evaluate(version, passages).problems
    warnings = [
        {
            "block_id": analysis.passage.block_id,
            "position": analysis.passage.position,
            "code": warning.code,
            "message": warning.message,
        }
        for analysis in analyse_passages(version, passages)
        for warning in analysis.warnings
    ]
    return {
        "publishable": not problems,
        "problems": [p.as_dict() for p in problems],
        "warnings": warnings,
    }


class WantsLatest:
    """Whether this request asks for the latest draft, which only staff may."""

    @staticmethod
    def check(request) -> bool:
        value = request.query_params.get("revision")
        if value in (None, ""):
            return False
        if value != "latest":
            raise exceptions.ValidationError(
                {"revision": [_("Use revision=latest, or leave it out.")]}
            )
        if not has_admin_access(request.user):
            raise exceptions.PermissionDenied(
                _("Only the editorial team may read drafts (revision=latest).")
            )
        return True


@extend_schema_view(
    list=extend_schema(
        summary="List articles",
        description=(
            "Live articles, newest first, each with its byline and passages. "
            "With revision=latest (editorial team) every article, live or "
            "not, as its latest draft."
        ),
        parameters=[REVISION_PARAMETER],
    ),
    retrieve=extend_schema(summary="Read an article", parameters=[REVISION_PARAMETER]),
)
class ArticleViewSet(viewsets.GenericViewSet):
    """Health articles, passage by passage."""

    serializer_class = ArticleSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        if self.action == "list" and WantsLatest.check(self.request):
            return (
                ArticlePage.objects.all()
                .select_related("latest_revision")
                .order_by("-latest_revision_created_at", "-pk")
            )
        if self.action in {"list", "retrieve"} and not WantsLatest.check(self.request):
            return ArticlePage.objects.readable()
        return ArticlePage.objects.select_related("latest_revision")

    def get_object(self):
        pk = parse_id(self.kwargs["pk"])
        return get_object_or_404(self.get_queryset(), pk=pk)

    def _payload(self, page, latest: bool) -> dict:
        data = article_payloads([page], self.request, latest=latest)[0]
        return ArticleSerializer(data).data

    def list(self, request):
        latest = WantsLatest.check(request)
        pages = self.paginate_queryset(self.get_queryset())
        data = article_payloads(pages, request, latest=latest)
        return self.get_paginated_response(ArticleSerializer(data, many=True).data)

    def retrieve(self, request, pk=None):
        latest = WantsLatest.check(request)
        return Response(self._payload(self.get_object(), latest))

    def _write_data(self, partial: bool):
        """The checked fields and the stored body, or a 400 response."""
        data = self.request.data
        if not isinstance(data, dict):
            raise exceptions.ValidationError(
                {"detail": [_("Send a JSON object with the article's fields.")]}
            )
        serializer = ArticleWriteSerializer(data=data, partial=partial)
        errors = {} if serializer.is_valid() else dict(serializer.errors)
        body = None
        if "body" in data:
            try:
                body = clean_body(data["body"])
            except BodyInvalid as error:
                errors["body"] = [e.as_dict() for e in error.errors]
        elif not partial:
            body = []
        if errors:
            return None, None, Response(errors, status=status.HTTP_400_BAD_REQUEST)
        fields = dict(serializer.validated_data)
        fields.pop("body", None)
        return fields, body, None

    @staticmethod
    def _slug_error(slug, parent, page=None):
        if not Page._slug_is_available(slug, parent, page):
            return Response(
                {
                    "slug": [
                        _(
                            "The slug “%(slug)s” is already in use by another "
                            "article. Choose another."
                        )
                        % {"slug": slug}
                    ]
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return None

    @extend_schema(
        summary="Create a draft article",
        description=(
            "Writers and editors. Creates a draft under /articles/ and saves "
            "its first revision; never publishes. Body errors come back as "
            "400 with the block index and field."
        ),
        request=ArticleWriteSerializer,
        responses={
            201: ArticleSerializer,
            400: BodyErrorsSerializer,
            403: OpenApiResponse(description="Not allowed to add articles."),
        },
    )
    def create(self, request):
        index = ArticleIndexPage.objects.order_by("path").first()
        if index is None:
            raise exceptions.NotFound(
                _("There is no article index to add articles to yet.")
            )
        if not index.permissions_for_user(request.user).can_add_subpage():
            raise exceptions.PermissionDenied(
                _("You may not add articles. Writers and editors may.")
            )
        fields, body, error = self._write_data(partial=False)
        if error is not None:
            return error
        if error := self._slug_error(fields["slug"], index):
            return error
        page = ArticlePage(**fields, body=body, owner=request.user, live=False)
        with transaction.atomic():
            index.add_child(instance=page)
            page.save_revision(user=request.user, log_action=True)
        page.refresh_from_db()
        return Response(
            self._payload(page, latest=True), status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Edit a draft article",
        description=(
            "Saves a new revision with the fields sent (the body, if sent, "
            "replaces the whole body). Blocks sent with their id keep it; "
            "blocks without one are new. Never publishes. Allowed for whoever "
            "may edit the page in the admin."
        ),
        request=ArticleWriteSerializer,
        responses={
            200: ArticleSerializer,
            400: BodyErrorsSerializer,
            403: OpenApiResponse(description="Not allowed to edit this page."),
            409: OpenApiResponse(description="The page is locked."),
        },
    )
    def partial_update(self, request, pk=None):
        page = self.get_object()
        tester = page.permissions_for_user(request.user)
        if not tester.can_edit():
            raise exceptions.PermissionDenied(_("You may not edit this article."))
        if tester.page_locked():
            return Response(
                {"detail": _("This article is locked; ask whoever locked it.")},
                status=status.HTTP_409_CONFLICT,
            )
        fields, body, error = self._write_data(partial=True)
        if error is not None:
            return error
        with transaction.atomic():
            draft = page.get_latest_revision_as_object()
            if "slug" in fields and (
                error := self._slug_error(fields["slug"], page.get_parent(), page)
            ):
                return error
            for name, value in fields.items():
                setattr(draft, name, value)
            if body is not None:
                draft.body = body
            if not page.live:
                # As the admin does: a page that was never published keeps
                # its draft in the page row too.
                draft.save()
            draft.save_revision(user=request.user, log_action=True)
        page.refresh_from_db()
        return Response(self._payload(page, latest=True))

    @extend_schema(
        summary="Is the latest draft ready to publish?",
        description=(
            "The publish gate's verdict on the latest revision: every problem "
            "that would stop publishing, and warnings where a passage's "
            "wording says more than its evidence. Editorial team only."
        ),
        responses=ReadinessSerializer,
    )
    @action(detail=True, methods=["get"], permission_classes=[IsStaff])
    def readiness(self, request, pk=None):
        page = self.get_object()
        return Response(readiness(page.get_latest_revision_as_object()))

    @extend_schema(
        summary="Publish the latest draft",
        description=(
            "Editors. Publishes the latest revision through the publish gate. "
            "409 with the gate's problems when it may not go live."
        ),
        request=None,
        responses={
            200: ArticleSerializer,
            403: OpenApiResponse(description="Not allowed to publish."),
            409: PublishRefusedSerializer,
        },
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated],
    )
    def publish(self, request, pk=None):
        page = self.get_object()
        try:
            publish_latest(page, request.user)
        except PublishBlocked as blocked:
            messages = [str(m) for m in blocked.messages]
            return Response(
                {
                    "publishable": False,
                    "detail": " ".join(messages)
                    or _("This version may not go live yet."),
                    "problems": [p.as_dict() for p in blocked.problems],
                },
                status=status.HTTP_409_CONFLICT,
            )
        except DjangoPermissionDenied as denied:
            raise exceptions.PermissionDenied(
                str(denied) or _("You may not publish this article.")
            ) from None
        page = ArticlePage.objects.get(pk=page.pk)
        return Response(self._payload(page, latest=False))


class PassageReviewsView(GenericAPIView):
    """Medical review decisions on one passage of an article."""

    serializer_class = ReviewDecisionSerializer
    queryset = ReviewDecision.objects.none()

    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.IsAuthenticated()]
        return [IsStaff()]

    def _page_and_passage(self, pk, block_id):
        page = get_object_or_404(ArticlePage, pk=parse_id(pk))
        version = page.get_latest_revision_as_object()
        passage = next(
            (p for p in read_passages(version) if p.block_id == block_id), None
        )
        return page, passage

    @extend_schema(
        summary="Decisions on a passage",
        description="Every review decision on this passage, oldest first.",
        responses=ReviewDecisionSerializer(many=True),
    )
    def get(self, request, pk, block_id):
        page = get_object_or_404(ArticlePage, pk=parse_id(pk))
        decisions = (
            ReviewDecision.objects.filter(page=page, block_id=block_id)
            .select_related("reviewer__reviewer_profile")
            .order_by("created_at", "pk")
        )
        items = self.paginate_queryset(decisions)
        return self.get_paginated_response(
            ReviewDecisionSerializer(items, many=True).data
        )

    @extend_schema(
        summary="Review a passage",
        description=(
            "Medical reviewers. Records a decision on the passage as it reads "
            "in the latest revision: approve (with the certainty of its "
            "evidence, by default the suggested one), request_changes (with "
            "a note) or not_a_claim (context passages only)."
        ),
        request=ReviewInputSerializer,
        responses={
            201: ReviewDecisionSerializer,
            400: OpenApiResponse(description="The decision was refused; see detail."),
            403: OpenApiResponse(description="Not a medical reviewer."),
            404: OpenApiResponse(description="No such article or passage."),
        },
    )
    def post(self, request, pk, block_id):
        if not is_medical_reviewer(request.user):
            raise exceptions.PermissionDenied(
                _("Only members of the Medical reviewers group may review passages.")
            )
        page, passage = self._page_and_passage(pk, block_id)
        if passage is None:
            raise exceptions.NotFound(
                _(
                    "The latest version of this article has no passage with "
                    "block id “%(id)s”."
                )
                % {"id": block_id}
            )
        serializer = ReviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            decision = record_decision(
                page, block_id, request.user, **serializer.validated_data
            )
        except ReviewRefused as refused:
            return Response(
                {"detail": " ".join(str(m) for m in refused.messages)},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            ReviewDecisionSerializer(decision).data, status=status.HTTP_201_CREATED
        )
