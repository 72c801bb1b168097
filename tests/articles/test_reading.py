"""The article page as readers see it: markers, badges, cards, summary."""

import json
import re
from datetime import UTC, datetime

import pytest
from django.template.loader import render_to_string
from django.test import override_settings

from articles.reading import article_view
from evidence.gate.publish import publish_latest
from evidence.models import ReviewerProfile
from evidence.vocab import Grade, Population, StudyDesign
from tests.factories import (
    SourceFactory,
    cited_paragraph,
    heading,
    make_article,
    paragraph,
    publish_approved,
    study,
    table,
)

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


def markers(block):
    return [m.reference.number for m in block.markers]


def test_citations_are_numbered_in_order_of_first_citation_and_deduplicated(
    article_index, writer
):
    a, b, c = SourceFactory(), SourceFactory(), SourceFactory()
    page = make_article(
        article_index,
        owner=writer,
        body=[
            paragraph("First.", sources=[b, a]),
            heading("Then"),
            paragraph("Second.", sources=[a, c, a]),
            study(b),
            paragraph("Third.", sources=[c]),
        ],
    )
    view = article_view(page.get_latest_revision_as_object())

    passages = [block for block in view.blocks if block.kind != "heading"]
    assert [markers(block) for block in passages] == [[1, 2], [2, 3, 2], [1], [3]]
    assert [r.source.pk for r in view.references] == [b.pk, a.pk, c.pk]
    assert [r.number for r in view.references] == [1, 2, 3]
    # A passage's card lists each source once, in marker order.
    assert [r.number for r in passages[1].references] == [2, 3]
    assert view.summary.sources == 3
    assert view.summary.claims == 4


def test_badge_shows_the_strongest_supporting_grade_until_a_reviewer_records_one(
    article_index, writer, reviewer
):
    # Only grades a medical reviewer confirmed are shown as grades (issue 12,
    # rule 6): an unconfirmed A lends nothing.
    strong = SourceFactory(grade=Grade.B, grade_confirmed_by=reviewer)
    weak = SourceFactory(grade=Grade.D, grade_confirmed_by=reviewer)
    contradicting = SourceFactory(grade=Grade.A, grade_confirmed_by=reviewer)
    SourceFactory(grade=Grade.A)
    page = make_article(
        article_index,
        owner=writer,
        body=[
            cited_paragraph(
                "NR raised NAD+.",
                [
                    (weak, "supports"),
                    (strong, "supports"),
                    (contradicting, "contradicts"),
                ],
            ),
            paragraph("Background only.", sources=[weak], role="context"),
        ],
    )
    view = article_view(page.get_latest_revision_as_object())
    claim, context = view.blocks

    # A contradicting source never lends its grade to the claim.
    assert claim.badge.letter == "B"
    assert claim.badge.words == "moderate"
    assert claim.badge.label == "Moderate certainty of evidence"
    assert not claim.badge.recorded
    assert claim.contradicted
    assert context.badge is None


def test_badge_shows_the_certainty_the_reviewer_recorded(
    article_index, writer, reviewer, editor
):
    source = SourceFactory(grade=Grade.B)
    page = make_article(
        article_index,
        owner=writer,
        body=[paragraph("NR raised NAD+.", sources=[source])],
    )
    live = publish_approved(
        page, reviewer, editor, certainty="low", reason="One short trial."
    )
    (claim,) = article_view(live).blocks
    assert claim.badge.letter == "C"
    assert claim.badge.recorded
    assert claim.badge.label == "Low certainty of evidence"


def test_claim_resting_only_on_animal_or_cell_studies_is_flagged(article_index, writer):
    mouse = SourceFactory(
        study_design=StudyDesign.ANIMAL, population=Population.ANIMAL, grade=Grade.D
    )
    dish = SourceFactory(
        study_design=StudyDesign.IN_VITRO, population=Population.CELL, grade=Grade.D
    )
    people = SourceFactory()
    page = make_article(
        article_index,
        owner=writer,
        body=[
            paragraph("In mice and cells.", sources=[mouse, dish]),
            paragraph("In mice and people.", sources=[mouse, people]),
        ],
    )
    only_animals, mixed = article_view(page.get_latest_revision_as_object()).blocks
    assert only_animals.non_human_only
    assert not mixed.non_human_only


