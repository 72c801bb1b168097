"""The medical review screen: what a reviewer sees and the decisions it records."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from evidence.models import ReviewDecision, ReviewerProfile
from evidence.roles import reviewer_byline, reviewer_disclosure
from evidence.vocab import Population, RetractionStatus, StudyDesign
from tests.factories import (
    SourceFactory,
    approve,
    heading,
    make_article,
    paragraph,
    set_passage_text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources():
    return {
        "trial": SourceFactory(
            title="Chronic nicotinamide riboside supplementation in adults",
            authors="Martens CR, Denman BA",
            year=2018,
            study_design=StudyDesign.RCT,
            population=Population.HUMAN,
            sample_size=24,
            intervention="nicotinamide riboside 1,000 mg/day",
            route="oral",
            grade="B",
        ),
        "mice": SourceFactory(
            title="NAD+ repletion in ageing mice",
            authors="Zhang H",
            year=2016,
            study_design=StudyDesign.ANIMAL,
            population=Population.ANIMAL,
            sample_size=None,
            grade="D",
            retraction_status=RetractionStatus.RETRACTED,
        ),
    }


@pytest.fixture
def article(article_index, writer_in_group, sources):
    return make_article(
        article_index,
        title="NAD+ and ageing",
        subject_intervention="NAD+",
        subject_route="intravenous",
        body=[
            heading("What the trials found"),
            paragraph(
                "Nicotinamide riboside raised blood NAD+ in healthy adults.",
                sources=[sources["trial"], sources["mice"]],
            ),
            paragraph("This article explains the research.", role="context"),
            paragraph("NAD+ reverses ageing in people.", role="context"),
        ],
        owner=writer_in_group,
    )


def url(page):
    return reverse("evidence_review:page", args=[page.pk])


def blocks(page):
    return list(page.specific.get_latest_revision_as_object().body.raw_data)


def form_data(client, page, block_id, **values):
    """The passage's form as the screen renders it, with `values` set."""
    html = client.get(url(page)).content.decode()
    form = html[html.index(f'value="{block_id}"') :]
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', form)[1]
    return {"block_id": block_id, "fingerprint": fingerprint, **values}


def test_screen_lists_claims_with_their_evidence(client, article, reviewer):
    client.force_login(reviewer)
    response = client.get(url(article))
    assert response.status_code == 200
    html = response.content.decode()
    # Every unit, in page order: the title and the standfirst first, then
    # the heading and every passage (issue 12: the detector exempts none).
    assert html.count('class="review-passage ') == 7
    kinds = re.findall(r'class="review-passage [^"]*"[^>]*data-kind="(\w+)"', html)
    assert kinds == [
        "title",
        "standfirst",
        "subject_intervention",
        "heading",
        "paragraph",
        "paragraph",
        "paragraph",
    ]
    assert html.index("Passage 2") < html.index("Passage 4")
    assert "This article explains the research." in html
    assert "Confirm passage 4 is not a claim" in html
    # Citations: title, year, design, population, n, grade, retraction.
    for text in [
        "Chronic nicotinamide riboside supplementation in adults",
        "2018",
        "Randomised controlled trial",
        "Humans",
        "<td>24</td>",
        "B (moderate)",
        "NAD+ repletion in ageing mice",
        "Animal study",
        "⚠ Retracted",
    ]:
        assert text in html
    # The suggested certainty, with its reasons.
    assert "Suggested certainty: low" in html
    assert "Down one: indirect" in html
    assert "Down one: imprecise" in html
    assert "Not counted: retracted source (Zhang H 2016)" in html
    # The certainty select defaults to the suggestion.
    assert re.search(r'<option value="low" selected>', html)
    # Wording checked against the evidence.
    assert "The article is about intravenous NAD+" in html


def test_every_control_has_a_label(client, article, reviewer):
    client.force_login(reviewer)
    html = client.get(url(article)).content.decode()
    ids = re.findall(r"<(?:select|textarea)[^>]*\bid=\"([^\"]+)\"", html)
    assert ids
    for control_id in ids:
        assert f'for="{control_id}"' in html
    assert len(ids) == len(set(ids))


