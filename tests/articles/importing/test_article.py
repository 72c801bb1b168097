import io
import re
from pathlib import Path

import docx
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from wagtail.models import Page

from articles.importing.article import SUGGESTED_LOCATOR, ImportRefused, import_article
from articles.importing.documents import DocumentError
from articles.models import ArticlePage
from evidence.gate import PublishBlocked, ensure_publishable, publish_problems
from evidence.passages import read_passages
from tests.factories import SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
CAREFUL_SEED = "000_e85b0fd0f587daf9.txt"
PROMOTIONAL_SEED = "002_16e52568080f6dbc.txt"
BULLET = re.compile(r"^\s*-\s*•\s*")
NUMBERED_HEADING = re.compile(r"^\d\. [A-Z]")


@pytest.fixture
def seeds():
    if not SEEDS.is_dir():
        pytest.skip(
            f"the seed documents are not here ({SEEDS} is missing); they live "
            "beside the repository in ../shared/seeds/, which CI always has"
        )
    return SEEDS


def seed_lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text("utf-8").splitlines()]


def body_blocks(page) -> list[dict]:
    latest = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    return list(latest.body.raw_data)


def texts_of(blocks, *kinds) -> list[str]:
    return [b["value"]["text"] for b in blocks if b["type"] in kinds]


def plain(rich: str) -> str:
    return re.sub(r"<[^>]+>", "", rich).replace("&amp;", "&")


def do_import(name, data, parent, owner=None):
    return import_article(name, data, parent, owner=owner)


def with_standfirst(page, arrived: list[str]) -> list[str]:
    """The text as the document had it: the standfirst left the body, so
    the first paragraph is put back together (issue 14, item 9)."""
    if arrived and not arrived[0].startswith(page.standfirst):
        first = f"{page.standfirst} {arrived[0]}"
        return [first, *arrived[1:]]
    return arrived


def test_careful_seed_arrives_block_for_block(seeds, article_index, writer):
    path = seeds / CAREFUL_SEED
    lines = seed_lines(path)
    report = do_import(path.name, path.read_bytes(), article_index, writer)
    page = report.page
    blocks = body_blocks(page)

    assert page.title == lines[0]
    assert not page.live
    assert page.owner == writer
    # The opening paragraph reads as a claim ("NAD+ therapy"), so it stays
    # in the body, whole, and the standfirst is left for the writer.
    assert page.standfirst == ""
    assert plain(texts_of(blocks, "paragraph")[0]) == lines[1]
    assert "the opening paragraph makes a claim" in report.as_text()

    # Every prose line is one heading, paragraph or disclaimer, in order.
    prose = [
        line.replace("**", "")
        for line in lines[1:]
        if line and not line.startswith("|") and not BULLET.match(line)
    ]
    arrived = [
        b["value"]["text"] if b["type"] == "heading" else plain(b["value"]["text"])
        for b in blocks
        if b["type"] in {"heading", "paragraph", "callout"}
    ]
    assert with_standfirst(page, arrived) == prose

    # Each run of "- •" lines is one list, with every item.
    runs, run = [], []
    for line in lines + [""]:
        if BULLET.match(line):
            run.append(BULLET.sub("", line))
        elif run:
            runs.append(run)
            run = []
    lists = [b["value"] for b in blocks if b["type"] == "list"]
    assert [[item["value"] for item in value["text"]] for value in lists] == runs
    assert len(runs) == 9

    # The comparison table: header and six rows of four cells.
    (table,) = [b["value"]["text"] for b in blocks if b["type"] == "table"]
    table_lines = [line for line in lines if line.startswith("|")]
    assert len(table_lines) == 8  # header, rule, six rows
    assert len(table["data"]) == 7
    assert all(len(row) == 4 for row in table["data"])
    assert table["data"][0][0] == table_lines[0].strip("|").split("|")[0].strip()
    assert table["first_row_is_table_header"] is True

    headings = [b for b in blocks if b["type"] == "heading"]
    assert len(headings) == 10
    callouts = [b["value"] for b in blocks if b["type"] == "callout"]
    assert [c["kind"] for c in callouts] == ["disclaimer", "disclaimer"]
    assert {c["role"] for c in callouts} == {"context"}
    assert report.headings == 10
    assert len(report.passages) == len(blocks) - 10


