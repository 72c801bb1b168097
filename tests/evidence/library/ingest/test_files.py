import pytest

from evidence.library.ingest.files import (
    parse_bibtex,
    parse_csl_json,
    parse_file,
    parse_ris,
)
from evidence.library.ingest.records import IngestError


def test_bibtex_library(recorded):
    records = parse_file("library.bib", recorded.bytes("files/library.bib"))
    martens, wakefield, book = records
    assert martens.title == (
        "Chronic nicotinamide riboside supplementation is well-tolerated and "
        "elevates NAD+ in healthy middle-aged and older adults"
    )
    assert martens.authors.startswith("Martens CR, Denman BA, Mazzo MR")
    assert (martens.journal, martens.year, martens.volume, martens.issue) == (
        "Nature Communications",
        2018,
        "9",
        "1",
    )
    assert (martens.doi, martens.pmid) == ("10.1038/s41467-018-03421-7", "29599478")
    assert wakefield.doi == "10.1016/s0140-6736(97)11096-0"
    assert wakefield.pages == "637-641"
    assert wakefield.title.startswith("RETRACTED: Ileal")
    assert (book.publication_type, book.year, book.journal) == ("book", 2015, "")
    assert {r.origin for r in records} == {"bibtex"}


def test_broken_bibtex_names_every_bad_block_and_its_line(recorded):
    with pytest.raises(IngestError) as caught:
        parse_file("broken.bib", recorded.bytes("files/broken.bib"))
    error = caught.value
    assert error.message.startswith("broken.bib: The BibTeX file has 2 problem(s)")
    assert "nothing was imported" in error.message
    assert error.problems[0].startswith("The block starting on line 8")
    assert "unclosed2021" in error.problems[0]
    assert error.problems[1] == "Entry 'notitle2019' (line 13) has no title."


def test_duplicate_bibtex_keys_are_refused():
    text = "@article{a, title={One}}\n@article{a, title={Two}}\n"
    with pytest.raises(IngestError, match="reuses the key 'a'"):
        parse_bibtex(text)


def test_ris_library(recorded):
    martens, plos = parse_file("library.ris", recorded.bytes("files/library.ris"))
    assert martens.authors == "Martens CR, Denman BA, Mazzo MR"
    assert (martens.journal, martens.year, martens.pages) == (
        "Nature Communications",
        2018,
        "1286",
    )
    assert martens.abstract.startswith("Nicotinamide adenine dinucleotide")
    assert plos.doi == "10.1371/journal.pone.0033693"
    assert (plos.journal, plos.year, plos.pages) == ("PLoS ONE", 2012, "e33693")
    assert plos.origin == "ris"


def test_ris_in_a_txt_file_is_recognised(recorded):
    records = parse_file("export.txt", recorded.bytes("files/library_ris.txt"))
    assert [r.year for r in records] == [2018, 2012]


def test_ris_with_missing_fields_lists_every_bad_record(recorded):
    with pytest.raises(IngestError) as caught:
        parse_file("missing_fields.ris", recorded.bytes("files/missing_fields.ris"))
    assert caught.value.problems == [
        "Record 2 (line 8, Doe J) has no title.",
        'Record 3 (line 15, Roe R) has "not-a-doi" as its DOI, which is not a DOI.',
    ]


def test_ris_record_without_er_is_refused():
    text = "TY  - JOUR\nTI  - Closed\nER  - \n\nTY  - JOUR\nTI  - Never closed\n"
    with pytest.raises(IngestError) as caught:
        parse_ris(text)
    assert caught.value.problems == ["Record 2 (line 5) has no ER line closing it."]


def test_csl_json_library(recorded):
    martens, science, who = parse_file(
        "library.json", recorded.bytes("files/library.json")
    )
    assert martens.authors == "Martens CR, Denman BA, Mazzo MR"
    assert (martens.pmid, martens.year) == ("29599478", 2018)
    assert science.authors == "Adamantidis AR, de Lecea L"
    assert science.pages == "405-412"
    assert (who.authors, who.year, who.publication_type) == (
        "World Health Organization",
        2012,
        "report",
    )


