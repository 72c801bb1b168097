"""The Updates list and "see what changed" in a real browser, at a phone's and
a desktop's width, axe clean (issue 17, item 1)."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache

from tests.articles.test_updates import publish
from tests.factories import SourceFactory, make_article, paragraph, set_passage_text

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
    ]


@pytest.fixture
def corrected_article(live_server, article_index, writer, reviewer, editor):
    cache.clear()
    source = SourceFactory()
    page = make_article(
        article_index,
        title="Does NR raise NAD+?",
        slug="does-nr-raise-nad",
        body=[
            paragraph("NR raised blood NAD+ by 60% in older adults.", sources=[source]),
            paragraph("NR was well tolerated.", sources=[source]),
        ],
        owner=writer,
    )
    with time_machine.travel(datetime(2026, 11, 2, 9, tzinfo=UTC), tick=True):
        publish(page, reviewer, editor)
    with time_machine.travel(datetime(2026, 11, 20, 9, tzinfo=UTC), tick=True):
        set_passage_text(page, writer, 1, "NR caused mild flushing in some people.")
        publish(page, reviewer, editor, kind="update", note="Added the 2026 trial.")
    set_passage_text(
        page, writer, 0, "NR raised blood NAD+ by about 40% in older adults."
    )
    publish(
        page,
        reviewer,
        editor,
        kind="correction",
        note="We overstated the rise: the trial reported about 40%, not 60%.",
        certainty="moderate",
    )
    cache.clear()
    return live_server.url + page.url


def test_updates_and_what_changed_read_well_at_375_and_1280(
    browser, corrected_article, screenshots
):
    for width in (375, 1280):
        tab = browser.new_page(viewport={"width": width, "height": 900})
        tab.goto(corrected_article)
        notice = tab.locator(".correction-notice")
        assert "overstated the rise" in notice.inner_text()
        updates = tab.locator("#updates li")
        assert updates.count() == 2
        assert updates.nth(0).inner_text().startswith("Correction")
        assert "Added the 2026 trial." in updates.nth(1).inner_text()
        assert tab.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth + 1"
        )
        tab.locator("#updates").screenshot(
            path=str(screenshots / f"updates-{width}.png")
        )
        assert axe_violations(tab) == []

        updates.nth(0).get_by_role("link", name="See what changed").click()
        tab.wait_for_load_state()
        assert tab.locator("h1").inner_text() == "What changed"
        changes = tab.locator(".changes__list > li")
        text = tab.locator(".changes__list").inner_text()
        assert "Claim reworded" in text
        assert "by about 40%" in text and "by 60%" in text
        assert "Certainty changed from low to moderate." in text
        assert changes.count() == 3  # reworded, and two certainties changed
        assert tab.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth + 1"
        )
        tab.screenshot(
            path=str(screenshots / f"what-changed-{width}.png"), full_page=True
        )
        assert axe_violations(tab) == []
        tab.close()
