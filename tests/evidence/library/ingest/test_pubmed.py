import datetime

import httpx
import pytest

from evidence.library.ingest import http, pubmed
from evidence.library.ingest.records import IngestError

TWO = "pubmed/efetch_11748933_11700088.xml"
SCIENCE = "pubmed/efetch_37883555.xml"
RETRACTED = "pubmed/efetch_993_retracted_publication.xml"
NOTICE = "pubmed/efetch_27508352_retraction_notice.xml"


def no_wait_limiter():
    return http.RateLimiter(3, sleep=lambda seconds: None)


def test_fetch_pmids_asks_efetch_politely_and_keeps_order(replay, recorded, settings):
    settings.NADSITE_CONTACT_EMAIL = "editors@example.org"
    settings.NCBI_API_KEY = ""
    seen = replay(recorded.xml(TWO))
    records = pubmed.fetch_pmids(
        ["PMID: 11700088", "11748933"], client=seen.client(), limiter=no_wait_limiter()
    )
    params = seen.requests[0].url.params
    assert seen.requests[0].url.path == "/entrez/eutils/efetch.fcgi"
    assert params["db"] == "pubmed" and params["retmode"] == "xml"
    assert params["id"] == "11700088,11748933"
    assert (params["tool"], params["email"]) == ("nadsite", "editors@example.org")
    assert [r.pmid for r in records] == ["11700088", "11748933"]


def test_current_dtd_record(recorded):
    cryo, mri = pubmed.parse_efetch(recorded.bytes(TWO))
    assert cryo.title.startswith("Is cryopreservation a homogeneous process?")
    assert cryo.title.endswith("Diplodus puntazzo (Cetti)")
    assert cryo.authors.startswith("Taddei AR, Barbato F, Abelli L")
    assert (cryo.journal, cryo.year, cryo.volume, cryo.issue) == (
        "Cryobiology",
        2001,
        "42",
        "4",
    )
    assert cryo.pages == "244-55"
    assert cryo.doi == "10.1006/cryo.2001.2328"
    assert cryo.publication_types == [
        "Journal Article",
        "Research Support, Non-U.S. Gov't",
    ]
    assert "Sperm Motility" in cryo.mesh_terms
    assert cryo.url == "https://pubmed.ncbi.nlm.nih.gov/11748933/"
    assert mri.journal == "Journal of magnetic resonance"
    assert mri.doi == "10.1006/jmre.2001.2429"
    assert mri.mesh_terms == []


def test_science_review_with_doi_in_elocation_and_article_ids(recorded):
    (record,) = pubmed.parse_efetch(recorded.bytes(SCIENCE))
    assert record.title == "Sleep and the hypothalamus"
    assert record.authors == "Adamantidis AR, de Lecea L"
    assert (record.journal, record.year, record.pages) == ("Science", 2023, "405-412")
    assert record.doi == "10.1126/science.adh8285"
    assert record.publication_types == ["Journal Article", "Review"]
    assert {"Animals", "Humans", "Hypothalamus"} <= set(record.mesh_terms)
    assert record.retraction_status == "none"


def test_pmid_993_is_retracted_old_dtd(recorded):
    (record,) = pubmed.parse_efetch(recorded.bytes(RETRACTED))
    assert record.pmid == "993"
    assert record.title.startswith("The stimulation by synaptic transmitters")
    assert record.authors == "Gullis RJ, Rowe CE"
    assert (record.journal, record.year, record.volume) == (
        "The Biochemical journal",
        1975,
        "148",
    )
    assert record.retraction_status == "retracted"
    assert record.retraction_notice_url == "https://pubmed.ncbi.nlm.nih.gov/195582/"
    assert record.retraction_date == datetime.date(1977, 4, 15)
    assert record.retraction_notices[0].pmid == "195582"
    assert record.retraction_notices[0].source == "pubmed"
    assert "Animals" in record.mesh_terms
    assert not record.is_notice


def test_27508352_is_a_retraction_notice_not_a_retracted_paper(recorded):
    (record,) = pubmed.parse_efetch(recorded.bytes(NOTICE))
    assert record.pmid == "27508352"
    assert record.title == "Retraction Notice"
    assert record.retraction_status == "none"
    assert record.is_notice
    assert record.notice_of[0].status == "retracted"
    assert record.notice_of[0].pmid == "26435620"
    assert record.authors == "" and record.mesh_terms == []


def test_esummary(recorded):
    first, second = pubmed.parse_esummary(
        recorded.bytes("pubmed/esummary_11850928_11482001.xml")
    )
    assert first.pmid == "11850928"
    assert first.title == "Zirconium granuloma following treatment of rhus dermatitis"
    assert first.authors == "LoPresti PJ, Hambrick GW Jr"
    assert (first.journal, first.year, first.pages) == (
        "Archives of dermatology",
        1965,
        "188-91",
    )
    assert second.publication_types == ["Journal Article", "Review"]
    assert second.year == 2001


def test_missing_pmid_fails_the_whole_import(replay, recorded):
    seen = replay(recorded.xml(SCIENCE))
    with pytest.raises(IngestError, match="no record for PMID 12345"):
        pubmed.fetch_pmids(
            ["37883555", "12345"], client=seen.client(), limiter=no_wait_limiter()
        )


def test_invalid_pmids_are_refused_before_any_request(replay):
    seen = replay()
    with pytest.raises(IngestError, match='"0123", "abc"'):
        pubmed.fetch_pmids(["0123", "abc", "993"], client=seen.client())
    assert seen.requests == []


def test_garbage_xml_is_an_error():
    with pytest.raises(IngestError, match="not readable XML"):
        pubmed.parse_efetch(b"<PubmedArticleSet><PubmedArticle>")


@pytest.mark.parametrize(
    "doctype",
    [
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
        b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY e "&b;&b;&b;&b;&b;&b;&b;&b;">]>',
    ],
    ids=["external-file", "billion-laughs"],
)
def test_replies_declaring_entities_are_refused_unexpanded(doctype):
    xml = (
        b'<?xml version="1.0"?>' + doctype + b"<PubmedArticleSet><PubmedArticle>"
        b"<MedlineCitation><PMID>1</PMID><Article><ArticleTitle>&e;</ArticleTitle>"
        b"</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"
    )
    with pytest.raises(IngestError, match="not readable XML"):
        pubmed.parse_efetch(xml)


def test_efetch_error_body_is_an_error():
    with pytest.raises(IngestError, match="PubMed answered with"):
        pubmed.parse_efetch(
            b"<eFetchResult><ERROR>Empty id list</ERROR></eFetchResult>"
        )


def test_timeout_means_nothing_was_imported(replay):
    seen = replay(*[httpx.ReadTimeout("slow") for _ in range(3)])
    with pytest.raises(IngestError, match="PubMed did not answer within 10 seconds"):
        pubmed.fetch_pmids(
            ["993"],
            client=seen.client(),
            sleep=lambda s: None,
            limiter=no_wait_limiter(),
        )