def test_csl_json_without_title_names_the_item():
    text = '[{"id": "a", "title": "Fine"}, {"id": "b", "DOI": "10.1234/x"}]'
    with pytest.raises(IngestError) as caught:
        parse_csl_json(text)
    assert caught.value.problems == ["Item 2 (b) has no title."]


def test_broken_json_says_where(recorded):
    with pytest.raises(IngestError, match=r"not valid JSON \(line 4"):
        parse_file("broken.json", recorded.bytes("files/broken.json"))


def test_unknown_file_is_refused(recorded):
    with pytest.raises(IngestError, match="notes.txt is not a file this importer"):
        parse_file("notes.txt", recorded.bytes("files/notes.txt"))


def test_empty_file_is_refused():
    with pytest.raises(IngestError, match="holds no references"):
        parse_file("empty.bib", b"")


def test_windows_1252_export_is_read():
    data = "TY  - JOUR\nAU  - M\xfcller, Hans\nTI  - Caf\xe9 study\nER  - \n".encode(
        "cp1252"
    )
    (record,) = parse_file("endnote.ris", data)
    assert (record.authors, record.title) == ("M\xfcller H", "Caf\xe9 study")


def bibtex_entries(count: int) -> str:
    return "\n".join(
        f"@article{{k{n}, title={{Trial {n}}}, year={{2020}}}}" for n in range(count)
    )


def ris_records(count: int) -> str:
    return "".join(f"TY  - JOUR\nTI  - Trial {n}\nER  - \n" for n in range(count))


@pytest.mark.parametrize(
    ("name", "text", "parser"),
    [
        ("refs.bib", bibtex_entries(6), "bibtexparser.parse_string"),
        ("refs.ris", ris_records(6), "rispy.loads"),
        ("refs.json", "[" + ",".join(['{"title": "T"}'] * 6) + "]", None),
    ],
)
def test_a_file_with_too_many_records_is_refused_before_reading_them(
    settings, monkeypatch, name, text, parser
):
    settings.NADSITE_REFERENCES_MAX_RECORDS = 5
    if parser:

        def refuse(*args, **kwargs):
            raise AssertionError("records were parsed")

        monkeypatch.setattr(parser, refuse)
    with pytest.raises(IngestError, match="holds 6 references; at most 5"):
        parse_file(name, text.encode())


def test_a_file_within_the_record_limit_is_read(settings):
    settings.NADSITE_REFERENCES_MAX_RECORDS = 5
    assert len(parse_file("refs.bib", bibtex_entries(5).encode())) == 5
    assert len(parse_file("refs.ris", ris_records(5).encode())) == 5


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.NADSITE_REFERENCES_MAX_BYTES = 100
    with pytest.raises(IngestError, match="refs.bib is larger than"):
        parse_file("refs.bib", bibtex_entries(5).encode())


def test_deeply_nested_csl_json_is_an_error_not_a_crash():
    with pytest.raises(IngestError, match="nested more than 32 levels"):
        parse_file("refs.json", b"[" * 5000 + b"]" * 5000)


def test_control_characters_never_reach_a_source():
    [record] = parse_file("refs.ris", b"TY  - JOUR\nTI  - NAD\x00+ \x07trial\nER  - \n")
    assert record.model_fields()["title"] == "NAD+ trial"


def test_csl_json_fields_of_the_wrong_type_are_read_as_far_as_they_go():
    [record] = parse_file(
        "refs.json",
        b'[{"title": "T", "author": true, "issued": {"date-parts": 2020}}]',
    )
    assert (record.title, record.authors, record.year) == ("T", "", 2020)


def test_a_csl_author_of_only_spaces_is_skipped_not_a_crash():
    # Hypothesis found it: a string author that cleans to nothing raised
    # IndexError in the name splitter.
    [record] = parse_file("refs.json", b'[{"title": "T", "author": ["  ", "Ann Lee"]}]')
    assert (record.title, record.authors) == ("T", "Lee A")
