"""Articles as the API shows them, built for many pages in a fixed number
of queries.

A list of articles costs the same handful of queries however many articles,
passages and citations it holds: the bylines, the cited sources, the publish
snapshots (or, for drafts, the review decisions) and the reviewers'
profiles are each loaded once for the whole list. (Internal page links
inside rich text are resolved per passage.)

A live version shows what the publish gate recorded when it went live (its
`evidence.models.PublishSnapshot`: each passage's review, the byline), as
the public page does; a draft shows where its passages stand now.
"""

from dataclasses import dataclass, field
from html import escape

from django.contrib.auth import get_user_model
from wagtail.rich_text import expand_db_html

from articles.models import ArticleAuthor, ArticlePage, Author
from evidence.models import PublishSnapshot, ReviewerProfile, Source, UnitOutcome
from evidence.passages import Passage, cited_source_ids, raw_blocks, read_passages
from evidence.review.data import ReviewData
from evidence.review.state import passage_review


@dataclass
class Version:
    """One article as it will be shown: the live page or its latest draft."""

    page: ArticlePage  # the database row
    obj: ArticlePage  # the version shown (the row itself, or a revision's)
    revision_id: int | None
    author_ids: list[int] = field(default_factory=list)
    reviewer_ids: list[int] = field(default_factory=list)
    snapshot: PublishSnapshot | None = None  # the live version's
    last_reviewed_at: object = None

    @property
    def is_live(self) -> bool:
        return self.obj is self.page and self.page.live


def _versions(pages, latest: bool) -> list[Version]:
    versions = []
    for page in pages:
        revision = page.latest_revision if latest else None
        if latest and page.has_unpublished_changes and revision is not None:
            obj = page.with_content_json(revision.content)
            version = Version(page, obj, revision.pk)
            version.author_ids = [
                link.author_id
                for link in sorted(
                    obj.article_authors.all(), key=lambda link: link.sort_order or 0
                )
            ]
            version.reviewer_ids = [
                pk for pk in revision.content.get("reviewed_by") or [] if pk
            ]
            version.last_reviewed_at = obj.last_reviewed_at
        else:
            version = Version(page, page, page.live_revision_id)
        versions.append(version)
    rows = [version for version in versions if version.obj is version.page]
    if not rows:
        return versions
    authors = {}
    links = ArticleAuthor.objects.filter(
        page_id__in=[version.page.pk for version in rows]
    ).order_by("sort_order", "pk")
    for page_id, author_id in links.values_list("page_id", "author_id"):
        authors.setdefault(page_id, []).append(author_id)
    live = [version for version in rows if version.is_live]
    snapshots = PublishSnapshot.objects.live_for_pages([v.page for v in live])
    not_live = {version.page.pk: version for version in rows if not version.is_live}
    reviewers = {}
    if not_live:
        through = ArticlePage.reviewed_by.through
        for page_id, user_id in through.objects.filter(
            articlepage_id__in=list(not_live)
        ).values_list("articlepage_id", "user_id"):
            reviewers.setdefault(page_id, []).append(user_id)
    for version in rows:
        version.author_ids = authors.get(version.page.pk, [])
        if version.is_live:
            # What the gate recorded when this version went live.
            version.snapshot = snapshots.get(version.page.pk)
            if version.snapshot is not None:
                version.reviewer_ids = list(version.snapshot.reviewer_ids)
                version.last_reviewed_at = version.snapshot.last_reviewed_at
        else:
            version.reviewer_ids = reviewers.get(version.page.pk, [])
            version.last_reviewed_at = version.page.last_reviewed_at
    return versions


def _list_items(raw) -> list:
    return [
        item["value"] if isinstance(item, dict) and item.get("type") == "item" else item
        for item in raw or []
    ]


def _table_html(table: dict) -> str:
    rows = table.get("data") or []
    header_row = bool(table.get("first_row_is_table_header"))
    header_col = bool(table.get("first_col_is_header"))
    parts = ["<table>"]
    if table.get("table_caption"):
        parts.append(f"<caption>{escape(table['table_caption'])}</caption>")
    for number, row in enumerate(rows):
        cells = []
        for col, cell in enumerate(row):
            text = escape(cell or "")
            if number == 0 and header_row:
                cells.append(f'<th scope="col">{text}</th>')
            elif col == 0 and header_col:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                cells.append(f"<td>{text}</td>")
        row_html = f"<tr>{''.join(cells)}</tr>"
        if number == 0 and header_row:
            row_html = f"<thead>{row_html}</thead><tbody>"
        parts.append(row_html)
    if rows and header_row:
        parts.append("</tbody>")
    parts.append("</table>")
    return "".join(parts)


def _study_html(value: dict, source: Source | None) -> str:
    result = f"<p>{escape(str(value.get('text') or ''))}</p>"
    if source is None:
        return f'<section class="study-card">{result}</section>'
    who = source.first_author or source.title
    if source.authors and len(source.authors) > len(source.first_author):
        who += " et al."
    year = f" ({source.year})" if source.year else ""
    size = f", n = {source.sample_size}" if source.sample_size else ""
    return (
        '<section class="study-card">'
        f"<h3>{escape(who)}{year}</h3>"
        f"<p>{escape(str(source.get_study_design_display()))}, "
        f"{escape(str(source.get_population_display()))}{size}; "
        f"grade {escape(source.grade)}</p>"
        f"{result}</section>"
    )


