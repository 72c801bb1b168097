import pytest

from tests.factories import SourceFactory, make_article, paragraph, publish_approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish(reviewer, editor):
    return lambda page: publish_approved(page, reviewer, editor)


def test_home_index_and_article_render(client, article_index, publish):
    page = make_article(
        article_index,
        title="NAD+ explained",
        slug="nad-explained",
        body=[paragraph("Cells use NAD+.", sources=[SourceFactory()])],
    )
    publish(page)
    home = client.get("/")
    assert home.status_code == 200
    assert b"NAD+ explained" in home.content
    listing = client.get("/articles/")
    assert listing.status_code == 200
    assert b"NAD+ explained" in listing.content
    article = client.get("/articles/nad-explained/")
    assert article.status_code == 200
    assert b"Cells use NAD+." in article.content


def test_draft_article_is_404_for_the_public(client, article_index):
    make_article(article_index, slug="secret-draft", title="Secret draft")
    assert client.get("/articles/secret-draft/").status_code == 404
    assert b"Secret draft" not in client.get("/articles/").content
    assert b"Secret draft" not in client.get("/").content


def test_study_card_shows_design_population_n_and_grade(
    client, article_index, publish, editor
):
    from django.utils import timezone

    from tests.factories import study

    source = SourceFactory(
        authors="Yoshino M, Yoshino J",
        year=2021,
        sample_size=25,
        grade="A",
        grade_confirmed_by=editor,
        grade_confirmed_at=timezone.now(),
    )
    publish(
        make_article(
            article_index, slug="s", body=[study(source, "Insulin sensitivity rose.")]
        )
    )
    html = client.get("/articles/s/").content.decode()
    assert "Randomised controlled trial" in html
    assert "n = 25" in html
    assert "Insulin sensitivity rose." in html
    assert "Grade of this source: high" in html
