"""The editor's Source chooser in a real browser: a writer finds a Source by an
author's surname, a year or a DOI prefix (issue 14, item 1)."""

import pytest
from playwright.sync_api import expect

from tests.factories import SourceFactory, make_article, paragraph, user_in_group

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_chooser_in_the_editor_finds_by_surname_year_and_doi(
    browser_page, log_in, live_server, article_index, screenshots
):
    writer = user_in_group("Writers", username="chooserwriter")
    yoshino = SourceFactory(
        title="Nicotinamide mononucleotide increases muscle insulin sensitivity",
        authors="Yoshino M, Yoshino J, Kayser BD, et al.",
        journal="Science",
        year=2021,
        doi="10.1126/science.abe9985",
    )
    martens = SourceFactory(
        title="Chronic nicotinamide riboside supplementation is well-tolerated",
        authors="Martens CR, Denman BA, Mazzo MR, et al.",
        journal="Nature Communications",
        year=2018,
        doi="10.1038/s41467-018-03421-7",
    )
    article = make_article(
        article_index,
        owner=writer,
        title="NAD and muscle",
        # A citation whose source the writer has yet to choose.
        body=[paragraph("NMN raised insulin sensitivity.", sources=[None])],
    )
    page = browser_page
    log_in(page, writer)
    page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    page.get_by_role("button", name="Choose source").first.click()
    modal = page.locator(".modal-dialog")
    search = modal.get_by_role("textbox", name="Search term")
    search.wait_for()

    for query, shown, hidden in [
        ("Yoshino", yoshino, martens),
        ("Martens", martens, yoshino),
        ("2021", yoshino, martens),
        ("10.1126", yoshino, martens),
    ]:
        search.fill(query)
        expect(modal.get_by_role("link", name=str(hidden))).to_have_count(0)
        expect(modal.get_by_role("link", name=str(shown))).to_have_count(1)
    assert_accessible_modal(page)

    modal.get_by_role("link", name=str(yoshino)).click()
    modal.wait_for(state="detached")
    assert page.get_by_text(str(yoshino)).first.is_visible()
    page.screenshot(path=str(screenshots / "source-chooser-chosen.png"))


def assert_accessible_modal(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=".modal-dialog")
    serious = [
        v
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert not serious, results.generate_report()
