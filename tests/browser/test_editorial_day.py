"""The editorial team's day in headless Chromium, with the demo accounts
(issue 14, "Done when"):

the writer drafts (imports a document) and submits it; the medical
reviewer asks for changes on one passage; the writer sees the note on that
passage in the editor and fixes it; the reviewer approves; the editor signs
it off from their dashboard; a reader reads the article. Each step saves a
screenshot (tests/artifacts/editorial-day-*.png), and axe finds no serious
or critical violation on any of those screens.
"""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect
from wagtail.models import Comment

from articles.demo import DEMO_ACCOUNTS, load_demo_content
from articles.models import ArticlePage
from evidence.models import ReviewDecision

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORDS = {account.username: account.password for account in DEMO_ACCOUNTS}
TITLE = "NAD+ precursors in older adults"
NOTE = "Say what dose was used, and for how long."
STANDFIRST = "This page covers NAD+ precursors for readers over sixty."
DOCUMENT = "\n\n".join(
    [
        "# NAD+ precursors in older adults",
        "## What the trials found",
        "Nicotinamide riboside raised blood NAD+ levels in healthy middle-aged "
        "and older adults in a trial by Martens et al. (2018, Nature "
        "Communications).",
        "Nicotinamide mononucleotide increased muscle insulin sensitivity in "
        "women with prediabetes, as Yoshino et al. (2021, Science) reported.",
    ]
)


@pytest.fixture(autouse=True)
def browsers_keep_no_copy(settings):
    settings.NADSITE_BROWSER_CACHE_SECONDS = 0


@pytest.fixture
def demo(live_server):
    cache.clear()
    load_demo_content()
    return live_server.url


