"""Every piece of text a reader or a search engine sees is a reviewable unit
(issue 12, rules 1-3).

The attacks of the issue's first list that concern units, each tried as a
hostile writer would: the editor publishes through the gate after a medical
reviewer decided every *other* unit. Each was published on the code before
units (the gate read only the body's passages and trusted the claim
detector to say which context passages needed a reviewer). The detector has
since learnt the issue's own examples ("Vitamin C Cures The Common Cold",
"<Cures arthritis>", "Alzheimer's disease | Reversed"), so these tests use
wordings of the same shapes that it still misses: the gate must not depend
on it.
"""

import re

import pytest
from django.core import checks
from django.test.utils import isolate_apps
from django.urls import reverse

from evidence.gate import PublishBlocked, publish_problems
from evidence.gate.publish import publish_latest
from evidence.passages import read_passages
from evidence.review.data import review_states
from tests.factories import (
    SourceFactory,
    approve,
    decide,
    edit_body,
    latest,
    make_article,
    new_id,
    paragraph,
    table,
    unchecked_approval,
)

pytestmark = pytest.mark.django_db


def decide_all_but(page, reviewer, *skipped):
    """A medical reviewer decides every unit of the latest version except
    `skipped`: claims approved, everything else confirmed "not a claim"."""
    version = latest(page)
    claims = {p.block_id for p in read_passages(version) if p.is_claim}
    for unit_id in review_states(version):
        if unit_id in skipped:
            continue
        decision = "approve" if unit_id in claims else "not_a_claim"
        decide(page, unit_id, reviewer, decision)


def context(text, block_id=None):
    return paragraph(text, role="context", block_id=block_id or new_id())


def list_of(*items, role="context"):
    return {
        "type": "list",
        "id": new_id(),
        "value": {
            "text": [{"type": "item", "id": new_id(), "value": i} for i in items],
            "ordered": False,
            "role": role,
            "citations": [],
        },
    }


def assert_refused_for(page, editor, unit_id):
    """The editor's publish is refused, naming exactly the undecided unit,
    and nothing goes live."""
    with pytest.raises(PublishBlocked) as refused:
        publish_latest(page, editor)
    assert [p.block_id for p in refused.value.problems] == [unit_id]
    assert not type(page).objects.get(pk=page.pk).live
    return refused.value.problems[0]


# --- the attacks --------------------------------------------------------------


def test_a_claim_in_the_title_with_an_empty_body_is_not_published_unreviewed(
    article_index, writer, reviewer, editor
):
    page = make_article(
        article_index,
        title="Vitamin C cures the common cold",
        standfirst="What the trials found.",
        body=[],
        owner=writer,
    )
    decide_all_but(page, reviewer, "title")
    problem = assert_refused_for(page, editor, "title")
    # The detector reads a claim in it: it must be decided on its own, and
    # the title cannot cite a source, so a claim there cannot be approved.
    assert problem.rule == "unconfirmed_context"
    assert problem.message == (
        "The title (“Vitamin C cures the common cold”) reads like a claim, and "
        "it cannot cite sources, so it cannot be approved as a claim. A "
        "medical reviewer must decide it on its own: request changes (move "
        "the claim into the body, where it can be cited, or reword it), or "
        "confirm it states no claim."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Brain Fog Gone For Good",  # Title Case, no full stop
        "In this series, every patient walked again.",
        "Companies claim NMN reverses ageing.",
    ],
)
def test_context_the_detector_misses_still_needs_a_reviewer(
    text, article_index, writer, reviewer, editor
):
    sneaky = context(text)
    page = make_article(
        article_index,
        body=[paragraph(sources=[SourceFactory()]), sneaky],
        owner=writer,
    )
    decide_all_but(page, reviewer, sneaky["id"])
    assert_refused_for(page, editor, sneaky["id"])
    decide(page, sneaky["id"], reviewer, "not_a_claim")
    publish_latest(page, editor)  # once read and decided, it may go live


