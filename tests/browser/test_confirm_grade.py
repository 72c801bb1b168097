""" "Confirm grade" in a real browser (issue 14, item 6): a medical reviewer
sees it on the Source without opening a menu, and in the review screen's
citation table, and comes back to the review after confirming."""

import pytest
from playwright.sync_api import expect

from tests.factories import SourceFactory, make_article, paragraph, user_in_group

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_reviewer_confirms_grades_with_visible_buttons(
    browser_page, log_in, live_server, article_index, screenshots
):
    reviewer = user_in_group("Medical reviewers", username="gradereviewer")
    writer = user_in_group("Writers", username="gradewriter")
    on_source = SourceFactory(title="A trial confirmed from its Source", grade="B")
    in_review = SourceFactory(title="A trial confirmed from the review", grade="C")
    article = make_article(
        article_index,
        owner=writer,
        body=[paragraph("NR raised NAD+ in adults.", sources=[in_review])],
    )
    page = browser_page
    log_in(page, reviewer)

    page.goto(f"{live_server.url}/admin/snippets/evidence/source/edit/{on_source.pk}/")
    confirm = page.get_by_role("link", name="Confirm grade")
    expect(confirm).to_be_visible()  # no "…" menu to open first
    page.screenshot(path=str(screenshots / "source-confirm-grade.png"))
    confirm.click()
    page.get_by_role("button", name="Confirm this grade").click()
    page.get_by_text("confirmed.").first.wait_for()
    expect(page.get_by_role("link", name="Confirm grade")).to_have_count(0)

    review = f"{live_server.url}/admin/evidence/review/{article.pk}/"
    page.goto(review)
    button = page.get_by_role(
        "link", name="Confirm grade of A trial confirmed from the review"
    )
    expect(button).to_be_visible()
    button.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "review-confirm-grade.png"))
    button.click()
    page.get_by_role("button", name="Confirm this grade").click()
    page.wait_for_url(review)
    expect(page.get_by_text("awaiting confirmation")).to_have_count(0)
    in_review.refresh_from_db()
    assert in_review.grade_confirmed_by == reviewer
