"""Where a Source is cited comes from Wagtail's reference index."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ReferenceIndex

from tests.factories import SourceFactory, make_article, paragraph, study

pytestmark = pytest.mark.django_db


def test_paragraph_citations_and_study_cards_are_indexed(article_index):
    cited, carded, unused = SourceFactory(), SourceFactory(), SourceFactory()
    page = make_article(
        article_index,
        body=[paragraph(sources=[cited], block_id="p1"), study(carded)],
    )
    with CaptureQueriesContext(connection) as queries:
        references = list(ReferenceIndex.get_references_to(cited))
    assert len(queries) == 1
    assert [(r.object_id, r.content_path.split(".")[:2]) for r in references] == [
        (str(page.pk), ["body", "p1"])
    ]
    assert ReferenceIndex.get_references_to(carded).count() == 1
    assert ReferenceIndex.get_references_to(unused).count() == 0