@pytest.mark.parametrize(
    "text, hidden",
    [
        ("NAD+ \u0441ures fatigue in older adults.", "сures"),  # Cyrillic с
        ("NAD+ cu\u200bres fatigue in older adults.", "ZERO WIDTH SPACE"),
    ],
)
def test_hidden_characters_are_flagged_and_decided_on_their_own(
    text, hidden, client, article_index, writer, reviewer, editor
):
    sneaky = context(text)
    page = make_article(
        article_index,
        body=[paragraph(sources=[SourceFactory()]), sneaky],
        owner=writer,
    )
    decide_all_but(page, reviewer, sneaky["id"])
    assert_refused_for(page, editor, sneaky["id"])
    [unit] = [p for p in read_passages(latest(page)) if p.block_id == sneaky["id"]]
    assert unit.suspicious
    assert review_states(latest(page))[sneaky["id"]].flagged
    client.force_login(reviewer)
    html = client.get(reverse("evidence_review:page", args=[page.pk])).content.decode()
    article = html[html.index(f'id="passage-{sneaky["id"]}"') :]
    article = article[: article.index("</article>")]
    assert "data-suspicious" in article and hidden in article
    # Not among the units that may be confirmed together.
    assert 'id="confirm-context"' not in html


def test_a_list_item_in_angle_brackets_is_text_and_needs_a_reviewer(
    article_index, writer, reviewer, editor
):
    sneaky = list_of("<Arthritis gone in a week>", "Ask your pharmacist")
    page = make_article(
        article_index,
        body=[paragraph(sources=[SourceFactory()]), sneaky],
        owner=writer,
    )
    [unit] = [p for p in read_passages(latest(page)) if p.block_id == sneaky["id"]]
    assert unit.text == "<Arthritis gone in a week> Ask your pharmacist"
    decide_all_but(page, reviewer, sneaky["id"])
    assert_refused_for(page, editor, sneaky["id"])


def test_a_plain_table_needs_a_reviewer(article_index, writer, reviewer, editor):
    sneaky = table([["Arthritis", "Gone"]], header=False, role="context")
    page = make_article(
        article_index,
        body=[paragraph(sources=[SourceFactory()]), sneaky],
        owner=writer,
    )
    decide_all_but(page, reviewer, sneaky["id"])
    assert_refused_for(page, editor, sneaky["id"])


# --- the units ----------------------------------------------------------------


def test_every_text_a_reader_sees_is_a_unit_in_page_order(article_index, writer):
    from evidence.passages import reviewable_units

    page = make_article(
        article_index,
        title="NAD+ and ageing",
        standfirst="What the trials found.",
        seo_title="NAD+ trials",
        search_description="A summary of the NAD+ trials.",
        subject_intervention="NAD+",
        body=[{"type": "heading", "id": "h1", "value": {"text": "Trials"}}],
        owner=writer,
    )
    units = reviewable_units(latest(page))
    assert [(u.block_id, u.kind, u.role) for u in units] == [
        ("title", "title", "context"),
        ("standfirst", "standfirst", "context"),
        ("seo_title", "seo_title", "context"),
        ("search_description", "search_description", "context"),
        ("subject_intervention", "subject_intervention", "context"),
        ("h1", "heading", "context"),
    ]
    assert [u.text for u in units][:2] == ["NAD+ and ageing", "What the trials found."]
    # The ids of field units are stable: the same on every version.
    assert [u.block_id for u in reviewable_units(page)][:2] == ["title", "standfirst"]


def test_editing_the_title_voids_its_confirmation(
    article_index, writer, reviewer, editor
):
    page = make_article(
        article_index, body=[paragraph(sources=[SourceFactory()])], owner=writer
    )
    approve(page, reviewer)
    version = latest(page)
    version.title = "NAD+ cures ageing"
    version.save_revision(user=writer)
    problem = assert_refused_for(page, editor, "title")
    assert problem.rule == "approval_voided"


@pytest.mark.parametrize(
    "field, text",
    [("title", "Vitamin C cures the common cold"), ("standfirst", "Cures colds.")],
)
@pytest.mark.parametrize("whole_row", [True, False])
def test_a_live_page_saved_from_code_with_an_unreviewed_field_is_refused(
    field, text, whole_row, article_index, writer, reviewer, editor
):
    """The `pre_save` guard checks a live row whose reviewed field changed,
    as it checks one whose passages changed: before, only the passages and
    the publish state were compared, so an unreviewed title went live."""
    page = make_article(
        article_index, body=[paragraph(sources=[SourceFactory()])], owner=writer
    )
    approve(page, reviewer)
    publish_latest(type(page).objects.get(pk=page.pk), editor)
    live = type(page).objects.get(pk=page.pk)
    checked = getattr(live, field)
    setattr(live, field, text)
    with pytest.raises(PublishBlocked) as refused:
        live.save() if whole_row else live.save(update_fields=[field])
    assert {p.block_id for p in refused.value.problems} == {field}
    assert getattr(type(page).objects.get(pk=page.pk), field) == checked


