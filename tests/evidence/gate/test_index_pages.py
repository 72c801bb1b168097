"""The home page and the article index are gated page types (issue 12,
rule 1: "the intro fields of public index pages" are reviewable units).

Tried as a hostile editor would: an index page whose introduction says
"Vitamin C cures the common cold" went live without any review, from the
editor and from code, before these page types were gated. Each test below
was run against the code before (it published).
"""

import io

import pytest
from django.core import checks
from django.urls import reverse
from wagtail.models import Comment
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from articles.models import ArticleIndexPage, HomePage
from evidence.gate import PublishBlocked
from evidence.page import gated_page_models
from evidence.passages import reviewable_units
from evidence.review.data import review_states
from tests.factories import decide, latest

pytestmark = pytest.mark.django_db

CLAIM = "Vitamin C cures the common cold."


@pytest.fixture(params=["home", "article_index"])
def index_page(request):
    """Each of the site's index pages, live as the site tree made it."""
    return request.getfixturevalue(request.param)


def reload(page):
    return type(page).objects.get(pk=page.pk)


def write_intro(page, user, intro=CLAIM):
    """Save a draft of the page whose introduction reads `intro`."""
    version = latest(page)
    version.intro = intro
    return version.save_revision(user=user)


def index_form_data(version, action=None, **overrides) -> dict:
    """The page editor's POST for an index page `version`."""
    data = nested_form_data(
        {
            "title": version.title,
            "slug": version.slug,
            "intro": version.intro,
            "seo_title": version.seo_title,
            "search_description": version.search_description,
            "comments": inline_formset([]),
            **overrides,
        }
    )
    if action:
        data[f"action-{action}"] = action
    return data


# --- the contract ---------------------------------------------------------------


def test_the_index_pages_are_gated_and_pass_the_check():
    from evidence.checks import unit_problems

    assert {HomePage, ArticleIndexPage} <= set(gated_page_models())
    assert unit_problems(HomePage) == []
    assert unit_problems(ArticleIndexPage) == []


@pytest.mark.parametrize("model", [HomePage, ArticleIndexPage])
def test_the_check_fails_when_the_intro_is_not_a_unit(model, monkeypatch):
    """A text field readers see that is not a reviewed field fails
    evidence.E001 (so the next field on an index page cannot be forgotten)."""
    from evidence.checks import unit_problems

    monkeypatch.setattr(
        model, "reviewed_fields", ("title", "seo_title", "search_description")
    )
    found = unit_problems(model)
    assert [(m.id, m.level) for m in found] == [("evidence.E001", checks.ERROR)]
    assert f"{model._meta.label}.intro" in found[0].msg


def test_units_are_the_title_and_intro_then_the_search_fields(index_page):
    version = latest(index_page)
    version.seo_title = "Read the evidence"
    version.search_description = "Evidence-based articles."
    units = reviewable_units(version)
    assert [(u.block_id, u.text) for u in units] == [
        ("title", index_page.title),
        ("intro", index_page.intro),
        ("seo_title", "Read the evidence"),
        ("search_description", "Evidence-based articles."),
    ]
    assert units[1].label == "The introduction"


def test_the_site_tree_went_live_through_the_gate(home, article_index, site_reviewer):
    """The fixture's pages are live because a medical reviewer decided
    every unit, and their snapshots say so."""
    from evidence.models import PublishSnapshot

    for page in (home, article_index):
        page = reload(page)
        assert page.live
        states = review_states(page)
        assert set(states) == {"title", "intro"}
        assert all(state.is_settled for state in states.values())
        assert {d.reviewer for s in states.values() for d in s.counted} == {
            site_reviewer
        }
        snapshot = PublishSnapshot.objects.live_for(page)
        assert set(snapshot.units) == {"title", "intro"}


# --- the attack: an unreviewed introduction -------------------------------------


def test_an_unreviewed_intro_is_refused_from_code(index_page, writer, reviewer, editor):
    """`save_revision().publish()` from code."""
    reviewed_intro = index_page.intro
    with pytest.raises(PublishBlocked) as refused:
        write_intro(index_page, writer).publish(user=editor)
    [problem] = refused.value.problems
    assert problem.block_id == "intro"
    # The reviewed introduction was confirmed; this text was not.
    assert problem.rule == "approval_voided"
    assert problem.message == (
        f"The introduction (“{CLAIM}”) changed after a medical reviewer "
        "confirmed it; a medical reviewer must read it again."
    )
    page = reload(index_page)
    assert page.live and page.intro == reviewed_intro  # the reviewed text stays
    decide(index_page, "intro", reviewer, "not_a_claim")
    reload(index_page).get_latest_revision().publish(user=editor)
    assert reload(index_page).intro == CLAIM


