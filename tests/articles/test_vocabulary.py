"""One vocabulary for readers (issue 14, item 6): a claim's certainty in words
("Moderate certainty of evidence"), a source's own grade only inside its study
card and labelled as the source's grade, never a second A-D pill beside it."""

import re

import pytest
from django.utils import timezone

from tests.factories import (
    SourceFactory,
    make_article,
    paragraph,
    publish_approved,
    study,
)

pytestmark = pytest.mark.django_db


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def page_html(client, article_index, reviewer, editor):
    source = SourceFactory(
        authors="Yoshino M, Yoshino J",
        year=2021,
        grade="B",
        grade_confirmed_by=reviewer,
        grade_confirmed_at=timezone.now(),
    )
    page = make_article(
        article_index,
        slug="vocabulary",
        body=[
            paragraph("NMN raised insulin sensitivity in women.", sources=[source]),
            study(source, "Insulin sensitivity rose by 25%."),
        ],
    )
    publish_approved(page, reviewer, editor, certainty="low", reason="Small trial.")
    return client.get("/articles/vocabulary/").content.decode()


def test_a_claims_certainty_is_said_in_words(page_html):
    text = words(page_html)
    assert "Low certainty of evidence" in text
    assert "certainty (C)" not in text
    assert "badge__letter" not in page_html  # no lone letter beside the claim


def test_the_sources_grade_is_only_in_the_study_card_and_says_so(page_html):
    card = page_html[page_html.index('class="study-card') :]
    card = card[: card.index("</section>")]
    assert "Grade of this source: moderate" in words(card)
    outside = page_html.replace(card, "")
    assert "Grade of this source" not in outside
    assert "grade-letter" not in outside  # references, evidence cards, summary
    assert not re.search(r"<dt>\s*Grade\s*</dt>", page_html)


def test_the_summary_counts_claims_by_certainty_in_words(page_html):
    summary = page_html[page_html.index('class="evidence-summary"') :]
    summary = words(summary[: summary.index("</section>")])
    assert "Certainty of evidence for the claims" in summary
    assert "Low: 2" in summary
    assert "Grade of the sources cited" not in summary
    assert "A · " not in summary and "B · " not in summary


def test_an_unconfirmed_grade_is_not_shown_as_a_grade(client, article_index):
    from tests.factories import user_in_group

    reviewer = user_in_group("Medical reviewers", username="vocab-reviewer")
    editor = user_in_group("Editors", username="vocab-editor")
    source = SourceFactory(grade="A")  # suggested on import, never confirmed
    page = make_article(article_index, slug="unconfirmed", body=[study(source)])
    publish_approved(page, reviewer, editor, certainty="low", reason="Indirect.")
    html = client.get("/articles/unconfirmed/").content.decode()
    assert "not yet confirmed by a medical reviewer" in words(html)
    assert "Grade of this source: high" not in words(html)
