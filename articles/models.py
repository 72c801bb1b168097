"""Page types: the home page, the article index and the article.

All three are gated (`evidence.page.GatedPage`): every text a reader sees
on them goes live only once a medical reviewer has decided it.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    Orderable,
    Page,
    PageManager,
    PageQuerySet,
    PageViewRestriction,
)
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from articles.blocks import ArticleBodyBlock
from articles.caching import cited_source_ids, mark_cacheable, page_key, source_key
from articles.sites import routing_child, routing_only
from evidence.admin.panels import EvidenceCheckPanel, ReviewNotesPanel
from evidence.analysis.calibration import Subject
from evidence.audit.forms import ChangeNoteForm, ChangeNotePanel
from evidence.gate.publish import provisional_snapshot
from evidence.page import GatedPage
from evidence.vocab import Route

DEFAULT_DISCLAIMER = (
    "<p>This site explains health research for general information. It is "
    "not medical advice and does not replace a consultation with a doctor or "
    "other qualified health professional. Do not start, stop or change any "
    "treatment because of something you read here.</p>"
)


class PublicPageMixin:
    """Pages readers see: served live, and cached for anonymous readers."""

    # The site's root page and the pages a request passes through are kept
    # in the cache as copies that only route (articles/sites.py).
    routes_from_cache = True

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        context = getattr(response, "context_data", None) or {}
        mark_cacheable(request, response, self, self.surrogate_keys(context))
        return response

    def surrogate_keys(self, context) -> set[str]:
        """Keys of what this page shows besides itself (its own is added)."""
        return set()

    def route(self, request, path_components):
        """Wagtail's routing, with the child read as its own type in one
        query when this page type allows one type of child page.

        Wagtail reads the child as a plain Page, then again as its own type
        (`Page.route`); a page whose children are all of one type can read
        it as that type directly. A child the request only passes through,
        below a page kept for routing, is kept for routing too
        (`articles.sites.routing_child`: no query while the Sites and the
        tree's addresses are unchanged). Any other case (no such child, a
        child of another type) is Wagtail's own routing, and so is the
        rest: the page's own `route`, view restrictions, hooks, `serve`.
        """
        if not path_components and routing_only(self):
            # A page kept for routing (articles/sites.py) only routes; the
            # page served is read afresh.
            fresh = type(self).objects.filter(pk=self.pk).first()
            if fresh is None:
                raise Http404
            return fresh.route(request, path_components)
        child_types = self.allowed_subpage_models()
        if path_components and len(child_types) == 1:
            slug, rest = path_components[0], path_components[1:]

            def read():
                return child_types[0].objects.child_of(self).filter(slug=slug).first()

            if rest and routing_only(self):
                child = routing_child(self, slug, read)
            else:
                child = read()
            if child is not None:
                child._cached_parent_obj = self  # as Page.route does
                return child.route(request, rest)
        return super().route(request, path_components)

    def get_view_restrictions(self):
        """Wagtail's rule in one query instead of two: the restrictions on
        this page and every page above it, an alias taking those of its
        source page (`Page.get_view_restrictions`)."""
        step = self.steplen
        line = [self.path[:end] for end in range(step, len(self.path) + 1, step)]
        pages = (
            Page.objects.filter(path__in=line)
            .order_by()  # a set of ids: the pages' ordering is of no use
            .annotate(checked=Coalesce("alias_of_id", "id"))
            .values("checked")
        )
        return PageViewRestriction.objects.filter(page_id__in=Subquery(pages))


@register_setting(icon="warning")
class MedicalDisclaimer(BaseSiteSetting):
    """The medical disclaimer shown at the foot of every public page."""

    text = RichTextField(
        _("disclaimer"),
        features=["bold", "italic", "link"],
        default=DEFAULT_DISCLAIMER,
        help_text=_(
            "Shown at the foot of every page. Say plainly that the site is "
            "not medical advice and that readers should ask a clinician."
        ),
    )

    panels = [FieldPanel("text")]

    class Meta:
        verbose_name = _("medical disclaimer")


@register_snippet
class Author(index.Indexed, models.Model):
    """A person credited as an author of articles."""

    name = models.CharField(_("name"), max_length=120)
    credentials = models.CharField(
        _("credentials"), max_length=120, blank=True, help_text=_("e.g. MPH, RD")
    )
    bio = models.TextField(_("short biography"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("credentials"),
        FieldPanel("bio"),
        FieldPanel("user"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class HomePage(GatedPage, PublicPageMixin, Page):
    """The home page. A gated page (`evidence.page.GatedPage`) with no
    passage stream: its title, introduction and search engine fields are
    its reviewable units, read by a medical reviewer before they go live."""

    # In page order: the heading, the introduction under it, then what
    # search engines show. No byline, no subject.
    reviewed_fields = ("title", "intro", "seo_title", "search_description")

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [
        ReviewNotesPanel(),
        *Page.content_panels,
        FieldPanel("intro"),
        EvidenceCheckPanel(),
    ]
    subpage_types = ["articles.ArticleIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def latest_articles(self, count=6):
        return ArticlePage.objects.readable()[:count]

    def surrogate_keys(self, context) -> set[str]:
        """The articles the home page lists (one small query, on a miss)."""
        return {
            page_key(pk) for pk in self.latest_articles().values_list("pk", flat=True)
        }

    def get_sitemap_urls(self, request=None):
        return _listing_sitemap_urls(self, request)


class ArticleIndexPage(GatedPage, PublicPageMixin, Page):
    """A listing of articles. Gated like the home page: its title,
    introduction and search engine fields are reviewable units."""

    reviewed_fields = ("title", "intro", "seo_title", "search_description")

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [
        ReviewNotesPanel(),
        *Page.content_panels,
        FieldPanel("intro"),
        EvidenceCheckPanel(),
    ]
    parent_page_types = ["articles.HomePage"]
    subpage_types = ["articles.ArticlePage"]
    per_page = 10

    class Meta:
        verbose_name = _("article index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        readable = ArticlePage.objects.readable().child_of(self)
        paginator = Paginator(readable, self.per_page)
        context["page_obj"] = paginator.get_page(request.GET.get("page"))
        context["articles"] = context["page_obj"].object_list
        return context

    def surrogate_keys(self, context) -> set[str]:
        return {page_key(article.pk) for article in context.get("articles", ())}

    def get_sitemap_urls(self, request=None):
        return _listing_sitemap_urls(self, request)


class ArticlePageQuerySet(PageQuerySet):
    def readable(self):
        """Articles a reader may see: live and not behind a privacy
        restriction, newest first."""
        return self.live().public().order_by("-first_published_at", "-pk")


class ArticlePage(GatedPage, PublicPageMixin, RoutablePageMixin, Page):
    """A health article. Its body is made of passages, each with its sources.

    A gated page (`evidence.page.GatedPage`): its passages are in `body`,
    and its subject is the intervention and route it declares.
    """

    passages_field = "body"
    base_form_class = ChangeNoteForm  # asks what changed when republishing
    # In page order: the heading, the summary under it, then what search
    # engines and the schema.org data show.
    reviewed_fields = (
        "title",
        "standfirst",
        "seo_title",
        "search_description",
        "subject_intervention",
    )

    standfirst = models.TextField(
        _("standfirst"),
        help_text=_(
            "A one- or two-sentence summary shown under the title and in "
            "listings and search results."
        ),
    )
    subject_intervention = models.CharField(
        _("subject: intervention"),
        max_length=120,
        blank=True,
        help_text=_('What the article is about, e.g. "NAD+".'),
    )
    subject_route = models.CharField(
        _("subject: route"),
        max_length=16,
        choices=Route.choices,
        blank=True,
        help_text=_("How the intervention the article discusses is given."),
    )
    body = StreamField(ArticleBodyBlock())
    last_reviewed_at = models.DateTimeField(
        _("last medically reviewed"), null=True, blank=True, editable=False
    )
    reviewed_by = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medically reviewed by"),
        blank=True,
        related_name="reviewed_articles",
    )

    content_panels = [
        ReviewNotesPanel(),
        *Page.content_panels,
        FieldPanel("standfirst"),
        InlinePanel("article_authors", label=_("Authors"), min_num=0),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("subject_intervention"), FieldPanel("subject_route")]
                )
            ],
            heading=_("Subject"),
        ),
        FieldPanel("body"),
        EvidenceCheckPanel(),
        ChangeNotePanel(),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.FilterField("last_reviewed_at"),
    ]
    parent_page_types = ["articles.ArticleIndexPage"]
    subpage_types = []

    objects = PageManager.from_queryset(ArticlePageQuerySet)()

    class Meta:
        verbose_name = _("article")

    def evidence_subject(self) -> Subject:
        return Subject(self.subject_intervention, self.subject_route)

    def author_names(self) -> list[str]:
        return [str(link.author) for link in self.article_authors.all()]

    def get_context(self, request, *args, **kwargs):
        """The article's view model: the live version with its publish
        snapshot, or in a preview the version being edited with what the
        gate would record if it went live now."""
        from articles.reading import LIVE, article_view

        context = super().get_context(request, *args, **kwargs)
        previewing = getattr(request, "is_preview", False)
        snapshot = provisional_snapshot(self) if previewing else LIVE
        context["article"] = article_view(self, request, snapshot)
        return context

    def surrogate_keys(self, context) -> set[str]:
        view = context.get("article")
        return {source_key(pk) for pk in cited_source_ids(view)} if view else set()

    @path("changes/")
    def latest_changes(self, request):
        """What the latest update or correction changed."""
        from articles.updates import article_updates

        latest = next(
            (u for u in article_updates(self).entries if u.previous is not None), None
        )
        if latest is None:
            raise Http404("This article has no updates to compare.")
        return self.changes(request, latest.previous, latest.version)

    @path("changes/<int:old>/<int:new>/")
    def changes(self, request, old, new):
        """ "See what changed": the claims of two published versions compared."""
        from articles.updates import article_updates, compare_versions

        comparison = compare_versions(self, old, new)
        if comparison is None:
            raise Http404("No such pair of published versions.")
        updates = article_updates(self)
        return TemplateResponse(
            request,
            "articles/article_changes.html",
            {
                "page": self,
                "self": self,
                "comparison": comparison,
                "update": next((u for u in updates.entries if u.version == new), None),
                "updates": updates,
            },
        )

    def get_sitemap_urls(self, request=None):
        """The live version's date: its last publication or medical review."""
        dates = [d for d in (self.last_published_at, self.last_reviewed_at) if d]
        return [
            {
                "location": self.get_full_url(request),
                "lastmod": max(dates, default=None),
            }
        ]


def _listing_sitemap_urls(page, request):
    """A listing changes whenever an article in it is published."""
    newest = (
        ArticlePage.objects.readable()
        .descendant_of(page)
        .order_by("-last_published_at")
        .values_list("last_published_at", flat=True)
        .first()
    )
    dates = [d for d in (page.last_published_at, newest) if d]
    return [
        {"location": page.get_full_url(request), "lastmod": max(dates, default=None)}
    ]


class ArticleAuthor(Orderable):
    page = ParentalKey(
        ArticlePage, on_delete=models.CASCADE, related_name="article_authors"
    )
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        verbose_name = _("article author")

    def __str__(self):
        return str(self.author)
