import pytest

from articles.models import ArticlePage
from tests.factories import SourceFactory, make_article, paragraph, publish_approved

pytestmark = pytest.mark.django_db


def test_block_ids_survive_save_and_new_revision(
    article_index, writer, reviewer, editor
):
    source = SourceFactory()
    page = make_article(
        article_index,
        owner=writer,
        body=[paragraph("First.", sources=[source], block_id="b-1")],
    )
    page = ArticlePage.objects.get(pk=page.pk)
    citation_id = page.body[0].value["citations"].bound_blocks[0].id
    page.body[0].value["text"] = page.body[0].value["text"].__class__("<p>Edited.</p>")
    revision = page.save_revision(user=writer)
    draft = revision.as_object()
    assert draft.body[0].id == "b-1"
    assert draft.body[0].value["citations"].bound_blocks[0].id == citation_id
    assert draft.body[0].value["text"].source == "<p>Edited.</p>"
    live = publish_approved(page, reviewer, editor)
    assert live.body[0].id == "b-1"


def test_citation_in_api_shape_is_accepted(article_index):
    """A citation may be stored as a plain {"source", "stance", "locator"} dict."""
    source = SourceFactory()
    block = paragraph(block_id="p")
    block["value"]["citations"] = [
        {"source": source.pk, "stance": "supports", "locator": "Fig. 2"}
    ]
    page = make_article(article_index, body=[block])
    page = ArticlePage.objects.get(pk=page.pk)
    citation = page.body[0].value["citations"][0]
    assert citation["source"] == source
    assert citation["locator"] == "Fig. 2"


def test_paragraph_block_requires_text():
    from django.core.exceptions import ValidationError

    from evidence.blocks import ParagraphBlock

    block = ParagraphBlock()
    value = block.to_python({"text": "", "role": "claim", "citations": []})
    with pytest.raises(ValidationError):
        block.clean(value)
