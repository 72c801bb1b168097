"""A decision records what the reviewer saw (issue 12, rule 4), in the API.

Each attack here failed before the rule: the review POST carried no
fingerprint, so it approved whatever the latest text was when it arrived.
"""

import pytest

from evidence.gate import PublishBlocked
from evidence.gate.publish import publish_latest
from evidence.models import ReviewDecision
from tests.api.conftest import client_for
from tests.factories import SourceFactory, make_article, paragraph

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(article_index, staff_writer):
    return make_article(
        article_index,
        owner=staff_writer,
        body=[
            paragraph(
                "NR raised blood NAD+.", sources=[SourceFactory()], block_id="c-1"
            ),
            paragraph(
                "This article explains what we know.", role="context", block_id="x-1"
            ),
            paragraph("Read on for the details.", role="context", block_id="x-2"),
        ],
    )


def shown(client, page):
    """What the reviewer reads: the latest draft's passages, by block id."""
    response = client.get(f"/api/v1/articles/{page.pk}/?revision=latest")
    assert response.status_code == 200
    return {p["block_id"]: p for p in response.json()["passages"]}


def review_url(page, block_id):
    return f"/api/v1/articles/{page.pk}/passages/{block_id}/reviews/"


def test_the_latest_draft_lists_each_passage_fingerprint(article, reviewer):
    passages = shown(client_for(reviewer), article)
    assert all(len(p["fingerprint"]) == 64 for p in passages.values())
    # the title, the standfirst and the three passages
    assert list(passages)[:2] == ["title", "standfirst"]
    assert len({p["fingerprint"] for p in passages.values()}) == 5


def test_a_review_without_a_fingerprint_is_refused(article, reviewer):
    response = client_for(reviewer).post(
        review_url(article, "c-1"), {"decision": "approve"}, format="json"
    )
    assert response.status_code == 400
    assert "fingerprint" in response.json()
    assert not ReviewDecision.objects.filter(page=article).exists()


