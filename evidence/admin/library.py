"""Admin screens of the source library.

- "Add source by DOI or PMID" and "Import file": look the references up,
  show what would be created or updated, and import only on confirmation.
- "Confirm grade": a medical reviewer signs off a Source's grade.
- "Merge into…": move every citation of a duplicate to the Source kept,
  after a screen listing the pages whose citations will move.
- The Source listing, create and edit views, which carry the buttons, and
  record a grade confirmation when a medical reviewer sets the grade. The
  Source form refuses a lowered retraction status or a changed confirmed
  grade unless a medical reviewer says why (`evidence.library.safeguards`);
  a Source that live pages cite cannot be deleted.
"""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.widgets import AdminSnippetChooser

from evidence.library import grades, importing, merging, safeguards
from evidence.models import Source
from evidence.roles import is_medical_reviewer
from evidence.vocab import is_valid_doi, is_valid_pmid, normalize_doi, normalize_pmid

MAX_IDENTIFIERS = 200

# Permissions, in editors' words: whoever may add a source may import
# references; merging deletes a source, so it needs change and delete.


def can_add_sources(user) -> bool:
    return user.has_perm("evidence.add_source")


def can_merge_sources(user) -> bool:
    return user.has_perm("evidence.change_source") and user.has_perm(
        "evidence.delete_source"
    )


def can_confirm_grades(user) -> bool:
    return user.has_perm("evidence.change_source") and is_medical_reviewer(user)


def listing_url() -> str:
    return reverse("wagtailsnippets_evidence_source:list")


def edit_url(source: Source) -> str:
    return reverse("wagtailsnippets_evidence_source:edit", args=[source.pk])


class LibraryView(WagtailAdminTemplateMixin, FormView):
    header_icon = "doc-full"
    permission_test = staticmethod(can_add_sources)

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_test(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": listing_url(), "label": _("Sources")},
            {"url": "", "label": self.get_page_title()},
        ]


# Importing


def split_identifiers(text: str) -> tuple[list[str], list[str], list[str]]:
    """DOIs, PMIDs and the entries that are neither, from pasted text.

    Entries may be separated by new lines, commas, semicolons or spaces;
    "doi:", "https://doi.org/" and "PMID:" prefixes are understood.
    """
    dois, pmids, bad = [], [], []
    text = re.sub(r"(?i)\b(pmid|doi)\s*:\s*", r"\1:", text or "")
    for token in re.split(r"[\s,;]+", text):
        token = token.strip().rstrip(".")
        if not token:
            continue
        doi, pmid = normalize_doi(token), normalize_pmid(token)
        if is_valid_doi(doi):
            dois.append(token)
        elif is_valid_pmid(pmid):
            pmids.append(pmid)
        else:
            bad.append(token)
    return dois, pmids, bad


class IdentifierForm(forms.Form):
    identifiers = forms.CharField(
        label=gettext_lazy("DOIs or PMIDs"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "One or more, separated by new lines or commas: "
            "10.1038/s41467-018-03421-7, 29599478, https://doi.org/…"
        ),
    )

    def clean_identifiers(self):
        dois, pmids, bad = split_identifiers(self.cleaned_data["identifiers"])
        if bad:
            raise ValidationError(
                _(
                    "These are neither DOIs nor PMIDs: %(bad)s. A DOI starts "
                    "with 10. and a slash; a PMID is a number such as 29599478."
                )
                % {"bad": ", ".join(bad)}
            )
        if not dois and not pmids:
            raise ValidationError(_("Give at least one DOI or PMID."))
        if len(dois) + len(pmids) > MAX_IDENTIFIERS:
            raise ValidationError(
                _("Give at most %(max)d at a time.") % {"max": MAX_IDENTIFIERS}
            )
        return dois, pmids


class FileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Reference file"),
        help_text=gettext_lazy(
            "A BibTeX (.bib), RIS (.ris) or CSL-JSON (.json) export from "
            "Zotero, EndNote, Mendeley or a journal site."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.NADSITE_REFERENCES_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _(
                    "The file is larger than %(size)s; export fewer references "
                    "at a time."
                )
                % {"size": f"{limit / 2**20:.3g} MB"}
            )
        return upload


class ConfirmBatchForm(forms.Form):
    batch = forms.CharField(widget=forms.HiddenInput)


