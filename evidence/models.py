"""Sources of evidence and the vocabularies used to grade them."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import AbstractGroupApprovalTask
from wagtail.search import index

from evidence.identifiers import (
    is_valid_doi,
    is_valid_pmid,
    normalize_doi,
    normalize_pmid,
)


class StudyDesign(models.TextChoices):
    META_ANALYSIS = "meta_analysis", _("Meta-analysis")
    SYSTEMATIC_REVIEW = "systematic_review", _("Systematic review")
    RCT = "rct", _("Randomised controlled trial")
    COHORT = "cohort", _("Cohort study")
    CASE_CONTROL = "case_control", _("Case-control study")
    CROSS_SECTIONAL = "cross_sectional", _("Cross-sectional study")
    CASE_SERIES = "case_series", _("Case series or report")
    ANIMAL = "animal", _("Animal study")
    IN_VITRO = "in_vitro", _("In-vitro study")
    NARRATIVE_REVIEW = "narrative_review", _("Narrative review")
    GUIDELINE = "guideline", _("Guideline")
    EXPERT_OPINION = "expert_opinion", _("Expert opinion")


class Population(models.TextChoices):
    HUMAN = "human", _("Humans")
    ANIMAL = "animal", _("Animals")
    CELL = "cell", _("Cells")
    NONE = "none", _("Not applicable")


class Route(models.TextChoices):
    ORAL = "oral", _("Oral")
    INTRAVENOUS = "intravenous", _("Intravenous")
    INTRAMUSCULAR = "intramuscular", _("Intramuscular")
    SUBCUTANEOUS = "subcutaneous", _("Subcutaneous")
    TOPICAL = "topical", _("Topical")
    INHALED = "inhaled", _("Inhaled")
    DIETARY = "dietary", _("Dietary")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Grade(models.TextChoices):
    """GRADE certainty of a body of evidence, as a letter."""

    A = "A", _("A: high certainty")
    B = "B", _("B: moderate certainty")
    C = "C", _("C: low certainty")
    D = "D", _("D: very low certainty")


GRADE_WORDS = {"A": _("high"), "B": _("moderate"), "C": _("low"), "D": _("very low")}


class RetractionStatus(models.TextChoices):
    NONE = "none", _("None")
    CORRECTION = "correction", _("Correction")
    EXPRESSION_OF_CONCERN = "expression_of_concern", _("Expression of concern")
    RETRACTED = "retracted", _("Retracted")


class Stance(models.TextChoices):
    """How a cited source bears on the passage that cites it."""

    SUPPORTS = "supports", _("Supports")
    CONTRADICTS = "contradicts", _("Contradicts")
    MENTIONS = "mentions", _("Mentions")


class PassageRole(models.TextChoices):
    CLAIM = "claim", _("Claim: states a fact and needs a source")
    CONTEXT = "context", _("Context: framing, transition or disclaimer")


HUMAN_DESIGNS = frozenset(
    {
        "meta_analysis",
        "systematic_review",
        "rct",
        "cohort",
        "case_control",
        "cross_sectional",
        "case_series",
    }
)


class Source(index.Indexed, models.Model):
    """A study, review or guideline that passages cite.

    The grade is the certainty a reviewer gives this source on its own; the
    certainty of each claim is recorded when the claim is approved.
    """

    title = models.CharField(_("title"), max_length=500)
    authors = models.TextField(
        _("authors"),
        blank=True,
        help_text=_('As printed: "Martens CR, Denman BA, Mazzo MR, et al."'),
    )
    journal = models.CharField(_("journal or publisher"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    volume = models.CharField(_("volume"), max_length=32, blank=True)
    issue = models.CharField(_("issue"), max_length=32, blank=True)
    pages = models.CharField(_("pages"), max_length=64, blank=True)
    doi = models.CharField(
        _("DOI"),
        max_length=255,
        blank=True,
        help_text=_(
            "For example 10.1038/s41467-018-03421-7, without https://doi.org/."
        ),
    )
    pmid = models.CharField(_("PMID"), max_length=12, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    publication_type = models.CharField(
        _("publication type"),
        max_length=120,
        blank=True,
        help_text=_("As the publisher or PubMed gives it, e.g. Journal Article."),
    )
    study_design = models.CharField(
        _("study design"), max_length=32, choices=StudyDesign.choices
    )
    population = models.CharField(
        _("population"), max_length=16, choices=Population.choices
    )
    sample_size = models.PositiveIntegerField(
        _("sample size"),
        null=True,
        blank=True,
        help_text=_("Participants analysed (or animals); leave empty if unknown."),
    )
    intervention = models.CharField(
        _("intervention"),
        max_length=255,
        blank=True,
        help_text=_(
            'What was given, how much, how long: "nicotinamide riboside '
            '1,000 mg/day for 6 weeks".'
        ),
    )
    route = models.CharField(
        _("route"),
        max_length=16,
        choices=Route.choices,
        default=Route.NOT_APPLICABLE,
    )
    grade = models.CharField(
        _("evidence grade"),
        max_length=1,
        choices=Grade.choices,
        help_text=_("GRADE certainty of this source's findings."),
    )
    grade_rationale = models.TextField(
        _("grade rationale"),
        blank=True,
        help_text=_("Why this grade: design, size, risk of bias, directness."),
    )
    grade_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grade confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    grade_confirmed_at = models.DateTimeField(
        _("grade confirmed at"), null=True, blank=True
    )
    retraction_status = models.CharField(
        _("retraction status"),
        max_length=32,
        choices=RetractionStatus.choices,
        default=RetractionStatus.NONE,
    )
    retraction_notice_url = models.URLField(
        _("retraction notice URL"), max_length=500, blank=True
    )
    retraction_date = models.DateField(_("retraction date"), null=True, blank=True)
    retraction_checked_at = models.DateTimeField(
        _("retraction status checked at"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("authors"),
        MultiFieldPanel(
            [
                FieldPanel("journal"),
                FieldRowPanel(
                    [
                        FieldPanel("year"),
                        FieldPanel("volume"),
                        FieldPanel("issue"),
                        FieldPanel("pages"),
                    ]
                ),
                FieldRowPanel([FieldPanel("doi"), FieldPanel("pmid")]),
                FieldPanel("url"),
                FieldPanel("publication_type"),
            ],
            heading=_("Publication"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("study_design"),
                        FieldPanel("population"),
                        FieldPanel("sample_size"),
                    ]
                ),
                FieldRowPanel([FieldPanel("intervention"), FieldPanel("route")]),
            ],
            heading=_("Study"),
        ),
        MultiFieldPanel(
            [FieldPanel("grade"), FieldPanel("grade_rationale")],
            heading=_("Evidence grade"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("retraction_status"),
                FieldRowPanel(
                    [FieldPanel("retraction_notice_url"), FieldPanel("retraction_date")]
                ),
            ],
            heading=_("Retraction"),
        ),
    ]

    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("authors"),
        index.SearchField("journal"),
        index.SearchField("intervention"),
        index.FilterField("study_design"),
        index.FilterField("population"),
        index.FilterField("grade"),
        index.FilterField("retraction_status"),
        index.FilterField("year"),
    ]

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["doi"], condition=~Q(doi=""), name="source_unique_doi"
            ),
            models.UniqueConstraint(
                fields=["pmid"], condition=~Q(pmid=""), name="source_unique_pmid"
            ),
        ]

    def __str__(self):
        first_author = self.authors.split(",")[0].strip()
        label = f"{first_author} {self.year}" if first_author and self.year else ""
        return f"{label}: {self.title}" if label else self.title

    def save(self, *args, **kwargs):
        self.doi = normalize_doi(self.doi)
        self.pmid = normalize_pmid(self.pmid)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        self.doi = normalize_doi(self.doi)
        self.pmid = normalize_pmid(self.pmid)
        if self.doi and not is_valid_doi(self.doi):
            errors["doi"] = _(
                "This is not a DOI. A DOI starts with 10., then a registrant "
                "number, a slash and a suffix: 10.1126/science.abe9985."
            )
        if self.pmid and not is_valid_pmid(self.pmid):
            errors["pmid"] = _(
                "A PMID is a number of up to nine digits, e.g. 29599478."
            )
        for name, value in (("doi", self.doi), ("pmid", self.pmid)):
            if value and name not in errors:
                twin = (
                    Source.objects.filter(**{name: value}).exclude(pk=self.pk).first()
                )
                if twin is not None:
                    errors[name] = _(
                        "The library already has this %(field)s: “%(title)s”. "
                        "Edit that source instead of adding it again."
                    ) % {"field": name.upper(), "title": twin}
        if self.retraction_status == RetractionStatus.NONE and self.retraction_date:
            errors["retraction_date"] = _(
                "A retraction date needs a retraction status other than None."
            )
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        # DOI and PMID uniqueness is checked in clean(), with a clearer message.
        super().validate_constraints(exclude={*(exclude or ()), "doi", "pmid"})

    @property
    def is_retracted(self) -> bool:
        return self.retraction_status == RetractionStatus.RETRACTED

    @property
    def grade_words(self) -> str:
        return str(GRADE_WORDS.get(self.grade, ""))

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    @property
    def first_author(self) -> str:
        return self.authors.split(",")[0].strip()


class Certainty(models.TextChoices):
    """How sure a reviewer is of a claim, in GRADE's four levels."""

    HIGH = "high", _("High")
    MODERATE = "moderate", _("Moderate")
    LOW = "low", _("Low")
    VERY_LOW = "very_low", _("Very low")


