"""Finding the site and the page a public request asks for, in two statements.

Wagtail's own routing costs three ORM queries for an article: the site (with
its root page as a plain Page), the root page again as its own type, and the
article. Their rules are kept here, as two parameterised statements:

- `find_site(request)` applies `wagtail.models.sites.get_site_for_hostname`'s
  rules (hostname and port first, then hostname on the default site, then
  the default site unless exactly one other site has the hostname) and
  reads the root page as a HomePage in the same statement;
- `find_article(home, url_path)` reads an article by its address, and says
  in the same statement whether a view restriction or an alias sits on the
  article's line of pages (see `ArticlePage.get_view_restrictions`).

`articles.views.serve` is Wagtail's page view with the site found this way;
everything else (hooks, view restrictions, `Page.serve()`) is Wagtail's.
"""

from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site

from nadsite.rows import columns, fetch

# get_site_for_hostname's ranks, best first.
_HOSTNAME_PORT, _HOSTNAME_DEFAULT, _DEFAULT, _HOSTNAME = range(4)


@cache
def _site_sql(home_model) -> str:
    q = connection.ops.quote_name
    site_cols = columns(Site, ((Site, "s"),))
    home_cols = columns(home_model, ((Page, "p"), (home_model, "h")))
    home_table = q(home_model._meta.db_table)
    ptr = q(home_model._meta.pk.column)
    return (
        f"SELECT {site_cols.sql}, {home_cols.sql}, "  # noqa: S608 (names from models)
        f"h.{ptr} IS NOT NULL, "
        f"CASE WHEN s.{q('hostname')} = %s AND s.{q('port')} = %s "
        f"THEN {_HOSTNAME_PORT} "
        f"WHEN s.{q('hostname')} = %s AND s.{q('is_default_site')} "
        f"THEN {_HOSTNAME_DEFAULT} "
        f"WHEN s.{q('is_default_site')} THEN {_DEFAULT} "
        f"ELSE {_HOSTNAME} END AS site_rank "
        f"FROM {q(Site._meta.db_table)} s "
        f"INNER JOIN {q(Page._meta.db_table)} p "
        f"ON p.{q('id')} = s.{q('root_page_id')} "
        f"LEFT OUTER JOIN {home_table} h ON h.{ptr} = p.{q('id')} "
        f"WHERE s.{q('hostname')} = %s OR s.{q('is_default_site')} "
        f"ORDER BY site_rank, s.{q('id')}"
    )


def find_site(request) -> Site | None:
    """The Site that serves this request, as `Site.find_for_request` would
    choose it, with its root page loaded as a HomePage when it is one."""
    from articles.models import HomePage

    hostname = split_domain_port(request._get_raw_host())[0]
    try:
        port = int(request.get_port())
    except (TypeError, ValueError):
        port = None  # matches no site's port, as in Wagtail
    rows = fetch(_site_sql(HomePage), [hostname, port, hostname, hostname])
    if not rows:
        return None
    rank = rows[0][-1]
    if len(rows) == 1 or rank in (_HOSTNAME_PORT, _HOSTNAME_DEFAULT):
        row = rows[0]
    elif rank == _DEFAULT:
        # The default site, unless exactly one other site has the hostname.
        row = rows[len(rows) == 2]
    else:
        return None  # several sites share the hostname on other ports
    return _site_from_row(row, HomePage)


def _site_from_row(row, home_model) -> Site:
    site_cols = columns(Site, ((Site, "s"),))
    home_cols = columns(home_model, ((Page, "p"), (home_model, "h")))
    site = site_cols.build(row)
    home_row = row[len(site_cols) :]
    is_home = home_row[len(home_cols)] and home_row[
        home_cols.names.index("content_type_id")
    ] == (ContentType.objects.get_for_model(home_model).pk)
    root = home_cols.build(home_row, None if is_home else Page)
    Site._meta.get_field("root_page").set_cached_value(site, root)
    return site


@cache
def _article_sql(article_model, above_home: int, index_path_length: int) -> str:
    q = connection.ops.quote_name
    cols = columns(article_model, ((Page, "p"), (article_model, "a")))
    page_table = q(Page._meta.db_table)
    restriction = PageViewRestriction._meta
    placeholders = ", ".join(["%s"] * above_home)
    line = f"q.{q('path')} IN ({placeholders}) OR " if above_home else ""
    return (
        f"SELECT {cols.sql}, EXISTS ("  # noqa: S608 (names from models)
        f"SELECT 1 FROM {page_table} q "
        f"LEFT OUTER JOIN {q(restriction.db_table)} r "
        f"ON r.{q(restriction.get_field('page').column)} = q.{q('id')} "
        f"WHERE ({line}q.{q('path')} = SUBSTR(p.{q('path')}, 1, "
        f"{int(index_path_length)}) OR q.{q('id')} = p.{q('id')}) "
        f"AND (q.{q('alias_of_id')} IS NOT NULL "
        f"OR r.{q(restriction.pk.column)} IS NOT NULL)) "
        f"FROM {page_table} p "
        f"INNER JOIN {q(article_model._meta.db_table)} a "
        f"ON a.{q(article_model._meta.pk.column)} = p.{q('id')} "
        f"WHERE p.{q('depth')} = %s AND p.{q('url_path')} = %s "
        f"ORDER BY p.{q('id')} LIMIT 1"
    )


def find_article(home, url_path: str):
    """The ArticlePage two levels below `home` at `url_path`, or None.

    The article carries `may_be_restricted`: whether the article, its index,
    the home page or a page above them has a view restriction or is an alias.
    """
    from articles.models import ArticlePage

    step = Page.steplen
    above_home = [home.path[:end] for end in range(step, len(home.path) + 1, step)]
    sql = _article_sql(ArticlePage, len(above_home), len(home.path) + step)
    rows = fetch(sql, [*above_home, home.depth + 2, url_path])
    if not rows:
        return None
    article = columns(ArticlePage, ((Page, "p"), (ArticlePage, "a"))).build(rows[0])
    article.may_be_restricted = bool(rows[0][-1])
    return article
