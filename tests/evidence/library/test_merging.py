"""Merging a duplicate Source into the one kept."""

import json

import pytest
from wagtail.models import ModelLogEntry, PageLogEntry, ReferenceIndex, Revision

from evidence.gate.publish import publish_latest
from evidence.library import grades, merging
from evidence.models import Source
from evidence.passages import read_passages
from evidence.vocab import Grade, RetractionStatus
from tests.factories import (
    SourceFactory,
    approve,
    edit_body,
    heading,
    make_article,
    paragraph,
    study,
)

pytestmark = pytest.mark.django_db


def cited_ids(blocks):
    ids = []
    for block in blocks:
        value = block["value"]
        if block["type"] == "study":
            ids.append(value["source"])
        for item in value.get("citations", []):
            ids.append(item["value"]["source"])
    return ids


def revision_blocks(revision):
    revision = Revision.objects.get(pk=revision.pk)
    return json.loads(revision.content["body"])


@pytest.fixture
def pair():
    keep = SourceFactory(
        title="Chronic nicotinamide riboside supplementation",
        doi="10.1038/s41467-018-03421-7",
        pmid="",
        sample_size=None,
        grade=Grade.B,
    )
    duplicate = SourceFactory(
        title="Chronic nicotinamide riboside supplementation.",
        doi="",
        pmid="29599478",
        sample_size=24,
        intervention="NR 1,000 mg/day for 6 weeks",
        grade=Grade.B,
    )
    return keep, duplicate


@pytest.fixture
def cited_twice(pair, article_index, writer_in_group, reviewer, editor):
    """A live page citing the duplicate in a paragraph and a study card,
    then a draft on top of it that cites it again."""
    keep, duplicate = pair
    other = SourceFactory()
    page = make_article(
        article_index,
        owner=writer_in_group,
        body=[
            heading("Evidence"),
            paragraph("NR raised blood NAD+.", sources=[duplicate, other]),
            study(duplicate, text="NAD+ rose by 60%."),
        ],
    )
    approve(page, reviewer)
    publish_latest(page, editor)
    published = page.get_latest_revision()
    draft = edit_body(
        page,
        writer_in_group,
        lambda blocks: [
            *blocks,
            paragraph("It was well tolerated.", sources=[duplicate]),
        ],
    )
    return page, published, draft, other


def test_citations_move_in_the_live_body_and_every_revision(cited_twice, pair, editor):
    keep, duplicate = pair
    page, published, draft, other = cited_twice
    ids_before = [b["id"] for b in revision_blocks(draft)]
    citing = merging.citing_pages(duplicate)
    assert [(c.page.pk, c.live, c.revisions) for c in citing] == [(page.pk, True, 2)]

    report = merging.merge_sources(keep, duplicate, editor)

    assert not Source.objects.filter(pk=duplicate.pk).exists()
    assert report.pages == [page.pk]
    assert report.revisions == 2
    assert report.citations == 2 + 3 + 2  # live body, draft, published revision
    live = type(page).objects.get(pk=page.pk)
    assert cited_ids(live.body.raw_data) == [keep.pk, other.pk, keep.pk]
    assert cited_ids(revision_blocks(published)) == [keep.pk, other.pk, keep.pk]
    assert cited_ids(revision_blocks(draft)) == [keep.pk, other.pk, keep.pk, keep.pk]
    assert [b["id"] for b in revision_blocks(draft)] == ids_before
    cited = [p.citations[0].source for p in read_passages(live) if p.citations]
    assert cited == [keep, keep]
    assert not ReferenceIndex.get_references_to(duplicate).exists()
    assert ReferenceIndex.get_references_to(keep).filter(object_id=str(page.pk))


def test_empty_details_are_filled_from_the_duplicate(pair, editor):
    keep, duplicate = pair
    merging.merge_sources(keep, duplicate, editor)
    keep.refresh_from_db()
    assert keep.pmid == "29599478"
    assert keep.doi == "10.1038/s41467-018-03421-7"
    assert keep.sample_size == 24
    assert keep.title == "Chronic nicotinamide riboside supplementation"