def test_article_page_shows_markers_badges_cards_summary_and_references(
    client, article_index, writer, reviewer, editor
):
    ReviewerProfile.objects.create(
        user=reviewer, display_name="Dr Ada Reviewer", credentials="MD, PhD"
    )
    rct = SourceFactory(
        grade=Grade.B,
        sample_size=24,
        intervention="NR 1,000 mg/day for 6 weeks",
        title="A trial of NR",
    )
    mouse = SourceFactory(
        study_design=StudyDesign.ANIMAL,
        population=Population.ANIMAL,
        grade=Grade.D,
        title="Old mice & NMN",
    )
    ageing = SourceFactory(title="Ageing review")
    page = make_article(
        article_index,
        owner=writer,
        title="NR and NAD+",
        body=[
            paragraph("NR raised NAD+ in people.", sources=[rct]),
            paragraph("NMN helped old mice.", sources=[mouse]),
            paragraph("Ageing is complex.", sources=[ageing]),
            table(
                [["Dose", "Change"], ["1 g", "+60%"]], caption="Results", sources=[rct]
            ),
        ],
    )
    publish_approved(page, reviewer, editor)
    ageing.retraction_status = "retracted"  # retracted after publication
    ageing.save()
    html = client.get("/articles/" + page.slug + "/").content.decode()

    assert html.count('href="#ref-1"') >= 3
    assert 'aria-label="Reference 2"' in html
    assert '<li id="ref-1"' in html and '<li id="ref-2"' in html
    assert "Animal or cell studies only" in html
    # Card facts: design, n, population, intervention, route.
    card = html[html.index('<details class="evidence-card"') :]
    card = card[: card.index("</details>")]
    for fact in (
        "Randomised controlled trial",
        "n = 24",
        "Humans",
        "NR 1,000 mg/day for 6 weeks",
        "Oral",
    ):
        assert fact in card
    assert "This paper has been retracted" in html
    assert "Old mice &amp; NMN" in html
    assert "https://doi.org/" + rct.doi in html
    assert "<caption>Results</caption>" in html and '<th scope="col">Dose</th>' in html
    summary = html[html.index('class="evidence-summary"') :]
    summary = summary[: summary.index("</section>")]
    assert re.search(r"<dd>4</dd>", summary)  # claims
    assert re.search(r"<dd>3</dd>", summary)  # sources
    # Claims counted by the certainty their badges show, in words (the
    # retracted source's claim has none).
    assert 'role="img"' in summary and "Moderate: 2" in summary
    assert "Very low: 1" in summary
    assert (
        "Medically reviewed by " + byline(reviewer, "Dr Ada Reviewer, MD, PhD")
        in summary
    )
    assert "not medical advice" in html  # the site-wide disclaimer


def test_disclaimer_is_a_site_setting_editors_can_change(client, article_index):
    from wagtail.models import Site

    from articles.models import MedicalDisclaimer

    setting = MedicalDisclaimer.for_site(Site.objects.get(is_default_site=True))
    setting.text = "<p>Ask your own doctor first.</p>"
    setting.save()
    assert "Ask your own doctor first." in client.get("/articles/").content.decode()


def test_drafts_are_never_served(client, article_index, writer, reviewer, editor):
    draft = make_article(article_index, owner=writer, body=[paragraph("Draft.")])
    assert client.get(f"/articles/{draft.slug}/").status_code == 404

    live = publish_approved(
        make_article(
            article_index,
            owner=writer,
            body=[paragraph("Live text.", sources=[SourceFactory()])],
        ),
        reviewer,
        editor,
    )
    revision = live.get_latest_revision_as_object()
    revision.body = json.dumps(
        [paragraph("Unreviewed draft text.", block_id="draft-block")]
    )
    revision.save_revision(user=writer)
    html = client.get(f"/articles/{live.slug}/").content.decode()
    assert "Live text." in html
    assert "Unreviewed draft text." not in html


def test_index_lists_live_articles_newest_first_ten_per_page(
    client, article_index, writer, reviewer, editor
):
    source = SourceFactory()
    titles = []
    for n in range(12):
        page = make_article(
            article_index,
            owner=writer,
            title=f"Article number {n:02d}",
            body=[paragraph("A claim.", sources=[source])],
        )
        publish_approved(page, reviewer, editor)
        type(page).objects.filter(pk=page.pk).update(
            first_published_at=datetime(2024, 1, n + 1, tzinfo=UTC)
        )
        titles.append(page.title)
    make_article(article_index, owner=writer, title="Unpublished draft")

    first = client.get("/articles/").content.decode()
    second = client.get("/articles/?page=2").content.decode()
    shown_first = re.findall(r"Article number \d\d", first)
    assert shown_first == [f"Article number {n:02d}" for n in range(11, 1, -1)]
    assert re.findall(r"Article number \d\d", second) == [
        "Article number 01",
        "Article number 00",
    ]
    assert "Page 1 of 2" in first and 'rel="next" href="?page=2"' in first
    assert "Medically reviewed" in first
    assert "Unpublished draft" not in first + second
    assert client.get("/").content.decode().count("Article number") == 6


