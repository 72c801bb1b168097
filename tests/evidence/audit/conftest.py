import pytest

from articles.models import ArticlePage
from evidence.models import ReviewerProfile
from tests.factories import SourceFactory, make_article, paragraph, publish_approved


@pytest.fixture
def credited_reviewer(reviewer):
    ReviewerProfile.objects.create(
        user=reviewer, display_name="Dr Ada Lovelace", credentials="MD, PhD"
    )
    return reviewer


@pytest.fixture
def source(db):
    return SourceFactory(
        title="NR raises NAD+ in older adults",
        authors="Martens CR, Denman BA",
        journal="Nature Communications",
        year=2018,
        doi="10.1038/s41467-018-03421-7",
        pmid="29599478",
    )


@pytest.fixture
def live_article(article_index, writer, credited_reviewer, editor, source):
    """An article whose claim was approved (low certainty) and published."""
    page = make_article(
        article_index,
        title="NR and NAD+",
        body=[
            paragraph("NR raised blood NAD+ by 60%.", sources=[source]),
            paragraph("Ageing is complex.", role="context"),
        ],
        owner=writer,
    )
    publish_approved(
        page, credited_reviewer, editor, certainty="low", reason="One small trial."
    )
    return ArticlePage.objects.get(pk=page.pk)
