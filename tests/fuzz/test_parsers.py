"""Property tests: every parser answers any input with a result or its own
clear error, never another exception, and in bounded time.

Each test runs a bounded number of generated examples (derandomised, so a
run is repeatable); `make test` runs them with the rest of the suite.
"""

import io
import string
import time
import zipfile

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.api.body import BodyInvalid, check_body
from articles.api.writing import article_form
from articles.importing.documents import DocumentError, read_document
from articles.models import ArticlePage
from evidence.admin.library import split_identifiers
from evidence.library.ingest.crossref import checked_doi
from evidence.library.ingest.files import parse_file
from evidence.library.ingest.pubmed import checked_pmids, parse_efetch
from evidence.library.ingest.records import IngestError
from evidence.vocab import is_valid_doi, is_valid_pmid, normalize_doi, normalize_pmid

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
WORD = settings(FUZZ, max_examples=40)
SECONDS_PER_EXAMPLE = 5

# Text that leans on what parsers treat specially, with any character too.
MARKUP = list("#*_[]()<>!`|-+=:;,.\"'{}@\\%$&~^\n\t\r \x00\x07\u2028\ufeff")
WORDS = ["TY  - ", "ER  - ", "TI  - ", "@article{", "title=", "10.1000/x", "PMID:"]
texts = st.text(
    alphabet=st.one_of(st.sampled_from(MARKUP), st.characters()), max_size=400
) | st.lists(
    st.sampled_from(MARKUP + WORDS + ["word", "Title", "\n\n"]), max_size=120
).map("".join)


def bounded(call):
    started = time.process_time()
    result = call()
    assert time.process_time() - started < SECONDS_PER_EXAMPLE
    return result


@FUZZ
@given(text=texts, extension=st.sampled_from([".md", ".txt", ".markdown"]))
def test_markdown_and_text_documents(text, extension):
    try:
        parsed = bounded(lambda: read_document("a" + extension, text.encode()))
    except DocumentError as error:
        assert str(error)
    else:
        assert parsed.title
        assert parsed.blocks


def word_file(paragraphs, styles) -> bytes:
    document = docx.Document()
    for text, style in zip(paragraphs, styles, strict=False):
        try:
            document.add_paragraph(text, style=style)
        except ValueError:  # python-docx refuses XML-invalid characters
            document.add_paragraph("x", style=style)
    if len(paragraphs) > 2:
        table = document.add_table(rows=1, cols=2)
        table.rows[0].cells[0].text = "cell"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


word_styles = st.sampled_from(
    ["Title", "Heading 1", "Heading 3", "List Bullet", "List Number", "Normal"]
)


@WORD
@given(
    paragraphs=st.lists(texts, max_size=8),
    styles=st.lists(word_styles, max_size=8),
    damage=st.one_of(
        st.none(), st.tuples(st.integers(0, 5000), st.binary(min_size=1, max_size=40))
    ),
)
def test_word_documents(paragraphs, styles, damage):
    data = word_file(paragraphs, styles)
    if damage is not None:
        at, junk = damage
        at %= len(data)
        data = data[:at] + junk + data[at + len(junk) :]
    try:
        bounded(lambda: read_document("a.docx", data))
    except DocumentError as error:
        assert str(error)


@WORD
@given(part=st.binary(max_size=2000) | texts.map(str.encode))
def test_word_files_with_any_document_part(part):
    source = io.BytesIO(word_file(["Title", "Body"], ["Title", "Normal"]))
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = part if info.filename == "word/document.xml" else zin.read(info)
            zout.writestr(info.filename, data)
    try:
        bounded(lambda: read_document("a.docx", out.getvalue()))
    except DocumentError as error:
        assert str(error)


@FUZZ
@given(
    text=texts,
    name=st.sampled_from(["a.bib", "a.ris", "a.json", "a.txt", "a", "a.bibtex"]),
    encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]),
)
def test_reference_files(text, name, encoding):
    data = text.encode(encoding, errors="replace")
    try:
        records = bounded(lambda: parse_file(name, data))
    except IngestError as error:
        assert error.message
    else:
        assert records
        for record in records:
            record.model_fields()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(
                [
                    "title",
                    "author",
                    "DOI",
                    "issued",
                    "id",
                    "family",
                    "given",
                    "date-parts",
                    "items",
                    "type",
                ]
            )
            | st.text(max_size=5),
            children,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@FUZZ
@given(data=json_values)
def test_csl_json_files(data):
    import json

    try:
        bounded(lambda: parse_file("a.json", json.dumps(data).encode()))
    except IngestError as error:
        assert error.message


@FUZZ
@given(text=texts)
def test_doi_and_pmid_input(text):
    dois, pmids, bad = split_identifiers(text)
    assert all(is_valid_doi(d) for d in dois)
    assert all(is_valid_pmid(p) for p in pmids)
    assert is_valid_doi(normalize_doi(text)) in (True, False)
    assert is_valid_pmid(normalize_pmid(text)) in (True, False)
    for check, value in ((checked_doi, text), (checked_pmids, [text])):
        try:
            check(value)
        except IngestError as error:
            assert error.message


@FUZZ
@given(
    xml=st.binary(max_size=500)
    | texts.map(lambda t: f"<PubmedArticleSet>{t}</PubmedArticleSet>".encode())
)
def test_pubmed_replies(xml):
    try:
        parse_efetch(xml)
    except IngestError as error:
        assert error.message


block_types = st.sampled_from(
    ["paragraph", "list", "table", "callout", "study", "heading", "x"]
)
block_fields = st.sampled_from(
    [
        "text",
        "role",
        "citations",
        "source",
        "stance",
        "locator",
        "data",
        "table_caption",
        "level",
        "kind",
        "ordered",
    ]
)
block_json = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 2**64) | texts,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(block_fields, children, max_size=4)
    ),
    max_leaves=20,
)
blocks = st.fixed_dictionaries(
    {"type": block_types, "value": block_json},
    optional={"id": st.text(string.ascii_letters + "-_", max_size=70) | st.integers()},
)


@pytest.mark.django_db
@FUZZ
@given(body=st.lists(blocks, max_size=5) | block_json)
def test_the_api_block_json(body, article_index, writer):
    """The body as the API reads it: its shape checked, then the editor's
    form, as a draft is saved."""

    def read():
        checked = check_body(body)
        form = article_form(
            {"body": checked}, instance=ArticlePage(), parent=article_index, user=writer
        )
        form.is_valid()
        return form

    try:
        bounded(read)
    except BodyInvalid as invalid:
        assert invalid.errors
        for error in invalid.errors:
            assert error.message
