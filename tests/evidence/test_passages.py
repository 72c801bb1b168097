import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evidence.passages import cited_source_ids, read_passages
from evidence.vocab import RetractionStatus
from tests.factories import SourceFactory, heading, make_article, paragraph, study

pytestmark = pytest.mark.django_db


def table_block(source):
    return {
        "type": "table",
        "id": "t1",
        "value": {
            "text": {
                "data": [["Intervention", "Evidence"], ["Exercise", "Strong"]],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_caption": "How interventions compare",
            },
            "role": "claim",
            "citations": [{"source": source.pk, "stance": "mentions", "locator": ""}],
        },
    }


def list_block():
    return {
        "type": "list",
        "id": "l1",
        "value": {
            "text": [
                {"type": "item", "id": "i1", "value": "Genomic instability"},
                {"type": "item", "id": "i2", "value": "Cellular senescence"},
            ],
            "ordered": False,
            "role": "context",
            "citations": [],
        },
    }


def test_reads_every_passage_in_order_with_resolved_citations(article_index):
    rct, review = SourceFactory(), SourceFactory(study_design="narrative_review")
    page = make_article(
        article_index,
        body=[
            heading("Why it matters"),
            paragraph(
                "NAD+ &amp; sirtuins <b>decline</b>.",
                sources=[rct, review],
                block_id="p1",
            ),
            list_block(),
            table_block(review),
            study(rct, "Blood NAD+ rose by about 60%."),
        ],
    )
    passages = read_passages(page)
    assert [p.kind for p in passages] == [
        "heading",
        "paragraph",
        "list",
        "table",
        "study",
    ]
    assert [p.position for p in passages] == [1, 2, 3, 4, 5]
    assert passages[0].role == "context" and passages[0].citations == ()
    assert passages[0].text == "Why it matters"
    passages = passages[1:]
    first = passages[0]
    assert first.block_id == "p1"
    assert first.text == "NAD+ & sirtuins decline."
    assert [c.source for c in first.citations] == [rct, review]
    assert first.is_claim and all(c.usable for c in first.citations)
    assert passages[1].text == "Genomic instability Cellular senescence"
    assert passages[1].role == "context"
    assert "How interventions compare" in passages[2].text
    assert passages[2].citations[0].stance == "mentions"
    assert passages[3].citations[0].source == rct
    assert passages[3].citations[0].stance == "supports"


def test_resolves_all_sources_in_one_query(article_index):
    sources = SourceFactory.create_batch(30)
    page = make_article(
        article_index,
        body=[paragraph(sources=sources[i : i + 3]) for i in range(0, 30, 3)],
    )
    page = type(page).objects.get(pk=page.pk)
    with CaptureQueriesContext(connection) as queries:
        passages = read_passages(page)
    assert len(queries) == 1
    assert sum(len(p.citations) for p in passages) == 30


def test_reads_a_draft_revision_not_the_live_row(article_index):
    source = SourceFactory()
    page = make_article(article_index, body=[paragraph("Live text.", sources=[source])])
    page.body = [
        ("paragraph", {"text": "<p>Draft text.</p>", "role": "claim", "citations": []})
    ]
    revision = page.save_revision()
    draft = revision.as_object()
    assert read_passages(draft)[0].text == "Draft text."
    assert read_passages(type(page).objects.get(pk=page.pk))[0].text == "Live text."


def test_fingerprint_changes_with_text_or_citations_only(article_index):
    a, b = SourceFactory(), SourceFactory()
    base = read_passages(
        make_article(
            article_index, body=[paragraph("Same.", sources=[a], block_id="x")]
        )
    )[0]
    same = read_passages(
        make_article(
            article_index, body=[paragraph("Same.", sources=[a], block_id="y")]
        )
    )[0]
    retexted = read_passages(
        make_article(article_index, body=[paragraph("Other.", sources=[a])])
    )[0]
    recited = read_passages(
        make_article(article_index, body=[paragraph("Same.", sources=[b])])
    )[0]
    assert base.fingerprint == same.fingerprint
    assert base.fingerprint != retexted.fingerprint
    assert base.fingerprint != recited.fingerprint


def test_retracted_or_contradicting_citation_is_not_usable(article_index):
    retracted = SourceFactory(retraction_status=RetractionStatus.RETRACTED)
    page = make_article(
        article_index,
        body=[
            paragraph(sources=[retracted]),
            paragraph(sources=[SourceFactory()], stance="contradicts"),
        ],
    )
    assert [p.usable_citations for p in read_passages(page)] == [(), ()]


def test_deleted_source_leaves_an_unresolved_citation(article_index):
    source = SourceFactory()
    page = make_article(article_index, body=[paragraph(sources=[source])])
    source_id = source.pk
    source.delete()
    citation = read_passages(page)[0].citations[0]
    assert citation.source_id == source_id and citation.source is None
    assert not citation.usable


def test_cited_source_ids_needs_no_query(article_index):
    a, b = SourceFactory(), SourceFactory()
    page = make_article(article_index, body=[paragraph(sources=[a]), study(b)])
    with CaptureQueriesContext(connection) as queries:
        assert cited_source_ids(page) == {a.pk, b.pk}
    assert len(queries) == 0


def test_passage_text_separates_block_elements(article_index):
    page = make_article(article_index, body=[paragraph("One.</p><p>Two &lt;3")])
    assert read_passages(page)[0].text == "One. Two <3"


def test_editor_block_keys_do_not_change_the_fingerprint(article_index):
    plain = read_passages(make_article(article_index, body=[paragraph("Same.")]))[0]
    keyed = paragraph("Same.")
    keyed["value"]["text"] = '<p data-block-key="wm9v1">Same.</p>'
    saved = read_passages(make_article(article_index, body=[keyed]))[0]
    assert saved.fingerprint == plain.fingerprint


def test_the_fingerprint_format_is_stable():
    """Stored approvals are pinned to this exact hash: changing how it is
    computed would void every approval on every page. It covers the kind,
    the role, the text as the page shows it (NFKC, invisible characters
    removed), the citations and each cited Source's evidence (issue 12,
    rule 3); the authorship hash covers the kind and the stored text."""
    import hashlib
    import json

    from evidence.models import Source
    from evidence.passages import Citation, Passage
    from evidence.review.data import text_hash

    source = Source(
        pk=7, study_design="rct", population="human", sample_size=40, grade="B"
    )
    source.evidence_version = 3
    passage = Passage(
        block_id="b1",
        position=1,
        kind="paragraph",
        role="claim",
        content="<p>NAD+ “falls” with\u200b age é</p>",
        citations=(Citation(7, "supports", "p. 3", source),),
    )
    shown = "<p>NAD+ “falls” with age é</p>"  # the zero-width space removed
    payload = [
        "paragraph",
        "claim",
        shown,
        # each cited Source's evidence key, as compact JSON
        [
            [
                7,
                "supports",
                "p. 3",
                json.dumps(source.evidence_key(), separators=(",", ":")),
            ]
        ],
    ]
    expected = json.dumps(payload, separators=(",", ":"))
    assert passage.fingerprint == hashlib.sha256(expected.encode()).hexdigest()
    expected = json.dumps(["paragraph", passage.content], separators=(",", ":"))
    assert text_hash(passage) == hashlib.sha256(expected.encode()).hexdigest()
