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
from django.template.loader import render_to_string

from articles.models import ArticleAuthor, ArticlePage, Author
from articles.reading import body_views, reference_numbering
from evidence.models import PublishSnapshot, Source, UnitOutcome
from evidence.models.snapshots import APPROVED
from evidence.passages import Passage, cited_source_ids, raw_blocks, reviewable_units
from evidence.review.data import ReviewData, decision_page_id
from evidence.review.state import passage_review
from evidence.roles import reviewer_credentials, reviewer_name


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


def _passage_html(views) -> list[str]:
    """Each passage's HTML, in order (headings are passages too): its
    block's template, as the public page renders it (markers, badge,
    evidence card, flags)."""
    return [render_to_string(view.template, {"passage": view}) for view in views]


def _certainties(states) -> dict[str, str]:
    """Block id -> the certainty recorded by the approving reviewer."""
    return {
        block_id: state.certainty
        for block_id, state in states.items()
        if state is not None and state.certainty and state.status == APPROVED
    }


def article_payloads(pages, request, latest: bool = False) -> list[dict]:
    """Articles ready for ArticleSerializer, in the order given."""
    pages = list(pages)
    versions = _versions(pages, latest)
    wanted = set()
    for version in versions:
        wanted |= cited_source_ids(version.obj)
    sources = Source.objects.in_bulk(wanted) if wanted else {}
    # Every reviewable unit: the title, the standfirst and the other
    # reviewed fields first, then the body's passages (headings included).
    passages_of = {
        id(version): reviewable_units(version.obj, sources=sources)
        for version in versions
    }
    drafts: dict = {}
    for version in versions:
        if not version.is_live:
            drafts.setdefault(decision_page_id(version.obj), []).extend(
                passages_of[id(version)]
            )
    review_data = ReviewData.load_pages(drafts)
    states_of = {}
    user_ids = set()
    for version in versions:
        if version.is_live:
            snapshot = version.snapshot
            states_of[id(version)] = snapshot.outcomes() if snapshot else {}
            continue
        data = review_data[decision_page_id(version.obj)]
        states = {p.block_id: passage_review(p, data) for p in passages_of[id(version)]}
        states_of[id(version)] = states
        user_ids.update(version.reviewer_ids)
        for state in states.values():
            user_ids.update(user.pk for user in state.reviewers)
    users = (
        get_user_model().objects.select_related("reviewer_profile").in_bulk(user_ids)
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
        if pk not in users:
            return None
        user = users[pk]
        return {"name": reviewer_name(user), "credentials": reviewer_credentials(user)}

    author_ids = {pk for version in versions for pk in version.author_ids}
    authors = Author.objects.in_bulk(author_ids) if author_ids else {}
    payloads = []
    for version in versions:
        passages, states = passages_of[id(version)], states_of[id(version)]
        body = [p for p in passages if not p.is_field]
        views = body_views(
            version.obj, body, _certainties(states), reference_numbering()
        )
        payloads.append(
            _payload(
                version,
                passages,
                states,
                request,
                _passage_html(views),
                lambda pk, version=version: person(version, pk),
                authors,
            )
        )
    return payloads


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


def _passage(passage: Passage, state, html: str, person) -> dict:
    return {
        "block_id": passage.block_id,
        "position": passage.position,
        "type": passage.kind,
        "role": passage.role,
        "fingerprint": passage.fingerprint,
        "html": html,
        "text": passage.text,
        "citations": [
            {"source": c.source_id, "stance": c.stance, "locator": c.locator}
            for c in passage.citations
        ],
        "review": _review(state, person),
    }


def _payload(version, passages, states, request, html, person, authors):
    obj, page = version.obj, version.page
    headings = []
    for position, block in enumerate(raw_blocks(obj), start=1):
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
            *(
                _passage(p, states.get(p.block_id), escape(p.text), person)
                for p in passages
                if p.is_field
            ),
            *(
                _passage(p, states.get(p.block_id), passage_html, person)
                for p, passage_html in zip(
                    [p for p in passages if not p.is_field], html, strict=True
                )
            ),
        ],
    }