def test_promotional_seed_arrives_and_its_claims_are_detected(seeds, article_index):
    path = seeds / PROMOTIONAL_SEED
    lines = [line for line in seed_lines(path) if line]
    report = do_import(path.name, path.read_bytes(), article_index)
    blocks = body_blocks(report.page)

    assert report.page.title == lines[0]
    arrived = [
        b["value"]["text"] if b["type"] == "heading" else plain(b["value"]["text"])
        for b in blocks
    ]
    assert with_standfirst(report.page, arrived) == lines[1:]
    # Its opening paragraph makes claims: it stays whole in the body.
    assert report.page.standfirst == ""
    assert plain(blocks[0]["value"]["text"]) == lines[1]
    headings = [b["value"] for b in blocks if b["type"] == "heading"]
    assert len(headings) == 9
    assert [h["level"] for h in headings].count("h3") == 5
    assert all(
        NUMBERED_HEADING.match(h["text"]) for h in headings if h["level"] == "h3"
    )

    claim_passages = [p for p in report.passages if p.role == "claim"]
    assert len(claim_passages) >= 15
    assert report.claim_sentence_count >= 35
    by_text = {
        plain(b["value"]["text"]): b["value"]["role"]
        for b in blocks
        if b["type"] != "heading"
    }
    shown = next(t for t in by_text if "has been shown to reduce inflammation" in t)
    assert by_text[shown] == "claim"
    clinic = next(t for t in by_text if t.startswith("Both BioMed Center"))
    assert by_text[clinic] == "context"
    assert report.mentions == []


def test_promotional_seed_is_refused_by_the_gate_with_each_claim(seeds, article_index):
    path = seeds / PROMOTIONAL_SEED
    report = do_import(path.name, path.read_bytes(), article_index)
    version = ArticlePage.objects.get(pk=report.page.pk).get_latest_revision_as_object()
    passages = {p.position: p for p in read_passages(version)}

    problems = publish_problems(version)

    uncited = {p.position for p in problems if p.rule == "uncited_claim"}
    claims = {p.position for p in report.passages if p.role == "claim"}
    assert claims
    assert uncited == claims
    for problem in problems:
        if problem.position < 1:  # a field unit: the title, the standfirst
            assert problem.block_id in ArticlePage.reviewed_fields
        else:
            assert problem.block_id == passages[problem.position].block_id
        assert problem.message
    with pytest.raises(PublishBlocked) as refused:
        ensure_publishable(version)
    assert len(refused.value.problems) == len(problems)


def test_careful_seed_mentions_match_sources_in_the_library(seeds, article_index):
    martens = SourceFactory(
        authors="Martens CR, Denman BA, et al.",
        year=2018,
        journal="Nature Communications",
    )
    yoshino = SourceFactory(
        authors="Yoshino M, Yoshino J, et al.", year=2021, journal="Science"
    )
    hallmarks = [
        SourceFactory(authors="López-Otín C, Blasco MA", year=year, journal="Cell")
        for year in (2013, 2023)
    ]
    SourceFactory(authors="Martens CR", year=2019, journal="Nature Communications")
    SourceFactory(authors="Yoshino M", year=2021, journal="Cell Metabolism")
    path = seeds / CAREFUL_SEED

    report = do_import(path.name, path.read_bytes(), article_index)

    matched = {m.mention.surname: m.sources for m in report.matched}
    assert matched == {
        "Lopez-Otin": hallmarks,
        "Martens": [martens],
        "Yoshino": [yoshino],
    }
    unmatched = {m.mention.text for m in report.unmatched}
    assert len(unmatched) == 3
    assert any("Pencina" in text for text in unmatched)

    passages = read_passages(
        ArticlePage.objects.get(pk=report.page.pk).get_latest_revision_as_object()
    )
    suggested = {
        c.source_id: p
        for p in passages
        for c in p.citations
        if c.locator == SUGGESTED_LOCATOR and c.stance == "mentions"
    }
    assert set(suggested) == {martens.pk, yoshino.pk, *(s.pk for s in hallmarks)}
    # The lead-in line's suggestion is carried to the list of findings below it.
    martens_passages = [
        p for p in passages if any(c.source_id == martens.pk for c in p.citations)
    ]
    assert [p.kind for p in martens_passages] == ["paragraph", "list"]
    assert martens_passages[1].text.startswith("RCT; n=24")
    assert "Matched mentions" in report.as_text()