def test_headings_are_in_order(client, article, reviewer):
    client.force_login(reviewer)
    html = client.get(url(article)).content.decode()
    main = html[html.index('id="main"') :] if 'id="main"' in html else html
    levels = [int(level) for level in re.findall(r"<h([1-6])", main)]
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1


def test_approving_a_passage_records_the_decision(client, article, reviewer):
    client.force_login(reviewer)
    claim = blocks(article)[1]["id"]
    data = form_data(client, article, claim, decision="approve", certainty="low")
    response = client.post(url(article), data, follow=True)
    decision = ReviewDecision.objects.filter(page=article).get()
    assert decision.decision == "approve"
    assert decision.certainty == "low"
    assert decision.block_id == claim
    assert decision.reviewer == reviewer
    html = response.content.decode()
    assert "Passage 2 approved: certainty low." in html
    assert "✓ Approved" in html


def test_a_different_certainty_needs_a_reason(client, article, reviewer):
    client.force_login(reviewer)
    claim = blocks(article)[1]["id"]
    data = form_data(client, article, claim, decision="approve", certainty="very_low")
    response = client.post(url(article), data)
    assert response.status_code == 200
    assert "You changed the suggested certainty (low): say why." in (
        response.content.decode()
    )
    assert not ReviewDecision.objects.filter(page=article).exists()
    data["certainty_reason"] = "The trial measured the outcome directly."
    client.post(url(article), data)
    decision = ReviewDecision.objects.filter(page=article).get()
    assert decision.certainty == "very_low"
    assert decision.suggested_certainty == "low"
    assert decision.certainty_reason == "The trial measured the outcome directly."


def test_request_changes_needs_a_note(client, article, reviewer):
    client.force_login(reviewer)
    claim = blocks(article)[1]["id"]
    data = form_data(client, article, claim, decision="request_changes")
    response = client.post(url(article), data)
    assert "Write a note telling the writer what to change." in (
        response.content.decode()
    )
    assert not ReviewDecision.objects.filter(page=article).exists()
    data["note"] = "Say the trial was in 24 people."
    response = client.post(url(article), data, follow=True)
    assert (
        ReviewDecision.objects.filter(page=article).get().note
        == "Say the trial was in 24 people."
    )
    assert "✎ Changes requested" in response.content.decode()


def test_context_passage_is_confirmed_not_a_claim(client, article, reviewer):
    client.force_login(reviewer)
    context = blocks(article)[3]["id"]
    data = form_data(client, article, context, decision="not_a_claim")
    response = client.post(url(article), data, follow=True)
    assert ReviewDecision.objects.filter(page=article).get().decision == "not_a_claim"
    assert "✓ Confirmed: not a claim" in response.content.decode()


def test_a_passage_edited_while_the_reviewer_read_it_is_not_approved(
    client, article, reviewer, writer_in_group
):
    client.force_login(reviewer)
    claim = blocks(article)[1]["id"]
    data = form_data(client, article, claim, decision="approve", certainty="low")
    set_passage_text(article, writer_in_group, 1, "NR doubled NAD+ in everyone.")
    response = client.post(url(article), data, follow=True)
    assert not ReviewDecision.objects.filter(page=article).exists()
    assert (
        "Passage 2 changed while you were reviewing it, so your decision was "
        "not recorded." in response.content.decode()
    )


def test_refusals_from_the_review_rules_are_shown(client, article, reviewer):
    # The reviewer rewrites the claim, then tries to approve their own text.
    set_passage_text(article, reviewer, 1, "Nicotinamide riboside raised NAD+.")
    client.force_login(reviewer)
    claim = blocks(article)[1]["id"]
    data = form_data(client, article, claim, decision="approve", certainty="low")
    response = client.post(url(article), data, follow=True)
    assert not ReviewDecision.objects.filter(page=article).exists()
    assert "another reviewer must approve it" in response.content.decode()


