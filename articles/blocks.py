"""The blocks an article body is made of."""

from wagtail import blocks

from evidence.blocks import (
    BulletListBlock,
    CalloutBlock,
    HeadingBlock,
    ParagraphBlock,
    PassageTableBlock,
    StudyBlock,
)


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    list = BulletListBlock()
    table = PassageTableBlock()
    callout = CalloutBlock()
    study = StudyBlock()

    class Meta:
        block_counts = {}