def test_markdown_import(article_index):
    source = SourceFactory(authors="Smith AB", year=2020, journal="BMJ")
    text = (
        "# Vitamin D in winter\n\n"
        "This page is about vitamin D in winter. It was written for readers "
        "in the north. Read it with "
        "**care** and see [the sunlight page](https://example.org/sun).\n\n"
        "## What studies found\n\n"
        "Smith et al. (BMJ, 2020) found that vitamin D reduces colds by 12%.\n\n"
        "- Take 10 micrograms a day\n- Eat oily fish\n  - salmon\n\n"
        "1. First\n2. Second\n\n"
        "| Food | Vitamin D |\n|---|---|\n| Salmon | High |\n\n"
        "### Caveats\n\n"
        "Disclaimer: this page is general information.\n"
    )
    report = do_import("vitamin-d.md", text.encode(), article_index)
    blocks = body_blocks(report.page)

    assert report.page.title == "Vitamin D in winter"
    assert report.page.standfirst == (
        "This page is about vitamin D in winter. It was written for readers in "
        "the north."
    )
    assert [b["type"] for b in blocks] == [
        "paragraph",
        "heading",
        "paragraph",
        "list",
        "list",
        "table",
        "heading",
        "callout",
    ]
    first = blocks[0]["value"]["text"]
    assert first == (
        '<p>Read it with <b>care</b> and see <a href="https://example.org/sun">'
        "the sunlight page</a>.</p>"
    )
    assert "<b>care</b>" in first
    assert '<a href="https://example.org/sun">the sunlight page</a>' in first
    assert [blocks[1]["value"]["level"], blocks[6]["value"]["level"]] == ["h2", "h3"]
    finding = blocks[2]["value"]
    assert finding["role"] == "claim"
    assert finding["citations"][0]["value"]["source"] == source.pk
    bullets = [item["value"] for item in blocks[3]["value"]["text"]]
    assert bullets == ["Take 10 micrograms a day", "Eat oily fish", "salmon"]
    assert blocks[4]["value"]["ordered"] is True
    assert blocks[5]["value"]["text"]["data"] == [
        ["Food", "Vitamin D"],
        ["Salmon", "High"],
    ]
    assert blocks[7]["value"]["kind"] == "disclaimer"
    assert blocks[7]["value"]["role"] == "context"


def docx_bytes(build) -> bytes:
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_import(article_index):
    def build(document):
        document.add_heading("Sleep and memory", level=0)
        intro = document.add_paragraph("Sleep ")
        intro.add_run("matters").bold = True
        intro.add_run(" for everyone.")
        document.add_heading("The evidence", level=1)
        document.add_paragraph(
            "Deep sleep improves memory consolidation in adults by 20%."
        )
        document.add_paragraph("Keep a regular bedtime", style="List Bullet")
        document.add_paragraph("Avoid caffeine after noon", style="List Bullet")
        document.add_heading("Details", level=3)
        table = document.add_table(rows=2, cols=2)
        for row, cells in zip(
            table.rows, [["Age", "Hours"], ["Adult", "7-9"]], strict=True
        ):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
        document.add_paragraph("Disclaimer: not medical advice.")

    report = do_import("sleep.docx", docx_bytes(build), article_index)
    blocks = body_blocks(report.page)

    assert report.page.title == "Sleep and memory"
    # The one-sentence intro is the standfirst, and is not repeated below it.
    assert report.page.standfirst == "Sleep matters for everyone."
    assert [b["type"] for b in blocks] == [
        "heading",
        "paragraph",
        "list",
        "heading",
        "table",
        "callout",
    ]
    assert blocks[1]["value"]["role"] == "claim"
    assert [blocks[0]["value"]["level"], blocks[3]["value"]["level"]] == ["h2", "h3"]
    assert len(blocks[2]["value"]["text"]) == 2
    assert blocks[4]["value"]["text"]["data"] == [["Age", "Hours"], ["Adult", "7-9"]]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.pdf", b"%PDF-1.4", "only Markdown (.md), plain text (.txt)"),
        ("empty.txt", b"  \n\n", "empty"),
        ("latin1.txt", "Caf\xe9 au lait reduces stress.".encode("latin-1"), "UTF-8"),
        ("broken.docx", b"PK\x03\x04 this is not really a zip", "Word (.docx)"),
        ("title-only.md", b"# Just a title\n", "no paragraphs"),
    ],
)
def test_bad_files_create_nothing(article_index, name, data, message):
    before = Page.objects.count()

    with pytest.raises(DocumentError, match=re.escape(message)):
        do_import(name, data, article_index)

    assert Page.objects.count() == before


