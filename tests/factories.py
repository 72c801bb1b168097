"""factory_boy factories for the project's models."""

import json
import uuid

import factory
from django.contrib.auth import get_user_model

from articles.models import ArticlePage
from evidence.models import Source
from evidence.vocab import Grade, Population, Route, StudyDesign


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("pass-for-tests")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"A randomised trial of intervention {n}")
    authors = "Smith AB, Jones CD, Patel EF"
    journal = "Journal of Test Medicine"
    year = 2021
    doi = factory.Sequence(lambda n: f"10.5555/test.{n}")
    study_design = StudyDesign.RCT
    population = Population.HUMAN
    sample_size = 120
    intervention = "Test compound 500 mg/day for 8 weeks"
    route = Route.ORAL
    grade = Grade.B


def new_id() -> str:
    return str(uuid.uuid4())


def paragraph(
    text="NAD+ levels fall with age.",
    *,
    sources=(),
    role="claim",
    stance="supports",
    block_id=None,
) -> dict:
    """A stored paragraph block citing `sources` (Source objects or ids)."""
    return {
        "type": "paragraph",
        "id": block_id or new_id(),
        "value": {
            "text": f"<p>{text}</p>",
            "role": role,
            "citations": [
                {
                    "type": "item",
                    "id": new_id(),
                    "value": {
                        "source": getattr(s, "pk", s),
                        "stance": stance,
                        "locator": "",
                    },
                }
                for s in sources
            ],
        },
    }


def heading(text="Section", level="h2") -> dict:
    return {"type": "heading", "id": new_id(), "value": {"text": text, "level": level}}


def study(source, text="Blood NAD+ rose by about 60%.", role="claim") -> dict:
    return {
        "type": "study",
        "id": new_id(),
        "value": {"source": getattr(source, "pk", source), "text": text, "role": role},
    }


def make_article(index, *, body=(), owner=None, live=False, slug=None, **fields):
    """An ArticlePage under `index` with a first revision, as a writer makes it."""
    slug = slug or f"article-{uuid.uuid4().hex[:8]}"
    page = ArticlePage(
        title=fields.pop("title", slug.replace("-", " ").title()),
        slug=slug,
        standfirst=fields.pop("standfirst", "A short summary."),
        body=json.dumps(list(body)),
        owner=owner,
        live=live,
        **fields,
    )
    index.add_child(instance=page)
    page.save_revision(user=owner)
    return page


def user_in_group(group_name, **fields):
    """A user who belongs to one of the role groups made by the migrations."""
    from django.contrib.auth.models import Group

    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def approve(page, reviewer, *, certainty="", reason=""):
    """Approve every reviewable unit of the page's latest version (its
    title, standfirst and other reviewed fields, and every passage).

    Claims are approved; context units are confirmed "not a claim".
    Returns the decisions recorded.
    """
    from evidence.passages import reviewable_units
    from evidence.review.decisions import record_decision

    page = type(page).objects.get(pk=page.pk)
    version = page.get_latest_revision_as_object()
    decisions = []
    for passage in reviewable_units(version):
        decision = "approve" if passage.is_claim else "not_a_claim"
        if decision == "approve" and passage.can_cite and not passage.usable_citations:
            # record_decision refuses it: the row the gate must still refuse.
            decisions.append(unchecked_approval(page, passage, reviewer, certainty))
            continue
        decisions.append(
            record_decision(
                page,
                passage.block_id,
                reviewer,
                decision,
                certainty=certainty if decision == "approve" else "",
                certainty_reason=reason,
                fingerprint=passage.fingerprint,
            )
        )
    return decisions


def unchecked_approval(page, passage, reviewer, certainty=""):
    """An approval of `passage` (a Passage of the latest version) written
    straight to the table, without `record_decision`'s rules: what the
    database holds for an approval of an unsupported claim recorded before
    `record_decision` refused them, or written by any code that bypasses it.
    The gate must refuse to publish on it; tests of the gate use this."""
    from evidence.models import ReviewDecision

    return ReviewDecision.objects.create(
        page_id=page.pk,
        revision=page.get_latest_revision(),
        block_id=passage.block_id,
        fingerprint=passage.fingerprint,
        excerpt=passage.excerpt[:200],
        decision="approve",
        certainty=certainty,
        reviewer=reviewer,
    )


def latest(page):
    """The page's latest version, read afresh (the object may be stale)."""
    return type(page).objects.get(pk=page.pk).get_latest_revision_as_object()


def shown_fingerprint(page, block_id) -> str:
    """The fingerprint a reviewer is shown now for unit `block_id` of the
    page's latest version ("" when it has no such unit)."""
    from wagtail.models import Page

    from evidence.passages import reviewable_units

    version = Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()
    return next(
        (p.fingerprint for p in reviewable_units(version) if p.block_id == block_id),
        "",
    )


def decide(page, block_id, reviewer, decision, **fields):
    """`record_decision` as a reviewer who has just read the passage's
    current text (the fingerprint they were shown is the current one)."""
    from evidence.review.decisions import record_decision

    fields.setdefault("fingerprint", shown_fingerprint(page, block_id) or "unread")
    return record_decision(page, block_id, reviewer, decision, **fields)


def edit_body(page, user, change):
    """Save a new revision whose stored body is `change(blocks)`'s result.

    `change` gets a deep copy of the latest version's stored blocks (block
    ids kept, as the admin editor keeps them) and returns the new list.
    """
    import copy

    version = type(page).objects.get(pk=page.pk).get_latest_revision_as_object()
    blocks = copy.deepcopy(list(version.body.raw_data))
    version.body = json.dumps(change(blocks) or blocks)
    return version.save_revision(user=user)


def set_passage_text(page, user, index, text):
    """Save a revision with passage `index` (0-based) reading `text`."""

    def change(blocks):
        blocks[index]["value"]["text"] = f"<p>{text}</p>"
        return blocks

    return edit_body(page, user, change)


def publish_approved(page, reviewer, editor, *, certainty="", reason=""):
    """Have `reviewer` approve every passage of `page`, then `editor` publish
    it through the gate. Returns the page as it is live."""
    page = type(page).objects.get(pk=page.pk)  # its latest revision, not a stale one
    approve(page, reviewer, certainty=certainty, reason=reason)
    page.get_latest_revision().publish(user=editor)
    return type(page).objects.get(pk=page.pk)


def table(rows, *, caption="", header=True, sources=(), role="claim") -> dict:
    """A stored table block with the given rows of cell text."""
    return {
        "type": "table",
        "id": new_id(),
        "value": {
            "text": {
                "data": rows,
                "first_row_is_table_header": header,
                "first_col_is_header": False,
                "table_caption": caption,
            },
            "role": role,
            "citations": [
                {
                    "type": "item",
                    "id": new_id(),
                    "value": {"source": getattr(s, "pk", s), "stance": "supports"},
                }
                for s in sources
            ],
        },
    }


def cited_paragraph(text, citations, *, role="claim") -> dict:
    """A paragraph whose citations are (source, stance) pairs."""
    block = paragraph(text, role=role)
    block["value"]["citations"] = [
        {
            "type": "item",
            "id": new_id(),
            "value": {"source": getattr(s, "pk", s), "stance": stance, "locator": ""},
        }
        for s, stance in citations
    ]
    return block
