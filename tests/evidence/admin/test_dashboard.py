"""The evidence panel on the Wagtail dashboard."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence.admin.dashboard import (
    claims_awaiting_review,
    pages_blocked_by_gate,
)
from evidence.library.retractions import live_pages_citing_retracted_sources
from evidence.vocab import RetractionStatus
from tests.factories import SourceFactory, approve, make_article, paragraph

pytestmark = pytest.mark.django_db


def publish(page, reviewer, editor):
    approve(page, reviewer)
    page.specific.get_latest_revision().publish(user=editor)
    page.refresh_from_db()
    assert page.live


def retract(source):
    source.retraction_status = RetractionStatus.RETRACTED
    source.save()


def test_pages_in_medical_review_with_passages_left(
    article_index, writer_in_group, reviewer
):
    page = make_article(
        article_index,
        title="Submitted",
        body=[
            paragraph("NAD+ levels fall with age.", sources=[SourceFactory()]),
            paragraph("NR raises blood NAD+.", sources=[SourceFactory()]),
        ],
        owner=writer_in_group,
    )
    make_article(article_index, title="Still a draft", body=[paragraph()])
    page.specific.get_workflow().start(page.specific, writer_in_group)
    [item] = claims_awaiting_review()
    assert item.page.pk == page.pk
    # two passages, the title and the standfirst
    assert (item.to_review, item.passages) == (4, 4)
    approve(page, reviewer)
    assert claims_awaiting_review()[0].to_review == 0


def test_blocked_articles_are_listed_with_their_problems(
    article_index, writer_in_group, reviewer
):
    blocked = make_article(
        article_index,
        title="Uncited",
        body=[paragraph("NAD+ reverses ageing.")],
        owner=writer_in_group,
    )
    ready = make_article(
        article_index,
        title="Ready",
        body=[paragraph(sources=[SourceFactory()])],
        owner=writer_in_group,
    )
    approve(ready, reviewer)
    [item] = pages_blocked_by_gate()
    assert item.page.pk == blocked.pk
    assert {p.rule for p in item.problems} == {
        "uncited_claim",
        "unapproved_claim",
        "undecided_unit",  # its title and standfirst
    }


def test_live_articles_citing_a_retracted_source(
    article_index, writer_in_group, reviewer, editor
):
    bad, good = SourceFactory(title="Later retracted"), SourceFactory()
    citing = make_article(
        article_index,
        title="Cites it",
        body=[paragraph(sources=[bad, good])],
        owner=writer_in_group,
    )
    other = make_article(
        article_index,
        title="Does not",
        body=[paragraph(sources=[good])],
        owner=writer_in_group,
    )
    publish(citing, reviewer, editor)
    publish(other, reviewer, editor)
    assert live_pages_citing_retracted_sources() == []
    retract(bad)
    [item] = live_pages_citing_retracted_sources()
    assert item.page.pk == citing.pk
    assert [s.pk for s in item.sources] == [bad.pk]


def test_retracted_section_takes_three_queries_however_many_articles(
    article_index, writer_in_group, reviewer, editor
):
    bad = SourceFactory()
    for n in range(4):
        page = make_article(
            article_index,
            title=f"Article {n}",
            body=[paragraph(sources=[bad, SourceFactory()])],
            owner=writer_in_group,
        )
        publish(page, reviewer, editor)
    retract(bad)
    with CaptureQueriesContext(connection) as queries:
        found = live_pages_citing_retracted_sources()
    assert len(found) == 4
    assert len(queries) == 3


def test_dashboard_shows_the_panel(
    client, article_index, writer_in_group, reviewer, editor
):
    bad = SourceFactory(title="A retracted trial")
    live = make_article(
        article_index,
        title="Live article",
        body=[paragraph(sources=[bad, SourceFactory()])],
        owner=writer_in_group,
    )
    publish(live, reviewer, editor)
    retract(bad)
    submitted = make_article(
        article_index,
        title="Submitted article",
        body=[paragraph("NAD+ levels fall with age.", sources=[SourceFactory()])],
        owner=writer_in_group,
    )
    submitted.specific.get_workflow().start(submitted.specific, writer_in_group)
    make_article(
        article_index,
        title="Promo draft",
        body=[paragraph("NAD+ cures fatigue.")],
        owner=writer_in_group,
    )
    client.force_login(reviewer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Evidence and medical review" in html
    awaiting = html[html.index("Claims awaiting medical review") :]
    assert "Submitted article" in awaiting
    assert "3 of 3 units to review" in awaiting
    assert reverse("evidence_review:page", args=[submitted.pk]) in awaiting
    blocked = html[html.index("Articles the publish gate would refuse") :]
    assert "Promo draft" in blocked
    assert "cites no source" in blocked
    retracted = html[html.index("Live articles citing a retracted source") :]
    assert "Live article" in retracted
    assert "“A retracted trial”" in retracted


def test_empty_panel_says_so(client, site_tree, superuser):
    client.force_login(superuser)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "No page is waiting for medical review." in html
    assert "No article with unpublished changes is blocked." in html
    assert "No live article cites a retracted source." in html
