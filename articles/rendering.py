"""The article body and reference list as HTML, built in Python.

An article page shows hundreds of markers, badges, cards and references.
Rendered by the template engine, each costs dozens of variable lookups and
a translation call; here each is one f-string over parts escaped once. The
template receives a few ready fragments (`ArticleView.body_html`,
`ArticleView.references_html`).

Rules kept here:

- Every text that comes from editors or from a Source is escaped (stdlib
  `html.escape`, as Django's `escape`); rich text (already expanded, trusted
  editor HTML) and citeproc's references (escaped in `evidence.library.references`)
  are inserted as they are.
- Interface text is translated once per language per process (`strings()`),
  not once per marker.
- The markup (classes, ids, ARIA attributes) is the one readers, the card
  script (`evidence-cards.js`) and the stylesheet rely on: a change here is
  a change to the page.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from typing import TYPE_CHECKING

from django.utils import dateformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from evidence.models import Source
from evidence.vocab import (
    GRADE_WORDS,
    Population,
    RetractionStatus,
    Route,
    Stance,
    StudyDesign,
)

if TYPE_CHECKING:  # pragma: no cover
    from articles.reading import ArticleView, BlockView, Reference


@lru_cache(maxsize=16)
def strings(language: str) -> dict:
    """Every interface text of the body and references, translated and
    escaped once per language (keyed by the active language).

    Choice labels and gettext calls would otherwise be translated again for
    each of the page's markers and facts. Texts with placeholders (keys
    ending in "%") are kept raw: they are escaped after formatting.
    """
    raw = {
        "Design": _("Design"),
        "Participants": _("Participants"),
        "not stated": _("not stated"),
        "Population": _("Population"),
        "Intervention": _("Intervention"),
        "Route": _("Route"),
        "Grade": _("Grade"),
        "certainty": _("certainty"),
        "contradicts": _("contradicts this passage"),
        "background": _("background"),
        "recorded": _("Certainty recorded by the medical reviewer."),
        "unrated": _(
            "Not yet rated by a reviewer: the strongest grade among the "
            "supporting sources."
        ),
        "show_studies": _("show the studies behind this claim"),
        "no_support": _("No supporting source"),
        "non_human": _("Animal or cell studies only"),
        "contradicted": _("Some evidence contradicts this"),
        "Study": _("Study"),
        "et al.": _("et al."),
        "Table": _("Table"),
        "Warning:": _("Warning:"),
        "Read the notice": _("Read the notice"),
        "Read the source": _("Read the source"),
        "By": _("By"),
        "Published": _("Published"),
        "Evidence at a glance": _("Evidence at a glance"),
        "Claims": _("Claims"),
        "Sources": _("Sources"),
        "Grade of the sources cited": _("Grade of the sources cited"),
        "Medically reviewed by": _("Medically reviewed by"),
        "and": _("and"),
        "on": _("on"),
        "Not yet medically reviewed.": _("Not yet medically reviewed."),
        "summary help": _(
            "Each claim shows how certain its evidence is (high A, moderate B, "
            "low C, very low D). Open a badge for the studies behind the claim; "
            "the numbers lead to the references."
        ),
        RetractionStatus.RETRACTED.value: _(
            "This paper has been retracted; do not rely on it."
        ),
        RetractionStatus.EXPRESSION_OF_CONCERN.value: _(
            "The journal has published an expression of concern."
        ),
        RetractionStatus.CORRECTION.value: _("The journal has published a correction."),
    }
    texts = {key: escape(value) for key, value in raw.items()}
    texts.update(
        {
            "design": {k: escape(str(v)) for k, v in StudyDesign.choices},
            "population": {k: escape(str(v)) for k, v in Population.choices},
            "route": {k: escape(str(v)) for k, v in Route.choices},
            "grade": {k: escape(str(v)) for k, v in GRADE_WORDS.items()},
            "grade words": {k: str(v) for k, v in GRADE_WORDS.items()},
            "reference %": _("Reference %(n)s"),
            "badge %": _("%(words)s certainty (%(letter)s)"),
            "mentions": {
                Stance.CONTRADICTS.value: raw["contradicts"],
                Stance.MENTIONS.value: raw["background"],
            },
        }
    )
    return texts


def current_strings() -> dict:
    return strings(get_language() or "")


def retraction_warning(source: Source, s: dict | None = None) -> str:
    """What readers are told about a retracted or corrected paper (escaped)."""
    status = source.retraction_status
    if not status or status == RetractionStatus.NONE:
        return ""
    return (s or current_strings()).get(status, "")


def source_facts_html(source: Source) -> SafeString:
    """Design, n, population, intervention, route and grade, as a <dl>."""
    s = current_strings()
    sample = f"n = {source.sample_size}" if source.sample_size else s["not stated"]
    intervention = (
        f"<div><dt>{s['Intervention']}</dt><dd>{escape(source.intervention)}</dd></div>"
        if source.intervention
        else ""
    )
    grade = escape(source.grade or "")
    return mark_safe(  # noqa: S308 (every value escaped)
        '<dl class="facts">'
        f"<div><dt>{s['Design']}</dt>"
        f"<dd>{s['design'].get(source.study_design, '')}</dd></div>"
        f"<div><dt>{s['Participants']}</dt><dd>{sample}</dd></div>"
        f"<div><dt>{s['Population']}</dt>"
        f"<dd>{s['population'].get(source.population, '')}</dd></div>"
        f"{intervention}"
        f"<div><dt>{s['Route']}</dt>"
        f"<dd>{s['route'].get(source.route, '')}</dd></div>"
        f"<div><dt>{s['Grade']}</dt><dd>"
        f'<span class="grade-letter grade--{grade}">{grade}</span> '
        f"{s['grade'].get(source.grade, '')} {s['certainty']}</dd></div>"
        "</dl>"
    )


# Header and evidence summary ---------------------------------------------------


def _time(value) -> str:
    """<time> for a datetime, shown as the template's |date:"j F Y" would
    (dateformat directly: these are formats, not format names to look up)."""
    value = template_localtime(value)
    return (
        f'<time datetime="{dateformat.format(value, "Y-m-d")}">'
        f"{escape(dateformat.format(value, 'j F Y'))}</time>"
    )


def header_html(view: ArticleView) -> SafeString:
    """Title, standfirst and byline (authors, date first published)."""
    s = current_strings()
    page = view.page
    by = ""
    if view.authors:
        names = "; ".join(
            escape(author.name)
            + (f", {escape(author.credentials)}" if author.credentials else "")
            for author in view.authors
        )
        by = f"{s['By']} {names}. "
    published = (
        f"{s['Published']} {_time(page.first_published_at)}."
        if page.first_published_at
        else ""
    )
    return mark_safe(  # noqa: S308 (every value escaped)
        '<header class="article__header">\n'
        f'<h1 id="article-title">{escape(page.title)}</h1>\n'
        f'<p class="standfirst">{escape(page.standfirst)}</p>\n'
        f'<p class="byline">\n{by}\n{published}\n</p>\n'
        "</header>\n"
    )


def summary_html(view: ArticleView) -> SafeString:
    """The evidence summary box: counts, grade mix (bar and legend) and who
    medically reviewed the article when."""
    s = current_strings()
    summary = view.summary
    mix = ""
    if summary.sources:
        segments = "".join(
            f'<span class="grade-bar__segment grade--{share.letter}" '
            f'style="width: {share.percent:.1f}%"></span>'
            for share in summary.grade_mix
            if share.count
        )
        legend = "\n".join(
            f'<li><span class="swatch grade--{share.letter}" aria-hidden="true">'
            f"</span>{share.letter} · {s['grade'][share.letter]}: {share.count}</li>"
            for share in summary.grade_mix
        )
        mix = (
            '<p class="evidence-summary__label" id="grade-mix-title">'
            f"{s['Grade of the sources cited']}</p>\n"
            '<div class="grade-bar" role="img" '
            'aria-labelledby="grade-mix-title grade-mix-text">\n'
            f"{segments}\n</div>\n"
            f'<ul class="grade-legend" id="grade-mix-text">\n{legend}\n</ul>\n'
        )
    if summary.reviewers and summary.reviewed_at:
        names = f" {s['and']} ".join(
            f"<strong>{escape(str(credit))}</strong>" for credit in summary.reviewers
        )
        review = (
            f"{s['Medically reviewed by']} {names}\n"
            f"{s['on']} {_time(summary.reviewed_at)}."
        )
    else:
        review = s["Not yet medically reviewed."]
    return mark_safe(  # noqa: S308 (every value escaped)
        '<section class="evidence-summary" aria-labelledby="evidence-summary-title">\n'
        f'<h2 id="evidence-summary-title">{s["Evidence at a glance"]}</h2>\n'
        '<dl class="evidence-summary__counts">\n'
        f"<div><dt>{s['Claims']}</dt><dd>{summary.claims}</dd></div>\n"
        f"<div><dt>{s['Sources']}</dt><dd>{summary.sources}</dd></div>\n"
        "</dl>\n"
        f"{mix}"
        f'<p class="evidence-summary__review">\n{review}\n</p>\n'
        f'<p class="evidence-summary__help">\n{s["summary help"]}\n</p>\n'
        "</section>\n"
    )


# Body ------------------------------------------------------------------------


def marker_label(marker, s: dict) -> str:
    """What a screen reader announces for a marker (not escaped)."""
    label = s["reference %"] % {"n": marker.reference.number}
    if stance := s["mentions"].get(marker.stance):
        label = f"{label}, {stance}"
    if marker.locator:
        label = f"{label}, {marker.locator}"
    return label


def badge_label(badge, s: dict) -> str:
    """'Moderate certainty (B)' (not escaped)."""
    return s["badge %"] % {
        "words": s["grade words"][badge.letter].capitalize(),
        "letter": badge.letter,
    }


class _BodyRenderer:
    """Renders the blocks of one page; each source's card entry once."""

    def __init__(self):
        self.s = current_strings()
        self.card_items: dict[int, str] = {}

    def card_item(self, ref: Reference) -> str:
        """A source's entry in a passage's evidence card (same in every card)."""
        item = self.card_items.get(ref.number)
        if item is None:
            source = ref.source
            year = f" {source.year}" if source.year else ""
            warning = retraction_warning(source, self.s)
            flag = (
                f' <span class="flag flag--retracted">{warning}</span>'
                if warning
                else ""
            )
            item = self.card_items[ref.number] = (
                f'<li data-ref="{ref.number}" tabindex="-1">\n'
                f'<p><a href="#{ref.anchor}">[{ref.number}]</a> '
                f"<strong>{escape(source.first_author)}{year}</strong>{flag}</p>\n"
                f"{ref.facts_html}\n</li>"
            )
        return item

    def evidence(self, block: BlockView, card: bool) -> str:
        if not (
            block.markers or block.badge or block.non_human_only or block.contradicted
        ):
            return ""
        s = self.s
        out = ['<div class="evidence">\n']
        card_id = escape(block.card_id)
        if card and block.markers:
            out.append('<span class="evidence__markers">')
            for marker in block.markers:
                ref = marker.reference
                extra = " cite--contradicts" if marker.contradicts else ""
                out.append(
                    f'<a class="cite{extra}" href="#{ref.anchor}" '
                    f'data-ref="{ref.number}" data-card="{card_id}" '
                    f'aria-label="{escape(marker_label(marker, s))}">'
                    f"[{ref.number}]</a>"
                )
            out.append("</span>\n")
        badge = block.badge
        if badge is not None:
            letter = escape(badge.letter)
            label = escape(badge_label(badge, s))
            basis = s["recorded"] if badge.recorded else s["unrated"]
            if card:
                items = "\n".join(self.card_item(ref) for ref in block.references)
                out.append(
                    f'<details class="evidence-card" id="{card_id}">\n'
                    f'<summary class="badge grade--{letter}">'
                    f'<span class="badge__letter" aria-hidden="true">{letter}</span> '
                    f"{label}"
                    f'<span class="visually-hidden">: {s["show_studies"]}</span>'
                    "</summary>\n"
                    '<div class="evidence-card__body">\n'
                    f'<p class="evidence-card__basis">{basis}</p>\n'
                    f'<ul class="evidence-card__sources">\n{items}\n</ul>\n'
                    "</div>\n</details>\n"
                )
            else:
                out.append(
                    f'<span class="badge grade--{letter}" title="{basis}">'
                    f'<span class="badge__letter" aria-hidden="true">{letter}</span> '
                    f"{label}</span>\n"
                )
        elif block.is_claim and card:
            out.append(
                f'<span class="flag flag--unsupported">{s["no_support"]}</span>\n'
            )
        if block.non_human_only:
            out.append(f'<span class="flag flag--non-human">{s["non_human"]}</span>\n')
        if block.contradicted:
            out.append(
                f'<span class="flag flag--contradicted">{s["contradicted"]}</span>\n'
            )
        out.append("</div>")
        return "".join(out)

    def study(self, block: BlockView) -> str:
        s = self.s
        block_id = escape(block.block_id)
        claim = " passage--claim" if block.is_claim else ""
        ref = block.study
        if ref is not None:
            source = ref.source
            first = source.first_author
            et_al = f" {s['et al.']}" if len(source.authors) > len(first) else ""
            year = f" ({source.year})" if source.year else ""
            title = f"{escape(first)}{et_al}{year}"
            reference = escape(s["reference %"] % {"n": ref.number})
            cite = (
                f' <a class="cite" href="#{ref.anchor}" aria-label="{reference}">'
                f"[{ref.number}]</a>"
            )
            facts = ref.facts_html
        else:
            title = cite = facts = ""
        return (
            f'<section class="study-card passage{claim}" id="p-{block_id}" '
            f'aria-labelledby="st-{block_id}">\n'
            f'<p class="study-card__title" id="st-{block_id}">'
            f"<strong>{s['Study']}: {title}</strong>{cite}</p>\n"
            f'<p class="study-card__result">{escape(block.text)}</p>\n'
            f"{facts}\n"
            f"{self.evidence(block, card=False)}\n"
            "</section>\n"
        )

    def table(self, block: BlockView) -> str:
        table = block.table
        caption = escape(table.caption)
        parts = [
            '<div class="table-wrap" role="region" tabindex="0" '
            f'aria-label="{caption or self.s["Table"]}">\n<table>\n'
        ]
        if caption:
            parts.append(f"<caption>{caption}</caption>\n")
        if table.header:
            cells = "".join(
                f'<th scope="col">{escape(cell)}</th>' for cell in table.header
            )
            parts.append(f"<thead><tr>{cells}</tr></thead>\n")
        parts.append("<tbody>")
        for row in table.rows:
            cells = [f"<td>{escape(cell)}</td>" for cell in row]
            if cells and table.first_col_is_header:
                cells[0] = f'<th scope="row">{escape(row[0])}</th>'
            parts.append(f"<tr>{''.join(cells)}</tr>")
        parts.append("</tbody>\n</table>\n</div>")
        return "".join(parts)

    def passage(self, block: BlockView) -> str:
        kind = block.kind
        role = "claim" if block.is_claim else "context"
        if kind == "callout":
            extra = f" callout callout--{escape(block.callout_kind)}"
            note = ' role="note"'
        else:
            extra = note = ""
        if kind in ("paragraph", "callout"):
            content = block.html  # expanded rich text (editor HTML)
        elif kind == "list":
            tag = "ol" if block.ordered else "ul"
            items = "".join(f"<li>{escape(item)}</li>" for item in block.items)
            content = f"<{tag}>{items}</{tag}>"
        elif kind == "table":
            content = self.table(block)
        else:
            content = ""
        return (
            f'<div class="passage passage--{role}{extra}" '
            f'id="p-{escape(block.block_id)}"{note}>\n'
            f"{content}\n"
            f"{self.evidence(block, card=True)}\n"
            "</div>\n"
        )

    def block(self, block: BlockView) -> str:
        if block.kind == "heading":
            tag = "h3" if block.level == "h3" else "h2"
            return f"<{tag}>{escape(block.text)}</{tag}>\n"
        if block.kind == "study":
            return self.study(block)
        return self.passage(block)


