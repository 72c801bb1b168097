"""Every passage block keeps the limits when it is saved, whichever way it
comes in: no control characters in its text, at most
NADSITE_PASSAGE_MAX_CHARS characters of words."""

import pytest
from wagtail.blocks.struct_block import StructBlockValidationError

from evidence.blocks import BulletListBlock, ParagraphBlock, PassageTableBlock


def table_value(rows, caption=""):
    block = PassageTableBlock()
    return block, block.to_python(
        {
            "text": {"data": rows, "table_caption": caption},
            "role": "context",
            "citations": [],
        }
    )


@pytest.mark.parametrize(
    ("rows", "caption"),
    [([["Dose"], ["250\x00 mg"]], ""), ([["Dose"]], "Trials\x00")],
    ids=["cell", "caption"],
)
def test_a_table_with_a_nul_in_a_cell_or_caption_is_refused(rows, caption):
    block, value = table_value(rows, caption)
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(value)
    [message] = raised.value.block_errors["text"].messages
    assert "control character U+0000" in message


def test_a_list_item_with_a_control_character_is_refused():
    block = BulletListBlock()
    value = block.to_python({"text": ["Fine", "Bell\x07"], "role": "context"})
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(value)
    assert "text" in raised.value.block_errors


def test_a_passage_over_the_length_limit_is_refused(settings):
    settings.NADSITE_PASSAGE_MAX_CHARS = 50
    block = ParagraphBlock()
    long = block.to_python({"text": "<p>" + "word " * 20 + "</p>", "role": "context"})
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(long)
    [message] = raised.value.block_errors["text"].messages
    assert "99 characters long; a passage may have at most 50" in message
    short = block.to_python({"text": "<p>word word</p>", "role": "context"})
    assert block.clean(short)["text"].source == "<p>word word</p>"


@pytest.mark.django_db
def test_the_editor_refuses_control_characters_in_page_fields(
    article_index, superuser, client
):
    from tests.evidence.admin_forms import page_form_data
    from tests.factories import make_article, paragraph

    page = make_article(article_index, body=[paragraph("Sleep helps.")])
    revisions = page.revisions.count()
    client.force_login(superuser)
    version = page.get_latest_revision_as_object()
    data = page_form_data(version, standfirst="Sleep\x0b matters.")
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 200
    assert "control character U+000B" in response.content.decode()
    assert page.revisions.count() == revisions