def test_docx_with_damaged_xml_is_refused(article_index):
    import zipfile

    good = docx_bytes(lambda d: d.add_paragraph("Hello"))
    damaged = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good)) as src,
        zipfile.ZipFile(damaged, "w") as out,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2]
            out.writestr(info, data)

    with pytest.raises(DocumentError, match="damaged"):
        do_import("damaged.docx", damaged.getvalue(), article_index)
    assert not ArticlePage.objects.exists()


def test_only_an_article_index_can_be_the_parent(home):
    with pytest.raises(ImportRefused, match="article index"):
        do_import("a.md", b"# Title\n\nText.", home)
    assert not ArticlePage.objects.exists()


def test_same_title_twice_gets_a_new_slug(article_index):
    first = do_import("a.md", b"# Zinc\n\nZinc is a mineral.", article_index)
    second = do_import("b.md", b"# Zinc\n\nZinc is a mineral.", article_index)
    assert (first.page.slug, second.page.slug) == ("zinc", "zinc-2")


def test_command_prints_the_report(seeds, article_index, writer, capsys):
    call_command(
        "import_article",
        str(seeds / PROMOTIONAL_SEED),
        "--parent",
        "/articles/",
        "--owner",
        writer.username,
    )
    out = capsys.readouterr().out
    page = ArticlePage.objects.get()
    assert f'Draft "{page.title}" created' in out
    assert "Detected claims:" in out
    assert "has been shown to reduce inflammation" in out
    assert "Unmatched mentions" in out
    assert page.owner == writer and not page.live


def test_command_errors_are_clear(article_index, tmp_path):
    bad = tmp_path / "notes.rtf"
    bad.write_text("{\\rtf1 hello}")
    good = tmp_path / "good.md"
    good.write_text("# Title\n\nSome text.")
    with pytest.raises(CommandError, match="notes.rtf.*cannot be imported"):
        call_command("import_article", str(bad))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_article", str(tmp_path / "missing.md"))
    with pytest.raises(CommandError, match="No user called 'nobody'"):
        call_command("import_article", str(good), "--owner", "nobody")
    with pytest.raises(CommandError, match="No page at /nowhere/"):
        call_command("import_article", str(good), "--parent", "/nowhere/")
    assert not ArticlePage.objects.exists()


# The admin upload form ------------------------------------------------------


def member_of(group_name, username):
    """A user in one of the role groups the migrations create."""
    from django.contrib.auth.models import Group

    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def upload(client, user, name, data, parent):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(user)
    return client.post(
        reverse("articles_import"),
        {"document": SimpleUploadedFile(name, data), "parent": parent.pk},
    )


def test_writer_uploads_a_document_and_gets_a_draft(client, article_index):
    writer = member_of("Writers", "uploader")
    SourceFactory(authors="Smith AB", year=2020, journal="BMJ")
    text = (
        b"# Zinc and colds\n\nSmith et al. (2020, BMJ) found zinc cuts colds by 30%.\n"
    )

    response = upload(client, writer, "zinc.md", text, article_index)

    assert response.status_code == 200
    page = ArticlePage.objects.get()
    assert page.owner == writer and not page.live
    html = response.content.decode()
    assert "Draft “Zinc and colds” created" in html
    assert f"/admin/pages/{page.pk}/edit/" in html
    assert "Smith et al. (2020, BMJ)" in html
    assert "zinc cuts colds by 30%" in html
    assert "No subject proposed" in html  # zinc is not an intervention we know


def test_upload_form_shows_a_bad_file_error_and_creates_nothing(
    client, superuser, article_index
):
    response = upload(client, superuser, "notes.pdf", b"%PDF-1.4", article_index)

    assert response.status_code == 200
    assert "cannot be imported" in response.content.decode()
    assert not ArticlePage.objects.exists()


def test_upload_page_and_menu_item_for_writers_only(client, article_index):
    from django.urls import reverse

    writer = member_of("Writers", "menuwriter")
    client.force_login(writer)
    form = client.get(reverse("articles_import"))
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.content.decode()
    assert (
        reverse("articles_import")
        in client.get(reverse("wagtailadmin_home")).content.decode()
    )

    reviewer = member_of("Medical reviewers", "menureviewer")
    client.force_login(reviewer)
    assert client.get(reverse("articles_import")).status_code in {302, 403}
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("articles_import") not in home
    outsider = UserFactory(username="outsider")
    client.force_login(outsider)
    assert client.get(reverse("articles_import")).status_code in {302, 403}


