"""Sources of evidence: the studies, reviews and guidelines passages cite."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from evidence.vocab import (
    GRADE_WORDS,
    Grade,
    Population,
    RetractionStatus,
    Route,
    StudyDesign,
    is_valid_doi,
    is_valid_pmid,
    label,
    normalize_doi,
    normalize_pmid,
)

# What a reviewer's approval of a passage rests on, for each Source it cites:
# change any of these and the approval no longer counts (see
# `evidence.passages`, the fingerprint).
EVIDENCE_FIELDS = (
    "study_design",
    "population",
    "sample_size",
    "grade",
    "grade_confirmed_by_id",
    "intervention",
    "route",
    "retraction_status",
)


MAX_SEARCH_WORDS = 10


def _source_word(word: str) -> Q:
    """Sources one searched word points at: a word of the title, any
    author's surname, the journal or the intervention; a year; a DOI or
    part of one (10.1126); a PMID."""
    match = Q(title__icontains=word) | Q(authors__icontains=word)
    match |= Q(journal__icontains=word) | Q(intervention__icontains=word)
    match |= Q(doi__icontains=normalize_doi(word) or word)
    if word.isdigit():
        match |= Q(pmid=word)
        if len(word) == 4:
            match |= Q(year=int(word))
    return match


class SourceQuerySet(models.QuerySet):
    def matching(self, query: str):
        """Sources matching every word of `query` (see `_source_word`), the
        same on SQLite and PostgreSQL. A DOI or PMID counts as one word
        however it is written ("https://doi.org/10.…", "PMID: 29599478")."""
        query = (query or "").strip()
        if is_valid_doi(doi := normalize_doi(query)):
            return self.filter(doi=doi)
        pmid = normalize_pmid(query)
        if pmid != query and is_valid_pmid(pmid):
            return self.filter(pmid=pmid)
        words = query.split()[:MAX_SEARCH_WORDS]
        queryset = self
        for word in words:
            queryset = queryset.filter(_source_word(word))
        return queryset


class Source(index.Indexed, models.Model):
    """A study, review or guideline that passages cite.

    The grade is the certainty a reviewer gives this source on its own; the
    certainty of each claim is recorded when the claim is approved.

    `evidence_version` counts the changes to the evidence fields
    (`EVIDENCE_FIELDS`): every save that changes one of them adds one, so an
    approval given before a change never counts again, even if the field is
    later set back to what it was.
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
    mesh_terms = models.JSONField(
        _("MeSH headings"),
        default=list,
        blank=True,
        help_text=_(
            "PubMed's Medical Subject Headings for the paper, filled in by the "
            "import; living evidence suggests saved searches from them."
        ),
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
    evidence_version = models.PositiveIntegerField(
        _("evidence version"),
        default=1,
        editable=False,
        help_text=_("Goes up by one whenever the evidence fields change."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()

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
        before = self.stored_evidence()
        if before is not None and before != self.evidence_values():
            self.evidence_version = (self.evidence_version or 0) + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "evidence_version"}
        super().save(*args, **kwargs)
        self._loaded_evidence = self.evidence_values()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        loaded = set(field_names)
        if all(name in loaded for name in EVIDENCE_FIELDS):
            instance._loaded_evidence = instance.evidence_values()
        return instance

    def evidence_values(self) -> tuple:
        """The evidence fields' values, in `EVIDENCE_FIELDS` order."""
        return tuple(getattr(self, name) for name in EVIDENCE_FIELDS)

    def stored_evidence(self) -> tuple | None:
        """The evidence fields as this Source was loaded (or as stored now,
        for an instance not loaded from the database); None when new."""
        if self.pk is None:
            return None
        loaded = getattr(self, "_loaded_evidence", None)
        if loaded is not None:
            return loaded
        row = Source.objects.filter(pk=self.pk).values_list(*EVIDENCE_FIELDS).first()
        return tuple(row) if row is not None else None

    def evidence_key(self) -> list:
        """What a passage's fingerprint records of this Source: its evidence
        version and the evidence fields themselves."""
        return [self.evidence_version, *self.evidence_values()]

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

    # One label translated a call, not every label of the field
    # (`evidence.vocab.label`): a reference list shows these for each Source.
    def get_study_design_display(self) -> str:
        return label(StudyDesign, self.study_design)

    def get_population_display(self) -> str:
        return label(Population, self.population)

    def get_route_display(self) -> str:
        return label(Route, self.route)

    @property
    def is_retracted(self) -> bool:
        return self.retraction_status == RetractionStatus.RETRACTED

    @property
    def grade_is_confirmed(self) -> bool:
        """A medical reviewer confirmed the grade (a grade set on import or
        by anyone else awaits one)."""
        return bool(self.grade) and self.grade_confirmed_by_id is not None

    @property
    def reader_grade(self) -> str:
        """The grade as readers may see it: only once confirmed."""
        return self.grade if self.grade_is_confirmed else ""

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
