"""Messages the editorial team reads: each says what happened, in words
that agree with the numbers (issue 14, item 3's bugs)."""

import re

import pytest
from django.urls import reverse

from tests.factories import SourceFactory, heading, make_article, paragraph

pytestmark = pytest.mark.django_db


def evidence_check(client, user, page) -> str:
    client.force_login(user)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content
    match = re.search(
        r'<ul class="evidence-check__summary">.*?</ul>', html.decode(), re.DOTALL
    )
    assert match, "the Evidence check summary is not on the edit page"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())


def test_one_claim_sentence_is_singular(client, superuser, article_index):
    page = make_article(
        article_index,
        title="About this page",
        standfirst="Written for readers.",
        body=[
            heading("Background"),
            paragraph(
                "Nicotinamide riboside raised blood NAD+ in older adults.",
                sources=[SourceFactory()],
            ),
        ],
    )
    summary = evidence_check(client, superuser, page)
    assert "(1 claim sentences)" not in summary
    assert "1 claim sentence" in summary


def test_several_claim_sentences_are_plural(client, superuser, article_index):
    page = make_article(
        article_index,
        body=[
            paragraph(
                "Nicotinamide riboside raised blood NAD+ in older adults. "
                "It also lowered blood pressure in adults with hypertension.",
                sources=[SourceFactory()],
            ),
        ],
    )
    summary = evidence_check(client, superuser, page)
    assert "2 claim sentences" in summary


def test_a_refused_publish_says_it_was_not_published_not_that_it_failed_to_save(
    client, editor, article_index
):
    """The issue: "The page could not be saved due to validation errors"
    although nothing but the gate objected (and autosave had kept the
    draft). The message says the version was not published, and why."""
    from wagtail.models import Page

    from tests.evidence.admin_forms import page_form_data

    page = make_article(
        article_index,
        body=[
            heading("What the trials found"),
            paragraph(
                "Nicotinamide riboside raised blood NAD+ in older adults.",
                sources=[SourceFactory()],
            ),
        ],
    )
    version = Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()
    client.force_login(editor)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        page_form_data(version, "publish"),
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert not any("could not be saved" in m for m in shown), shown
    # Every unit needs a decision: the title, the standfirst, the heading
    # and the paragraph, named by what they are.
    assert any(
        "was not published: the title, the standfirst and 2 body passages need" in m
        for m in shown
    ), shown
    assert not Page.objects.get(pk=page.pk).live


def test_a_page_with_a_real_form_error_still_says_it_could_not_be_saved(
    client, editor, article_index
):
    from wagtail.models import Page

    from tests.evidence.admin_forms import page_form_data

    page = make_article(article_index, body=[heading("Nothing to review")])
    version = Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()
    client.force_login(editor)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        page_form_data(version, "publish", title=""),
    )
    shown = [str(m) for m in response.context["messages"]]
    assert any("could not be saved" in m for m in shown), shown