# The standfirst and the subject (issue 14, item 9) -----------------------------


def test_the_standfirst_is_not_repeated_in_the_body(article_index):
    text = (
        b"# Magnesium and sleep\n\n"
        b"This page covers magnesium at bedtime. Many readers ask about it.\n\n"
        b"## The trials\n\n"
        b"Small trials in older adults found magnesium shortened sleep onset.\n"
    )
    report = do_import("magnesium.md", text, article_index)
    page = report.page
    assert page.standfirst == (
        "This page covers magnesium at bedtime. Many readers ask about it."
    )
    body = " ".join(plain(t) for t in texts_of(body_blocks(page), "paragraph"))
    assert "This page covers magnesium" not in body
    assert "Many readers ask about it" not in body
    assert "shortened sleep onset" in body


def test_a_link_across_the_cut_keeps_the_text(article_index):
    text = (
        b"# Iron\n\n"
        b"This page is about iron. It is [in meat. And in beans](https://example.org)."
        b"\n\n"
        b"## More\n\nIron deficiency causes anaemia.\n"
    )
    page = do_import("iron.md", text, article_index).page
    first = body_blocks(page)[0]["value"]["text"]
    assert page.standfirst == "This page is about iron. It is in meat."
    # The link spanned the cut: the rest keeps its words, as plain text.
    assert first == "<p>And in beans.</p>"


def test_the_subject_is_proposed_from_the_text(client, article_index):
    text = (
        b"# NAD+ drips\n\n"
        b"Clinics sell NAD+ by intravenous infusion. A drip takes hours.\n\n"
        b"## What trials found\n\n"
        b"Oral NR raised blood NAD+ in a small trial. IV NAD+ has no outcome "
        b"trials. NAD+ infusions are costly.\n"
    )
    report = do_import("drips.md", text, article_index)
    page = ArticlePage.objects.get(pk=report.page.pk)
    assert (page.subject_intervention, page.subject_route) == ("NAD+", "intravenous")
    latest = page.get_latest_revision_as_object()
    assert (latest.subject_intervention, latest.subject_route) == (
        "NAD+",
        "intravenous",
    )
    assert "Subject proposed from the text: intervention NAD+ (named 5 times); " in (
        report.as_text()
    )
    # intravenous, infusion(s), drip(s) and IV, the title's "drips" too
    assert "route intravenous (named 6 times)" in report.as_text()


def test_no_subject_is_proposed_when_the_text_names_none(article_index):
    report = do_import(
        "walk.md",
        b"# Walking\n\nWalk daily. It helps.\n\n## Why\n\nWalking lowers blood "
        b"pressure.",
        article_index,
    )
    assert (report.page.subject_intervention, report.page.subject_route) == ("", "")
    assert "No subject proposed" in report.as_text()


def test_the_proposed_subject_lets_the_other_intervention_warning_fire(
    article_index,
):
    """Issue 14: with the subject left empty, the "other intervention"
    warning could not fire on an imported article."""
    from evidence.passages import analyse_passages

    SourceFactory(
        authors="Martens CR",
        year=2018,
        journal="Nature Communications",
        intervention="Nicotinamide riboside 1,000 mg/day",
        route="oral",
    )
    text = (
        b"# NAD+ infusions\n\n"
        b"Clinics sell NAD+ by intravenous drip. A session takes hours.\n\n"
        b"## Evidence\n\n"
        b"Martens et al. (Nature Communications, 2018) found that NAD+ therapy "
        b"raises blood NAD+ levels by 60%.\n"
    )
    page = do_import("infusions.md", text, article_index).page
    version = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    codes = {w.code for a in analyse_passages(version) for w in a.warnings}
    assert "indirect_evidence" in codes


def test_the_report_counts_in_the_singular_and_the_plural(article_index):
    report = do_import(
        "walk.md",
        b"# Walking\n\nWalk daily.\n\n## Why\n\nWalking lowers blood pressure.\n\n"
        b"It is a pleasant way to spend an hour.",
        article_index,
    )
    text = report.as_text()
    assert "1 heading;" in text and "1 passage makes claims" in text
    assert "(1 claim sentence)." in text
    assert "claim sentences" not in text and "1 headings" not in text


