"""Serializers for sources, their citations, review decisions and claims."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from evidence.library.ingest.records import SOURCE_FIELDS
from evidence.library.safeguards import (
    EvidenceChangeRefused,
    apply_evidence_change,
    log_evidence_change,
)
from evidence.limits import refuse_control_characters
from evidence.models import ReviewDecision, Source
from evidence.roles import reviewer_credentials, reviewer_name
from evidence.vocab import Certainty, Decision

MAX_DETECT_CHARS = 100_000


class RejectUnknownFieldsMixin:
    """Refuse fields the endpoint does not know, so a typo is not ignored."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                writable = sorted(
                    name for name, field in self.fields.items() if not field.read_only
                )
                raise serializers.ValidationError(
                    {
                        name: [
                            _("Unknown field. Accepted fields: %(fields)s.")
                            % {"fields": ", ".join(writable)}
                        ]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)


class StrictCharField(serializers.CharField):
    """Text only: a number or a list is an error, not turned into text, and
    text without control characters."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(refuse_control_characters)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class SourceSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    """A source as stored: model field names and choice values."""

    is_retracted = serializers.BooleanField(read_only=True)
    evidence_change_note = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_(
            "Why: required when a medical reviewer lowers a retraction status "
            "or changes a confirmed grade. Kept in the source's history."
        ),
    )
    doi_url = serializers.CharField(read_only=True)
    pubmed_url = serializers.CharField(read_only=True)

    class Meta:
        model = Source
        fields = [
            "id",
            *SOURCE_FIELDS,
            "grade_confirmed_by",
            "grade_confirmed_at",
            "retraction_checked_at",
            "evidence_version",
            "evidence_change_note",
            "is_retracted",
            "doi_url",
            "pubmed_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "mesh_terms",
            "grade_confirmed_by",
            "grade_confirmed_at",
            "retraction_checked_at",
            "evidence_version",
            "created_at",
            "updated_at",
        ]
        # DOI and PMID uniqueness is checked by Source.clean(), which names
        # the source that already has them.
        validators = []

    def validate(self, attrs):
        note = attrs.pop("evidence_change_note", "")
        instance = self.instance or Source()
        for name, value in attrs.items():
            setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        # Lowering a retraction or changing a confirmed grade: a medical
        # reviewer's decision with a note (evidence.library.safeguards).
        try:
            apply_evidence_change(instance, self.context["request"].user, note)
        except EvidenceChangeRefused as error:
            raise serializers.ValidationError(
                {"evidence_change_note": error.messages}
            ) from None
        # clean() normalises the identifiers; save what it checked.
        attrs["doi"], attrs["pmid"] = instance.doi, instance.pmid
        attrs["grade_confirmed_by"] = instance.grade_confirmed_by
        attrs["grade_confirmed_at"] = instance.grade_confirmed_at
        return attrs

    def update(self, instance, validated_data):
        instance = super().update(instance, validated_data)
        log_evidence_change(instance)
        return instance


class SourceCitationSerializer(serializers.Serializer):
    """One place a source is cited: a page and the passage citing it."""

    page = serializers.IntegerField(help_text=_("Page id."))
    title = serializers.CharField()
    url = serializers.CharField(allow_null=True)
    live = serializers.BooleanField(
        help_text=_(
            "True when the citation is in the live version of the page; for a "
            "page that was never published it is in the draft."
        )
    )
    has_unpublished_changes = serializers.BooleanField()
    block_id = serializers.CharField(allow_blank=True)
    field = serializers.CharField(
        help_text=_("Where in the page: the field, then the block id.")
    )


class ReviewerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    credentials = serializers.CharField(allow_blank=True)


class ReviewDecisionSerializer(serializers.ModelSerializer):
    """A medical reviewer's decision on one passage, as recorded."""

    reviewer = serializers.SerializerMethodField()
    revision = serializers.IntegerField(source="revision_id", allow_null=True)

    class Meta:
        model = ReviewDecision
        fields = [
            "id",
            "block_id",
            "revision",
            "decision",
            "certainty",
            "suggested_certainty",
            "certainty_reason",
            "note",
            "excerpt",
            "fingerprint",
            "reviewer",
            "created_at",
        ]
        read_only_fields = fields

    def get_reviewer(self, decision) -> ReviewerSerializer:
        user = decision.reviewer
        return {
            "id": decision.reviewer_id,
            "name": reviewer_name(user),
            "credentials": reviewer_credentials(user),
        }


class ReviewInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    fingerprint = StrictCharField(
        max_length=64,
        help_text=_(
            "The passage's `fingerprint` as you read it (GET the article with "
            "`?revision=latest`). The decision is pinned to that text: if the "
            "passage has changed since, nothing is recorded and the answer "
            "is 409."
        ),
    )
    decision = serializers.ChoiceField(choices=Decision.choices)
    note = StrictCharField(
        required=False, allow_blank=True, default="", max_length=5000
    )
    certainty = serializers.ChoiceField(
        choices=Certainty.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "Certainty of the evidence for an approved claim; leave out to "
            "accept the suggested certainty."
        ),
    )
    certainty_reason = StrictCharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=5000,
        help_text=_("Why the certainty differs from the suggested one."),
    )


class BulkConfirmInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    passages = serializers.ListField(
        child=serializers.DictField(child=StrictCharField(max_length=64)),
        min_length=1,
        max_length=1000,
        help_text=_(
            'The context passages you read, each as {"block_id": …, '
            '"fingerprint": …}: you confirm that none of them states a '
            "claim. Passages the claim detector flags must be decided one by one."
        ),
    )

    def validate_passages(self, value):
        for item in value:
            if set(item) != {"block_id", "fingerprint"}:
                raise serializers.ValidationError(
                    _("Each passage needs exactly `block_id` and `fingerprint`.")
                )
        return value


class ClaimDetectInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    text = StrictCharField(
        max_length=MAX_DETECT_CHARS,
        allow_blank=True,
        trim_whitespace=False,
        help_text=_("Plain text; paragraphs separated by blank lines."),
    )


class CueSerializer(serializers.Serializer):
    kind = serializers.CharField()
    text = serializers.CharField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()


class SentenceSerializer(serializers.Serializer):
    text = serializers.CharField()
    is_claim = serializers.BooleanField()
    cues = CueSerializer(many=True)
    hedged = serializers.BooleanField()


class ParagraphReportSerializer(serializers.Serializer):
    text = serializers.CharField()
    is_claim = serializers.BooleanField()
    sentences = SentenceSerializer(many=True)


class ClaimReportSerializer(serializers.Serializer):
    paragraphs = ParagraphReportSerializer(many=True)