CERTAINTY_GRADE = {"high": "A", "moderate": "B", "low": "C", "very_low": "D"}


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REQUEST_CHANGES = "request_changes", _("Request changes")
    NOT_A_CLAIM = "not_a_claim", _("Confirm: not a claim")


class ReviewDecision(models.Model):
    """A medical reviewer's decision on one passage, as it read then.

    Decisions are never edited or deleted: each one is pinned to the
    fingerprint (text and citations) of the passage the reviewer saw, so any
    later edit leaves the passage without a current approval.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="review_decisions"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    block_id = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)
    excerpt = models.CharField(max_length=200, blank=True)
    decision = models.CharField(max_length=16, choices=Decision.choices)
    certainty = models.CharField(max_length=16, choices=Certainty.choices, blank=True)
    suggested_certainty = models.CharField(
        max_length=16, choices=Certainty.choices, blank=True
    )
    certainty_reason = models.TextField(blank=True)
    note = models.TextField(blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("review decision")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["page", "block_id", "created_at"])]

    def __str__(self):
        return f"{self.get_decision_display()} · {self.block_id} · {self.reviewer}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Review decisions are append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Review decisions are append-only."))


class PassageAuthorship(models.Model):
    """Who first saved a passage's current text, and in which revision.

    The publish gate reads this to refuse self-approval: an approval does not
    count when the reviewer wrote the text it approves.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    block_id = models.CharField(max_length=64)
    text_hash = models.CharField(max_length=64)
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page", "block_id", "text_hash"], name="unique_passage_text"
            )
        ]

    def __str__(self):
        return f"{self.block_id} by {self.author}"