def test_changed_passages_are_highlighted(client, article, reviewer, writer_in_group):
    approve(article, reviewer, certainty="low")
    set_passage_text(article, writer_in_group, 1, "NR doubled NAD+ in everyone.")
    client.force_login(reviewer)
    html = client.get(url(article)).content.decode()
    assert html.count('data-status="changed_since_approval"') == 1
    assert "⚠ Changed since approval" in html
    # A word-level diff against the approved text.
    diff = html[html.index("data-diff") :]
    diff = diff[: diff.index("</p>")]
    assert diff.endswith(
        "<del>Nicotinamide riboside raised blood</del> <ins>NR doubled</ins> "
        "NAD+ in <del>healthy adults.</del> <ins>everyone.</ins> "
    )
    assert 'data-status="confirmed_not_claim"' in html


def test_approved_passages_are_shown_as_such(client, article, reviewer):
    approve(article, reviewer, certainty="low")
    client.force_login(reviewer)
    html = client.get(url(article)).content.decode()
    assert html.count('data-status="approved"') == 1
    assert "Every unit below is approved or confirmed" in html
    assert "The publish gate has no objection to this revision." in html


def test_history_credits_the_reviewer_profile(client, article, reviewer):
    ReviewerProfile.objects.create(
        user=reviewer,
        display_name="Dr Ana Lima",
        credentials="MD, PhD",
        specialty="geriatrics",
        conflict_of_interest="None declared",
    )
    approve(article, reviewer, certainty="low")
    client.force_login(reviewer)
    html = client.get(url(article)).content.decode()
    assert "Dr Ana Lima, MD, PhD (geriatrics)" in html
    assert "Conflicts of interest: None declared" in html


def test_reviewer_byline(reviewer, writer):
    assert reviewer_byline(writer) == writer.get_full_name()
    ReviewerProfile.objects.create(
        user=reviewer, display_name="Dr Ana Lima", credentials="MD"
    )
    reviewer.refresh_from_db()
    assert reviewer_byline(reviewer) == "Dr Ana Lima, MD"
    assert reviewer_disclosure(reviewer) == ""


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("writer_in_group", 403),
        ("editor", 403),
        ("reviewer", 200),
        ("superuser", 200),
    ],
)
def test_who_may_open_the_review_screen(request, client, article, role, status):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(url(article))
    assert response.status_code == status
    if role == "anonymous":
        assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("role", ["writer_in_group", "editor"])
def test_only_reviewers_may_record_decisions(request, client, article, role):
    client.force_login(request.getfixturevalue(role))
    claim = blocks(article)[1]["id"]
    response = client.post(
        url(article),
        {"block_id": claim, "fingerprint": "x", "decision": "approve"},
    )
    assert response.status_code == 403
    assert not ReviewDecision.objects.filter(page=article).exists()


