import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evidence.analysis.evaluation import evidence_items, page_subject
from evidence.passages import analyse_passages, read_passages
from evidence.vocab import Population, RetractionStatus, Route, StudyDesign
from tests.factories import SourceFactory, heading, make_article, paragraph, study

pytestmark = pytest.mark.django_db

SHOWN = "NAD+ infusions have been shown to reverse ageing in muscle."


def by_id(analyses):
    return {analysis.block_id: analysis for analysis in analyses}


def test_claim_sentences_cues_and_hedges_per_passage(article_index):
    hedged = paragraph("NAD+ may slow some signs of ageing in mice.", role="claim")
    context = paragraph("Read on to learn more about NAD+.", role="context")
    intro = heading("Intro")
    page = make_article(article_index, body=[intro, hedged, context])

    analyses = by_id(analyse_passages(page))

    # A heading is a passage too (a reviewable unit); it states no claim.
    assert set(analyses) == {intro["id"], hedged["id"], context["id"]}
    assert analyses[intro["id"]].claims == ()
    (claim,) = analyses[hedged["id"]].claims
    assert claim.hedged
    assert {hedge.text for hedge in claim.hedges} >= {"may", "in mice"}
    assert "effect" in {cue.kind for cue in claim.cues}
    assert analyses[context["id"]].claims == ()
    assert not analyses[context["id"]].claim_in_context


def test_context_passage_that_states_a_claim_is_flagged(article_index):
    hidden = paragraph(
        "NAD+ IV therapy has been shown to reduce inflammation.", role="context"
    )
    page = make_article(article_index, body=[hidden])

    (analysis,) = analyse_passages(page)

    assert analysis.claim_in_context
    assert analysis.uncited_claim
    assert analysis.as_dict()["claim_in_context"] is True


def test_strong_wording_on_mouse_study_warns_and_suggests_very_low(article_index):
    mouse = SourceFactory(
        study_design=StudyDesign.ANIMAL,
        population=Population.ANIMAL,
        grade="D",
        intervention="NMN",
        route=Route.ORAL,
        authors="Gomes AP, Price NL",
        year=2013,
    )
    passage = paragraph(SHOWN, sources=[mouse])
    page = make_article(
        article_index,
        body=[passage],
        subject_intervention="NAD+",
        subject_route=Route.INTRAVENOUS,
    )

    (analysis,) = analyse_passages(page)

    codes = {warning.code for warning in analysis.warnings}
    assert {
        "strong_wording_weak_evidence",
        "strong_wording_preclinical",
        "indirect_evidence",
    } <= codes
    indirect = next(w for w in analysis.warnings if w.code == "indirect_evidence")
    assert "intravenous NAD+" in indirect.message
    assert "Gomes AP 2013" in indirect.message
    assert analysis.suggestion.level == "very_low"
    assert not analysis.uncited_claim


def test_direct_human_trial_gives_no_warning(article_index):
    trial = SourceFactory(
        grade="A", intervention="NAD+", route=Route.INTRAVENOUS, sample_size=400
    )
    passage = paragraph(
        "NAD+ infusions lowered fatigue scores by 20%.", sources=[trial]
    )
    page = make_article(
        article_index,
        body=[passage],
        subject_intervention="NAD+",
        subject_route=Route.INTRAVENOUS,
    )

    (analysis,) = analyse_passages(page)

    assert analysis.warnings == ()
    assert analysis.suggestion.level == "high"


def test_retracted_source_supports_nothing(article_index):
    retracted = SourceFactory(retraction_status=RetractionStatus.RETRACTED)
    passage = paragraph("Magnesium reduces muscle cramps.", sources=[retracted])
    page = make_article(article_index, body=[passage])

    (analysis,) = analyse_passages(page)

    (item,) = evidence_items(analysis.passage)
    assert item.retracted
    assert analysis.uncited_claim
    assert analysis.suggestion.level == "very_low"


def test_subject_comes_from_the_page_version(article_index):
    page = make_article(article_index, subject_intervention="NAD+")
    assert page_subject(page).intervention == "NAD+"
    page.subject_intervention = ""
    assert page_subject(page) is None


def test_analyses_a_draft_revision_not_the_live_row(article_index, writer):
    page = make_article(article_index, body=[paragraph("A plain welcome.")])
    draft = page.get_latest_revision_as_object()
    draft.body = [("paragraph", {"text": "<p>Zinc cures colds.</p>", "role": "claim"})]
    revision = draft.save_revision(user=writer)

    (analysis,) = analyse_passages(revision.as_object())

    assert analysis.passage.text == "Zinc cures colds."
    assert analysis.has_claim


def test_one_query_for_many_passages_and_repeated_text_analysed_once(
    article_index, monkeypatch
):
    sources = SourceFactory.create_batch(3)
    body = [paragraph(SHOWN, sources=[source]) for source in sources]
    body += [paragraph(SHOWN) for _ in range(3)]
    body.append(study(sources[0]))
    page = make_article(article_index, body=body)

    import evidence.analysis.evaluation as evaluation

    evaluation.sentence_verdicts.cache_clear()
    calls = []
    real = evaluation.detect_sentences
    monkeypatch.setattr(
        evaluation, "detect_sentences", lambda text: calls.append(text) or real(text)
    )
    with CaptureQueriesContext(connection) as queries:
        analyses = analyse_passages(page)

    assert len(queries) == 1
    assert len(analyses) == 7
    assert calls.count(SHOWN) == 1
    analyse_passages(page)
    assert calls.count(SHOWN) == 1


def test_passages_already_read_cost_no_query(article_index):
    source = SourceFactory()
    page = make_article(article_index, body=[paragraph(SHOWN, sources=[source])])
    passages = read_passages(page)

    with CaptureQueriesContext(connection) as queries:
        (analysis,) = analyse_passages(page, passages)

    assert len(queries) == 0
    assert analysis.passage is passages[0]


def test_as_dict_is_plain_data(article_index):
    source = SourceFactory(grade="C")
    page = make_article(article_index, body=[paragraph(SHOWN, sources=[source])])

    data = analyse_passages(page)[0].as_dict()

    assert data["position"] == 1
    assert data["sentences"][0]["is_claim"] is True
    assert {"kind": "shown", "text": "have been shown"} in data["sentences"][0]["cues"]
    assert data["warnings"][0]["code"] == "strong_wording_weak_evidence"
    assert data["suggested_certainty"]["grade"] in {"A", "B", "C", "D"}
