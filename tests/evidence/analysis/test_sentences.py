import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence.analysis.sentences import (
    MAX_SENTENCE_CHARS,
    sentence_spans,
    split_sentences,
)


def texts(text):
    return [sentence for sentence, _start, _end in split_sentences(text)]


def test_abbreviations_initials_and_decimals_do_not_end_a_sentence():
    text = (
        "Martens et al. (2018) gave 1.5 mg of NR daily. "
        "E.g. Dr. Smith saw a 2.5% rise vs. placebo. J. Lee agreed. Next one."
    )
    assert texts(text) == [
        "Martens et al. (2018) gave 1.5 mg of NR daily.",
        "E.g. Dr. Smith saw a 2.5% rise vs. placebo.",
        "J. Lee agreed.",
        "Next one.",
    ]


def test_offsets_point_into_the_text():
    text = "  One claim here.  Two?\n\nThree!  "
    for sentence, start, end in split_sentences(text):
        assert text[start:end] == sentence
    assert texts(text) == ["One claim here.", "Two?", "Three!"]


def test_line_breaks_end_sentences_unless_the_line_wraps():
    text = (
        "Reduced Inflammation\nNAD+ lowers markers of\ninflammation in adults."
        "\n- Boosts energy"
    )
    assert texts(text) == [
        "Reduced Inflammation",
        "NAD+ lowers markers of\ninflammation in adults.",
        "- Boosts energy",
    ]


def test_quotes_and_brackets_close_with_their_sentence():
    assert texts('He said "zinc works." Then (it did.) Done') == [
        'He said "zinc works."',
        "Then (it did.)",
        "Done",
    ]


def test_lower_case_after_a_full_stop_continues_the_sentence():
    assert texts("Take approx. two tablets. then rest") == [
        "Take approx. two tablets. then rest"
    ]


def test_long_run_without_full_stop_is_cut_into_bounded_pieces():
    text = "word " * 2000
    spans = sentence_spans(text)
    assert len(spans) > 1
    assert all(end - start <= MAX_SENTENCE_CHARS for start, end in spans)
    assert "".join(text[s:e] for s, e in spans).replace(" ", "") == text.replace(
        " ", ""
    )
    unbroken = "x" * (MAX_SENTENCE_CHARS * 3 + 5)
    assert [e - s for s, e in sentence_spans(unbroken)] == [
        MAX_SENTENCE_CHARS,
        MAX_SENTENCE_CHARS,
        MAX_SENTENCE_CHARS,
        5,
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_empty_text_has_no_sentences(text):
    assert split_sentences(text) == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab A.?!\n\"')(et al"), max_size=300))
def test_every_sentence_is_a_trimmed_slice_in_order(text):
    previous_end = 0
    for sentence, start, end in split_sentences(text):
        assert sentence == text[start:end]
        assert sentence == sentence.strip()
        assert sentence
        assert start >= previous_end
        assert end - start <= MAX_SENTENCE_CHARS
        previous_end = end
    covered = "".join(s for s, _a, _b in split_sentences(text))
    assert "".join(covered.split()) == "".join(text.split())
