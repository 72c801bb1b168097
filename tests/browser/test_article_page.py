"""The demo article in a real browser: axe-core, keyboard, two widths."""

import pytest
from django.core.cache import cache

from articles.demo import load_demo_content

ARTICLE = "/articles/nad-iv-therapy-and-ageing/"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo_url(live_server):
    cache.clear()
    load_demo_content()
    return live_server.url + ARTICLE


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_demo_article_passes_axe_at_phone_and_desktop_widths(
    browser, demo_url, screenshots
):
    for width in (375, 1280):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(demo_url)
        assert page.locator("h1").inner_text().startswith("NAD+ IV therapy")
        assert page.locator("#references li").count() >= 10
        # Nothing overflows sideways on a phone.
        assert page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth + 1"
        )
        page.screenshot(path=str(screenshots / f"article-{width}.png"), full_page=True)
        page.locator("details.evidence-card summary").first.click()
        assert serious_violations(page) == []
        page.close()


def test_keyboard_opens_a_citation_card(browser, demo_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(demo_url)
    summary = page.locator("details.evidence-card summary").first
    summary.focus()
    page.keyboard.press("Enter")
    card = page.locator("details.evidence-card").first
    assert card.evaluate("el => el.open")
    assert "Design" in card.inner_text()
    page.keyboard.press("Escape")
    assert not card.evaluate("el => el.open")

    # A marker, reached by keyboard, opens its passage's card at that study.
    marker = page.locator("a.cite[data-card]").first
    marker.focus()
    page.keyboard.press("Enter")
    number = marker.get_attribute("data-ref")
    current = page.locator("details.evidence-card[open] li.is-current")
    assert current.count() == 1
    assert current.get_attribute("data-ref") == number
    assert page.evaluate("document.activeElement.getAttribute('data-ref')") == number
    page.close()


def test_markers_jump_to_the_reference_list_without_javascript(browser, demo_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_url)
    page.locator("a.cite").first.click()
    assert page.url.endswith("#ref-1")
    assert page.locator("#ref-1").is_visible()
    context.close()
