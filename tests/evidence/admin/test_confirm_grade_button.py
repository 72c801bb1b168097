""" "Confirm grade" is a visible button for medical reviewers, on the Source and
in the review screen's citation table, not hidden in a "…" menu (issue 14,
item 6)."""

import re

import pytest
from django.urls import reverse

from tests.factories import SourceFactory, make_article, paragraph

pytestmark = pytest.mark.django_db


def header(html: str) -> str:
    """The edit view's header, without its "…" dropdown menus."""
    start = html.index("<header")
    head = html[start : html.index("</header>", start)]
    return re.sub(r'<div[^>]*class="[^"]*w-dropdown.*', "", head, flags=re.S)


def test_the_source_shows_confirm_grade_in_its_header(client, reviewer):
    source = SourceFactory(grade="B")
    client.force_login(reviewer)
    html = client.get(
        reverse("wagtailsnippets_evidence_source:edit", args=[source.pk])
    ).content.decode()
    confirm = reverse("evidence_library:confirm_grade", args=[source.pk])
    assert confirm in header(html)
    assert html.count(f'href="{confirm}"') == 1  # once, not also in the menu


def test_no_confirm_button_once_confirmed_or_for_a_writer(
    client, reviewer, writer_in_group
):
    source = SourceFactory(grade="B")
    confirm = reverse("evidence_library:confirm_grade", args=[source.pk])
    edit = reverse("wagtailsnippets_evidence_source:edit", args=[source.pk])
    client.force_login(writer_in_group)
    assert confirm not in client.get(edit).content.decode()
    client.force_login(reviewer)
    client.post(confirm)
    assert confirm not in client.get(edit).content.decode()


def test_the_review_screen_offers_confirm_grade_and_comes_back(
    client, reviewer, article_index, writer_in_group
):
    awaiting = SourceFactory(title="A trial awaiting its grade", grade="B")
    page = make_article(
        article_index,
        owner=writer_in_group,
        body=[paragraph("NR raised NAD+ in adults.", sources=[awaiting])],
    )
    review = reverse("evidence_review:page", args=[page.pk])
    client.force_login(reviewer)
    html = client.get(review).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "B (moderate), awaiting confirmation" in text
    link = re.search(
        r'<a class="button[^"]*" href="([^"]+)" aria-label="Confirm grade of '
        r'A trial awaiting its grade">Confirm grade</a>',
        html,
    )
    assert link, "no Confirm grade button in the citation table"
    confirm_url = link.group(1).replace("&amp;", "&")
    screen = client.get(confirm_url).content.decode()
    assert f'name="next" value="{review}"' in screen
    done = client.post(confirm_url.split("?")[0], {"next": review})
    assert done.status_code == 302 and done.url == review
    awaiting.refresh_from_db()
    assert awaiting.grade_confirmed_by == reviewer
    text = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(review).content.decode())
    )
    assert "B (moderate), confirmed" in text


def test_next_never_leaves_the_site(client, reviewer):
    source = SourceFactory(grade="B")
    client.force_login(reviewer)
    done = client.post(
        reverse("evidence_library:confirm_grade", args=[source.pk]),
        {"next": "https://evil.example/"},
    )
    assert done.url == reverse("wagtailsnippets_evidence_source:edit", args=[source.pk])
