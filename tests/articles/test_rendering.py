"""One rendering of a passage: its block's template, wherever it is shown.

The public page, Wagtail's block previews and the API's `html` all render a
passage with its block's template, so what they show cannot drift apart.
"""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from articles.models import ArticlePage
from evidence.blocks import PassageBlock
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

pytestmark = pytest.mark.django_db

BODY_BLOCKS = ArticlePage.body.field.stream_block.child_blocks


@pytest.fixture
def live(article_index, writer, reviewer, editor):
    rct = SourceFactory(
        grade=Grade.B, sample_size=24, intervention="NR 1,000 mg/day", title="NR"
    )
    mouse = SourceFactory(
        study_design=StudyDesign.ANIMAL,
        population=Population.ANIMAL,
        grade=Grade.D,
        title="Old mice & NMN",
        authors="Mills KF, Yoshida S",
    )
    page = make_article(
        article_index,
        owner=writer,
        slug="one-renderer",
        body=[
            heading("What the trials found"),
            paragraph("NR raised NAD+ in people.", sources=[rct]),
            study(rct, text="Blood NAD+ rose by about 60%."),
            study(mouse, text="Old mice ran further."),
            cited_paragraph(
                "NMN in mice.", [(mouse, "supports"), (rct, "contradicts")]
            ),
            table(
                [["Dose", "Change"], ["1 g", "+60%"]], caption="Doses", sources=[rct]
            ),
        ],
    )
    return publish_approved(
        page, reviewer, editor, certainty="low", reason="One short trial."
    )


@override_settings(NADSITE_PAGE_CACHE_SECONDS=0)
def test_the_api_shows_each_passage_exactly_as_the_page_does(client, live):
    page_html = client.get("/articles/one-renderer/").content.decode()
    article = client.get(f"/api/v1/articles/{live.pk}/").json()
    # The body's passages (the title and the standfirst are listed first).
    article["passages"] = [p for p in article["passages"] if p["position"] >= 1]

    article["passages"] = [p for p in article["passages"] if p["type"] != "heading"]
    kinds = [p["type"] for p in article["passages"]]
    assert kinds == ["paragraph", "study", "study", "paragraph", "table"]
    for passage in article["passages"]:
        assert passage["html"].strip(), passage["type"]
        assert passage["html"] in page_html, passage["type"]
    # The study cards agree: same title, facts, badge and reference number.
    card = article["passages"][1]["html"]
    assert 'class="study-card passage passage--claim"' in card
    assert "Randomised controlled trial" in card and "n = 24" in card
    assert 'href="#ref-1"' in card
    mouse_card = article["passages"][2]["html"]
    assert "Mills KF et al." in mouse_card and 'href="#ref-2"' in mouse_card
    # The reviewer's certainty, from the publish snapshot, on both.
    assert "Low certainty of evidence" in article["passages"][0]["html"]
    assert "Animal or cell studies only" in article["passages"][3]["html"]
    assert "Some evidence contradicts this" in article["passages"][3]["html"]


def test_every_body_block_has_a_complete_meta():
    for name, block in BODY_BLOCKS.items():
        assert block.meta.icon, name
        assert block.get_description(), name
        assert block.meta.template, name
        assert hasattr(block.meta, "preview_value"), name
        assert block.is_previewable, name
        for child_name, child in getattr(block, "child_blocks", {}).items():
            if child_name == "citations":
                citation = child.child_block
                assert citation.meta.icon and citation.get_description()
                assert hasattr(citation.meta, "preview_value")


@pytest.mark.parametrize("name", list(BODY_BLOCKS))
def test_block_preview_renders_the_block_template_with_the_site_styles(
    client, superuser, name
):
    block = BODY_BLOCKS[name]
    client.force_login(superuser)
    response = client.get(
        reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "css/site.css" in html
    main = html[html.index("<main>") : html.index("</main>")]
    if isinstance(block, PassageBlock) and name != "heading":
        assert f'id="p-{name}"' in main
        assert re.search(r'class="[^"]*passage', main)
    else:
        assert "<h2>What the trials found</h2>" in main


def test_a_previewed_claim_shows_its_marker_badge_and_card(client, superuser):
    client.force_login(superuser)
    html = client.get(
        reverse("wagtailadmin_block_preview"),
        {"id": BODY_BLOCKS["paragraph"].definition_prefix},
    ).content.decode()
    assert 'class="cite" href="#ref-1"' in html
    assert "Moderate certainty of evidence" in html
    assert '<details class="evidence-card"' in html
    assert "n = 24" in html
    study_html = client.get(
        reverse("wagtailadmin_block_preview"),
        {"id": BODY_BLOCKS["study"].definition_prefix},
    ).content.decode()
    assert "Martens CR et al. (2018)" in study_html
    assert "Blood NAD+ rose by about 60% after six weeks." in study_html


def test_a_block_rendered_on_its_own_uses_its_template(live):
    """`{% include_block %}` of a page's body (any template) gives the same
    markup as the page, numbered per block."""
    block = live.body[2]
    html = block.render()
    assert 'class="study-card passage passage--claim"' in html
    assert "Randomised controlled trial" in html