# The standfirst cannot cite (issue 14, item 9, as the day walk found it) ------


def test_an_opening_paragraph_that_names_a_study_stays_in_the_body_with_it(
    article_index,
):
    """The importer used to move the first sentences into the standfirst,
    which cannot carry citations: the suggested citation was lost and the
    claim could only be sent back."""
    source = SourceFactory(authors="Smith AB", year=2020, journal="BMJ")
    opening = (
        "Smith et al. (BMJ, 2020) found that vitamin D reduces colds by 12%. "
        "The trial ran for one winter."
    )
    text = (
        f"# Vitamin D and colds\n\n{opening}\n\n## Who might take it\n\n"
        "Adults who spend little time outdoors may ask a pharmacist.\n"
    )
    report = do_import("vitamin-d.md", text.encode(), article_index)
    page = ArticlePage.objects.get(pk=report.page.pk)
    blocks = body_blocks(page)

    assert page.standfirst == ""
    first = blocks[0]["value"]
    assert (blocks[0]["type"], plain(first["text"])) == ("paragraph", opening)
    assert first["role"] == "claim"
    assert [c["value"] for c in first["citations"]] == [
        {"source": source.pk, "stance": "mentions", "locator": SUGGESTED_LOCATOR}
    ]
    assert (
        "No standfirst: the opening paragraph names a study, and the standfirst "
        "cannot cite sources."
    ) in report.as_text()
    assert "Write a one- or two-sentence standfirst that states no claim." in (
        report.as_text()
    )


def test_an_opening_claim_stays_in_the_body_and_the_standfirst_is_left_empty(
    article_index,
):
    opening = "Magnesium shortens the time older adults take to fall asleep."
    text = (
        f"# Magnesium and sleep\n\n{opening} Trials were small.\n\n"
        "## The trials\n\nThree small trials enrolled older adults.\n"
    )
    report = do_import("magnesium.md", text.encode(), article_index)
    page = ArticlePage.objects.get(pk=report.page.pk)
    blocks = body_blocks(page)

    assert page.standfirst == ""
    assert plain(blocks[0]["value"]["text"]) == f"{opening} Trials were small."
    assert blocks[0]["value"]["role"] == "claim"
    assert "the opening paragraph makes a claim" in report.as_text()
    # The claim is a body passage the gate asks a source for, not a
    # standfirst that no reviewer could ever approve.
    version = page.get_latest_revision_as_object()
    problems = publish_problems(version)
    assert blocks[0]["id"] in {
        p.block_id for p in problems if p.rule == "uncited_claim"
    }
    assert "standfirst" not in {p.block_id for p in problems}


def test_a_one_paragraph_document_is_not_said_twice(article_index):
    report = do_import(
        "zinc.md",
        b"# Zinc\n\nThis page is about zinc. It is found in meat.",
        article_index,
    )
    page = report.page
    assert page.standfirst == ""
    [only] = texts_of(body_blocks(page), "paragraph")
    assert plain(only) == "This page is about zinc. It is found in meat."
    assert "the opening paragraph is the document's only passage" in report.as_text()


@pytest.mark.parametrize("name", [CAREFUL_SEED, PROMOTIONAL_SEED])
def test_a_seeds_standfirst_cites_nothing_states_no_claim_and_loses_nothing(
    seeds, article_index, name
):
    from articles.importing.documents import read_document
    from evidence.analysis.claims import detect_sentences, has_claim
    from evidence.library.mentions import find_mentions

    path = seeds / name
    data = path.read_bytes()
    report = do_import(path.name, data, article_index)
    page = ArticlePage.objects.get(pk=report.page.pk)
    body = " ".join(
        plain(text)
        for text in texts_of(body_blocks(page), "heading", "paragraph", "callout")
    )

    assert not find_mentions(page.standfirst)
    assert not has_claim(page.standfirst)
    assert not page.standfirst or page.standfirst not in body
    # Every study the document names is named in the body, where it can be
    # cited, and every claim sentence of its paragraphs is in the body.
    document = read_document(path.name, data)
    named = [m.text for b in document.blocks for m in find_mentions(b.plain_text)]
    assert [m.mention.text for m in report.mentions] == named
    claims = [
        verdict.text
        for block in document.blocks
        if block.kind == "paragraph"
        for verdict in detect_sentences(block.plain_text)
        if verdict.is_claim
    ]
    assert claims
    assert [claim for claim in claims if claim not in body] == []
