"""The import and merge screens in a real browser, checked with axe."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from evidence.models import Source
from tests.evidence.library import recorded_http as rec
from tests.factories import SourceFactory, make_article, paragraph

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def assert_accessible(page):
    """No axe violations inside the screen's own content."""
    results = Axe().run(page, context="main")
    assert results.violations_count == 0, results.generate_report()


def test_import_a_file_from_the_listing(browser_page, log_in, live_server, tmp_path):
    from tests.factories import user_in_group

    writer = user_in_group("Writers", username="browserwriter")
    page = browser_page
    log_in(page, writer)
    page.goto(f"{live_server.url}/admin/snippets/evidence/source/")
    page.get_by_role("link", name="Import file").click()
    page.wait_for_url("**/admin/source-library/import/")
    page.get_by_role("heading", name="Import sources from a file").wait_for()
    assert_accessible(page)

    bib = tmp_path / "zotero.bib"
    bib.write_bytes(rec.body("files/library.bib"))
    page.get_by_label("Reference file").set_input_files(str(bib))
    page.get_by_role("button", name="Look up and preview").click()
    page.get_by_role("heading", name="What this import will do").wait_for()
    assert "3 created" in page.content()
    assert_accessible(page)
    assert not Source.objects.exists()

    page.get_by_role("button", name="Import these sources").click()
    page.wait_for_url("**/admin/snippets/evidence/source/")
    page.get_by_text("Imported: 3 created").wait_for()
    assert Source.objects.count() == 3


def test_merge_screens(browser_page, log_in, live_server, article_index):
    from tests.factories import user_in_group

    editor = user_in_group("Editors", username="browsereditor")
    keep = SourceFactory(title="The paper to keep", doi="10.5555/keep")
    duplicate = SourceFactory(title="The duplicate", doi="")
    make_article(
        article_index,
        owner=editor,
        title="A page citing the duplicate",
        body=[paragraph(sources=[duplicate])],
    )
    page = browser_page
    log_in(page, editor)
    page.goto(f"{live_server.url}/admin/source-library/{duplicate.pk}/merge/")
    page.get_by_role("button", name="Continue").wait_for()
    assert_accessible(page)

    # Choose the kept source through Wagtail's snippet chooser.
    page.get_by_role("button", name="Choose source").click()
    page.get_by_role("link", name=str(keep)).click()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check before merging").wait_for()
    assert "A page citing the duplicate" in page.content()
    assert_accessible(page)

    page.get_by_role("button", name="Merge and delete the duplicate").click()
    page.wait_for_url(f"**/admin/snippets/evidence/source/edit/{keep.pk}/")
    assert not Source.objects.filter(pk=duplicate.pk).exists()
