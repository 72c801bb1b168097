"""Loading the demo site: its sources, two articles and the demo accounts.

The content itself is in `articles.demo.data`; this module turns it into
Sources, pages and revisions. Loading twice changes nothing: what exists is
left as it is.
"""

import json
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from articles.demo import data as demo_data
from articles.demo.site_tree import ensure_site_tree, point_default_site_at_base_url
from articles.models import ArticleAuthor, ArticlePage, Author
from evidence.gate.publish import publish_latest
from evidence.models import ReviewerProfile, Source
from evidence.passages import read_passages, reviewable_units
from evidence.review.data import review_states
from evidence.review.decisions import record_decision
from evidence.vocab import Decision

BLOCK_NAMESPACE = uuid.UUID("5d1e7a52-8f3b-4c36-9f0e-6a2f1c9b7d10")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    group: str | None
    first_name: str
    last_name: str
    superuser: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("admin", "admin-demo-pass", None, "Ada", "Admin", superuser=True),
    DemoAccount("writer", "writer-demo-pass", "Writers", "Wren", "Writer"),
    DemoAccount(
        "reviewer", "reviewer-demo-pass", "Medical reviewers", "Rhea", "Okafor"
    ),
    DemoAccount("editor", "editor-demo-pass", "Editors", "Eli", "Editor"),
]


@dataclass
class DemoReport:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)

    def add(self, label: str, created: bool):
        (self.created if created else self.existing).append(label)


def block_id(slug: str, *path) -> str:
    """A stable id for a demo block, so loading twice gives the same ids."""
    return str(uuid.uuid5(BLOCK_NAMESPACE, ":".join([slug, *map(str, path)])))


def stream_data(slug: str, blocks: list[dict], source_ids: dict[str, int]) -> list:
    """Demo blocks as stored StreamField data, with stable block ids."""
    data = []
    for n, block in enumerate(blocks):
        value = dict(block["value"])
        if block["type"] == "study":
            value["source"] = source_ids[value["source"]]
        if "citations" in value:
            value["citations"] = [
                {
                    "type": "item",
                    "id": block_id(slug, n, "citation", k),
                    "value": {
                        "source": source_ids[c["source"]],
                        "stance": c.get("stance", "supports"),
                        "locator": c.get("locator", ""),
                    },
                }
                for k, c in enumerate(value["citations"])
            ]
        if block["type"] == "list":
            value["text"] = [
                {"type": "item", "id": block_id(slug, n, "item", k), "value": item}
                for k, item in enumerate(value["text"])
            ]
        data.append({"type": block["type"], "id": block_id(slug, n), "value": value})
    return data


def load_sources(report: DemoReport, reviewer) -> dict[str, int]:
    ids = {}
    for entry in demo_data.SOURCES:
        fields = {k: v for k, v in entry.items() if k != "key"}
        lookup = (
            {"doi": fields["doi"]} if fields.get("doi") else {"title": fields["title"]}
        )
        source = Source.objects.filter(**lookup).first()
        created = source is None
        if created:
            # The demo reviewer has checked every grade in the demo library.
            source = Source(
                **fields, grade_confirmed_by=reviewer, grade_confirmed_at=timezone.now()
            )
            source.full_clean()
            source.save()
        report.add(f"source {source}", created)
        ids[entry["key"]] = source.pk
    return ids


def load_accounts(report: DemoReport) -> dict[str, object]:
    User = get_user_model()
    users = {}
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        created = user is None
        if created:
            user = User(
                username=account.username,
                first_name=account.first_name,
                last_name=account.last_name,
                email=f"{account.username}@example.org",
                is_staff=account.superuser,
                is_superuser=account.superuser,
            )
            user.set_password(account.password)
            user.save()
            if account.group and (
                group := Group.objects.filter(name=account.group).first()
            ):
                user.groups.add(group)
        report.add(f"account {account.username}", created)
        users[account.username] = user
    return users


DEMO_AUTHOR = {
    "name": "Wren Writer",
    "credentials": "MSc",
    "bio": ("Health writer for the demo site. Writes about supplements and ageing."),
}


def load_author(writer, report: DemoReport) -> Author:
    author, created = Author.objects.get_or_create(user=writer, defaults=DEMO_AUTHOR)
    report.add(f"author {author}", created)
    return author


