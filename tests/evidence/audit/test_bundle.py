"""export_audit writes a bundle; verify_audit recomputes it and names the first
event that does not match when any byte of it was changed (issue 17, item 2)."""

import json

import pytest
from django.core.management import CommandError, call_command

from articles.models import ArticlePage
from evidence.audit.bundle import build_bundle, verify_bundle
from tests.factories import publish_approved, set_passage_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundle_file(tmp_path, live_article, writer, credited_reviewer, editor, source):
    set_passage_text(live_article, writer, 0, "NR raised blood NAD+ by about 60%.")
    publish_approved(
        live_article, credited_reviewer, editor, certainty="low", reason="r"
    )
    source.refresh_from_db()
    source.sample_size = 30
    source.save()
    path = tmp_path / "audit.json"
    call_command("export_audit", str(live_article.pk), output=str(path))
    return path


def verify(path, *args):
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", str(path), *args, stdout=out)
    return out.getvalue()


def tampered(path, change):
    bundle = json.loads(path.read_text())
    change(bundle)
    path.write_text(json.dumps(bundle, ensure_ascii=False, indent=2))
    return path


def test_an_honest_bundle_verifies(bundle_file, live_article):
    bundle = json.loads(bundle_file.read_text())
    assert [e["kind"] for e in bundle["events"]].count("publish") == 2
    assert len(bundle["versions"]) == 2
    assert bundle["sources"][0]["sample_size"] == 30
    assert bundle["head"] == bundle["events"][-1]["hash"]
    assert "Verified: " in verify(bundle_file)
    assert "Verified: " in verify(bundle_file, "--against-database")


def test_export_by_slug_and_url_path(tmp_path, live_article):
    by_slug = tmp_path / "a.json"
    by_path = tmp_path / "b.json"
    call_command("export_audit", live_article.slug, output=str(by_slug))
    call_command("export_audit", live_article.url_path, output=str(by_path))
    a, b = json.loads(by_slug.read_text()), json.loads(by_path.read_text())
    assert a["events"] == b["events"] == build_bundle(live_article)["events"]


def test_export_of_an_unknown_article_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No single article"):
        call_command("export_audit", "no-such-article")


def _decision(bundle):
    return next(e for e in bundle["events"] if e["kind"] == "decision")


@pytest.mark.parametrize(
    ("change", "seq", "words"),
    [
        # an event: its time
        (lambda b: b["events"][0].update(at="2020-01-01T00:00:00Z"), 1, "hash"),
        # a decision: its meaning, its reviewer, its certainty, its fingerprint
        (lambda b: _decision(b)["data"].update(meaning="requested changes"), 2, "hash"),
        (lambda b: _decision(b)["actor"].update(name="Dr Nobody"), 2, "hash"),
        (lambda b: _decision(b)["data"].update(certainty="high"), 2, "hash"),
        (
            lambda b: _decision(b)["data"].update(
                fingerprint=_decision(b)["data"]["fingerprint"][:-1] + "0"
            ),
            2,
            "hash",
        ),
        # a removed event
        (lambda b: b["events"].pop(1), 3, "numbered 3, expected 2"),
    ],
)
def test_changing_an_event_names_it(bundle_file, change, seq, words):
    tampered(bundle_file, change)
    with pytest.raises(CommandError, match=rf"Event {seq} \(.*{words}"):
        verify(bundle_file)


def test_changing_a_published_text_names_its_publish_event(bundle_file):
    def change(bundle):
        units = bundle["versions"][0]["text"]["units"]
        unit = next(u for u in units if "60%" in u["text"])
        unit["text"] = unit["text"].replace("60%", "80%")

    bundle = tampered(bundle_file, change)
    seq = json.loads(bundle.read_text())["versions"][0]["event"]
    with pytest.raises(CommandError, match=rf"Event {seq} \(publish\).*text"):
        verify(bundle_file)


def test_changing_a_version_kind_or_note_names_its_event(bundle_file):
    tampered(bundle_file, lambda b: b["versions"][1].update(note="typo"))
    with pytest.raises(CommandError, match=r"\(publish\).*kind or note"):
        verify(bundle_file)