def test_the_fingerprint_covers_role_and_cited_evidence_not_invisible_characters(
    article_index, writer
):
    source = SourceFactory()
    page = make_article(
        article_index, body=[paragraph("NAD+ falls.", sources=[source])], owner=writer
    )

    def fingerprint():
        return read_passages(latest(page))[0].fingerprint

    first = fingerprint()

    def with_zero_width_space(blocks):
        blocks[0]["value"]["text"] = "<p>NAD+\u200b falls.</p>"
        return blocks

    edit_body(page, writer, with_zero_width_space)
    assert fingerprint() == first  # the page shows the same words

    def as_context(blocks):
        blocks[0]["value"]["role"] = "context"
        return blocks

    edit_body(page, writer, as_context)
    as_context_print = fingerprint()
    assert as_context_print != first
    source.population = "animal"
    source.save()
    assert fingerprint() != as_context_print


def test_the_editor_shows_a_field_units_problem_on_its_field(
    client, article_index, writer, reviewer, editor
):
    from tests.evidence.admin_forms import page_form_data

    page = make_article(
        article_index, body=[paragraph(sources=[SourceFactory()])], owner=writer
    )
    approve(page, reviewer)
    client.force_login(editor)
    data = page_form_data(latest(page), "publish", title="NAD+ cures ageing")
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    [message] = [str(m) for error in errors["title"] for m in error.messages]
    assert message == (
        "The title (“NAD+ cures ageing”) changed after a medical reviewer "
        "confirmed it; a medical reviewer must read it again."
    )
    assert "body" not in errors
    assert not type(page).objects.get(pk=page.pk).live


def test_the_api_names_the_unit_rule_and_what_to_do(
    client, article_index, writer, reviewer, editor
):
    page = make_article(
        article_index, body=[paragraph(sources=[SourceFactory()])], owner=writer
    )
    decide_all_but(page, reviewer, "standfirst")
    client.force_login(editor)
    response = client.get(f"/api/v1/articles/{page.pk}/readiness/")
    assert response.status_code == 200
    [problem] = response.json()["problems"]
    assert problem["block_id"] == "standfirst"
    assert problem["rule"] == "undecided_unit"
    assert "confirm it is not a claim" in problem["message"]


def test_a_claim_in_the_standfirst_says_it_cannot_be_approved_in_the_api(
    client, article_index, writer, reviewer, editor
):
    """The readiness API's problem for a standfirst that states a claim says
    it cannot be approved and what to do. It used to say the standfirst was
    "not marked as a claim", as if it could be."""
    page = make_article(
        article_index,
        standfirst="NAD+ infusions reverse ageing in adults.",
        body=[paragraph(sources=[SourceFactory()])],
        owner=writer,
    )
    decide_all_but(page, reviewer, "standfirst")
    client.force_login(editor)
    [problem] = client.get(f"/api/v1/articles/{page.pk}/readiness/").json()["problems"]
    assert (problem["block_id"], problem["rule"]) == (
        "standfirst",
        "unconfirmed_context",
    )
    assert problem["message"].startswith(
        "The standfirst (“NAD+ infusions reverse ageing in adults.”) reads like a "
        "claim, and it cannot cite sources, so it cannot be approved as a claim."
    )
    assert "move the claim into the body, where it can be cited" in problem["message"]
    assert "not marked as a claim" not in problem["message"]


def test_a_context_passage_approved_as_a_claim_needs_a_supporting_citation(
    article_index, writer, reviewer, editor
):
    """An approval puts a certainty on a passage for readers: a context
    passage a reviewer approves goes live as a claim, so it needs the
    support a claim needs. It used to go live with a certainty and no
    source."""
    bare = context("Regular NAD+ drips keep the immune system young.")
    page = make_article(
        article_index,
        body=[paragraph(sources=[SourceFactory()]), bare],
        owner=writer,
    )
    decide_all_but(page, reviewer, bare["id"])
    # record_decision refuses that approval now (tests/evidence/review); one
    # recorded before it did, or written around it, must not count either.
    [unit] = [u for u in latest_units(page) if u.block_id == bare["id"]]
    unchecked_approval(page, unit, reviewer, certainty="low")
    problem = assert_refused_for(page, editor, bare["id"])
    assert problem.rule == "uncited_claim"
    assert "cites no source" in problem.message


