"""Page types: the home page, the article index and the article."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from articles.blocks import ArticleBodyBlock
from evidence.forms import GatedPageForm
from evidence.models import Route


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


class HomePage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["articles.ArticleIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def latest_articles(self, count=6):
        from articles.queries import public_articles

        return public_articles()[:count]


class ArticleIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["articles.HomePage"]
    subpage_types = ["articles.ArticlePage"]

    class Meta:
        verbose_name = _("article index")

    def get_context(self, request, *args, **kwargs):
        from articles.queries import public_articles

        context = super().get_context(request, *args, **kwargs)
        context["articles"] = public_articles().child_of(self)
        return context


class ArticlePage(Page):
    """A health article. Its body is made of passages, each with its sources."""

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
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.FilterField("last_reviewed_at"),
    ]
    parent_page_types = ["articles.ArticleIndexPage"]
    subpage_types = []
    base_form_class = GatedPageForm

    class Meta:
        verbose_name = _("article")

    def publish(self, revision, *args, **kwargs):
        """Publish `revision` only if that version passes the publish gate.

        The check and the publish share one transaction with the page row
        locked (see evidence.publishing).
        """
        from evidence.publishing import gated_publish

        return gated_publish(
            self,
            revision,
            lambda: super(ArticlePage, self).publish(revision, *args, **kwargs),
        )

    def author_names(self) -> list[str]:
        return [str(link.author) for link in self.article_authors.all()]


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