def create_article(
    index, spec: dict, source_ids: dict[str, int], owner, author
) -> ArticlePage:
    page = ArticlePage(
        title=spec["title"],
        slug=spec["slug"],
        standfirst=spec["standfirst"],
        subject_intervention=spec.get("subject_intervention", ""),
        subject_route=spec.get("subject_route", ""),
        body=json.dumps(stream_data(spec["slug"], spec["body"], source_ids)),
        owner=owner,
        live=False,
        article_authors=[ArticleAuthor(author=author)],
    )
    index.add_child(instance=page)
    page.save_revision(user=owner, log_action=True)
    return page


@transaction.atomic
def load_demo_content() -> DemoReport:
    """Create whatever of the demo site is missing; leave the rest alone."""
    report = DemoReport()
    users = load_accounts(report)
    # The home page and the index go live as articles do: the demo reviewer
    # reads their titles and introductions, the demo editor publishes them.
    home, index = ensure_site_tree(
        users["reviewer"], owner=users["admin"], publisher=users["editor"]
    )
    if site := point_default_site_at_base_url():
        report.add(f"site address {site.root_url}/ (WAGTAILADMIN_BASE_URL)", True)
    source_ids = load_sources(report, users["reviewer"])
    load_reviewer_profile(users["reviewer"], report)
    writer = users["writer"]
    author = load_author(writer, report)
    for spec, publish in [
        (demo_data.EVIDENCE_ARTICLE, True),
        (demo_data.PROMO_ARTICLE, False),
    ]:
        page = ArticlePage.objects.filter(slug=spec["slug"]).first()
        created = page is None
        if created:
            page = create_article(index, spec, source_ids, writer, author)
            if publish:
                publish_demo_article(page, users)
        report.add(f"article /articles/{spec['slug']}/", created)
        if publish:
            load_living_evidence(page, users["reviewer"], report)
    return report


DEMO_SEARCH = {
    "pubmed_query": (
        '"nicotinamide riboside"[tiab] OR "nicotinamide mononucleotide"[tiab]'
    ),
    "trials_query": "nicotinamide riboside",
}


def load_living_evidence(page: ArticlePage, reviewer, report: DemoReport) -> None:
    """The live article's first claim is watched by a saved search, and the
    article has its scheduled next review."""
    from evidence.living.schedule import sync_schedule
    from evidence.models import SavedSearch

    page = ArticlePage.objects.get(pk=page.pk)
    if page.live:
        sync_schedule(page)
    first_claim = next((p for p in read_passages(page) if p.is_claim), None)
    if first_claim is None:
        return
    _, created = SavedSearch.objects.get_or_create(
        page=page,
        block_id=first_claim.block_id,
        defaults={**DEMO_SEARCH, "created_by": reviewer},
    )
    report.add("saved search on the first claim of the live article", created)


DEMO_REVIEWER_PROFILE = {
    "display_name": "Dr Rhea Okafor",
    "credentials": "MD, MPH",
    "specialty": "Internal medicine",
    "conflict_of_interest": "None declared",
}


def load_reviewer_profile(reviewer, report: DemoReport) -> None:
    _, created = ReviewerProfile.objects.get_or_create(
        user=reviewer,
        defaults={
            **DEMO_REVIEWER_PROFILE,
            "conflict_of_interest_declared_on": timezone.localdate(),
        },
    )
    report.add(f"reviewer profile {DEMO_REVIEWER_PROFILE['display_name']}", created)


def review_demo_article(page: ArticlePage, reviewer) -> None:
    """The demo reviewer decides every reviewable unit: approves every claim
    (at the suggested certainty) and confirms every context unit (the
    title, the standfirst, headings, framing passages) as not a claim."""
    version = page.get_latest_revision_as_object()
    states = review_states(version)
    for passage in reviewable_units(version):
        state = states[passage.block_id]
        if state.is_settled:
            continue
        record_decision(
            page,
            passage.block_id,
            reviewer,
            Decision.APPROVE if passage.is_claim else Decision.NOT_A_CLAIM,
            fingerprint=passage.fingerprint,  # what the demo reviewer "read"
        )


def publish_demo_article(page: ArticlePage, users) -> None:
    """Reviewed by the demo reviewer, then published by the demo editor
    through the publish gate, as in real use."""
    review_demo_article(page, users["reviewer"])
    publish_latest(page, users["editor"])
