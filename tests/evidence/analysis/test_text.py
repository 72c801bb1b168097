import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence.analysis.text import (
    _INVISIBLE_RE,
    fold_lookalikes,
    normalise,
    plain_value,
    table_row_text,
    table_sentences,
    text_from_html,
)


def test_nfkc_turns_compatibility_forms_into_plain_letters():
    found = normalise("\uff36itamin\u00a0C \ufb01ghts colds")
    assert found.text == "Vitamin C fights colds"
    assert not found.suspicious


@pytest.mark.parametrize(
    "invisible",
    ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\x00"],
)
def test_invisible_characters_are_removed_and_reported(invisible):
    found = normalise(f"NAD+ re{invisible}verses ageing.")
    assert found.text == "NAD+ reverses ageing."
    assert found.folded == found.text
    assert found.invisible == (invisible,)
    assert found.suspicious


def test_invisible_names_say_what_was_hidden():
    found = normalise("a\u200bb\u200bc\u00ad")
    assert found.invisible_names() == ["ZERO WIDTH SPACE", "SOFT HYPHEN"]


def test_every_format_character_counts_as_invisible():
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) == "Cf":
            assert _INVISIBLE_RE.fullmatch(char), f"U+{code:04X}"


def test_cyrillic_lookalikes_inside_latin_words_are_flagged_and_folded():
    found = normalise("Ozone therapy \u0441ures Lyme disease in Vit\u0430min form.")
    assert found.mixed_script == ("\u0441ures", "Vit\u0430min")
    assert found.text.startswith("Ozone therapy \u0441ures")
    assert found.folded == "Ozone therapy cures Lyme disease in Vitamin form."
    assert len(found.folded) == len(found.text)
    assert found.suspicious


def test_greek_lookalike_capitals_are_folded():
    assert fold_lookalikes("\u039fmega-3 \u03a1ills") == "Omega-3 Pills"


def test_honest_greek_letters_and_other_scripts_are_left_alone():
    found = normalise(
        "5 \u03bcg of \u03b2-carotene; \u041c\u043e\u0441\u043a\u0432\u0430 is a city."
    )
    assert found.mixed_script == ()
    assert found.folded == found.text
    russian = normalise("\u0412\u0438\u0442\u0430\u043c\u0438\u043d \u0441\u043e\u043a")
    assert russian.mixed_script == ()


def test_all_lookalike_word_in_english_text_is_flagged():
    found = normalise("Drink \u0441\u043e\u0441\u043e\u0430 to cure colds.")
    assert found.mixed_script == ("\u0441\u043e\u0441\u043e\u0430",)
    assert found.folded == "Drink cocoa to cure colds."


def test_line_breaks_are_unified():
    assert normalise("one\r\ntwo\rthree\u2028four").text == "one\ntwo\nthree\nfour"


def test_rich_text_reads_as_the_page_shows_it():
    stored = (
        "<h2>Reduced Inflammation</h2><p>NAD+ &amp; sirtuins <b>reduce</b>"
        "&nbsp;inflammation.</p><ul><li>First</li><li>&lt;Cures arthritis&gt;"
        "</li></ul><p>a < b and 3 <4</p><script>alert(1)</script>"
    )
    assert text_from_html(stored) == (
        "Reduced Inflammation\n\nNAD+ & sirtuins reduce inflammation.\n\n"
        "First\n\n<Cures arthritis>\n\na < b and 3 <4"
    )


def test_rich_text_line_breaks_and_invisible_characters():
    stored = "<p>Zinc sho\u200brtens<br/>colds.<!-- note --></p>"
    assert text_from_html(stored) == "Zinc shortens\ncolds."


def test_plain_values_are_never_read_as_tags():
    assert plain_value("<Cures arthritis>") == "<Cures arthritis>"
    assert plain_value("  Reverses\u200b memory loss  ") == "Reverses memory loss"


def test_table_row_is_read_with_its_header():
    assert (
        table_row_text(["Condition", "Effect"], ["Alzheimer's disease", "Reversed"])
        == "Condition: Alzheimer's disease; Effect: Reversed."
    )
    assert table_row_text(["Dose:", ""], ["5 mg", "daily"]) == "Dose: 5 mg; daily."
    assert table_row_text([], ["Asthma", None, "Cured!"]) == "Asthma; Cured!"
    assert table_row_text(["A"], ["", None]) == ""


def test_table_sentences_take_caption_and_header_row():
    rows = [["Condition", "Effect"], ["Asthma", "Cured"], ["Gout", "Reversed"]]
    assert table_sentences(rows, caption="What NAD+ does") == [
        "What NAD+ does",
        "Condition: Asthma; Effect: Cured.",
        "Condition: Gout; Effect: Reversed.",
    ]
    assert table_sentences(rows, first_row_is_header=False)[0] == ("Condition; Effect.")
    assert table_sentences([["Only", "header"]]) == ["Only; header."]
    assert table_sentences([]) == []


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_normalising_is_stable_and_keeps_folded_length(text):
    found = normalise(text)
    assert normalise(found.text).text == found.text
    assert len(found.folded) == len(found.text)
    assert not _INVISIBLE_RE.search(found.text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("<>/a !-&;p\n")))
def test_html_reading_never_fails(text):
    assert isinstance(text_from_html(text), str)
