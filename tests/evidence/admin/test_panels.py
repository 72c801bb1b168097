import re

import pytest
from django.urls import reverse

from evidence.admin.panels import EvidenceCheckPanel
from evidence.vocab import Population, StudyDesign
from tests.factories import (
    SourceFactory,
    UserFactory,
    heading,
    make_article,
    paragraph,
)

pytestmark = pytest.mark.django_db

HIDDEN = "NAD+ IV therapy has been shown to reduce inflammation."
WELCOME = "Read on to learn more."


def member_of(group_name, username):
    """A user in one of the role groups the migrations create."""
    from django.contrib.auth.models import Group

    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def panel_html(content: str) -> str:
    match = re.search(
        r'<div class="evidence-check".*?</div>\s*(?=</section>|<section|</div>)',
        content,
        re.DOTALL,
    )
    assert match, "the Evidence check panel is not on the edit page"
    return match.group(0)


def edit(client, user, page):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_panel_lists_claims_per_passage_and_warnings(client, superuser, article_index):
    mouse = SourceFactory(
        study_design=StudyDesign.ANIMAL, population=Population.ANIMAL, grade="D"
    )
    page = make_article(
        article_index,
        body=[
            heading("Benefits"),
            paragraph(WELCOME, role="context"),
            paragraph(HIDDEN, role="context"),
            paragraph("NMN has been proven to reverse muscle ageing.", sources=[mouse]),
        ],
    )

    html = panel_html(edit(client, superuser, page))

    assert "Evidence check" in edit(client, superuser, page)
    # the title, the standfirst, the heading and the three passages
    assert "2 of 6 reviewable units make claims" in html
    assert "Passage 3 (paragraph, marked context)" in html
    assert "Marked context, but reads like a claim." in html
    assert "No usable source." in html
    assert "Passage 4 (paragraph, marked claim)" in html
    assert "<q>has been shown</q> (shown)" in html
    assert 'data-warning="strong_wording_preclinical"' in html
    assert 'data-warning="strong_wording_weak_evidence"' in html
    assert "Passage 2 " not in html  # the welcome line makes no claim


def test_panel_shows_the_latest_draft_to_its_writer(client, article_index):
    writer = member_of("Writers", "panelwriter")
    page = make_article(
        article_index, body=[paragraph(WELCOME, role="context")], owner=writer
    )
    draft = page.get_latest_revision_as_object()
    draft.body = [("paragraph", {"text": f"<p>{HIDDEN}</p>", "role": "context"})]
    draft.save_revision(user=writer)

    html = panel_html(edit(client, writer, page))

    assert "1 of 3 reviewable units makes claims" in html
    assert "Marked context, but reads like a claim." in html
    assert "reduce" in html


def test_panel_says_a_claim_in_the_standfirst_cannot_be_cited(
    client, superuser, article_index
):
    """It used to say "Cite a source and mark it a claim" and "No usable
    source" of the standfirst, which can do neither."""
    page = make_article(
        article_index,
        standfirst=HIDDEN,
        body=[paragraph(WELCOME, role="context")],
    )

    html = panel_html(edit(client, superuser, page))
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())

    assert (
        "1 unit that cannot cite sources (the title, the standfirst, a search "
        "engine field or a heading) reads like a claim."
    ) in text
    assert "0 claims have no usable source." in text
    assert "0 passages marked “context” read like claims." in text
    item = html[html.index('data-block-id="standfirst"') :]
    item = " ".join(item[: item.index("</li>")].split())
    assert "The standfirst (standfirst, marked context)" not in item
    assert "data-uncitable-claim" in item
    assert "Reads like a claim, but cannot cite sources." in item
    assert "Move the claim into the body, where it can be cited, or reword it" in item
    assert "Marked context" not in item and "No usable source" not in item


def test_panel_on_a_new_page_asks_for_a_save(client, superuser, article_index):
    client.force_login(superuser)
    url = reverse(
        "wagtailadmin_pages:add", args=["articles", "articlepage", article_index.pk]
    )
    content = client.get(url).content.decode()

    assert "Save a draft to see which passages make claims" in content


def test_panel_costs_one_query_for_sources(client, superuser, article_index):
    sources = SourceFactory.create_batch(5)
    page = make_article(
        article_index,
        body=[paragraph(HIDDEN, sources=[source]) for source in sources],
    )
    bound = EvidenceCheckPanel().bind_to_model(type(page.specific))
    draft = page.get_latest_revision_as_object()
    panel = bound.get_bound_panel(instance=draft, request=None, form=None)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        context = panel.get_context_data()

    assert len(queries) == 1
    assert context["claim_passage_count"] == 5
    assert context["uncited_count"] == 0
