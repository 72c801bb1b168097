"""``manage.py import_article PATH``: a draft article from a document.

Markdown (.md), plain text (.txt) and Word (.docx) files become a draft
ArticlePage under the article index, with claims detected and studies the
text names attached as suggested citations. The report lists the passages,
the detected claims, and the mentions that did and did not match a Source.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page, Site

from articles.importing.article import ImportRefused, import_article
from articles.importing.documents import DocumentError


def find_page_by_path(path: str):
    """The page at a site path such as "/articles/", on the default site."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page")
    site = site.first() or Site.objects.select_related("root_page").first()
    if site is None:
        raise CommandError("There is no site yet; run load_demo_content first.")
    url_path = (
        site.root_page.url_path + path.strip("/") + ("/" if path.strip("/") else "")
    )
    page = Page.objects.filter(url_path=url_path).first()
    if page is None:
        raise CommandError(f"No page at {path} on {site.hostname}.")
    return page


class Command(BaseCommand):
    help = (
        "Import a Markdown, plain-text or Word document as a draft article, "
        "detecting claims and suggesting citations for the studies it names."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A .md, .txt or .docx file.")
        parser.add_argument(
            "--parent",
            default="/articles/",
            help="Path of the article index to put the draft under (default "
            "/articles/).",
        )
        parser.add_argument(
            "--owner", help="Username of the writer who will own the draft."
        )

    def handle(self, *args, path, parent, owner=None, **options):
        file = Path(path)
        try:
            data = file.read_bytes()
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {path}") from error
        except IsADirectoryError as error:
            raise CommandError(f"{path} is a directory, not a document") from error
        user = None
        if owner:
            user = get_user_model().objects.filter(username=owner).first()
            if user is None:
                raise CommandError(f"No user called {owner!r}.")
        index = find_page_by_path(parent)
        try:
            report = import_article(file.name, data, index, owner=user)
        except (DocumentError, ImportRefused) as error:
            raise CommandError(f"{file.name}: {error}") from error
        self.stdout.write(report.as_text())
