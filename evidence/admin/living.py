"""Admin screens of living evidence.

- beside each claim on the review screen: its open re-review flags with
  the candidates found ("import as Source and cite", "not relevant",
  "re-review the claim"), and its saved searches;
- "Re-confirm without changes" for a live article;
- a saved search for a claim, with a suggested query;
- the article's own review interval;
- the dashboard panel: overdue, due this month, live articles with open
  flags (oldest first).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Page

from evidence.admin.schedule_report import may_see_schedule
from evidence.analysis.evaluation import page_subject
from evidence.library.ingest.searches import suggest_pubmed_query, suggest_trials_query
from evidence.living import schedule, watch
from evidence.models import (
    EvidenceCandidate,
    ReviewSchedule,
    SavedSearch,
)
from evidence.models.living import interval_validators
from evidence.passages import read_passages
from evidence.review.decisions import ReviewRefused
from evidence.roles import is_medical_reviewer
from evidence.vocab import Stance


def _reviewer_only(request):
    if not is_medical_reviewer(request.user):
        raise PermissionDenied


def review_url(page_id: int, block_id: str = "") -> str:
    url = reverse("evidence_review:page", args=[page_id])
    return f"{url}#passage-{block_id}" if block_id else url


def cited_mesh(passage) -> list[list[str]]:
    """The MeSH headings of the Sources a passage cites."""
    return [
        list(getattr(c.source, "mesh_terms", None) or [])
        for c in passage.citations
        if c.source is not None
    ]


def review_context(page, version, rows) -> dict:
    """What the review screen shows of living evidence, in a few queries."""
    flags = watch.open_flags_by_claim([page.pk])
    block_ids = [row.block_id for row in rows]
    cited = {c.source_id for row in rows for c in row.passage.citations if c.source_id}
    searches = list(
        SavedSearch.objects.filter(page=page, block_id__in=block_ids)
    ) + list(SavedSearch.objects.filter(source_id__in=cited).select_related("source"))
    for row in rows:
        row.flags = flags.get((page.pk, row.block_id), [])
        sources = {c.source_id for c in row.passage.citations}
        row.searches = [
            s
            for s in searches
            if (s.page_id == page.pk and s.block_id == row.block_id)
            or (s.source_id and s.source_id in sources)
        ]
    return {
        "schedule": ReviewSchedule.objects.filter(page=page).first(),
        "site_interval": schedule.site_interval(),
        "stances": Stance.choices,
        "can_reconfirm": page.live and not page.has_unpublished_changes,
        "open_flag_count": sum(len(f) for f in flags.values()),
    }


@require_POST
def reconfirm_view(request, page_id):
    _reviewer_only(request)
    page = get_object_or_404(Page, pk=page_id).specific
    try:
        decisions = schedule.reconfirm(page, request.user)
    except ReviewRefused as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _(
                "Re-confirmed without changes: %(count)d decisions recorded; the "
                "article now shows today as its medical review date."
            )
            % {"count": len(decisions)},
        )
    return redirect(review_url(page.pk))


@require_POST
def candidate_view(request, pk, action):
    _reviewer_only(request)
    candidate = get_object_or_404(EvidenceCandidate, pk=pk)
    target = review_url(candidate.page_id, candidate.block_id)
    try:
        if action == "dismiss":
            closed = watch.dismiss_candidate(candidate, request.user)
            messages.success(
                request,
                _("“%(title)s” marked not relevant for this claim.")
                % {"title": candidate.title}
                + (
                    " " + _("Every candidate is screened: flag closed.")
                    if closed
                    else ""
                ),
            )
        elif action == "import":
            source, _revision = watch.import_and_cite(
                candidate, request.user, request.POST.get("stance", "")
            )
            messages.success(
                request,
                _(
                    "“%(source)s” is in the library and cited in a new draft of "
                    "the page. The claim changed, so it needs approving again "
                    "before the draft is published."
                )
                % {"source": source},
            )
        else:
            raise Http404
    except watch.CandidateRefused as refused:
        messages.error(request, refused.message)
    return redirect(target)


class SavedSearchForm(forms.ModelForm):
    class Meta:
        model = SavedSearch
        fields = ["pubmed_query", "trials_query"]
        widgets = {"pubmed_query": forms.Textarea(attrs={"rows": 3})}


def saved_search_view(request, page_id, block_id):
    """Attach a saved search to one claim, starting from a suggestion."""
    _reviewer_only(request)
    page = get_object_or_404(Page, pk=page_id).specific
    version = page.get_latest_revision_as_object()
    passage = next(
        (p for p in read_passages(version) if p.block_id == block_id and p.is_claim),
        None,
    )
    if passage is None:
        raise Http404(_("This claim is not in the page."))
    subject = page_subject(version)
    mesh = cited_mesh(passage)
    suggestion = {
        "pubmed_query": suggest_pubmed_query(
            subject.intervention if subject else "", mesh
        ),
        "trials_query": suggest_trials_query(
            subject.intervention if subject else "", mesh
        ),
    }
    search = SavedSearch(page=page, block_id=block_id, created_by=request.user)
    form = SavedSearchForm(request.POST or None, instance=search, initial=suggestion)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            _(
                "Saved search added. It runs with the daily new-evidence check "
                "(or now: manage.py check_new_evidence --search %(id)d)."
            )
            % {"id": form.instance.pk},
        )
        return redirect(review_url(page.pk, block_id))
    return TemplateResponse(
        request,
        "evidence/living/saved_search_form.html",
        {
            "page_title": _("Saved search for a claim"),
            "page": page,
            "passage": passage,
            "form": form,
            "suggestion": suggestion,
            "back_url": review_url(page.pk, block_id),
        },
    )


class IntervalForm(forms.ModelForm):
    class Meta:
        model = ReviewSchedule
        fields = ["interval_months"]


def schedule_view(request, page_id):
    """The article's own review interval (empty: the site's)."""
    if not may_see_schedule(request.user):
        raise PermissionDenied
    page = get_object_or_404(Page, pk=page_id).specific
    current = schedule.sync_schedule(page) if page.live else None
    if current is None:
        raise Http404(_("Only live articles are reviewed on a schedule."))
    form = IntervalForm(request.POST or None, instance=current)
    form.fields["interval_months"].validators = interval_validators()
    if request.method == "POST" and form.is_valid():
        updated = schedule.set_interval(page, form.cleaned_data["interval_months"])
        messages.success(
            request,
            _("Next medical review due %(date)s.")
            % {"date": updated.next_review_due.strftime("%-d %B %Y")},
        )
        return redirect(review_url(page.pk))
    return TemplateResponse(
        request,
        "evidence/living/schedule_form.html",
        {
            "page_title": _("Review schedule"),
            "page": page,
            "form": form,
            "schedule": current,
            "site_interval": schedule.site_interval(),
            "back_url": review_url(page.pk),
        },
    )


class LivingEvidencePanel(Component):
    """Dashboard: overdue and due-this-month reviews, and live articles with
    open re-review flags (the longest-waiting first)."""

    name = "living_evidence"
    template_name = "evidence/living/panel.html"
    order = 60

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        lists = schedule.due_lists(timezone.localdate())
        return {
            "overdue": lists["overdue"],
            "due_this_month": lists["due_this_month"],
            "flagged": watch.pages_with_open_flags(),
            "report_url": reverse("evidence_living_report"),
            "request": request,
        }


PANEL_TITLE = gettext_lazy("Living evidence")


# Mounted under /admin/evidence/living/ (evidence.wagtail_hooks).
app_name = "evidence_living"

urlpatterns = [
    path("<int:page_id>/reconfirm/", reconfirm_view, name="reconfirm"),
    path("<int:page_id>/schedule/", schedule_view, name="schedule"),
    path(
        "<int:page_id>/claims/<str:block_id>/search/",
        saved_search_view,
        name="search",
    ),
    path("candidates/<int:pk>/<str:action>/", candidate_view, name="candidate"),
]


class SavedSearchViewSet(ModelViewSet):
    """Saved searches on Sources (for every claim citing them); searches on
    one claim are added from the review screen and listed here too."""

    model = SavedSearch
    icon = "search"
    menu_label = gettext_lazy("Saved searches")
    add_to_admin_menu = True
    menu_order = 210
    form_fields = ["source", "pubmed_query", "trials_query"]
    list_display = ["__str__", "source", "page", "last_checked_on"]
    search_fields = ["pubmed_query", "trials_query"]
    copy_view_enabled = False
    inspect_view_enabled = False


saved_search_viewset = SavedSearchViewSet("saved_searches")