def test_sitemap_lists_only_live_public_pages_with_lastmod(
    client, article_index, writer, reviewer, editor
):
    live = publish_approved(
        make_article(
            article_index,
            owner=writer,
            slug="live-one",
            body=[paragraph("A claim.", sources=[SourceFactory()])],
        ),
        reviewer,
        editor,
    )
    make_article(article_index, owner=writer, slug="draft-one")
    xml = client.get("/sitemap.xml").content.decode()
    assert "/articles/live-one/" in xml
    assert "draft-one" not in xml
    lastmod = max(live.last_published_at, live.last_reviewed_at).date().isoformat()
    entry = xml[xml.index("/articles/live-one/") :]
    assert f"<lastmod>{lastmod}" in entry[: entry.index("</url>")]


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_admin(client):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in text.splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_unknown_address_gives_the_friendly_404(client, site_tree):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_byline_reviewers_and_disclaimer_come_from_one_query_and_stay_right(
    client, article_index, writer, reviewer, editor
):
    """Authors, reviewers (with or without a reviewer profile) and the site's
    disclaimer are read together; each still shows what the editors set."""
    from wagtail.models import Site

    from articles.models import ArticleAuthor, Author, MedicalDisclaimer

    reviewer.first_name, reviewer.last_name = "Grace", "Hopper"
    reviewer.save()
    setting = MedicalDisclaimer.for_site(Site.objects.get(is_default_site=True))
    setting.text = "<p>Ask <b>your own</b> doctor first.</p>"
    setting.save()
    page = make_article(
        article_index,
        owner=writer,
        body=[paragraph("NR raised NAD+.", sources=[SourceFactory()])],
    )
    second = Author.objects.create(name="Zed Writer")
    first = Author.objects.create(name="Ann Writer", credentials="RD")
    ArticleAuthor.objects.create(page=page, author=second, sort_order=1)
    ArticleAuthor.objects.create(page=page, author=first, sort_order=0)
    page = type(page).objects.get(pk=page.pk)
    page.save_revision(user=writer)  # the authors are part of the revision
    publish_approved(page, reviewer, editor)

    html = client.get(f"/articles/{page.slug}/").content.decode()
    assert "By Ann Writer, RD; Zed Writer." in html
    assert "Medically reviewed by " + byline(reviewer, "Grace Hopper") in html
    assert "Ask <b>your own</b> doctor first." in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    )
    assert [a["name"] for a in data["author"]] == ["Ann Writer", "Zed Writer"]
    assert data["author"][0]["jobTitle"] == "RD"
    assert [r["name"] for r in data["reviewedBy"]] == ["Grace Hopper"]

    # The byline credits reviewers as they were named when the version went
    # live (its publish snapshot); a new name shows once it is published again.
    reviewer.first_name = reviewer.last_name = ""
    reviewer.save()
    html = client.get(f"/articles/{page.slug}/").content.decode()
    assert "Medically reviewed by " + byline(reviewer, "Grace Hopper") in html
    publish_latest(page, editor)
    html = client.get(f"/articles/{page.slug}/").content.decode()
    assert "Medically reviewed by " + byline(reviewer, reviewer.username) in html


def test_header_and_summary_escape_editor_text_and_show_dates(
    client, article_index, writer, reviewer, editor
):
    page = make_article(
        article_index,
        owner=writer,
        slug="escaped",
        title="NAD+ <drips> & pills",
        standfirst='What "works" <b>really</b>',
        body=[paragraph(sources=[SourceFactory(grade=Grade.B)])],
    )
    page = publish_approved(page, reviewer, editor)
    html = client.get("/articles/escaped/").content.decode()

    assert '<h1 id="article-title">NAD+ &lt;drips&gt; &amp; pills</h1>' in html
    assert "What &quot;works&quot; &lt;b&gt;really&lt;/b&gt;" in html
    published = page.first_published_at
    assert f'Published <time datetime="{published:%Y-%m-%d}">' in html
    summary = html[html.index('class="evidence-summary"') :]
    summary = summary[: summary.index("</section>")]
    assert 'style="width: 100.0%"' in summary
    assert "High: 1" in summary and "Moderate" not in summary  # the claim's
    assert f'<time datetime="{page.last_reviewed_at:%Y-%m-%d}">' in summary


def test_an_unreviewed_version_says_so(article_index, writer):
    page = make_article(
        article_index, owner=writer, body=[paragraph("Background.", role="context")]
    )
    view = article_view(page.get_latest_revision_as_object())
    summary = render_to_string(
        "articles/includes/evidence_summary.html", {"article": view}
    )
    assert "Not yet medically reviewed." in summary
    assert "grade-bar" not in summary  # no claims, no certainty mix


def test_an_edited_source_shows_its_new_facts_and_reference(
    client, article_index, writer, reviewer, editor
):
    source = SourceFactory(title="Before the correction", sample_size=12)
    page = make_article(
        article_index,
        owner=writer,
        slug="edited-source",
        body=[paragraph(sources=[source])],
    )
    publish_approved(page, reviewer, editor)
    html = client.get("/articles/edited-source/").content.decode()
    assert "Before the correction" in html and "n = 12" in html

    source.title = "After the correction"
    source.sample_size = 48
    source.save()
    html = client.get("/articles/edited-source/").content.decode()
    assert "Before the correction" not in html
    assert "After the correction" in html and "n = 48" in html
