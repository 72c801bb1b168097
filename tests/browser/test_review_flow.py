"""End to end in headless Chromium: draft, submit, review, sign off, edit, refuse.

The article's first draft is saved through the ORM as the writer (driving
Wagtail's StreamField editor to build blocks is fiddly); every other step
runs in the browser, including the writer's later edit of one passage in
the Draftail editor.
"""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from articles.models import ArticlePage
from evidence.models import ReviewDecision
from tests.factories import SourceFactory, UserFactory, heading, make_article, paragraph

CLAIM = "Nicotinamide riboside raised blood NAD+ in healthy older adults."

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def browsers_keep_no_copy(settings):
    """The visitor comes back seconds after each publish: a real browser
    would still show its copy for NADSITE_BROWSER_CACHE_SECONDS."""
    settings.NADSITE_BROWSER_CACHE_SECONDS = 0


def member(group, username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def sign_in(browser, log_in):
    """`sign_in(user)`: a new tab with `user` signed in to the admin."""

    def sign_in(user):
        page = browser.new_page()
        page.set_default_timeout(20_000)
        return log_in(page, user)

    return sign_in


def leave_editor(page, live_server):
    """Leave the editor, whose autosave and session pings would otherwise
    keep writing to the (single-writer) test database."""
    page.goto(f"{live_server.url}/admin/")


def footer_action(page, name):
    """Click an action in the editor's footer menu (it may be in the dropdown)."""
    button = page.get_by_role("button", name=name, exact=True)
    if not button.is_visible():
        page.get_by_role("button", name="More actions").click()
    button.click()


def describe_the_change(page):
    """Republishing a live article asks what changed (issue 17)."""
    page.get_by_role("radio", name=re.compile(r"^Update")).check()
    page.get_by_label("Note for readers").fill("The trial's result is given in full.")


def test_writer_reviewer_editor_visitor(
    browser, sign_in, live_server, article_index, screenshots
):
    writer = member("Writers", "wendy")
    reviewer = member("Medical reviewers", "rita")
    editor = member("Editors", "eddie")
    source = SourceFactory(
        title="Chronic nicotinamide riboside supplementation",
        authors="Martens CR, Denman BA",
        year=2018,
        sample_size=120,
    )
    article = make_article(
        article_index,
        title="NAD+ and ageing",
        slug="nad-and-ageing",
        body=[heading("What the trials found"), paragraph(CLAIM, sources=[source])],
        owner=writer,
    )
    edit_url = f"{live_server.url}/admin/pages/{article.pk}/edit/"
    review_url = f"{live_server.url}/admin/evidence/review/{article.pk}/"
    public_url = f"{live_server.url}/articles/nad-and-ageing/"

    # The writer submits the draft to the Medical review.
    writing = sign_in(writer)
    writing.goto(edit_url)
    footer_action(writing, "Submit to Medical review")
    expect(writing.locator(".messages")).to_contain_text("submitted")
    leave_editor(writing, live_server)
    article.refresh_from_db()
    assert article.current_workflow_task.name == "Medical review"

    # The reviewer approves the claim, reads and confirms the heading, the
    # title and the standfirst, then approves the task: that passes the page
    # to the editors, unpublished.
    reviewing = sign_in(reviewer)
    reviewing.goto(review_url)
    expect(reviewing.locator("#review-passages-heading")).to_be_visible()
    expect(reviewing.get_by_text("Approve the medical review")).to_have_count(0)
    reviewing.get_by_role("button", name="Approve passage 2").click()
    expect(reviewing.locator(".messages")).to_contain_text("Passage 2 approved")
    expect(reviewing.get_by_text("Approve the medical review")).to_have_count(0)
    # The detector flags the title ("NAD+ and ageing") and the heading
    # ("What the trials found"): each decided on its own; the standfirst is
    # confirmed with the explicit "I have read" action.
    reviewing.get_by_role("button", name="Confirm the title is not a claim").click()
    expect(reviewing.locator(".messages")).to_contain_text(
        "The title confirmed as not a claim."
    )
    reviewing.get_by_role("button", name="Confirm passage 1 is not a claim").click()
    expect(reviewing.locator(".messages")).to_contain_text(
        "Passage 1 confirmed as not a claim."
    )
    reviewing.get_by_label("I have read the standfirst; it states no claim.").check()
    reviewing.get_by_role("button", name="Confirm 1 unit as not a claim").click()
    expect(reviewing.locator(".messages")).to_contain_text(
        "The standfirst confirmed as not a claim."
    )
    reviewing.screenshot(
        path=str(screenshots / "review-units-confirmed.png"), full_page=True
    )
    reviewing.get_by_role("button", name="Approve the medical review").click()
    expect(reviewing.locator(".messages")).to_contain_text("waits for an editor")
    article.refresh_from_db()
    assert not article.live
    assert article.current_workflow_task.name == "Editorial sign-off"

    # The editor signs it off, which publishes it; a visitor reads it.
    editing = sign_in(editor)
    editing.goto(f"{live_server.url}/admin/evidence/sign-off/{article.pk}/")
    editing.get_by_role("button", name="Sign off and publish").click()
    expect(editing.locator(".messages")).to_contain_text("signed off and published")
    article.refresh_from_db()
    assert article.live
    editing.goto(edit_url)
    expect(editing.locator("body")).to_contain_text("Live")
    leave_editor(editing, live_server)
    visitor = browser.new_page()
    visitor.goto(public_url)
    expect(visitor.locator("main")).to_contain_text(CLAIM)

    # The writer changes the claim in the editor and saves a draft.
    writing.goto(edit_url)
    text = writing.locator('[contenteditable="true"]').filter(has_text="raised blood")
    text.click()
    writing.keyboard.press("End")
    writing.keyboard.type(" It doubled in everyone.")
    # Draftail copies its content into the form's hidden input shortly after.
    writing.wait_for_function(
        "() => [...document.querySelectorAll('input[type=hidden]')]"
        ".some(input => input.value.includes('It doubled in everyone.'))"
    )
    footer_action(writing, "Save draft")
    expect(writing.locator(".messages")).to_contain_text("has been updated")
    leave_editor(writing, live_server)
    draft = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert "It doubled in everyone." in draft.body.raw_data[1]["value"]["text"]

    # The editor's publish is refused: the passage needs approving again
    # (the change note republishing asks for is given, so the gate refuses).
    editing.goto(edit_url)
    describe_the_change(editing)
    footer_action(editing, "Publish")
    expect(editing.locator("body")).to_contain_text(
        re.compile("changed after a medical reviewer approved it")
    )
    leave_editor(editing, live_server)
    visitor.goto(public_url)
    expect(visitor.locator("main")).not_to_contain_text("It doubled in everyone.")

    # The reviewer sees the change highlighted and approves it again.
    reviewing.goto(review_url)
    expect(reviewing.get_by_text("Changed since approval")).to_be_visible()
    reviewing.get_by_role("button", name="Approve passage 2").click()
    expect(reviewing.locator(".messages")).to_contain_text("Passage 2 approved")
    # the claim twice; the title, standfirst and heading once
    assert ReviewDecision.objects.filter(page=article).count() == 5

    # Now the editor's publish goes through and the visitor sees the edit.
    editing.goto(edit_url)
    describe_the_change(editing)
    footer_action(editing, "Publish")
    expect(editing.locator(".messages")).to_contain_text("published")
    visitor.goto(public_url)
    expect(visitor.locator("main")).to_contain_text("It doubled in everyone.")
