"""Public views beside Wagtail's pages: search, robots.txt, favicon, bench."""

import re

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_safe
from wagtail.search.query import PlainText

from articles.models import ArticlePage
from evidence.passages import read_passages

RESULTS_PER_PAGE = 10
EXCERPT_CHARS = 220
_WORDS = re.compile(r"\w[\w+\-']*", re.UNICODE)
_SEARCH_WORDS = re.compile(r"[^\W_]+", re.UNICODE)
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def search_words(query: str) -> list[str]:
    """The words of a query that are looked up: letters and digits only.

    Quotes, operators, NUL and other punctuation are dropped, so no query
    can break the database's full-text syntax (SQLite's FTS5 fails on a
    lone '"'; PostgreSQL refuses NUL), and at most NADSITE_SEARCH_MAX_WORDS
    words are looked up.
    """
    words = _SEARCH_WORDS.findall(query)
    return words[: settings.NADSITE_SEARCH_MAX_WORDS]


def query_terms(query: str) -> list[str]:
    """The words of a search worth highlighting, longest first."""
    terms = {word.lower() for word in _WORDS.findall(query) if len(word) > 1}
    return sorted(terms, key=len, reverse=True)


def highlight(text: str, terms: list[str]) -> SafeString:
    """`text` escaped for HTML, with words starting with a term in <mark>."""
    if not terms:
        return mark_safe(escape(text))  # noqa: S308 (escaped)
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(term) for term in terms) + ")",
        re.IGNORECASE,
    )
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 (every part escaped)


def matching_excerpt(article, terms: list[str]) -> SafeString:
    """A short, highlighted stretch of the first passage with a searched word.

    Readers see why an article matched when the words are in its body rather
    than its title or standfirst. Reads the stored body only: no query.
    """
    if not terms:
        return mark_safe("")
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(term) for term in terms) + ")",
        re.IGNORECASE,
    )
    for passage in read_passages(article, sources={}):
        match = pattern.search(passage.text)
        if match is None:
            continue
        text = passage.text
        start = max(0, match.start() - EXCERPT_CHARS // 3)
        end = min(len(text), start + EXCERPT_CHARS)
        if start > 0:
            start = text.find(" ", start) + 1 or start
        if end < len(text):
            end = text.rfind(" ", start, end) if " " in text[start:end] else end
        before = "… " if start > 0 else ""
        after = " …" if end < len(text) else ""
        return mark_safe(  # noqa: S308 (highlight escapes the text)
            before + highlight(text[start:end], terms) + after
        )
    return mark_safe("")


@require_GET
def search(request):
    """Search live, public articles; results highlight the words searched."""
    query = _CONTROL_CHARACTERS.sub(" ", request.GET.get("q", "")).strip()
    query = query[: settings.NADSITE_SEARCH_MAX_CHARS]
    words = search_words(query)
    page_obj = None
    results = []
    if words:
        found = ArticlePage.objects.readable().search(PlainText(" ".join(words)))
        page_obj = Paginator(found, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        terms = query_terms(query)
        results = [
            {
                "page": article,
                "title": highlight(article.title, terms),
                "standfirst": highlight(article.standfirst, terms),
                "excerpt": matching_excerpt(article, terms),
            }
            for article in page_obj.object_list
        ]
    return TemplateResponse(
        request,
        "articles/search.html",
        {"query": query, "words": words, "page_obj": page_obj, "results": results},
    )


@require_safe
def robots_txt(request):
    """Crawlers may read the articles, not the admin or search results."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /search/",
        "",
        "Sitemap: " + request.build_absolute_uri("/sitemap.xml"),
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page says: the
    site's icon, from the static files (hashed name in production)."""
    response = HttpResponseRedirect(static("favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def bench_minimal(request):
    """A plain page of `?bytes=N` bytes: the benchmark's yardstick."""
    try:
        size = max(0, min(int(request.GET.get("bytes", "1000")), 5_000_000))
    except ValueError:
        size = 1000
    head = b"<!DOCTYPE html><html lang=en><title>bench</title><p>"
    tail = b"</p></html>"
    filler = b"x" * max(0, size - len(head) - len(tail))
    return HttpResponse(head + filler + tail, content_type="text/html; charset=utf-8")
