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
from wagtail.actions import (
    CreatePageAction,
    CreatePermissionError,
    EditPermissionError,
)
from wagtail.log_actions import LogContext
from wagtail.utils.forms import FormValidationError

from articles.api.body import BodyInvalid, check_body, refuse_foreign_ids
from articles.api.representation import article_payloads
from articles.api.serializers import (
    ArticleSerializer,
    ArticleWriteSerializer,
    BodyErrorsSerializer,
    PublishInputSerializer,
    PublishRefusedSerializer,
    ReadinessSerializer,
)
from articles.api.writing import (
    EditArticleAction,
    article_form,
    form_errors,
    publish_errors,
)
from articles.models import ArticleIndexPage, ArticlePage
from evidence.analysis.text import text_from_html
from evidence.api.common import IsStaff, has_admin_access, parse_id
from evidence.api.serializers import (
    BulkConfirmInputSerializer,
    ReviewDecisionSerializer,
    ReviewInputSerializer,
)
from evidence.audit.notes import (
    change_note_problems,
    needs_change_note,
    record_change_note,
)
from evidence.gate import PublishBlocked
from evidence.gate.publish import lock_page_row, publish_latest
from evidence.gate.rules import evaluate
from evidence.models import ReviewDecision
from evidence.passages import analyse_passages, reviewable_units
from evidence.review.decisions import (
    DecisionConflict,
    ReviewRefused,
    confirm_context,
    record_decision,
)
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
    """Whether a version may be published: the fields the editor's Publish
    would refuse, the gate's problems, and the wording-vs-evidence
    warnings."""
    errors = publish_errors(version)
    passages = reviewable_units(version)
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
        "publishable": not problems and not errors,
        "errors": errors,
        "problems": [p.as_dict() for p in problems],
        "warnings": warnings,
    }


def alias_message(page) -> str:
    return _(
        "Article %(id)s is an alias: it mirrors article %(original)s and has "
        "no drafts of its own. Edit, review and publish article %(original)s."
    ) % {"id": page.pk, "original": page.alias_of_id}


