"""Documents an attacker could upload: Word files that unpack to far more
than they weigh, files over the size limit."""

import io
import time
import zipfile

import docx
import pytest

from articles.importing.documents import DocumentError, read_document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def word_file() -> bytes:
    document = docx.Document()
    document.add_heading("Sleep and memory", level=0)
    document.add_paragraph("Deep sleep helps memory.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def with_parts(data: bytes, replace=None, extra=()) -> bytes:
    """A copy of the Word file `data` with parts replaced or added; a part's
    content may be a list of chunks, written one at a time."""
    replace = replace or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            content = replace.get(info.filename, source.read(info.filename))
            with target.open(info.filename, "w", force_zip64=True) as part:
                for chunk in content if isinstance(content, list) else [content]:
                    part.write(chunk)
        for name, content in extra:
            target.writestr(name, content)
    return out.getvalue()


def document_xml(text_chunks: list[bytes]) -> list[bytes]:
    head = (
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:pPr><w:pStyle w:val="Title"/>'
        "</w:pPr><w:r><w:t>Sleep</w:t></w:r></w:p><w:p><w:r><w:t>"
    ).encode()
    return [head, *text_chunks, b"</w:t></w:r></w:p></w:body></w:document>"]


@pytest.fixture
def never_parsed(monkeypatch):
    """Call it once the test's files are made: from then on, python-docx
    reading a file fails the test."""

    def parse(*args, **kwargs):
        raise AssertionError("the Word file was unpacked and parsed")

    return lambda: monkeypatch.setattr(docx, "Document", parse)


def test_a_word_file_that_unpacks_past_the_limit_is_refused(settings):
    settings.NADSITE_DOCX_MAX_UNPACKED_BYTES = 2 * 2**20
    data = with_parts(
        word_file(), {"word/document.xml": document_xml([b"a" * (9 * 2**20)])}
    )
    assert len(data) < 100_000
    with pytest.raises(DocumentError, match=r"Unpacked, this Word file would be 9"):
        read_document("bomb.docx", data)


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(never_parsed):
    chunk = b"a" * 2**20
    data = with_parts(word_file(), {"word/document.xml": document_xml([chunk] * 64)})
    assert len(data) < 150_000
    never_parsed()
    with pytest.raises(DocumentError, match=r"would be 64\.\d MB; at most 25 MB"):
        read_document("bomb.docx", data)


def test_a_word_file_with_too_many_parts_is_refused(settings, never_parsed):
    settings.NADSITE_DOCX_MAX_PARTS = 50
    data = with_parts(
        word_file(), extra=[(f"customXml/extra{n}.xml", b"<a/>") for n in range(60)]
    )
    never_parsed()
    with pytest.raises(DocumentError, match=r"has \d+ parts; at most 50 are read"):
        read_document("parts.docx", data)


def test_a_word_file_within_the_limits_is_read():
    parsed = read_document("sleep.docx", word_file())
    assert parsed.title == "Sleep and memory"


def test_a_file_over_the_size_limit_is_refused_unread(settings):
    settings.NADSITE_IMPORT_MAX_BYTES = 1000
    with pytest.raises(DocumentError, match="larger than 0.000954 MB"):
        read_document("long.md", b"# Title\n\n" + b"Text. " * 500)


@pytest.mark.parametrize(
    "paragraph",
    ["[" * 8000, "[a](" * 4000, "<a " * 6000, "![" * 4000, "<http://a" * 2000],
    ids=["brackets", "open-links", "tags", "images", "autolinks"],
)
def test_markdown_full_of_link_and_tag_syntax_is_read_in_bounded_time(paragraph):
    started = time.process_time()
    parsed = read_document("odd.md", f"# Title\n\n{paragraph}\n".encode())
    assert time.process_time() - started < 5
    assert parsed.blocks[0].kind == "paragraph"


def test_a_paragraph_over_the_passage_limit_is_refused_before_parsing(settings):
    settings.NADSITE_PASSAGE_MAX_CHARS = 100
    with pytest.raises(DocumentError, match="at most 100. Split it"):
        read_document("long.md", b"# Title\n\n" + b"word " * 50)
    with pytest.raises(DocumentError, match="at most 100. Split it"):
        read_document("long.txt", b"Title\n\n" + b"word " * 50)


def test_a_markdown_file_over_the_text_limit_is_refused(settings):
    settings.NADSITE_IMPORT_MAX_TEXT_BYTES = 1000
    with pytest.raises(DocumentError, match="most a Markdown or text article"):
        read_document("long.md", b"# Title\n\n" + b"Text.\n\n" * 500)


def test_a_word_file_with_a_damaged_part_is_refused_with_a_message():
    data = bytearray(word_file())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(start + 10, start + info.compress_size - 10, 7):
        data[offset] ^= 0x5A
    with pytest.raises(DocumentError, match="not a readable Word"):
        read_document("damaged.docx", bytes(data))