def test_changing_a_source_names_the_event_that_recorded_it(bundle_file):
    tampered(bundle_file, lambda b: b["sources"][0].update(sample_size=3000))
    bundle = json.loads(bundle_file.read_text())
    last_change = max(
        e["seq"] for e in bundle["events"] if e["kind"] == "source_change"
    )
    with pytest.raises(CommandError, match=rf"Event {last_change} .*Source"):
        verify(bundle_file)


def test_changing_a_fhir_resource_is_found(bundle_file):
    def change(bundle):
        bundle["fhir"]["entry"][0]["resource"]["title"] = "Another study"

    tampered(bundle_file, change)
    with pytest.raises(
        CommandError, match=r"Event \d+ \(source_change\).*FHIR Citation"
    ):
        verify(bundle_file)


def test_a_rehashed_forgery_fails_against_the_database_and_a_known_head(
    bundle_file, live_article
):
    from evidence.audit.chain import event_hash

    head = json.loads(bundle_file.read_text())["head"]

    def forge(bundle):
        prev = None
        for event in bundle["events"]:
            if event["kind"] == "decision":
                event["data"]["note"] = "forged"
            if prev is not None:
                event["prev"] = prev
            event["hash"] = prev = event_hash(event)
        bundle["head"] = prev

    tampered(bundle_file, forge)
    assert "Verified" in verify(bundle_file)  # consistent on its own…
    with pytest.raises(CommandError, match="differs from the stored chain"):
        verify(bundle_file, "--against-database")
    with pytest.raises(CommandError, match="head you gave"):
        verify(bundle_file, "--head", head)


def test_any_single_byte_of_the_chain_or_texts_is_detected(bundle_file):
    """Flip one character at many places inside events and versions."""
    honest = json.loads(bundle_file.read_text())
    checked = 0
    for section in ("events", "versions"):
        for index, item in enumerate(honest[section]):
            text = json.dumps(item, ensure_ascii=False)
            for at in range(2, len(text) - 2, max(1, len(text) // 25)):
                flipped = text[:at] + ("1" if text[at] != "1" else "2") + text[at + 1 :]
                try:
                    changed = json.loads(flipped)
                except ValueError:
                    continue
                if changed == item:
                    continue
                bundle = json.loads(json.dumps(honest))
                bundle[section][index] = changed
                assert verify_bundle(bundle) is not None, (section, index, at)
                checked += 1
    assert checked > 100


def test_not_a_bundle_is_a_clear_error(tmp_path, db):
    path = tmp_path / "x.json"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="not JSON"):
        verify(path)
    path.write_text("{}")
    with pytest.raises(CommandError, match="not an audit bundle"):
        verify(path)


def test_a_deleted_article_keeps_its_trail(tmp_path, live_article):
    page_id = live_article.pk
    ArticlePage.objects.get(pk=page_id).delete()
    path = tmp_path / "gone.json"
    call_command("export_audit", str(page_id), output=str(path))
    assert "Verified" in verify(path)


def test_the_stored_trail_verifies_and_shows_an_edit_made_in_the_database(
    live_article,
):
    from evidence.models import AuditEvent, PublishedVersion

    assert "Verified" in verify_stored(live_article.pk)
    event = AuditEvent.objects.get(
        page_id=live_article.pk, kind="decision", payload__contains='"low"'
    )
    AuditEvent.objects.filter(pk=event.pk).update(  # as raw SQL would
        payload=event.payload.replace('"low"', '"high"')
    )
    with pytest.raises(CommandError, match=rf"Event {event.seq} \(decision\)"):
        verify_stored(live_article.pk)
    AuditEvent.objects.filter(pk=event.pk).update(payload=event.payload)
    version = PublishedVersion.objects.get(page_id=live_article.pk)
    text = version.text
    next(u for u in text["units"] if u["position"] == 1)["text"] = "NR doubled."
    PublishedVersion.objects.filter(pk=version.pk).update(text=text)
    publish = AuditEvent.objects.get(page_id=live_article.pk, kind="publish")
    with pytest.raises(CommandError, match=rf"Event {publish.seq} \(publish\).*text"):
        verify_stored(live_article.pk)


def verify_stored(page_id):
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", "--article", str(page_id), stdout=out)
    return out.getvalue()