def test_an_approval_recorded_on_a_unit_that_cannot_cite_does_not_count(
    article_index, writer, reviewer, editor
):
    """An approval of the standfirst as a claim, recorded before the review
    screen refused them (or written around `record_decision`), does not put
    an unsupported claim live: the gate says what to do with it."""
    from evidence.models import ReviewDecision

    page = make_article(
        article_index,
        standfirst="NAD+ infusions reverse ageing in adults.",
        body=[paragraph(sources=[SourceFactory()])],
        owner=writer,
    )
    decide_all_but(page, reviewer, "standfirst")
    [unit] = [u for u in latest_units(page) if u.block_id == "standfirst"]
    ReviewDecision.objects.create(
        page_id=page.pk,
        block_id="standfirst",
        reviewer=reviewer,
        decision="approve",
        certainty="low",
        fingerprint=unit.fingerprint,
    )
    problem = assert_refused_for(page, editor, "standfirst")
    assert problem.rule == "uncited_claim"
    assert "cannot be approved as a claim" in problem.message


def latest_units(page):
    from evidence.passages import reviewable_units

    return reviewable_units(latest(page))


# --- confirming unflagged context units together --------------------------------


def test_unflagged_context_units_are_confirmed_together_and_flagged_ones_alone(
    client, article_index, writer, reviewer, editor
):
    flagged = context("NAD+ infusions reverse ageing in adults.")
    plain = context("Read on to learn what the trials found.")
    page = make_article(
        article_index,
        body=[paragraph(sources=[SourceFactory()]), flagged, plain],
        owner=writer,
    )
    client.force_login(reviewer)
    url = reverse("evidence_review:page", args=[page.pk])
    html = client.get(url).content.decode()
    form = html[html.index('id="confirm-context"') :]
    form = form[: form.index("</form>")]
    units = dict(
        zip(
            *[
                re.findall(pattern, form)
                for pattern in (
                    r'name="unit" value="([^"]+)"',
                    r'name="fingerprint-[^"]+" value="([0-9a-f]+)"',
                )
            ],
            strict=True,
        )
    )
    # The title, the standfirst and the plain passage; not the flagged one,
    # not the claim.
    assert set(units) == {"title", "standfirst", plain["id"]}
    # Named by what they are, as the gate's refusal names them.
    read = (
        "I have read the title, the standfirst and 1 body passage; none states a claim."
    )
    assert read in form
    post = {"action": "confirm_context", "unit": list(units)}
    post.update({f"fingerprint-{k}": v for k, v in units.items()})
    # Without saying they were read, nothing is recorded.
    response = client.post(url, post, follow=True)
    assert "tick the box saying you have read every unit" in response.content.decode()
    assert not review_states(latest(page))["title"].is_settled
    # A flagged unit sent along is refused, and nothing is recorded.
    [flagged_unit] = [
        p for p in read_passages(latest(page)) if p.block_id == flagged["id"]
    ]
    bad = {**post, "read_all": "1", "unit": [*units, flagged["id"]]}
    bad[f"fingerprint-{flagged['id']}"] = flagged_unit.fingerprint
    response = client.post(url, bad, follow=True)
    assert "decide it on its own" in response.content.decode()
    assert not review_states(latest(page))["title"].is_settled
    # Read and confirmed together: recorded once each.
    response = client.post(url, {**post, "read_all": "1"}, follow=True)
    assert (
        "The title, the standfirst and 1 body passage confirmed as not claims."
        in response.content.decode()
    )
    states = review_states(latest(page))
    assert all(states[unit].is_settled for unit in units)
    assert not states[flagged["id"]].is_settled
    # A second submit of the same form records nothing more.
    client.post(url, {**post, "read_all": "1"})
    from evidence.models import ReviewDecision

    assert ReviewDecision.objects.filter(page=page).count() == 3


