"""The editor's message when the gate refuses a publish names the refused
units by what they are ("the title", "the introduction", "2 body
passages"), not all as "passages": an index page has no passages at all."""

import pytest
from django.urls import reverse

from evidence.admin.editor import refused_message
from evidence.gate import Problem
from tests.evidence.gate.test_index_pages import (
    CLAIM,
    index_form_data,
    latest,
    reload,
)

pytestmark = pytest.mark.django_db

TAIL = (
    " Your changes are still here: “Save draft” keeps them, and “Submit to "
    "Medical review” sends the page to the reviewers."
)


def problem(unit, position=0, rule="undecided_unit"):
    return Problem(unit, position, rule, "…", "…")


def test_fields_and_body_passages_are_named_by_what_they_are():
    problems = [
        problem("title"),
        problem("seo_title"),
        problem("b1", 2, "uncited_claim"),
        problem("b1", 2, "unapproved_claim"),  # one passage, two problems
        problem("b2", 5),
        problem("title", rule="approval_voided"),
    ]
    assert refused_message(problems) == (
        "This version was not published: the title, the SEO title and 2 body "
        "passages need a medical reviewer's approval first (they are marked "
        "below)." + TAIL
    )


@pytest.mark.parametrize(
    ("problems", "units"),
    [
        ([problem("intro")], "the introduction needs"),
        ([problem("b1", 1)], "1 body passage needs"),
        ([problem("search_description")], "the search description needs"),
        ([problem("intro"), problem("seo_title")], "the introduction and the SEO "),
    ],
)
def test_one_unit_or_several(problems, units):
    message = refused_message(problems)
    assert message.startswith(f"This version was not published: {units}")
    assert ("(it is marked below)" in message) == (len(problems) == 1)


def test_an_index_pages_refused_intro_is_called_the_introduction(
    article_index, client, writer, editor
):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[article_index.pk])
    data = index_form_data(latest(article_index), "publish", intro=CLAIM)
    response = client.post(url, data)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert any(
        "This version was not published: the introduction needs a medical" in m
        and "(it is marked below)" in m
        for m in shown
    ), shown
    assert reload(article_index).intro != CLAIM
