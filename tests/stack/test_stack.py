"""The real stack on loopback: Varnish in front of instances A and B.

Content is set up through the ORM (committed: these tests run in
transactions of their own); publishing, unpublishing and retracting go
through an instance over HTTP, as an editor would, and readers read through
Varnish.
"""

import gzip
import re
import shutil
import subprocess
import time
import uuid

import httpx
import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from evidence.vocab import RetractionStatus
from tests.factories import (
    SourceFactory,
    approve,
    make_article,
    paragraph,
    publish_approved,
    set_passage_text,
)

pytestmark = [
    pytest.mark.stack,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VISIBLE_WITHIN = 1.0
RETRACTION_WARNING = "This paper has been retracted"


@pytest.fixture
def varnish(stack):
    with httpx.Client(base_url=stack.url, timeout=10) as client:
        yield client


def instance(stack, n):
    return httpx.Client(base_url=stack.instance_url(n), timeout=30)


@pytest.fixture
def source(db):
    return SourceFactory(title="A trial the stack tests cite")


@pytest.fixture
def live_article(stack, article_index, writer, reviewer, editor, source):
    slug = f"stack-{uuid.uuid4().hex[:10]}"
    page = make_article(
        article_index,
        owner=writer,
        slug=slug,
        title=f"Stack article {slug}",
        body=[paragraph("First wording of the claim.", sources=[source])],
    )
    return publish_approved(page, reviewer, editor)


def url_of(page) -> str:
    return f"/articles/{page.slug}/"


def read_twice(client, url):
    """Read a page twice through Varnish; the second read must be a hit."""
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == 200, first.text[:500]
    assert second.headers["X-Cache"] == "hit", dict(second.headers)
    return second


def wait_for(check, within: float, step: float = 0.02):
    """Seconds until `check()` is true, failing after `within` seconds."""
    started = time.monotonic()
    while True:
        if check():
            return time.monotonic() - started
        if time.monotonic() - started > within:
            pytest.fail(f"not seen within {within} s")
        time.sleep(step)


def session_cookie(user, stack) -> dict:
    """A signed-in session, as the login form would leave it (the instances
    share the test process's SECRET_KEY and the session table)."""
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


def purge_log(stack) -> list[str]:
    """Every PURGE Varnish has seen: the tags, the URL, the sender's agent."""
    result = subprocess.run(
        [
            shutil.which("varnishncsa") or "varnishncsa",
            "-d",
            "-n",
            str(stack.varnish_dir),
            "-q",
            'ReqMethod eq "PURGE"',
            "-F",
            "%s|%U|%{xkey-purge}i|%{User-agent}i",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return result.stdout.splitlines()


def republish(app, page, writer, reviewer, editor, text: str) -> None:
    """Reword the page's claim, have it approved and publish it through
    `app`'s API, as the editor would."""
    set_passage_text(page, writer, 0, text)
    approve(page, reviewer)
    token = Token.objects.create(user=editor).key
    published = app.post(
        f"/api/v1/articles/{page.pk}/publish/",
        headers={"Authorization": f"Token {token}"},
        # Republishing a live article says what changed (issue 17).
        json={"change_kind": "update", "change_note": "Reworded the claim."},
    )
    assert published.status_code == 200, published.text


def test_a_publish_through_instance_a_is_served_by_varnish_within_a_second(
    stack, varnish, live_article, writer, reviewer, editor
):
    url = url_of(live_article)
    assert "First wording" in read_twice(varnish, url).text
    with instance(stack, 0) as a, instance(stack, 1) as b:
        # Both instances hold the old version in their page cache too.
        for app in (a, b):
            assert "First wording" in app.get(url).text
        republish(
            a, live_article, writer, reviewer, editor, "Second wording of the claim."
        )
        seconds = wait_for(
            lambda: "Second wording" in varnish.get(url).text, VISIBLE_WITHIN
        )
        assert seconds < VISIBLE_WITHIN
        # No stale copy anywhere: Varnish (round robin over A and B) and
        # each instance asked directly.
        for _ in range(6):
            html = varnish.get(url).text
            assert "Second wording" in html and "First wording" not in html
        for app in (a, b):
            html = app.get(url).text
            assert "Second wording" in html and "First wording" not in html
    assert varnish.get(url).headers["X-Cache"] == "hit"


def test_readers_accepting_gzip_get_a_gzipped_copy_and_a_publish_replaces_both(
    stack, live_article, writer, reviewer, editor
):
    """Varnish keeps a gzipped copy for browsers and a plain one for readers
    that do not accept gzip; neither is made per hit, and a publish purges
    both (they share the URL and the tags)."""
    url = url_of(live_article)
    # httpx would decompress for us; the raw bytes are read here instead.
    browser = httpx.Client(
        base_url=stack.url,
        headers={"Accept-Encoding": "gzip, deflate, br, zstd"},
        timeout=10,
    )
    plain = httpx.Client(
        base_url=stack.url, headers={"Accept-Encoding": "identity"}, timeout=10
    )

    def copies():
        raw = {}
        for reader in (browser, plain):
            with reader.stream("GET", url) as response:
                assert response.status_code == 200
                raw[reader] = (response.headers, b"".join(response.iter_raw()))
        return raw[browser], raw[plain]

    with browser, plain:
        for reader in (browser, plain):
            read_twice(reader, url)
        (zipped_headers, zipped), (plain_headers, body) = copies()
        assert zipped_headers["X-Cache"] == plain_headers["X-Cache"] == "hit"
        assert zipped_headers["Content-Encoding"] == "gzip"
        assert "Content-Encoding" not in plain_headers
        assert gzip.decompress(zipped) == body
        assert b"First wording" in body
        assert len(zipped) * 2 < len(body)
        # Caches further on key on Accept-Encoding; Varnish's own name for
        # the copy stays inside.
        for headers in (zipped_headers, plain_headers):
            vary = [v.strip().lower() for v in headers["Vary"].split(",")]
            assert "accept-encoding" in vary and "x-gzip" not in vary
        # A reader that refuses gzip outright gets the plain copy.
        refused = plain.get(url, headers={"Accept-Encoding": "gzip;q=0, br"})
        assert "Content-Encoding" not in refused.headers

        with instance(stack, 0) as a:
            republish(a, live_article, writer, reviewer, editor, "Second wording.")

        def both_new():
            (_, zipped), (_, body) = copies()
            return b"Second wording" in gzip.decompress(zipped) and (
                b"Second wording" in body
            )

        assert wait_for(both_new, VISIBLE_WITHIN) < VISIBLE_WITHIN
        (zipped_headers, zipped), (plain_headers, body) = copies()
        assert zipped_headers["X-Cache"] == plain_headers["X-Cache"] == "hit"
        assert gzip.decompress(zipped) == body


def test_unpublish_answers_404_through_varnish_within_a_second(
    stack, varnish, live_article, editor
):
    url = url_of(live_article)
    read_twice(varnish, url)
    listing = read_twice(varnish, "/articles/")
    assert live_article.title in listing.text
    with instance(stack, 0) as a:
        a.cookies.update(session_cookie(editor, stack))
        form = a.get(f"/admin/pages/{live_article.pk}/unpublish/")
        assert form.status_code == 200, form.text[:300]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        done = a.post(
            f"/admin/pages/{live_article.pk}/unpublish/",
            data={"csrfmiddlewaretoken": token.group(1)},
        )
        assert done.status_code == 302, done.text[:300]
    seconds = wait_for(lambda: varnish.get(url).status_code == 404, VISIBLE_WITHIN)
    assert seconds < VISIBLE_WITHIN
    assert varnish.get(url).status_code == 404
    # The listing it appeared in was purged too.
    assert live_article.title not in varnish.get("/articles/").text


def test_retracting_a_source_purges_every_page_citing_it_in_one_tag_purge(
    stack, varnish, article_index, writer, reviewer, editor, source
):
    other = SourceFactory(title="A source nobody retracts")
    pages = []
    for n, cited in enumerate((source, source, other)):
        page = make_article(
            article_index,
            owner=writer,
            slug=f"stack-cites-{n}-{uuid.uuid4().hex[:8]}",
            body=[paragraph(f"Claim {n} resting on a trial.", sources=[cited])],
        )
        pages.append(publish_approved(page, reviewer, editor))
    for page in pages:
        assert RETRACTION_WARNING not in read_twice(varnish, url_of(page)).text
    before = len(purge_log(stack))

    token = Token.objects.create(user=editor).key
    with instance(stack, 1) as b:
        changed = b.patch(
            f"/api/v1/sources/{source.pk}/",
            json={"retraction_status": RetractionStatus.RETRACTED},
            headers={"Authorization": f"Token {token}"},
        )
    assert changed.status_code == 200, changed.text

    key = f"source-{source.pk}"
    purges = [
        line
        for line in purge_log(stack)[before:]
        if "settling" not in line.split("|")[3]
    ]
    assert len(purges) == 1, purges
    status, path, tags, _agent = purges[0].split("|")
    assert status == "200" and key in tags.split()
    for page in pages[:2]:
        response = varnish.get(url_of(page))
        assert response.headers["X-Cache"] == "miss"
        assert RETRACTION_WARNING in response.text
    untouched = varnish.get(url_of(pages[2]))
    assert untouched.headers["X-Cache"] == "hit"


def test_a_signed_in_editor_never_gets_nor_fills_the_cache(
    stack, varnish, live_article, editor
):
    url = url_of(live_article)
    signed_in = httpx.Client(
        base_url=stack.url, cookies=session_cookie(editor, stack), timeout=10
    )
    with signed_in:
        for _ in range(2):
            response = signed_in.get(url)
            assert response.status_code == 200
            assert response.headers["X-Cache"] == "pass"
            assert "private" in response.headers["Cache-Control"]
        first = varnish.get(url)
        assert first.headers["X-Cache"] == "miss"  # the editor stored nothing
        assert "public" in first.headers["Cache-Control"]
        assert varnish.get(url).headers["X-Cache"] == "hit"
        again = signed_in.get(url)
        assert again.headers["X-Cache"] == "pass"  # and is never served the copy
        assert "private" in again.headers["Cache-Control"]


def test_a_purge_from_an_address_not_allowed_is_refused(stack, varnish, live_article):
    url = url_of(live_article)
    read_twice(varnish, url)
    stranger = httpx.Client(
        base_url=stack.url,
        transport=httpx.HTTPTransport(local_address="127.0.0.2"),
        timeout=10,
    )
    with stranger:
        tag = stranger.request(
            "PURGE", "/", headers={"xkey-purge": f"page-{live_article.pk}"}
        )
        by_url = stranger.request("PURGE", url)
    assert tag.status_code == 403 and by_url.status_code == 403
    assert varnish.get(url).headers["X-Cache"] == "hit"
    allowed = varnish.request(
        "PURGE", "/", headers={"xkey-purge": f"page-{live_article.pk}"}
    )
    assert allowed.status_code == 200
    assert varnish.get(url).headers["X-Cache"] == "miss"


def test_varnish_serves_through_either_instance_when_the_other_stops(
    stack, varnish, live_article
):
    """Health checks take a stopped instance out of the round robin."""
    url = url_of(live_article)
    read_twice(varnish, url)
    b = next(p for p in stack.processes if p.name == "b")
    b.popen.terminate()
    b.popen.wait(timeout=30)
    try:
        for n in range(8):
            response = varnish.get(f"{url}?round={n}")  # not cached: renders
            assert response.status_code == 200, response.text[:200]
    finally:
        stack.restart("b")
