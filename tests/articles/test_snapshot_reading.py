"""Readers see what was approved for the version they read.

The article page, the API and the schema.org data show certainties, credits
and the byline from the live version's publish snapshot; a decision given
after the page went live shows once it is published again.
"""

import json
import re

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from evidence.gate.publish import publish_latest
from evidence.models import PublishSnapshot, ReviewerProfile
from evidence.passages import read_passages
from tests.factories import SourceFactory, approve, decide, make_article, paragraph

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("no_page_cache"),
]


def byline(user, credit: str) -> str:
    """A reviewer's credit in the byline, linked to their profile page."""
    return f'<strong><a href="/reviewers/{user.pk}/">{credit}</a></strong>'


@pytest.fixture
def no_page_cache():
    with override_settings(NADSITE_PAGE_CACHE_SECONDS=0):
        yield


@pytest.fixture
def live(article_index, writer, reviewer, editor):
    ReviewerProfile.objects.create(
        user=reviewer, display_name="Dr Ada Reviewer", credentials="MD"
    )
    page = make_article(
        article_index,
        slug="snapshot-article",
        body=[paragraph("NR raised blood NAD+.", sources=[SourceFactory()])],
        owner=writer,
    )
    approve(page, reviewer, certainty="low", reason="One small trial.")
    publish_latest(page, editor)
    return type(page).objects.get(pk=page.pk)


def claim_id(page):
    return read_passages(page)[0].block_id


def decide_again(page, who, decision="approve", certainty="high", note=""):
    decide(
        page,
        claim_id(page),
        who,
        decision,
        note=note,
        certainty=certainty if decision == "approve" else "",
        certainty_reason="Read again." if decision == "approve" else "",
    )


def shown(client, page):
    html = client.get(page.url).content.decode()
    badge = re.search(r'<summary class="badge grade--(\w)"', html).group(1)
    summary = html[html.index('class="evidence-summary"') :]
    summary = summary[: summary.index("</section>")]
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    )
    return badge, summary, data


def api_article(page):
    """The article as the API shows it, with only its body's passages (the
    title and the standfirst, listed first, are units too)."""
    article = APIClient().get(f"/api/v1/articles/{page.pk}/").json()
    article["passages"] = [p for p in article["passages"] if p["position"] >= 1]
    return article


def test_a_later_decision_shows_only_after_the_page_is_published_again(
    client, live, reviewer, second_reviewer, editor
):
    ReviewerProfile.objects.create(
        user=second_reviewer, display_name="Dr Bo Second", credentials="PhD"
    )
    badge, summary, data = shown(client, live)
    assert badge == "C"
    assert "Medically reviewed by " + byline(reviewer, "Dr Ada Reviewer, MD") in summary
    assert [r["name"] for r in data["reviewedBy"]] == ["Dr Ada Reviewer"]
    reviewed_on = data["lastReviewed"]
    [passage] = api_article(live)["passages"]
    assert passage["review"]["certainty"] == "low"
    assert [r["name"] for r in passage["review"]["reviewers"]] == ["Dr Ada Reviewer"]

    decide_again(live, second_reviewer, certainty="high")

    badge, summary, data = shown(client, live)
    assert badge == "C"  # still what was approved for this version
    assert "Dr Bo Second" not in summary
    assert [r["name"] for r in data["reviewedBy"]] == ["Dr Ada Reviewer"]
    assert data["lastReviewed"] == reviewed_on
    article = api_article(live)
    assert article["passages"][0]["review"]["certainty"] == "low"
    assert [r["name"] for r in article["reviewed_by"]] == ["Dr Ada Reviewer"]

    publish_latest(live, editor)

    badge, summary, data = shown(client, live)
    assert badge == "A"
    assert byline(second_reviewer, "Dr Bo Second, PhD") in summary
    assert sorted(r["name"] for r in data["reviewedBy"]) == [
        "Dr Ada Reviewer",
        "Dr Bo Second",
    ]
    article = api_article(live)
    assert article["passages"][0]["review"]["certainty"] == "high"
    assert len(article["passages"][0]["review"]["reviewers"]) == 2


def test_a_request_for_changes_does_not_rewrite_the_live_version(
    client, live, reviewer
):
    decide_again(live, reviewer, decision="request_changes", note="Too strong.")
    badge, summary, _data = shown(client, live)
    assert badge == "C"
    assert api_article(live)["passages"][0]["review"]["status"] == "approved"


def test_the_badge_comes_from_the_snapshot_not_the_decisions(client, live):
    snapshot = PublishSnapshot.objects.live_for(live)
    snapshot.units[claim_id(live)]["certainty"] = "moderate"
    snapshot.save()
    badge, _summary, _data = shown(client, live)
    assert badge == "B"
    assert api_article(live)["passages"][0]["review"]["certainty"] == "moderate"


def test_a_live_page_without_a_snapshot_shows_no_review(client, live):
    PublishSnapshot.objects.filter(page=live).delete()
    html = client.get(live.url).content.decode()
    assert "Not yet medically reviewed." in html
    assert "Certainty recorded by the medical reviewer." not in html


def test_a_preview_shows_what_the_gate_would_record_now(live, second_reviewer):
    decide_again(live, second_reviewer, certainty="high")
    response = live.make_preview_request()
    html = response.content.decode()
    assert '<summary class="badge grade--A"' in html
    assert PublishSnapshot.objects.filter(page=live).count() == 1  # none written