def body_html(blocks: list[BlockView]) -> SafeString:
    """The article body: every passage with its markers, badge, card and flags."""
    renderer = _BodyRenderer()
    return mark_safe(  # noqa: S308 (built from escaped parts)
        "".join([renderer.block(block) for block in blocks])
    )


# References --------------------------------------------------------------------


def reference_html(ref: Reference, s: dict) -> str:
    """One entry of the reference list: AMA text, warning, facts, links."""
    source = ref.source
    retracted = " reference--retracted" if source.is_retracted else ""
    warning = retraction_warning(source, s)
    if warning:
        notice = (
            f' <a href="{escape(source.retraction_notice_url)}">'
            f"{s['Read the notice']}</a>"
            if source.retraction_notice_url
            else ""
        )
        warning = (
            f'<p class="reference__warning"><strong>{s["Warning:"]}</strong> '
            f"{warning}{notice}</p>\n"
        )
    links = []
    if source.doi:
        links.append(
            f'<a href="{escape(source.doi_url)}">DOI: {escape(source.doi)}</a>'
        )
    if source.pmid:
        links.append(
            f'<a href="{escape(source.pubmed_url)}">PubMed: {escape(source.pmid)}</a>'
        )
    if not source.doi and not source.pmid and source.url:
        links.append(f'<a href="{escape(source.url)}">{s["Read the source"]}</a>')
    links_html = "\n".join(links)
    return (
        f'<li id="{ref.anchor}" tabindex="-1" class="reference{retracted}">\n'
        f'<p class="reference__citation">{ref.html}</p>\n'
        f"{warning}"
        f"{ref.facts_html}\n"
        f'<p class="reference__links">\n{links_html}\n</p>\n'
        "</li>\n"
    )


def references_html(references: list[Reference]) -> SafeString:
    """The numbered reference list's entries (the <li>s of its <ol>)."""
    s = current_strings()
    return mark_safe(  # noqa: S308 (built from escaped parts)
        "".join([reference_html(ref, s) for ref in references])
    )