@pytest.fixture
def sign_in(browser, demo):
    def sign_in(username):
        page = browser.new_page(
            viewport={"width": 1280, "height": 900}, reduced_motion="reduce"
        )
        page.set_default_timeout(20_000)
        page.goto(f"{demo}/admin/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORDS[username])
        page.click("button[type=submit]")
        page.wait_for_url(f"{demo}/admin/")
        return page

    return sign_in


@pytest.fixture
def step(screenshots):
    """`step(page, name)`: save a screenshot of the screen and check it with
    axe; the serious and critical violations are collected."""
    found = {}

    def step(page, name):
        from axe_playwright_python.sync_playwright import Axe

        # Colours are judged as they settle, not halfway through a fade-in.
        page.wait_for_timeout(700)
        page.screenshot(
            path=str(screenshots / f"editorial-day-{name}.png"), full_page=True
        )
        results = Axe().run(page)
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + ", ".join(str(n["target"]) for n in v["nodes"][:3])
            + " | "
            + " ".join(n.get("failureSummary", "") for n in v["nodes"][:2])
            for v in results.response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        if serious:
            found[name] = serious
            (screenshots / f"editorial-day-{name}.axe.txt").write_text(
                "\n".join(serious)
            )

    yield step
    assert found == {}, found


def footer_action(page, name):
    """Click an action in the editor's footer menu (it may be in the dropdown)."""
    footer = page.get_by_role("navigation", name="Actions (footer)")
    button = footer.get_by_role("button", name=name, exact=True)
    if not button.is_visible():
        footer.get_by_role("button", name="More actions").click()
    button.click()


def leave_editor(page, demo):
    """Leave the editor, whose autosave would keep writing to the test DB."""
    page.goto(f"{demo}/admin/")


def settle_the_other_units(reviewing):
    """Every unit needs a decision (issue 12): the detector's flagged context
    units are confirmed one by one, the others together with "I have read"."""
    one = re.compile(r"^Confirm (the .+|passage \d+) is not a claim$")
    together = re.compile(r"^Confirm \d+ units? as not a claim$")
    for _ in range(30):
        button = reviewing.get_by_role("button", name=one)
        if not button.count():
            boxes = reviewing.get_by_label(re.compile(r"^I have read"))
            for i in range(boxes.count()):
                boxes.nth(i).check()
            button = reviewing.get_by_role("button", name=together)
        if not button.count():
            return
        with reviewing.expect_navigation():
            button.first.click()


def test_the_editorial_day(demo, sign_in, step, tmp_path):
    # The writer drafts: imports a document, which makes a draft article.
    writing = sign_in("writer")
    writing.goto(f"{demo}/admin/articles/import/")
    document = tmp_path / "nad-precursors.md"
    document.write_text(DOCUMENT)
    writing.get_by_label("Document").set_input_files(str(document))
    writing.get_by_role("button", name=re.compile("Import")).click()
    expect(
        writing.get_by_role("heading", name=f"Draft “{TITLE}” created")
    ).to_be_visible()
    # The opening paragraph cites a study, so it stays in the body with its
    # citation and the standfirst is left for the writer to write.
    expect(writing.locator(".import-standfirst")).to_contain_text(
        "No standfirst: the opening paragraph names a study"
    )
    step(writing, "01-writer-imports-a-draft")
    article = ArticlePage.objects.get(title=TITLE)
    assert article.standfirst == ""

    # ... says where each source it cites says so (an import only suggests
    # citations), and submits it for medical review.
    writing.get_by_role("link", name="Edit the draft").click()
    locators = writing.locator("input[name$='-locator']")
    expect(locators.first).to_be_attached()
    suggested = [i for i in locators.all() if i.input_value() == "suggested by import"]
    # Both studies the document names are suggested, the opening one too.
    assert len(suggested) == 2, "the import lost a suggested citation"
    writing.locator("textarea[name=standfirst]").fill(STANDFIRST)
    for n, locator in enumerate(suggested):
        locator.scroll_into_view_if_needed()
        locator.fill(f"Fig. {n + 2}")
    # Each rich text editor is named by its field's label (axe checks the
    # rest below).
    named = writing.evaluate(
        "() => [...document.querySelectorAll('[role=textbox]')].map(b =>"
        " document.getElementById(b.getAttribute('aria-labelledby'))?.textContent)"
    )
    assert named and all(name and name.startswith("Text") for name in named), named
    step(writing, "02-writer-confirms-where-sources-say-it")
    footer_action(writing, "Submit to Medical review")
    expect(writing.locator(".messages")).to_contain_text(
        "The medical reviewers have been emailed"
    )
    step(writing, "02b-writer-submitted")
    assert any("Medical review:" in m.subject for m in mail.outbox)

    # The reviewer finds it on their dashboard and asks for changes on one
    # passage, approving the others.
    reviewing = sign_in("reviewer")
    panel = reviewing.locator("#editorial-waiting-for-review-section")
    expect(panel).to_contain_text(TITLE)
    step(reviewing, "03-reviewer-dashboard")
    panel.get_by_role("link", name=f"Review “{TITLE}”").click()
    expect(reviewing.locator("#review-passages-heading")).to_be_visible()
    passages = reviewing.locator(".review-passage")
    yoshino = passages.filter(has_text="Yoshino")
    yoshino.get_by_label("Note to the writer").fill(NOTE)
    yoshino.get_by_role("button", name=re.compile("Request changes to passage")).click()
    expect(reviewing.locator(".messages")).to_contain_text("changes requested")
    for _ in range(5):
        others = reviewing.locator(".review-passage").filter(has_not_text="Yoshino")
        approve = others.get_by_role("button", name=re.compile(r"^Approve passage"))
        if approve.count() == 0:
            break
        approve.first.click()
        expect(reviewing.locator(".messages")).to_contain_text("approved")
    settle_the_other_units(reviewing)
    reviewing.get_by_label("Message to the writer").fill("One passage needs its dose.")
    step(reviewing, "04-reviewer-requests-changes")
    reviewing.get_by_role(
        "button", name="Request changes: return to the writer"
    ).click()
    expect(reviewing.locator(".messages")).to_contain_text("Changes requested on")

    # The writer finds it on their dashboard and sees the note on that
    # passage in the editor.
    writing.goto(f"{demo}/admin/")
    changes = writing.locator("#editorial-changes-requested-section")
    expect(changes).to_contain_text(TITLE)
    expect(changes).to_contain_text("One passage needs its dose.")
    changes.get_by_role("link", name=f"Edit “{TITLE}”").click()
    notes = writing.locator(".review-notes")
    expect(notes).to_contain_text("One passage needs its dose.")
    expect(notes).to_contain_text(NOTE)
    writing.get_by_role("button", name=re.compile("comments", re.I)).first.click()
    comment = writing.locator(".comment").filter(has_text=NOTE)
    expect(comment).to_be_visible()
    comment.scroll_into_view_if_needed()
    step(writing, "05-writer-sees-the-note")

    # ... and fixes the passage, then submits it again.
    text = writing.locator('[contenteditable="true"]').filter(has_text="Yoshino")
    text.click()
    writing.keyboard.press("Control+End")
    writing.keyboard.type(" The dose was 250 mg a day for 10 weeks.")
    writing.wait_for_function(
        "() => [...document.querySelectorAll('input[type=hidden]')]"
        ".some(input => input.value.includes('250 mg a day'))"
    )
    footer_action(writing, "Resubmit to Medical review")
    expect(writing.locator(".messages")).to_contain_text("submitted")
    step(writing, "06-writer-fixed-and-resubmitted")
    leave_editor(writing, demo)
    assert Comment.objects.get(page=article, text=NOTE).resolved_at is not None

    # The reviewer approves the changed passage, then the medical review.
    reviewing.goto(f"{demo}/admin/evidence/review/{article.pk}/")
    changed = reviewing.locator(".review-passage").filter(has_text="250 mg a day")
    changed.get_by_role("button", name=re.compile(r"^Approve passage")).click()
    expect(reviewing.locator(".messages")).to_contain_text("approved")
    settle_the_other_units(reviewing)
    step(reviewing, "07-reviewer-approves")
    reviewing.get_by_role("button", name="Approve the medical review").click()
    expect(reviewing.locator(".messages")).to_contain_text("waits for an editor")
    article.refresh_from_db()
    assert not article.live

    # The editor signs it off from their dashboard.
    editing = sign_in("editor")
    ready = editing.locator("#editorial-sign-off-section")
    expect(ready).to_contain_text(TITLE)
    step(editing, "08-editor-dashboard")
    ready.get_by_role("link", name=f"Sign off “{TITLE}”").click()
    expect(editing.get_by_text("the gate lets it go live")).to_be_visible()
    step(editing, "09-editor-sign-off")
    editing.get_by_role("button", name="Sign off and publish").click()
    expect(editing.locator(".messages")).to_contain_text("signed off and published")
    step(editing, "10-editor-published")
    article.refresh_from_db()
    assert article.live
    assert ReviewDecision.objects.filter(page=article).exists()

    # A reader reads it.
    reader = editing.context.browser.new_page(viewport={"width": 1280, "height": 900})
    reader.goto(f"{demo}{article.url}")
    expect(reader.locator("h1")).to_have_text(TITLE)
    expect(reader.locator("main")).to_contain_text("250 mg a day for 10 weeks")
    step(reader, "11-reader-reads-the-article")