def test_a_retracted_duplicate_passes_its_retraction_on(pair, editor, reviewer):
    keep, duplicate = pair
    duplicate.retraction_status = RetractionStatus.RETRACTED
    duplicate.retraction_notice_url = "https://doi.org/10.5555/notice"
    duplicate.save()
    merging.merge_sources(keep, duplicate, editor)
    keep.refresh_from_db()
    assert keep.is_retracted
    assert keep.retraction_notice_url == "https://doi.org/10.5555/notice"


def test_a_confirmed_grade_on_the_duplicate_is_kept(pair, editor, reviewer):
    keep, duplicate = pair
    grades.confirm_grade(duplicate, reviewer)
    merging.merge_sources(keep, duplicate, editor)
    keep.refresh_from_db()
    assert keep.grade_confirmed_by == reviewer


def test_the_merge_is_logged_on_the_source_and_the_pages(cited_twice, pair, editor):
    keep, duplicate = pair
    page = cited_twice[0]
    merging.merge_sources(keep, duplicate, editor)
    entry = ModelLogEntry.objects.get(action="evidence.merge_sources")
    assert entry.user == editor
    assert entry.data["merged_id"] == duplicate.pk
    assert entry.data["pages"] == [page.pk]
    assert PageLogEntry.objects.filter(
        page=page, action="evidence.citations_moved", user=editor
    ).exists()


def test_moving_a_citation_voids_the_approval_of_its_passage(cited_twice, pair, editor):
    """A passage whose citation changed must be reviewed again."""
    from evidence.review.data import review_states

    keep, duplicate = pair
    page = cited_twice[0]
    live = type(page).objects.get(pk=page.pk)
    passage = next(p for p in read_passages(live) if p.citations)
    assert review_states(live)[passage.block_id].status == "approved"
    merging.merge_sources(keep, duplicate, editor)
    live = type(page).objects.get(pk=page.pk)
    assert review_states(live)[passage.block_id].status == "changed_since_approval"


def test_different_identifiers_refuse_the_merge(editor):
    a = SourceFactory(doi="10.5555/a")
    b = SourceFactory(doi="10.5555/b")
    with pytest.raises(merging.MergeRefused, match="different papers"):
        merging.merge_sources(a, b, editor)
    with pytest.raises(merging.MergeRefused, match="into itself"):
        merging.merge_sources(a, a, editor)
    assert Source.objects.count() == 2


def test_repoint_blocks_only_touches_source_keys():
    data = [
        {"type": "paragraph", "id": "7", "value": {"text": "<p>7</p>", "source": 7}},
        {"type": "study", "id": "x", "value": {"source": "7", "text": "7"}},
        {"type": "study", "id": "y", "value": {"source": 17}},
    ]
    assert merging.repoint_blocks(data, 7, 9) == 2
    assert data[0]["id"] == "7" and data[0]["value"]["text"] == "<p>7</p>"
    assert data[0]["value"]["source"] == 9
    assert data[1]["value"]["source"] == "9"
    assert data[2]["value"]["source"] == 17


def test_a_passage_citing_both_sources_cites_the_kept_one_once(
    pair, article_index, writer_in_group, editor
):
    keep, duplicate = pair
    both = paragraph("NR raised blood NAD+.", sources=[keep, duplicate])
    contradicted = paragraph("NR lowered inflammation.", sources=[keep])
    contradicted["value"]["citations"].append(
        paragraph(sources=[duplicate], stance="contradicts")["value"]["citations"][0]
    )
    page = make_article(article_index, owner=writer_in_group, body=[both, contradicted])

    merging.merge_sources(keep, duplicate, editor)

    [first, second] = read_passages(
        type(page).objects.get(pk=page.pk).get_latest_revision_as_object()
    )
    assert [(c.source_id, c.stance) for c in first.citations] == [(keep.pk, "supports")]
    # Different stances are different citations: both stay.
    assert [(c.source_id, c.stance) for c in second.citations] == [
        (keep.pk, "supports"),
        (keep.pk, "contradicts"),
    ]


def test_repeats_are_only_dropped_where_a_citation_moved():
    stream = [
        {
            "type": "paragraph",
            "value": {
                "citations": [
                    {"type": "item", "value": {"source": 7, "stance": "supports"}},
                    {"type": "item", "value": {"source": 7, "stance": "supports"}},
                ]
            },
        }
    ]
    assert merging.repoint_blocks(stream, 99, 7) == 0
    assert len(stream[0]["value"]["citations"]) == 2  # untouched: not a merge's doing