def test_a_writer_patch_between_the_read_and_the_approval_is_not_approved(
    article, reviewer, staff_writer, editor
):
    """The attack: the reviewer reads the claim, the writer PATCHes in a
    stronger one, the reviewer's approval arrives. It used to approve the
    new text and the editor could publish it."""
    reviewer_client = client_for(reviewer)
    read = shown(reviewer_client, article)["c-1"]
    source = read["citations"][0]["source"]
    patched = client_for(staff_writer).patch(
        f"/api/v1/articles/{article.pk}/",
        {
            "body": [
                {
                    "type": "paragraph",
                    "id": "c-1",
                    "value": {
                        "text": "<p>NR reverses ageing.</p>",
                        "role": "claim",
                        "citations": [{"source": source, "stance": "supports"}],
                    },
                }
            ]
        },
        format="json",
    )
    assert patched.status_code == 200, patched.json()
    response = reviewer_client.post(
        review_url(article, "c-1"),
        {"decision": "approve", "fingerprint": read["fingerprint"]},
        format="json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["rule"] == "changed_since_shown"
    assert body["block_id"] == "c-1"
    assert body["recorded"] is False
    assert body["fingerprint"] == shown(reviewer_client, article)["c-1"]["fingerprint"]
    assert "changed after you were shown it" in body["detail"]
    assert not ReviewDecision.objects.filter(page=article).exists()
    with pytest.raises(PublishBlocked):
        publish_latest(article, editor)


def test_a_double_submitted_decision_is_recorded_once(article, reviewer):
    client = client_for(reviewer)
    read = shown(client, article)["c-1"]
    payload = {"decision": "approve", "fingerprint": read["fingerprint"]}
    first = client.post(review_url(article, "c-1"), payload, format="json")
    second = client.post(review_url(article, "c-1"), payload, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert ReviewDecision.objects.filter(page=article).count() == 1


def test_a_block_id_of_another_article_is_not_reviewed_here(
    article, article_index, staff_writer, reviewer
):
    other = make_article(
        article_index,
        owner=staff_writer,
        body=[paragraph("Other text.", sources=[SourceFactory()], block_id="o-1")],
    )
    client = client_for(reviewer)
    fingerprint = shown(client, other)["o-1"]["fingerprint"]
    response = client.post(
        review_url(article, "o-1"),
        {"decision": "approve", "fingerprint": fingerprint},
        format="json",
    )
    assert response.status_code == 404
    assert not ReviewDecision.objects.filter(page__in=[article, other]).exists()


# --- confirming context passages together ---------------------------------


def confirm(client, page, passages):
    return client.post(
        f"/api/v1/articles/{page.pk}/context-confirmations/",
        {
            "passages": [
                {"block_id": p["block_id"], "fingerprint": p["fingerprint"]}
                for p in passages
            ]
        },
        format="json",
    )


def test_context_passages_are_confirmed_together(article, reviewer):
    client = client_for(reviewer)
    read = shown(client, article)
    response = confirm(client, article, [read["x-1"], read["x-2"]])
    assert response.status_code == 201, response.json()
    assert [d["block_id"] for d in response.json()] == ["x-1", "x-2"]
    assert {d.decision for d in ReviewDecision.objects.filter(page=article).all()} == {
        "not_a_claim"
    }
    assert (
        ReviewDecision.objects.filter(page=article).first().note
        == "I have read 2 body passages; none states a claim."
    )


def test_a_claim_is_not_confirmed_in_bulk(article, reviewer):
    client = client_for(reviewer)
    read = shown(client, article)
    response = confirm(client, article, [read["x-1"], read["c-1"]])
    assert response.status_code == 400
    assert "decide it on its own" in response.json()["detail"]
    assert not ReviewDecision.objects.filter(page=article).exists()


def test_a_context_passage_the_detector_flags_is_not_confirmed_in_bulk(
    article_index, staff_writer, reviewer
):
    page = make_article(
        article_index,
        owner=staff_writer,
        body=[
            paragraph(
                "NR cures heart disease in adults.", role="context", block_id="f"
            ),
            paragraph("Read on.", role="context", block_id="r"),
        ],
    )
    client = client_for(reviewer)
    read = shown(client, page)
    response = confirm(client, page, [read["r"], read["f"]])
    assert response.status_code == 400
    assert not ReviewDecision.objects.filter(page=page).exists()


def test_a_bulk_confirmation_of_changed_passages_records_nothing(
    article, reviewer, staff_writer
):
    from tests.factories import set_passage_text

    client = client_for(reviewer)
    read = shown(client, article)
    set_passage_text(article, staff_writer, 2, "NR cures heart disease.")
    response = confirm(client, article, [read["x-1"], read["x-2"]])
    assert response.status_code == 409
    assert response.json()["block_id"] == "x-2"
    assert not ReviewDecision.objects.filter(page=article).exists()


def test_only_reviewers_confirm_in_bulk(article, staff_writer, editor):
    read = shown(client_for(editor), article)
    for user in (staff_writer, editor):
        response = confirm(client_for(user), article, [read["x-1"]])
        assert response.status_code == 403
    assert not ReviewDecision.objects.filter(page=article).exists()


def test_an_approval_of_the_standfirst_is_refused_with_what_to_do(
    article_index, staff_writer, reviewer
):
    """The standfirst cannot carry citations, so a claim in it can never be
    approved. The API used to record the approval, with a certainty, of a
    claim that cites nothing."""
    page = make_article(
        article_index,
        owner=staff_writer,
        standfirst="NAD+ infusions reverse ageing in adults.",
        body=[paragraph("NR raised blood NAD+.", sources=[SourceFactory()])],
    )
    reviewer_client = client_for(reviewer)
    read = shown(reviewer_client, page)["standfirst"]
    assert read["citations"] == []

    response = reviewer_client.post(
        review_url(page, "standfirst"),
        {"decision": "approve", "fingerprint": read["fingerprint"]},
        format="json",
    )

    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith(
        "The standfirst cannot cite sources, so it cannot be approved as a claim"
    )
    assert "move the claim into the body, where it can be cited" in detail
    assert not ReviewDecision.objects.filter(page=page).exists()
    # Sent back to the writer instead: recorded.
    sent_back = reviewer_client.post(
        review_url(page, "standfirst"),
        {
            "decision": "request_changes",
            "note": "Move this claim into the body and cite the trial.",
            "fingerprint": read["fingerprint"],
        },
        format="json",
    )
    assert sent_back.status_code == 201, sent_back.json()