class AliasConflict(exceptions.APIException):
    """A write aimed at an alias page, which only mirrors its original."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(self, page):
        super().__init__(alias_message(page))


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

    def _write_fields(
        self, partial: bool, page_id: int | None = None
    ) -> tuple[dict, Response | None]:
        """The fields sent, checked for shape, the body's blocks ready for the
        editor's form; or a 400 response listing every error."""
        data = self.request.data
        if not isinstance(data, dict):
            raise exceptions.ValidationError(
                {"detail": [_("Send a JSON object with the article's fields.")]}
            )
        serializer = ArticleWriteSerializer(data=data, partial=partial)
        errors = {} if serializer.is_valid() else dict(serializer.errors)
        fields = dict(serializer.validated_data) if not errors else {}
        if "body" in data:
            try:
                fields["body"] = check_body(data["body"])
                refuse_foreign_ids(fields["body"], page_id)
            except BodyInvalid as error:
                errors["body"] = [e.as_dict() for e in error.errors]
        if errors:
            return {}, Response(errors, status=status.HTTP_400_BAD_REQUEST)
        if not partial:
            fields = {
                "standfirst": "",
                "subject_intervention": "",
                "subject_route": "",
                "body": [],
                **fields,
            }
        return fields, None

    @extend_schema(
        summary="Create a draft article",
        description=(
            "Writers and editors. Creates a draft under /articles/ through "
            "Wagtail's CreatePageAction with the page editor's own form, so it "
            "is validated, logged and subscribed as a draft saved in the "
            "editor; never publishes. Errors come back as 400 keyed by field; "
            "body errors name the block index and field."
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
        fields, invalid = self._write_fields(partial=False)
        if invalid is not None:
            return invalid
        page = ArticlePage(owner=request.user, locale_id=index.locale_id)
        form = article_form(fields, instance=page, parent=index, user=request.user)
        action = CreatePageAction(page, index, user=request.user, form=form)
        try:
            page = action.execute()
        except FormValidationError:
            return Response(form_errors(form), status=status.HTTP_400_BAD_REQUEST)
        except CreatePermissionError:
            raise exceptions.PermissionDenied(
                _("You may not add articles. Writers and editors may.")
            ) from None
        page = ArticlePage.objects.get(pk=page.pk)
        return Response(
            self._payload(page, latest=True), status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Edit a draft article",
        description=(
            "Saves a new revision with the fields sent (the body, if sent, "
            "replaces the whole body) through Wagtail's EditPageAction with the "
            "page editor's own form: validated, locked and logged as an edit "
            "in the editor. Blocks sent with their id keep it; blocks without "
            "one are new. Never publishes. Allowed for whoever may edit the "
            "page in the admin; 409 while someone else holds a lock on it."
        ),
        request=ArticleWriteSerializer,
        responses={
            200: ArticleSerializer,
            400: BodyErrorsSerializer,
            403: OpenApiResponse(description="Not allowed to edit this page."),
            409: OpenApiResponse(description="The page is locked, or an alias."),
        },
    )
    def partial_update(self, request, pk=None):
        page = self.get_object()
        if not page.permissions_for_user(request.user).can_edit():
            raise exceptions.PermissionDenied(_("You may not edit this article."))
        if page.alias_of_id is not None:
            raise AliasConflict(page)
        if locked := self._locked(page, request.user):
            return locked
        fields, invalid = self._write_fields(partial=True, page_id=page.pk)
        if invalid is not None:
            return invalid
        try:
            with transaction.atomic():
                # Serialise with a publish of the same page (which locks the
                # row too), then read the page afresh: an edit built on a row
                # read before a publish committed would save that stale row
                # and take the page offline (issue 12, rule 8).
                lock_page_row(page.pk)
                page = ArticlePage.objects.get(pk=page.pk)
                draft = page.get_latest_revision_as_object()
                form = article_form(
                    fields, instance=draft, parent=page.get_parent(), user=request.user
                )
                EditArticleAction(draft, user=request.user, form=form).execute()
        except FormValidationError:
            return Response(form_errors(form), status=status.HTTP_400_BAD_REQUEST)
        except EditPermissionError:
            if locked := self._locked(page, request.user):
                return locked
            raise exceptions.PermissionDenied(
                _("You may not edit this article.")
            ) from None
        page = ArticlePage.objects.get(pk=page.pk)
        return Response(self._payload(page, latest=True))

    @staticmethod
    def _locked(page, user):
        """A 409 naming the lock when one stops `user` editing, else None."""
        lock = page.get_lock()
        if lock is None or not lock.for_user(user):
            return None
        message = text_from_html(lock.get_message(user) or "", normalised=False)
        return Response(
            {"detail": message or _("This article is locked; ask whoever locked it.")},
            status=status.HTTP_409_CONFLICT,
        )

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
            "409 with the gate's problems when it may not go live. "
            "Republishing a live article needs change_kind (minor, update or "
            "correction) and, for updates and corrections, a change_note "
            "readers see; 400 keyed by field without them."
        ),
        request=PublishInputSerializer,
        responses={
            200: ArticleSerializer,
            400: OpenApiResponse(description="What changed is missing or invalid."),
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
        if not page.permissions_for_user(request.user).can_publish():
            raise exceptions.PermissionDenied(_("You may not publish this article."))
        if page.alias_of_id is not None:
            return Response(
                {"publishable": False, "detail": alias_message(page), "problems": []},
                status=status.HTTP_409_CONFLICT,
            )
        if errors := publish_errors(page.get_latest_revision_as_object()):
            return Response(
                {
                    "publishable": False,
                    "detail": _(
                        "This version cannot be published: some fields are "
                        "empty or incomplete. Fix them and save a new draft."
                    ),
                    "errors": errors,
                    "problems": [],
                },
                status=status.HTTP_409_CONFLICT,
            )
        change = PublishInputSerializer(data=request.data or {})
        change.is_valid(raise_exception=True)
        kind = change.validated_data.get("change_kind", "")
        note = change.validated_data.get("change_note", "")
        if needs_change_note(page):
            if problems := change_note_problems(kind, note):
                return Response(
                    {name: [message] for name, message in problems.items()},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            record_change_note(page.get_latest_revision(), kind, note, request.user)
        try:
            with LogContext(user=request.user):
                publish_latest(page, request.user)
        except PublishBlocked as blocked:
            messages = [str(m) for m in blocked.messages]
            return Response(
                {
                    "publishable": False,
                    "detail": " ".join(messages)
                    or _("This version may not go live yet."),
                    "errors": {},
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
            "Medical reviewers. Records a decision on the passage as you read "
            "it: send its `fingerprint` from `?revision=latest`; if the "
            "passage has changed since, the answer is 409 and nothing is "
            "recorded. A double submission answers 200 with the decision "
            "already recorded. Approve (with the certainty of its "
            "evidence, by default the suggested one), request_changes (with "
            "a note) or not_a_claim (context passages only)."
        ),
        request=ReviewInputSerializer,
        responses={
            201: ReviewDecisionSerializer,
            400: OpenApiResponse(description="The decision was refused; see detail."),
            403: OpenApiResponse(description="Not a medical reviewer."),
            404: OpenApiResponse(description="No such article or passage."),
            409: OpenApiResponse(
                description="The passage changed since you read it (nothing "
                "recorded), or the article is an alias."
            ),
        },
    )
    def post(self, request, pk, block_id):
        if not is_medical_reviewer(request.user):
            raise exceptions.PermissionDenied(
                _("Only medical reviewers may review passages.")
            )
        page = get_object_or_404(ArticlePage, pk=parse_id(pk))
        if page.alias_of_id is not None:
            raise AliasConflict(page)
        passage = _passage_of(page, block_id)
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
            return refused_response(refused)
        return Response(
            ReviewDecisionSerializer(decision).data,
            status=status.HTTP_200_OK
            if decision.duplicate
            else status.HTTP_201_CREATED,
        )


def _passage_of(page, block_id):
    """The unit `block_id` of the page's latest version (a passage, or a
    reviewed field: "title", "standfirst"...), or None (a block id of
    another page is not one of this page's units)."""
    version = page.get_latest_revision_as_object()
    units = reviewable_units(version)
    return next((p for p in units if p.block_id == block_id), None)


def refused_response(refused: ReviewRefused) -> Response:
    """A decision not recorded: 409 when the passage changed after the
    reviewer read it, else 400 with the reason."""
    if isinstance(refused, DecisionConflict):
        return conflict_response(refused)
    return Response(
        {"detail": " ".join(str(m) for m in refused.messages)},
        status=status.HTTP_400_BAD_REQUEST,
    )


def conflict_response(conflict) -> Response:
    """409: the passage changed after the reviewer read it; nothing recorded."""
    return Response(
        {
            "detail": " ".join(str(m) for m in conflict.messages),
            "rule": "changed_since_shown",
            "block_id": conflict.block_id,
            "fingerprint": conflict.current or None,
            "recorded": False,
        },
        status=status.HTTP_409_CONFLICT,
    )


class ContextConfirmationView(GenericAPIView):
    """Confirm several context passages "not a claim" at once."""

    serializer_class = BulkConfirmInputSerializer
    queryset = ReviewDecision.objects.none()
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="Confirm context passages as not claims",
        description=(
            'Medical reviewers. "I have read the title, the standfirst and 2 '
            "body passages; none states a claim\" (kept as each decision's "
            "note): records a not_a_claim decision on each context unit "
            "sent, each pinned to the fingerprint you read. All or nothing: "
            "409 when any of them changed since (nothing recorded); 400 when "
            "any is a claim, is flagged by the claim detector (decide those "
            "one by one) or was written by you."
        ),
        request=BulkConfirmInputSerializer,
        responses={
            201: ReviewDecisionSerializer(many=True),
            400: OpenApiResponse(description="Refused; see detail."),
            403: OpenApiResponse(description="Not a medical reviewer."),
            409: OpenApiResponse(description="A passage changed since you read it."),
        },
    )
    def post(self, request, pk):
        if not is_medical_reviewer(request.user):
            raise exceptions.PermissionDenied(
                _("Only medical reviewers may review passages.")
            )
        page = get_object_or_404(ArticlePage, pk=parse_id(pk))
        if page.alias_of_id is not None:
            raise AliasConflict(page)
        serializer = BulkConfirmInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        shown = {
            item["block_id"]: item["fingerprint"]
            for item in serializer.validated_data["passages"]
        }
        try:
            decisions = confirm_context(page, request.user, shown)
        except ReviewRefused as refused:
            return refused_response(refused)
        return Response(
            ReviewDecisionSerializer(decisions, many=True).data,
            status=status.HTTP_201_CREATED,
        )
