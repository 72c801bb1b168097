"""From the article's byline to the reviewer's profile page, in a real browser
at phone width, checked with axe (issue 14, item 7)."""

import pytest
from django.core.cache import cache

from articles.demo import load_demo_content

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_byline_leads_to_the_reviewers_profile(browser, live_server, screenshots):
    from axe_playwright_python.sync_playwright import Axe

    cache.clear()
    load_demo_content()
    page = browser.new_page(viewport={"width": 375, "height": 900})
    page.goto(live_server.url + "/articles/nad-iv-therapy-and-ageing/")
    page.get_by_role("link", name="Dr Rhea Okafor, MD, MPH").click()
    page.wait_for_url("**/reviewers/*/")
    page.get_by_role("heading", name="Dr Rhea Okafor, MD, MPH").wait_for()
    text = page.locator("main").inner_text()
    assert "Internal medicine" in text
    assert "None declared" in text and "Declared on" in text
    assert "NAD+ IV therapy and ageing" in text  # the article they reviewed
    page.screenshot(path=str(screenshots / "reviewer-profile-375.png"), full_page=True)
    violations = [
        f"{v['id']} ({v['impact']})"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert violations == []
    page.close()
