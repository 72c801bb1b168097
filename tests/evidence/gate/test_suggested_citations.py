"""Evidence may not be quietly weakened (issue 12, rule 6): citations an
import suggested are not support until a reviewer confirms them, and a grade
nobody confirmed is not shown to readers as a grade.

Before the rule, an import's "mentions … suggested by import" citation
counted as support, so an approved claim resting only on it published.
"""

import pytest

from evidence.gate import PublishBlocked
from evidence.gate.publish import publish_latest
from evidence.passage_view import badge
from evidence.vocab import SUGGESTED_BY_IMPORT
from tests.factories import SourceFactory, approve, edit_body, make_article

pytestmark = pytest.mark.django_db


def claim_citing(source, *, stance="mentions", locator=SUGGESTED_BY_IMPORT):
    return {
        "type": "paragraph",
        "id": "c",
        "value": {
            "text": "<p>NR raised blood NAD+ in adults.</p>",
            "role": "claim",
            "citations": [
                {
                    "type": "item",
                    "id": "i",
                    "value": {
                        "source": source.pk,
                        "stance": stance,
                        "locator": locator,
                    },
                }
            ],
        },
    }


def test_an_approved_claim_resting_only_on_a_suggested_citation_does_not_publish(
    article_index, writer, reviewer, editor
):
    page = make_article(
        article_index, owner=writer, body=[claim_citing(SourceFactory())]
    )
    approve(page, reviewer)
    with pytest.raises(PublishBlocked) as refused:
        publish_latest(page, editor)
    [problem] = refused.value.problems
    assert problem.rule == "unconfirmed_citation"
    assert "an import suggested" in problem.message
    assert "“Supports”" in problem.message


def test_a_reviewer_confirms_the_suggestion_and_the_claim_publishes(
    article_index, writer, reviewer, editor
):
    page = make_article(
        article_index, owner=writer, body=[claim_citing(SourceFactory())]
    )

    def confirm(blocks):
        cited = blocks[0]["value"]["citations"][0]["value"]
        cited.update(stance="supports", locator="Table 2")
        return blocks

    edit_body(page, reviewer, confirm)  # the citation, not the words: not the author
    approve(page, reviewer)
    publish_latest(page, editor)
    assert type(page).objects.get(pk=page.pk).live


def test_readers_see_no_grade_nobody_confirmed(reviewer):
    unconfirmed = SourceFactory(grade="A")
    confirmed = SourceFactory(grade="C", grade_confirmed_by=reviewer)
    assert badge("", [(unconfirmed, "supports", "")]) is None
    shown = badge("", [(unconfirmed, "supports", ""), (confirmed, "supports", "")])
    assert (shown.letter, shown.recorded) == ("C", False)
    suggested = SourceFactory(grade="A", grade_confirmed_by=reviewer)
    assert badge("", [(suggested, "mentions", SUGGESTED_BY_IMPORT)]) is None