def test_decisions_need_the_csrf_token(article, reviewer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    claim = blocks(article)[1]["id"]
    response = client.post(url(article), {"block_id": claim, "decision": "approve"})
    assert response.status_code == 403
    assert not ReviewDecision.objects.filter(page=article).exists()


def test_pages_of_a_type_that_is_not_gated_have_no_review_screen(
    client, home, reviewer
):
    """A plain Wagtail page (not a gated type) has no review screen; the
    home page, gated, has one (tests/evidence/gate/test_index_pages.py)."""
    plain = Page.get_first_root_node().add_child(
        instance=Page(title="Another site", slug="another-site")
    )
    plain.save_revision()
    client.force_login(reviewer)
    response = client.get(reverse("evidence_review:page", args=[plain.pk]))
    assert response.status_code == 404


def test_the_editor_links_to_the_review_screen(
    client, article, writer_in_group, reviewer
):
    page = Page.objects.get(pk=article.pk).specific
    page.get_workflow().start(page, writer_in_group)
    client.force_login(reviewer)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content
    assert url(article).encode() in html
    client.force_login(writer_in_group)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content
    assert url(article).encode() not in html


def test_task_controls_on_the_screen(client, article, writer_in_group, reviewer):
    page = Page.objects.get(pk=article.pk).specific
    page.get_workflow().start(page, writer_in_group)
    client.force_login(reviewer)
    html = client.get(url(article)).content.decode()
    assert "Request changes: return to the writer" in html
    assert "Approve the medical review" not in html
    approve(article, reviewer, certainty="low")
    html = client.get(url(article)).content.decode()
    assert "Approve the medical review" in html


def test_a_double_submitted_decision_is_recorded_once(client, article, reviewer):
    """Pressing "Approve" twice (or resending the form) records one
    decision (issue 12, rule 4)."""
    client.force_login(reviewer)
    claim = blocks(article)[1]["id"]
    data = form_data(client, article, claim, decision="approve", certainty="low")
    client.post(url(article), data)
    response = client.post(url(article), data, follow=True)
    assert ReviewDecision.objects.filter(page=article).count() == 1
    assert "that decision was already recorded" in response.content.decode()


def test_a_claim_in_the_standfirst_is_shown_as_one_that_cannot_be_approved(
    client, article_index, writer_in_group, reviewer
):
    """The screen used to tell the reviewer to "ask the writer to cite it",
    which the standfirst cannot: it now says a claim there cannot be
    approved, and to request changes (move it into the body, or reword it)."""
    page = make_article(
        article_index,
        standfirst="NAD+ infusions reverse ageing in adults.",
        body=[paragraph(sources=[SourceFactory()])],
        owner=writer_in_group,
    )
    client.force_login(reviewer)
    html = client.get(url(page)).content.decode()
    row = html[html.index('id="passage-standfirst"') :]
    row = " ".join(row[: row.index("</article>")].split())

    assert "data-uncitable-claim" in row
    assert (
        "The claim detector finds a health claim in the standfirst, which cannot "
        "cite sources, so a claim here cannot be approved. If it states a claim, "
        "request changes: ask the writer to move the claim into the body, where "
        "it can be cited, or to reword it."
    ) in row
    assert "cite it as one" not in row
    assert 'value="approve"' not in row
    assert "Request changes to the standfirst" in row
    # An approval sent anyway is refused, and nothing is recorded.
    response = client.post(
        url(page),
        form_data(
            client,
            page,
            "standfirst",
            decision="approve",
            certainty="low",
            certainty_reason="It reads true to me.",
        ),
        follow=True,
    )
    assert "cannot be approved as a claim" in response.content.decode()
    assert not ReviewDecision.objects.filter(page=page).exists()


def test_a_claim_without_a_supporting_source_is_shown_as_one_that_cannot_be_approved(
    client, article_index, writer_in_group, reviewer, sources
):
    """A claim whose only source contradicts it (or that cites none, or only
    a retracted one) cannot be approved: the screen used to offer "Approve",
    and the reviewer learned otherwise only from the refusal."""
    page = make_article(
        article_index,
        body=[
            paragraph(
                "NAD+ drips reverse ageing.",
                sources=[sources["trial"]],
                stance="contradicts",
                block_id="bare",
            ),
            paragraph(
                "Nicotinamide riboside raised blood NAD+.",
                sources=[sources["trial"]],
                block_id="backed",
            ),
        ],
        owner=writer_in_group,
    )
    client.force_login(reviewer)
    html = client.get(url(page)).content.decode()

    def row(block_id):
        part = html[html.index(f'id="passage-{block_id}"') :]
        return " ".join(part[: part.index("</article>")].split())

    assert "data-unsupported-claim" in row("bare")
    assert "Passage 1 cites no source that supports it" in row("bare")
    assert 'value="approve"' not in row("bare")
    assert "Request changes to passage 1" in row("bare")
    assert "data-unsupported-claim" not in row("backed")
    assert 'value="approve"' in row("backed")