def test_an_unreviewed_intro_is_refused_in_the_editor(
    index_page, client, writer, reviewer, editor
):
    """The editor's "Publish": refused, the problem shown on the intro
    field, the draft kept; published once a medical reviewer decided it."""
    reviewed_intro = index_page.intro
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[index_page.pk])
    data = index_form_data(latest(index_page), "publish", intro=CLAIM)
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert list(errors) == ["intro"]
    [message] = [str(m) for error in errors["intro"] for m in error.messages]
    assert message.startswith(f"The introduction (“{CLAIM}”) changed after a medical")
    shown = [str(m) for m in response.context["messages"]]
    assert any("This version was not published" in m for m in shown), shown
    assert reload(index_page).intro == reviewed_intro
    # Saved as a draft, decided by a medical reviewer, then published.
    assert (
        client.post(url, index_form_data(latest(index_page), intro=CLAIM)).status_code
        == 302
    )
    decide(index_page, "intro", reviewer, "not_a_claim")
    response = client.post(url, index_form_data(latest(index_page), "publish"))
    assert response.status_code == 302
    assert reload(index_page).intro == CLAIM


def test_a_new_article_index_is_refused_in_the_create_view(home, client, editor):
    client.force_login(editor)
    url = reverse(
        "wagtailadmin_pages:add", args=["articles", "articleindexpage", home.pk]
    )
    version = ArticleIndexPage(title="Colds", slug="colds", intro=CLAIM)
    response = client.post(url, index_form_data(version, "publish"))
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert set(errors) == {"title", "intro"}
    assert not ArticleIndexPage.objects.filter(slug="colds").exists()


def test_a_changed_title_saved_on_the_live_row_is_refused(index_page, editor):
    """A live page saved from code with a new title or introduction (no new
    revision) is checked like a publish: the `pre_save` guard reads every
    unit, not only a passage stream."""
    page = reload(index_page)
    page.title = "Cures for colds"
    with pytest.raises(PublishBlocked) as refused:
        page.save()
    assert [p.block_id for p in refused.value.problems] == ["title"]
    page = reload(index_page)
    page.intro = CLAIM
    with pytest.raises(PublishBlocked):
        page.save(update_fields=["intro"])
    assert reload(index_page).intro != CLAIM


def test_a_request_for_changes_on_the_intro_is_a_comment_on_its_field(
    index_page, writer, reviewer
):
    write_intro(index_page, writer)
    decide(index_page, "intro", reviewer, "request_changes", note="Cite or cut.")
    [comment] = Comment.objects.filter(page=index_page)
    assert comment.contentpath == "intro"


def test_the_review_screen_lists_the_units(index_page, client, writer, reviewer):
    write_intro(index_page, writer)
    client.force_login(reviewer)
    response = client.get(reverse("evidence_review:page", args=[index_page.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="passage-title"' in html and 'id="passage-intro"' in html
    assert CLAIM in html


def test_the_dashboard_and_the_audit_command_read_index_pages(
    index_page, writer, editor, client
):
    """An index page whose draft the gate refuses is listed as blocked, and
    one made live behind the gate's back is named by the audit command."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from evidence.admin.dashboard import pages_blocked_by_gate

    write_intro(index_page, writer)
    assert index_page.pk in {b.page.pk for b in pages_blocked_by_gate()}
    out = io.StringIO()
    call_command("audit_live_articles", stdout=out)  # every live page passes
    type(index_page).objects.filter(pk=index_page.pk).update(intro=CLAIM)
    with pytest.raises(CommandError):
        call_command("audit_live_articles", stdout=out)
    assert f"{index_page.title} (id {index_page.pk}" in out.getvalue()


def test_copying_the_index_from_code_copies_the_reviews_of_its_articles(
    article_index, home, writer, reviewer, editor
):
    """`copy(recursive=True)` of the (now gated) index gives the copied index
    and each copied article their originals' reviews: a subpage copied with
    a page of a type that was not gated got none."""
    from tests.factories import SourceFactory, make_article, paragraph, publish_approved

    article = publish_approved(
        make_article(
            article_index, owner=writer, body=[paragraph(sources=[SourceFactory()])]
        ),
        reviewer,
        editor,
    )
    copy = reload(article_index).copy(
        recursive=True,
        to=home,
        update_attrs={"slug": "copied"},
        keep_live=False,  # drafts: only the explicit copy of reviews helps
        user=editor,
    )
    copied_article = copy.get_children().get().specific
    assert copied_article.pk != article.pk
    states = review_states(latest(copied_article))
    assert states and all(s.is_settled for s in states.values())
    states = review_states(latest(copy.specific))
    assert set(states) == {"title", "intro"}
    assert all(s.is_settled for s in states.values())