class ImportView(LibraryView):
    """Step 1 asks for the references; step 2 shows the dry run; step 3
    (the confirmation, which carries the fetched batch) imports it."""

    template_name = "evidence/library/import.html"

    def post(self, request, *args, **kwargs):
        if "batch" in request.POST:
            return self.confirm(request)
        return super().post(request, *args, **kwargs)

    def fetch(self, form) -> importing.Fetched:
        raise NotImplementedError

    def form_valid(self, form):
        fetched = self.fetch(form)
        summary = importing.import_records(
            fetched.records, failures=fetched.failures, dry_run=True
        )
        context = self.get_context_data(form=form, summary=summary)
        if not summary.failed:
            context["confirm_form"] = ConfirmBatchForm(
                initial={"batch": importing.pack_batch(fetched)}
            )
        return self.render_to_response(context)

    def confirm(self, request):
        form = ConfirmBatchForm(request.POST)
        try:
            fetched = importing.unpack_batch(form.data.get("batch", ""))
        except signing.BadSignature:
            messages.error(
                request,
                _(
                    "This preview is more than an hour old or was altered; "
                    "nothing was imported. Look the references up again."
                ),
            )
            return redirect(request.path)
        summary = importing.import_records(
            fetched.records, failures=fetched.failures, user=request.user
        )
        if summary.failed:
            context = self.get_context_data(
                form=self.get_form_class()(), summary=summary
            )
            return self.render_to_response(context)
        messages.success(request, summary.headline())
        for outcome in summary.outcomes:
            for note in outcome.notes:
                messages.info(request, f"{outcome.title}: {note}")
        return redirect(listing_url())


class AddByIdentifierView(ImportView):
    page_title = gettext_lazy("Add source by DOI or PMID")
    form_class = IdentifierForm

    def fetch(self, form):
        dois, pmids = form.cleaned_data["identifiers"]
        return importing.fetch_records(dois, pmids)


class ImportFileView(ImportView):
    page_title = gettext_lazy("Import sources from a file")
    form_class = FileForm

    def fetch(self, form):
        upload = form.cleaned_data["file"]
        return importing.read_file(upload.name, upload.read())


# Grades


class ConfirmGradeView(LibraryView):
    page_title = gettext_lazy("Confirm grade")
    template_name = "evidence/library/confirm_grade.html"
    form_class = forms.Form
    permission_test = staticmethod(can_confirm_grades)

    @cached_property
    def source(self):
        return get_object_or_404(Source, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.source)

    @cached_property
    def next_url(self) -> str:
        """Where to go back to (the review screen), else the Source."""
        url = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={self.request.get_host()}
        ):
            return url
        return edit_url(self.source)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            source=self.source, next_url=self.next_url, **kwargs
        )

    def form_valid(self, form):
        try:
            grades.confirm_grade(self.source, self.request.user)
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
            return redirect(self.next_url)
        messages.success(
            self.request,
            _("Grade %(grade)s of “%(source)s” confirmed.")
            % {"grade": self.source.grade, "source": self.source},
        )
        return redirect(self.next_url)


# Merging


class ChooseKeptForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Source.objects.all(),
        label=gettext_lazy("Source to keep"),
        widget=AdminSnippetChooser(Source),
        help_text=gettext_lazy(
            "The source that stays in the library; this one is deleted after "
            "its citations move there."
        ),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class MergeView(LibraryView):
    page_title = gettext_lazy("Merge into…")
    template_name = "evidence/library/merge.html"
    form_class = ChooseKeptForm
    permission_test = staticmethod(can_merge_sources)

    @cached_property
    def duplicate(self):
        return get_object_or_404(Source, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.duplicate)

    def get_context_data(self, **kwargs):
        return super().get_context_data(duplicate=self.duplicate, **kwargs)

    def form_valid(self, form):
        keep = form.cleaned_data["keep"]
        problems = merging.merge_problems(keep, self.duplicate)
        if problems:
            for problem in problems:
                form.add_error("keep", problem)
            return self.form_invalid(form)
        if not form.cleaned_data["confirmed"]:
            confirm = ChooseKeptForm(initial={"keep": keep, "confirmed": True})
            return self.render_to_response(
                self.get_context_data(
                    form=confirm,
                    keep=keep,
                    citing=merging.citing_pages(self.duplicate),
                    to_fill=self.fields_to_fill(keep),
                )
            )
        report = merging.merge_sources(keep, self.duplicate, self.request.user)
        messages.success(
            self.request,
            _(
                "“%(duplicate)s” was merged into this source: %(citations)d "
                "citation(s) moved on %(pages)d page(s). Passages whose "
                "citations moved need a medical reviewer's approval again."
            )
            % {
                "duplicate": report.duplicate_label,
                "citations": report.citations,
                "pages": len(report.pages),
            },
        )
        return redirect(edit_url(report.keep))

    def fields_to_fill(self, keep):
        return [
            Source._meta.get_field(name).verbose_name
            for name in merging.MERGE_FIELDS
            if getattr(keep, name) in ("", None)
            and getattr(self.duplicate, name) not in ("", None)
        ]


