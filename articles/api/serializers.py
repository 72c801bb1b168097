"""Serializers for articles: what is read, and what a writer may send."""

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from evidence.api.serializers import RejectUnknownFieldsMixin, StrictCharField
from evidence.gate.rules import RULES
from evidence.vocab import PassageRole, Route, Stance


class CitationSerializer(serializers.Serializer):
    source = serializers.IntegerField(
        allow_null=True, help_text=_("Source id; null if it was deleted.")
    )
    stance = serializers.ChoiceField(choices=Stance.choices)
    locator = serializers.CharField(allow_blank=True)


class PersonSerializer(serializers.Serializer):
    name = serializers.CharField()
    credentials = serializers.CharField(allow_blank=True)


class PassageReviewSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[
            "approved",
            "confirmed_not_claim",
            "changed_since_approval",
            "changes_requested",
            "unreviewed",
            "not_needed",
        ]
    )
    certainty = serializers.CharField(
        allow_blank=True, help_text=_("Recorded with the approval, e.g. moderate.")
    )
    reviewers = PersonSerializer(many=True)
    decided_at = serializers.DateTimeField(allow_null=True)


class PassageSerializer(serializers.Serializer):
    block_id = serializers.CharField(
        help_text=_(
            "The unit's id: a block id, or for a reviewed field its name "
            "(title, standfirst, seo_title, search_description, "
            "subject_intervention), the same on every version."
        )
    )
    position = serializers.IntegerField(
        help_text=_("1-based position in the body; 0 for a reviewed field.")
    )
    type = serializers.CharField(
        help_text=_(
            "title, standfirst, seo_title, search_description, "
            "subject_intervention (the page's reviewed fields, first), then "
            "heading, paragraph, list, table, callout, study"
        )
    )
    role = serializers.ChoiceField(choices=PassageRole.choices)
    fingerprint = serializers.CharField(
        help_text=_(
            "What a review decision is pinned to: send it with a review "
            "(POST …/passages/{block_id}/reviews/) so the decision applies to "
            "exactly the text and evidence you read."
        )
    )
    html = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)
    citations = CitationSerializer(many=True)
    review = PassageReviewSerializer(allow_null=True)


class HeadingSerializer(serializers.Serializer):
    block_id = serializers.CharField()
    position = serializers.IntegerField()
    level = serializers.CharField()
    text = serializers.CharField(allow_blank=True)


class SubjectSerializer(serializers.Serializer):
    intervention = serializers.CharField(allow_blank=True)
    route = serializers.CharField(allow_blank=True)


class ArticleSerializer(serializers.Serializer):
    """An article: byline, subject and its passages in order."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.CharField(allow_null=True)
    live = serializers.BooleanField()
    has_unpublished_changes = serializers.BooleanField()
    revision = serializers.IntegerField(
        allow_null=True, help_text=_("Id of the revision shown.")
    )
    standfirst = serializers.CharField(allow_blank=True)
    subject = SubjectSerializer()
    first_published_at = serializers.DateTimeField(allow_null=True)
    last_published_at = serializers.DateTimeField(allow_null=True)
    last_reviewed_at = serializers.DateTimeField(allow_null=True)
    authors = PersonSerializer(many=True)
    reviewed_by = PersonSerializer(many=True)
    headings = HeadingSerializer(
        many=True, help_text=_("Section headings, placed by position.")
    )
    passages = PassageSerializer(many=True)


class BlockInputSerializer(serializers.Serializer):
    """One body block, as sent (documentation only)."""

    type = serializers.ChoiceField(
        choices=["heading", "paragraph", "list", "table", "callout", "study"]
    )
    id = serializers.CharField(
        required=False, help_text=_("Keep it to keep the block (and its reviews).")
    )
    value = serializers.DictField(
        help_text=_(
            'For a paragraph: {"text": "<p>…</p>", "role": "claim", '
            '"citations": [{"source": 12, "stance": "supports", "locator": ""}]}'
        )
    )


@extend_schema_field(BlockInputSerializer(many=True))
class BodyField(serializers.JSONField):
    """The body: a list of blocks. The view checks its shape with
    `articles.api.body.check_body`, then the editor's form validates it; each
    error names the block's index and field."""


@extend_schema_field({"type": "string", "enum": ["", *Route.values]})
class RouteField(StrictCharField):
    """A route from the vocabulary; the editor's form says which are valid."""


class ArticleWriteSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """A draft article: title, slug, standfirst, subject and body.

    Only the JSON types are checked here; the values are validated by the
    page editor's own form (`articles.api.writing`), with its messages.
    """

    title = StrictCharField(allow_blank=True)
    slug = StrictCharField(
        required=False,
        allow_blank=True,
        help_text=_("Defaults to one made from the title."),
    )
    standfirst = StrictCharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text=_("May be empty in a draft; needed to publish."),
    )
    subject_intervention = StrictCharField(required=False, allow_blank=True)
    subject_route = RouteField(required=False, allow_blank=True)
    body = BodyField(required=False)

    def validate(self, attrs):
        if not self.partial and not attrs.get("slug") and attrs.get("title"):
            attrs["slug"] = slugify(attrs["title"], allow_unicode=True)[:255]
            if not attrs["slug"]:
                raise serializers.ValidationError(
                    {"slug": [_("Give a slug: the title has no letters to make one.")]}
                )
        return attrs


class BodyErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(
        allow_null=True, help_text=_("Index of the block in the body list.")
    )
    field = serializers.CharField(
        allow_blank=True,
        help_text=_("Field inside the block, e.g. citations.0.source."),
    )
    message = serializers.CharField()


class BodyErrorsSerializer(serializers.Serializer):
    """400: errors keyed by field; body errors name the block and field."""

    body = BodyErrorSerializer(many=True, required=False)


class ProblemSerializer(serializers.Serializer):
    """A reason the publish gate refuses a version."""

    block_id = serializers.CharField(allow_blank=True)
    position = serializers.IntegerField()
    rule = serializers.ChoiceField(choices=list(RULES))
    excerpt = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class CalibrationWarningSerializer(serializers.Serializer):
    """Where a passage's wording says more than its evidence."""

    block_id = serializers.CharField()
    position = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()


class ReadinessSerializer(serializers.Serializer):
    publishable = serializers.BooleanField()
    errors = BodyErrorsSerializer(
        help_text=_(
            "Fields the editor's Publish would refuse (empty or incomplete "
            "in the draft), keyed by field; none when the object is empty."
        )
    )
    problems = ProblemSerializer(many=True)
    warnings = CalibrationWarningSerializer(many=True)


class PublishInputSerializer(serializers.Serializer):
    """What changed, asked when republishing a live article (issue 17)."""

    change_kind = serializers.ChoiceField(
        choices=["minor", "update", "correction"],
        required=False,
        help_text=(
            "Required when the article is live: minor (typo, layout: no "
            "public entry, dates unchanged), update or correction."
        ),
    )
    change_note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="What changed, for readers; required for updates and corrections.",
    )


class PublishRefusedSerializer(serializers.Serializer):
    publishable = serializers.BooleanField()
    detail = serializers.CharField()
    errors = BodyErrorsSerializer()
    problems = ProblemSerializer(many=True)
