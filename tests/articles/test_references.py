"""AMA references, formatted by citeproc-py with the CSL style file."""

import pytest

from articles.demo import load_demo_content
from articles.models import ArticlePage
from evidence.library.references import csl_names, format_reference
from evidence.models import Source
from tests.factories import SourceFactory

MARTENS = (
    "Martens CR, Denman BA, Mazzo MR, et al. Chronic nicotinamide riboside "
    "supplementation is well-tolerated and elevates NAD+ in healthy middle-aged "
    "and older adults. <i>Nature Communications</i>. 2018;9:1286. "
    "doi:10.1038/s41467-018-03421-7"
)
LOPEZ_OTIN_2013 = (
    "López-Otín C, Blasco MA, Partridge L, Serrano M, Kroemer G. The hallmarks "
    "of aging. <i>Cell</i>. 2013;153(6):1194-1217. doi:10.1016/j.cell.2013.05.039"
)


@pytest.fixture
def demo(db):
    load_demo_content()
    return ArticlePage.objects.get(slug="nad-iv-therapy-and-ageing")


def test_demo_sources_are_formatted_in_ama_style(demo):
    martens = Source.objects.get(doi="10.1038/s41467-018-03421-7")
    lopez_otin = Source.objects.get(doi="10.1016/j.cell.2013.05.039")
    assert format_reference(martens) == MARTENS
    assert format_reference(lopez_otin) == LOPEZ_OTIN_2013


def test_demo_article_reference_list_carries_links_and_design(client, demo):
    html = client.get(demo.url).content.decode()
    refs = html[html.index('id="references"') :]
    assert MARTENS in refs
    entry = refs[refs.index(MARTENS) :]
    entry = entry[: entry.index("</li>")]
    assert 'href="https://doi.org/10.1038/s41467-018-03421-7"' in entry
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/29599478/"' in entry
    assert "Randomised controlled trial" in entry
    # A source's grade is shown only in its study card (issue 14, item 6).
    assert "certainty" not in entry and "grade-letter" not in entry
    assert refs.count('<li id="ref-') == Source.objects.count()


def test_six_authors_are_listed_and_seven_or_more_cut_to_three():
    six = SourceFactory.build(authors="A AA, B BB, C CC, D DD, E EE, F FF", pk=1)
    seven = SourceFactory.build(authors="A AA, B BB, C CC, D DD, E EE, F FF, G GG")
    assert format_reference(six).startswith("A AA, B BB, C CC, D DD, E EE, F FF. ")
    assert format_reference(seven).startswith("A AA, B BB, C CC, et al. ")


def test_group_authors_and_cut_lists_keep_their_meaning():
    assert csl_names("Smith AB, WHO Expert Group, et al.") == [
        {"family": "Smith", "given": "A B"},
        {"literal": "WHO Expert Group"},
        {"literal": "et al."},
    ]


def test_reference_text_is_escaped():
    source = SourceFactory.build(
        title="Mice <script>alert(1)</script> & men", journal="J & K", doi=""
    )
    formatted = format_reference(source)
    assert "<script>" not in formatted
    assert "&lt;script&gt;" in formatted and "J &amp; K" in formatted


def test_editing_a_source_changes_its_reference(db):
    source = SourceFactory(title="First title")
    assert "First title" in format_reference(source)
    source.title = "Second title"
    source.save()
    assert "Second title" in format_reference(Source.objects.get(pk=source.pk))


def test_a_guideline_published_in_a_journal_is_cited_as_an_article():
    from evidence.library.references import csl_type
    from tests.factories import SourceFactory

    in_journal = SourceFactory.build(
        study_design="guideline", journal="Br J Sports Med", volume="54", pages="1451"
    )
    issued = SourceFactory.build(
        study_design="guideline", journal="World Health Organization", volume=""
    )
    issued.pages = ""
    assert csl_type(in_journal) == "article-journal"
    assert csl_type(issued) == "report"


@pytest.mark.django_db
@pytest.mark.parametrize("design", ["rct", "guideline"])
def test_a_reference_never_repeats_its_title(design):
    """A Source whose container equals its title (issue 14: "A Trial of Oral
    NR. A Trial of Oral NR.") shows the title once."""
    source = SourceFactory(
        title="A Trial of Oral NR",
        journal="A trial of oral NR.",
        authors="Doe J",
        study_design=design,
        doi="",
        year=2020,
    )
    reference = format_reference(source)
    assert reference.lower().count("a trial of oral nr") == 1, reference
    assert "2020" in reference
