"""Admin registration for the articles app."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from articles.api.writing import register_html_rules
from articles.importing.views import ImportArticleView, indexes_for
from articles.links import PageLinks

hooks.register("register_rich_text_features", register_html_rules)


@hooks.register("register_rich_text_features", order=1)  # after Wagtail's own
def register_page_links(features):
    """Page links read every linked page in one query (articles/links.py)."""
    features.register_link_type(PageLinks)


@hooks.register("register_admin_urls")
def register_import_url():
    return [
        path(
            "articles/import/",
            ImportArticleView.as_view(),
            name="articles_import",
        )
    ]


class ImportArticleMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(indexes_for(request.user))


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportArticleMenuItem(
        _("Import article"),
        reverse("articles_import"),
        name="import-article",
        icon_name="upload",
        order=250,
    )
