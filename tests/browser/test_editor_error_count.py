"""The error count on the editor's tabs counts the form's errors, nothing
else (issue 14, "Messages that mislead": the Content tab showed a red
"1 error" with no field in error).

Wagtail counts every `.error-message` and `.help-critical` inside a tab's
panel as an error of that tab. The Evidence check panel marked its "No
usable source." warning `help-critical`, so a draft with an uncited claim
opened with a red error count and nothing in error.
"""

import pytest
from playwright.sync_api import expect

from tests.factories import heading, make_article, paragraph, user_in_group

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CLAIM = "Nicotinamide riboside raised blood NAD+ in older adults."


def tab_badges(page) -> dict[str, str]:
    """Each tab's error count as the editor sees it ('' when none)."""
    return page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('.w-tabs__tab')]"
        ".map(tab => [tab.id, tab.querySelector("
        "'.w-tabs__errors [data-w-count-target=total]').textContent.trim()]))"
    )


def test_a_draft_with_an_uncited_claim_opens_with_no_error_count(
    browser_page, log_in, live_server, article_index, screenshots
):
    writer = user_in_group("Writers", username="wanda")
    article = make_article(
        article_index,
        title="NAD+ and ageing",
        body=[heading("What the trials found"), paragraph(CLAIM)],
        owner=writer,
    )
    page = log_in(browser_page, writer)
    page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    # The passage is in the editor: the page's controllers have run.
    expect(page.locator("[data-contents]").filter(has_text=CLAIM)).to_be_visible()
    page.wait_for_timeout(500)
    warning = page.locator(".evidence-check").get_by_text("No usable source.").first
    expect(warning).to_be_visible()
    warning.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "editor-uncited-claim.png"))

    # Nothing was submitted, so no field is in error and no tab counts one.
    assert page.locator(".error-message").count() == 0
    badges = tab_badges(page)
    assert "tab-label-content" in badges
    assert set(badges.values()) == {""}, badges


def test_a_refused_publish_counts_every_error_it_marks(
    browser_page, log_in, live_server, article_index, screenshots
):
    """StreamField draws its blocks' errors in the browser, after Wagtail
    counted the tab's errors (wagtail/wagtail#12823): the passages the gate
    refused were marked but not counted."""
    editor = user_in_group("Editors", username="edith")
    article = make_article(
        article_index,
        title="NAD+ and ageing",
        body=[heading("What the trials found"), paragraph(CLAIM)],
    )
    page = log_in(browser_page, editor)
    page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    footer = page.get_by_role("navigation", name="Actions (footer)")
    publish = footer.get_by_role("button", name="Publish", exact=True)
    if not publish.is_visible():
        footer.get_by_role("button", name="More actions").click()
    publish.click()
    passage_error = page.locator(".help-critical").filter(has_text=CLAIM).first
    expect(passage_error).to_be_visible()
    page.wait_for_timeout(500)
    page.screenshot(path=str(screenshots / "editor-refused-publish-count.png"))

    marked = page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('[role=tabpanel]')]"
        ".map(panel => ['tab-label-' + panel.id.replace(/^tab-/, ''),"
        " [...panel.querySelectorAll('.error-message, .help-critical')]"
        ".filter(e => e.offsetParent !== null && e.innerText.trim()).length]))"
    )
    assert marked["tab-label-content"] >= 2, marked  # the passages at least
    badges = tab_badges(page)
    assert badges == {tab: str(n) if n else "" for tab, n in marked.items()}