def test_confirming_together_is_refused_when_a_unit_changed_since_shown(
    article_index, writer, reviewer
):
    from evidence.review.decisions import DecisionConflict, confirm_context

    plain = context("Read on to learn what the trials found.")
    page = make_article(article_index, body=[plain], owner=writer)
    shown = _fingerprints(page)
    version = latest(page)
    version.title = "A new title"
    version.save_revision(user=writer)
    with pytest.raises(DecisionConflict, match="The title changed after you were"):
        confirm_context(page, reviewer, shown)
    from evidence.models import ReviewDecision

    assert not ReviewDecision.objects.filter(page=page).exists()


def test_units_confirmed_together_are_on_record_by_what_they_are(
    client, article_index, writer, reviewer, superuser
):
    """Each decision keeps what the reviewer affirmed as its note, naming
    the units as the gate's refusal does; the page's History and the audit
    trail show it, and name a field unit inside the sentence."""
    from evidence.audit.chain import stored_chain
    from evidence.review.decisions import confirm_context

    plain = context("Read on to learn what the trials found.")
    page = make_article(article_index, title="Trials", body=[plain], owner=writer)
    confirm_context(page, reviewer, _fingerprints(page))
    read = (
        "I have read the title, the standfirst and 1 body passage; none states a claim."
    )
    decisions = [e for e in stored_chain(page.pk) if e["kind"] == "decision"]
    assert [e["data"]["note"] for e in decisions] == [read] * 3
    client.force_login(superuser)
    html = client.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    html = html.content.decode()
    assert "Confirmed “not a claim”: the title (“Trials”)" in html
    assert "Confirmed “not a claim”: passage 1 (“Read on to learn" in html
    assert read in html


def _fingerprints(page):
    from evidence.passages import reviewable_units

    return {u.block_id: u.fingerprint for u in reviewable_units(latest(page))}


# --- the system check -----------------------------------------------------------


@isolate_apps("evidence")
def test_a_gated_page_type_with_an_unreviewed_text_field_fails_the_check():
    """A throwaway gated model in an isolated app registry (never migrated,
    never among the site's page types: the check reads only its fields)
    with a new text field and a stream block that is no passage."""
    from django.db import models
    from wagtail import blocks
    from wagtail.fields import StreamField

    from evidence.blocks import ParagraphBlock
    from evidence.checks import unit_problems
    from evidence.page import GatedPage

    class Stream(blocks.StreamBlock):
        paragraph = ParagraphBlock()
        quote = blocks.CharBlock()

    class ThrowawayPage(GatedPage, models.Model):
        passages_field = "body"
        reviewed_fields = ("title", "seo_title", "search_description")
        title = models.CharField(max_length=255)
        slug = models.SlugField()
        seo_title = models.CharField(max_length=255, blank=True)
        search_description = models.TextField(blank=True)
        level = models.CharField(max_length=2, choices=[("a", "A")])  # no prose
        strapline = models.CharField(max_length=200, blank=True)
        body = StreamField(Stream())

        class Meta:
            app_label = "evidence"

        def __str__(self):
            return self.title

    found = unit_problems(ThrowawayPage)
    assert [(m.id, m.level) for m in found] == [
        ("evidence.E001", checks.ERROR),
        ("evidence.E002", checks.ERROR),
    ]
    assert "ThrowawayPage.strapline" in found[0].msg
    assert "'quote' block" in found[1].msg
    # Reviewed, or excused with a reason: the check passes.
    ThrowawayPage.reviewed_fields = (*ThrowawayPage.reviewed_fields, "strapline")
    Stream.base_blocks.pop("quote")
    ThrowawayPage._meta.get_field("body").stream_block.child_blocks.pop("quote")
    assert unit_problems(ThrowawayPage) == []


def test_the_site_passes_the_check():
    from evidence.checks import gated_pages_review_every_text

    assert gated_pages_review_every_text() == []


def test_the_demo_reviewer_decides_every_unit(db):
    """The demo's live article went live through the gate with every unit
    decided by the demo reviewer."""
    from django.core.management import call_command

    from articles.models import ArticlePage

    call_command("load_demo_content", verbosity=0)
    live = ArticlePage.objects.live()
    assert live.exists()
    for page in live:
        states = review_states(page)
        assert "title" in states and "standfirst" in states
        assert all(state.is_settled for state in states.values())
        assert publish_problems(page) == []
