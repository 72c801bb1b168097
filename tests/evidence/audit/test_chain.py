"""The audit trail: every save, decision, publish, unpublish and Source change
is an append-only event whose hash covers the one before (issue 17, item 2)."""

import json

import pytest
from django.core.exceptions import ValidationError
from wagtail.log_actions import LogContext
from wagtail.models import Page

from articles.models import ArticlePage
from evidence.audit.chain import append, event_hash, stored_chain, verify_events
from evidence.library.safeguards import apply_evidence_change
from evidence.models import GENESIS, AuditEvent, PublishedVersion
from tests.factories import publish_approved, set_passage_text

pytestmark = pytest.mark.django_db


def kinds(page):
    return [e["kind"] for e in stored_chain(page.pk)]


def test_a_published_article_has_its_saves_decisions_and_publish(live_article):
    chain = stored_chain(live_article.pk)
    # a decision on each unit: the title, the standfirst and two passages
    assert kinds(live_article) == ["save"] + ["decision"] * 4 + ["publish"]
    assert verify_events(chain, article=live_article.pk) is None
    assert chain[0]["prev"] == GENESIS
    assert all(b["prev"] == a["hash"] for a, b in zip(chain, chain[1:], strict=False))


def test_a_decision_names_the_reviewer_credentials_time_meaning_fingerprint(
    live_article,
):
    decisions = [e for e in stored_chain(live_article.pk) if e["kind"] == "decision"]
    approval = next(
        d for d in decisions if d["data"]["meaning"] == "approved as a claim"
    )
    assert approval["actor"]["name"] == "Dr Ada Lovelace"
    assert approval["actor"]["credentials"] == "MD, PhD"
    assert approval["at"].endswith("Z")
    assert approval["data"]["certainty"] == "low"
    assert len(approval["data"]["fingerprint"]) == 64
    other = next(d for d in decisions if d is not approval)
    assert other["data"]["meaning"] == "confirmed not a claim"


def test_the_publish_event_records_the_text_and_the_publisher(
    article_index, writer, credited_reviewer, editor, source
):
    from tests.factories import make_article, paragraph

    page = make_article(
        article_index,
        body=[paragraph("NR raised NAD+.", sources=[source])],
        owner=writer,
    )
    with LogContext(user=editor):
        publish_approved(page, credited_reviewer, editor, certainty="low", reason="r")
    publish = stored_chain(page.pk)[-1]
    assert publish["kind"] == "publish"
    assert publish["actor"]["id"] == editor.pk
    assert publish["data"]["kind"] == "first"
    assert publish["data"]["reviewed_by"] == [
        {"name": "Dr Ada Lovelace", "credentials": "MD, PhD"}
    ]
    assert publish["data"]["sources"][0]["doi"] == source.doi
    version = PublishedVersion.objects.get(page_id=page.pk)
    [claim] = [u for u in version.text["units"] if u["position"] == 1]
    assert claim["text"] == "NR raised NAD+."
    assert claim["certainty"] == "low"


def test_edits_republish_unpublish_and_source_changes_extend_the_chain(
    live_article, writer, credited_reviewer, editor, source
):
    set_passage_text(live_article, writer, 0, "NR raised blood NAD+ by about 60%.")
    publish_approved(
        live_article, credited_reviewer, editor, certainty="low", reason="r"
    )
    source.refresh_from_db()
    source.sample_size = 30
    source.save()
    apply_evidence_change(source, credited_reviewer, note="Retracted by the journal.")
    source.retraction_status = "retracted"
    source.save()
    ArticlePage.objects.get(pk=live_article.pk).unpublish(user=editor)
    found = kinds(live_article)
    assert found[-4:] == ["publish", "source_change", "source_change", "unpublish"]
    assert "save" in found[4:] and found.count("decision") >= 3
    change = stored_chain(live_article.pk)[-2]
    assert change["data"]["changed"] == ["evidence_version", "retraction_status"]
    assert change["data"]["before"]["retraction_status"] == "none"
    assert verify_events(stored_chain(live_article.pk), article=live_article.pk) is None


@pytest.mark.parametrize("update_fields", [None, ["live"]])
@pytest.mark.parametrize("which", ["home", "article_index", "live_article"])
def test_a_page_set_live_through_a_plain_page_records_its_publish(
    which, update_fields, request, editor
):
    """`Page.objects.get(...)` (the tree, a relation) gives a plain `Page`;
    set live through one, every gated page type's publish is on record,
    not only an article's (whose byline save happened to record it)."""
    page = request.getfixturevalue(which)
    page.specific_class.objects.get(pk=page.pk).unpublish()
    before = kinds(page)
    plain = Page.objects.get(pk=page.pk)
    plain.live = True
    with LogContext(user=editor):
        plain.save(update_fields=update_fields)
    assert kinds(page) == [*before, "publish"]
    publish = stored_chain(page.pk)[-1]
    assert publish["actor"]["id"] == editor.pk
    version = PublishedVersion.objects.get(page_id=page.pk, event_seq=publish["seq"])
    assert version.text["title"] == page.title
    assert version.text_hash == publish["data"]["text_hash"]
    assert verify_events(stored_chain(page.pk), article=page.pk) is None


def test_events_are_append_only(live_article):
    event = AuditEvent.objects.filter(page_id=live_article.pk).first()
    event.payload = event.payload.replace("save", "edit")
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_each_chain_is_per_article(live_article, article_index, writer):
    from tests.factories import make_article

    other = make_article(article_index, owner=writer)
    assert stored_chain(other.pk)[0]["seq"] == 1
    assert stored_chain(other.pk)[0]["prev"] == GENESIS


def test_verify_names_the_first_changed_event(live_article):
    chain = stored_chain(live_article.pk)
    chain[1]["data"]["certainty"] = "high"
    mismatch = verify_events(chain)
    assert mismatch.seq == 2 and mismatch.kind == "decision"
    assert "does not match its hash" in mismatch.reason


def test_verify_finds_a_removed_reordered_or_rehashed_event(live_article):
    chain = stored_chain(live_article.pk)
    assert verify_events([chain[0], *chain[2:]]).seq == 3
    assert verify_events([chain[1], chain[0], *chain[2:]]).seq == 2
    forged = json.loads(json.dumps(chain))
    forged[2]["data"]["note"] = "forged"
    forged[2]["hash"] = event_hash(forged[2])  # rehashed, but the next link breaks
    assert verify_events(forged).seq == 4


def test_append_numbers_and_links_events(db):
    first = append(99999, "save", {"a": "é"})
    second = append(99999, "save", {"b": 1})
    assert (first.seq, second.seq) == (1, 2)
    assert second.prev_hash == first.hash
    assert json.loads(first.payload)["data"] == {"a": "é"}


def test_a_page_live_before_the_trail_began_is_not_first_published_again(
    live_article, writer, credited_reviewer, editor
):
    from evidence.audit.notes import record_change_note

    PublishedVersion.objects.filter(page_id=live_article.pk).delete()  # legacy
    set_passage_text(live_article, writer, 0, "NR raised blood NAD+ by about 60%.")
    page = ArticlePage.objects.get(pk=live_article.pk)
    record_change_note(page.get_latest_revision(), "update", "Rounded.", editor)
    publish_approved(page, credited_reviewer, editor, certainty="low", reason="r")
    version = PublishedVersion.objects.get(page_id=live_article.pk)
    assert (version.kind, version.note) == ("update", "Rounded.")
