"""The binary-file test of ingest: which characters count, and where the thresholds fall."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.ingest import decode_bytes
from kg.ingest._files import _mostly_binary

FAST = settings(max_examples=300, deadline=None, database=None)


def _control_by_category(sample: str) -> int:
    """The reference definition: Unicode category Cc, minus the four whitespace controls."""
    return sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")


def _binary_by_definition(sample: str) -> bool:
    if not sample:
        return False
    share = _control_by_category(sample) / len(sample)
    return share > 0.1 or sample.count("\ufffd") / len(sample) > 0.3


low_codepoints = st.characters(min_codepoint=0, max_codepoint=0x2FF, exclude_categories=("Cs",))
any_codepoint = st.characters(exclude_categories=("Cs",))


@FAST
@given(sample=st.text(alphabet=low_codepoints, max_size=200) | st.text(alphabet=any_codepoint, max_size=200))
def test_mostly_binary_agrees_with_the_category_definition(sample: str) -> None:
    assert _mostly_binary(sample) == _binary_by_definition(sample)


@pytest.mark.parametrize("code", range(0x00, 0x200))
def test_every_low_codepoint_counts_as_control_exactly_when_its_category_is_cc(code: int) -> None:
    ch = chr(code)
    # one character among nine letters is a 10 % share: exactly at the threshold, so not binary;
    # among eight letters (11 %) it is binary when, and only when, it counts as a control character
    assert _mostly_binary(ch + "a" * 9) is False
    assert _mostly_binary(ch + "a" * 8) is (_control_by_category(ch) == 1)


@pytest.mark.parametrize(
    ("controls", "letters", "binary"),
    [(10, 90, False), (11, 89, True), (1, 9, False), (0, 100, False), (100, 0, True)],
)
def test_control_share_threshold_in_decode_bytes(controls: int, letters: int, binary: bool) -> None:
    raw = b"\x01" * controls + b"x" * letters
    if binary:
        with pytest.raises(InputError, match="binary file, not text: mostly control characters"):
            decode_bytes(raw, source="t.txt")
    else:
        assert decode_bytes(raw, source="t.txt") == raw.decode("ascii")


@pytest.mark.parametrize(("bad", "good", "binary"), [(3, 7, False), (30, 70, False), (4, 6, True), (31, 69, True)])
def test_undecodable_share_threshold_in_decode_bytes(bad: int, good: int, binary: bool) -> None:
    raw = b"\xff" * bad + b"x" * good
    expected = "binary file, not text: mostly non-text bytes" if binary else "encoding is not UTF-8: invalid byte 0xff"
    with pytest.raises(InputError, match=expected):
        decode_bytes(raw, source="t.txt")


def test_whitespace_controls_never_count() -> None:
    assert decode_bytes(b"a" + b"\t\n\r\x0c" * 50, source="t.txt").startswith("a\t")
    with pytest.raises(InputError, match="mostly control characters"):
        decode_bytes(b"a" + b"\x0b" * 50, source="t.txt")
