import io
import json

import pytest
from django.core.management import CommandError, call_command

TEXT = (
    "Does NAD+ slow ageing?\n\n"
    "NAD+ IV therapy has been shown to reduce inflammation. "
    "Speak with a healthcare professional.\n"
)


def run(*args, **options):
    out = io.StringIO()
    call_command("detect_claims", *args, stdout=out, **options)
    return out.getvalue()


def test_prints_the_paragraph_report_as_json(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(TEXT, encoding="utf-8")
    report = json.loads(run(str(path)))
    first, second = report["paragraphs"]
    assert first["is_claim"] is False
    assert second["is_claim"] is True
    assert [s["is_claim"] for s in second["sentences"]] == [True, False]
    assert second["sentences"][0]["cues"][0].keys() == {"kind", "text", "start", "end"}


def test_prints_readable_text(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(TEXT, encoding="utf-8")
    output = run(str(path), format="text")
    assert "1 of 3 sentences" in output
    assert "[claim] NAD+ IV therapy has been shown to reduce inflammation." in output


def test_reads_stdin_for_a_dash():
    report = json.loads(run("-", stdin=io.StringIO(TEXT)))
    assert len(report["paragraphs"]) == 2


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "missing.txt"))


def test_undecodable_file_is_a_clear_error(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\xe9 au lait raises blood pressure.".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run(str(path))