class ReviewerProfile(models.Model):
    """How a medical reviewer is credited in bylines and review history."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reviewer_profile",
    )
    display_name = models.CharField(_("display name"), max_length=120)
    credentials = models.CharField(
        _("credentials"), max_length=120, blank=True, help_text=_("e.g. MD, PhD, RD")
    )
    specialty = models.CharField(_("specialty"), max_length=120, blank=True)
    conflict_of_interest = models.TextField(
        _("conflict-of-interest statement"),
        blank=True,
        help_text=_('Shown with every review; write "None declared" if none.'),
    )

    panels = [
        FieldPanel("user"),
        FieldPanel("display_name"),
        FieldPanel("credentials"),
        FieldPanel("specialty"),
        FieldPanel("conflict_of_interest"),
    ]

    class Meta:
        verbose_name = _("reviewer profile")

    def __str__(self):
        return (
            f"{self.display_name}, {self.credentials}"
            if self.credentials
            else self.display_name
        )


class MedicalReviewTask(AbstractGroupApprovalTask):
    """The "Medical review" workflow step: claims approved passage by passage.

    A medical reviewer approves each claim on the review screen. The task's
    own "Approve" only appears once the publish gate has nothing left to
    object to in the latest revision, and never for the person who saved
    that revision: nobody signs off their own text. Approving the last task
    of the workflow publishes the page, through the gate. "Request changes"
    sends the page back to the writer with the reviewer's passage notes.
    """

    class Meta:
        verbose_name = _("Medical review")
        verbose_name_plural = _("Medical reviews")

    @staticmethod
    def _latest_version(obj):
        """The latest revision of `obj` and the page as that revision has it."""
        page = obj.specific if hasattr(obj, "specific") else obj
        revision = page.get_latest_revision()
        return revision, (revision.as_object() if revision else page)

    def approval_problems(self, obj) -> list:
        """Why the latest revision of `obj` may not go live yet (the gate's
        problems); an empty list means the task may be approved."""
        from evidence.publishing import publish_problems

        return publish_problems(self._latest_version(obj)[1])

    def authored_latest_revision(self, obj, user) -> bool:
        revision = self._latest_version(obj)[0]
        return revision is not None and revision.user_id == user.pk

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if any(name == "approve" for name, *_ in actions) and (
            self.authored_latest_revision(obj, user) or self.approval_problems(obj)
        ):
            actions = [action for action in actions if action[0] != "approve"]
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        obj = task_state.workflow_state.content_object
        if action_name == "approve":
            from evidence.publishing import ensure_publishable

            if self.authored_latest_revision(obj, user):
                raise PermissionDenied(
                    _(
                        "You saved the latest revision of this page, so another "
                        "medical reviewer has to approve it."
                    )
                )
            ensure_publishable(self._latest_version(obj)[1])
        elif action_name == "reject":
            kwargs["comment"] = self.changes_requested_comment(
                obj, kwargs.get("comment", "")
            )
        return super().on_action(task_state, user, action_name, **kwargs)

    def changes_requested_comment(self, obj, comment: str = "") -> str:
        """The reviewer's comment followed by every passage note that asks
        for a change, so the writer gets them all in one place."""
        from evidence.passages import read_passages
        from evidence.reviews import review_states

        version = self._latest_version(obj)[1]
        states = review_states(version)
        notes = []
        for passage in read_passages(version):
            state = states.get(passage.block_id)
            if state and state.status == "changes_requested" and state.decision:
                notes.append(
                    _("Passage %(position)s (“%(excerpt)s”): %(note)s")
                    % {
                        "position": passage.position,
                        "excerpt": passage.excerpt,
                        "note": state.decision.note,
                    }
                )
        return "\n".join(part for part in [comment.strip(), *notes] if part)

    @classmethod
    def get_description(cls):
        return _(
            "Medical reviewers approve each claim with its certainty, or request "
            "changes. The task can be approved only when every claim passes the "
            "publish gate, and not by the person who saved the latest revision."
        )