# The Source snippet's own views, with the library's buttons.


class SourceIndexView(snippet_views.IndexView):
    def search_queryset(self, queryset):
        # The same search as the chooser and the API (`Source.objects.matching`):
        # surnames, years, DOIs and PMIDs, on SQLite and PostgreSQL alike.
        if not self.is_searching:
            return queryset
        return queryset.matching(self.search_query)

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if can_add_sources(self.request.user):
            buttons += [
                HeaderButton(
                    _("Add by DOI or PMID"),
                    url=reverse("evidence_library:add_by_identifier"),
                    icon_name="search",
                ),
                HeaderButton(
                    _("Import file"),
                    url=reverse("evidence_library:import_file"),
                    icon_name="upload",
                ),
            ]
        return buttons


def confirm_grade_button(source: Source, user) -> HeaderButton | None:
    """The medical reviewer's "Confirm grade", while the grade awaits one."""
    if can_confirm_grades(user) and source.grade and not source.grade_confirmed_at:
        return HeaderButton(
            _("Confirm grade"),
            url=reverse("evidence_library:confirm_grade", args=[source.pk]),
            icon_name="tick",
        )
    return None


def source_buttons(source: Source, user, *, priority=40, confirm=True) -> list[Button]:
    """The library's actions on one Source, for its edit view and listing."""
    buttons = []
    if (
        confirm
        and can_confirm_grades(user)
        and source.grade
        and not source.grade_confirmed_at
    ):
        buttons.append(
            Button(
                _("Confirm grade"),
                url=reverse("evidence_library:confirm_grade", args=[source.pk]),
                icon_name="tick",
                priority=priority,
            )
        )
    if can_merge_sources(user):
        buttons.append(
            Button(
                _("Merge into…"),
                url=reverse("evidence_library:merge", args=[source.pk]),
                icon_name="resubmit",
                priority=priority + 1,
            )
        )
    return buttons


class SourceForm(WagtailAdminModelForm):
    """The Source form: evidence may not be weakened without a reason.

    Lowering a retraction status or changing a confirmed grade is refused
    unless a medical reviewer makes it and says why; the grade confirmation
    follows who set the grade (`evidence.library.safeguards`).
    """

    evidence_change_note = forms.CharField(
        label=gettext_lazy("Why the evidence changed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Required when you lower a retraction status or change a confirmed "
            "grade (medical reviewers only). Kept in the source's history."
        ),
    )

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            safeguards.apply_evidence_change(
                self.instance,
                self.for_user,
                self.cleaned_data.get("evidence_change_note", ""),
            )
        except safeguards.EvidenceChangeRefused as error:
            self.add_error("evidence_change_note", error)


def refuse_deleting_cited_sources(request, instances):
    """`before_delete_snippet`: a Source that live pages cite stays; the
    message names the pages."""
    refusals = [
        refusal
        for instance in instances
        if isinstance(instance, Source)
        and (refusal := safeguards.deletion_refusal(instance))
    ]
    if not refusals:
        return None
    for refusal in refusals:
        messages.error(request, " ".join(refusal.messages))
    return redirect(listing_url())


def source_edit_handler():
    """The Source form's panels: the model's, then the reason for a change."""
    return ObjectList(
        [*Source.panels, FieldPanel("evidence_change_note")],
        base_form_class=SourceForm,
    )


class SourceCreateView(snippet_views.CreateView):
    pass


class SourceEditView(snippet_views.EditView):
    def save_instance(self):
        instance = super().save_instance()
        safeguards.log_evidence_change(instance)
        return instance

    @cached_property
    def header_buttons(self):
        # "Confirm grade" is the reviewer's main action here: in the header,
        # not in the "…" menu.
        buttons = list(super().header_buttons)
        if confirm := confirm_grade_button(self.object, self.request.user):
            buttons.append(confirm)
        return buttons

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            *source_buttons(self.object, self.request.user, confirm=False),
        ]


urlpatterns = [
    path("add/", AddByIdentifierView.as_view(), name="add_by_identifier"),
    path("import/", ImportFileView.as_view(), name="import_file"),
    path("<int:pk>/confirm-grade/", ConfirmGradeView.as_view(), name="confirm_grade"),
    path("<int:pk>/merge/", MergeView.as_view(), name="merge"),
]