def passage_html(kind: str, value: dict, sources: dict[int, Source]) -> str:
    """The passage as HTML a front end can show as it is."""
    if kind in {"paragraph", "callout"}:
        return expand_db_html(str(value.get("text") or ""))
    if kind == "list":
        tag = "ol" if value.get("ordered") else "ul"
        items = "".join(
            f"<li>{escape(str(item))}</li>" for item in _list_items(value.get("text"))
        )
        return f"<{tag}>{items}</{tag}>"
    if kind == "table":
        return _table_html(value.get("text") or {})
    if kind == "study":
        source_id = value.get("source")
        source = sources.get(source_id) if isinstance(source_id, int) else None
        return _study_html(value, source)
    return ""


def _person(user, profiles) -> dict:
    profile = profiles.get(user.pk)
    if profile is not None:
        return {"name": profile.display_name, "credentials": profile.credentials}
    name, credentials = reviewer_name_without_profile(user)
    return {"name": name, "credentials": credentials}


def reviewer_name_without_profile(user) -> tuple[str, str]:
    return (user.get_full_name() or user.get_username()), ""


def article_payloads(pages, request, latest: bool = False) -> list[dict]:
    """Articles ready for ArticleSerializer, in the order given."""
    pages = list(pages)
    versions = _versions(pages, latest)
    wanted = set()
    for version in versions:
        wanted |= cited_source_ids(version.obj)
    sources = Source.objects.in_bulk(wanted) if wanted else {}
    passages_of = {
        id(version): read_passages(version.obj, sources=sources) for version in versions
    }
    drafts = [p for v in versions if not v.is_live for p in passages_of[id(v)]]
    review_data = ReviewData.load(drafts)
    states_of = {}
    user_ids = set()
    for version in versions:
        if version.is_live:
            snapshot = version.snapshot
            states_of[id(version)] = snapshot.outcomes() if snapshot else {}
            continue
        states = {
            p.block_id: passage_review(p, review_data) for p in passages_of[id(version)]
        }
        states_of[id(version)] = states
        user_ids.update(version.reviewer_ids)
        for state in states.values():
            user_ids.update(user.pk for user in state.reviewers)
    users = get_user_model().objects.in_bulk(user_ids) if user_ids else {}
    profiles = (
        {p.user_id: p for p in ReviewerProfile.objects.filter(user_id__in=user_ids)}
        if user_ids
        else {}
    )

    def person(version, pk) -> dict | None:
        """How reviewer `pk` is credited: as the live version's snapshot
        recorded them, or, for a draft, as their profile names them now."""
        if version.is_live:
            credit = version.snapshot.credit(pk) if version.snapshot else None
            if credit is None:
                return None
            return {"name": credit.name, "credentials": credit.credentials}
        return _person(users[pk], profiles) if pk in users else None

    author_ids = {pk for version in versions for pk in version.author_ids}
    authors = Author.objects.in_bulk(author_ids) if author_ids else {}
    return [
        _payload(
            version,
            passages_of[id(version)],
            states_of[id(version)],
            request,
            sources,
            lambda pk, version=version: person(version, pk),
            authors,
        )
        for version in versions
    ]


def _review(state, person) -> dict | None:
    """A passage's review: from the live version's snapshot (a UnitOutcome)
    or, for a draft, as it stands now (a PassageReview)."""
    if state is None:
        return None
    if isinstance(state, UnitOutcome):
        reviewer_ids = state.reviewer_ids
        decided_at = state.decided_at
    else:
        reviewer_ids = [user.pk for user in state.reviewers]
        decided_at = state.decision.created_at if state.decision else None
    people = (person(pk) for pk in reviewer_ids)
    return {
        "status": state.status,
        "certainty": state.certainty,
        "reviewers": [credit for credit in people if credit is not None],
        "decided_at": decided_at,
    }


def _passage(passage: Passage, raw: dict, state, sources, person) -> dict:
    return {
        "block_id": passage.block_id,
        "position": passage.position,
        "type": passage.kind,
        "role": passage.role,
        "html": passage_html(passage.kind, raw.get("value") or {}, sources),
        "text": passage.text,
        "citations": [
            {"source": c.source_id, "stance": c.stance, "locator": c.locator}
            for c in passage.citations
        ],
        "review": _review(state, person),
    }


def _payload(version, passages, states, request, sources, person, authors):
    obj, page = version.obj, version.page
    raw_by_id = {}
    headings = []
    for position, block in enumerate(raw_blocks(obj), start=1):
        raw_by_id[block.get("id")] = block
        if block.get("type") == "heading":
            value = block.get("value") or {}
            headings.append(
                {
                    "block_id": block.get("id") or "",
                    "position": position,
                    "level": value.get("level") or "h2",
                    "text": str(value.get("text") or ""),
                }
            )
    reviewed_by = (person(pk) for pk in version.reviewer_ids)
    return {
        "id": page.pk,
        "title": obj.title,
        "slug": obj.slug,
        "url": page.get_url(request),
        "live": page.live,
        "has_unpublished_changes": page.has_unpublished_changes,
        "revision": version.revision_id,
        "standfirst": obj.standfirst,
        "subject": {
            "intervention": obj.subject_intervention,
            "route": obj.subject_route,
        },
        "first_published_at": page.first_published_at,
        "last_published_at": page.last_published_at,
        "last_reviewed_at": version.last_reviewed_at,
        "authors": [
            {"name": authors[pk].name, "credentials": authors[pk].credentials}
            for pk in version.author_ids
            if pk in authors
        ],
        "reviewed_by": [credit for credit in reviewed_by if credit is not None],
        "headings": headings,
        "passages": [
            _passage(
                p,
                raw_by_id.get(p.block_id) or {},
                states.get(p.block_id),
                sources,
                person,
            )
            for p in passages
        ],
    }
