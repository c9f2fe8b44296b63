"""The tokenizer's extra prefix and suffix searches match exactly what the recompiled alternations would."""

from __future__ import annotations

import pickle
import re
from functools import cache

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.lang.en import English

from kg.nlp import GLUED_PREFIX, VERSION_PERIOD_SUFFIX, PrefixSearch, SuffixSearch, prefix_with, suffix_with

MANY = settings(max_examples=1500, deadline=None, database=None)

FRAGMENTS = [
    "more", "here", "More", "moreEmu3", "hereX", "here\u03c0", "Wombat-2", "13B", "7b.", "v2.", "3.5", "B.", "e.g.",
    "U.S.", "...", "'s", "n't", "$", "US$", "%", "\u00b0C", "km", "(", ")", "[", "]", "{", "}", "\"", "'", "`",
    "\u201c", "\u201d", "\u2018", "\u2019", "\u2014", "-", "--", ",", ";", ":", "!", "?", "\u00bf", "\u00a1", "#", "&",
    "*", "/", "\\", "+", "=", "<", ">", "\u2026", "\u00a3", "\u20ac", "\u00a7", ".", "..", " ", "a", "Z", "0", "9",
    "\u00e9", "\u0416", "\u4e2d", "\U0001f916", "\u0301",
]
texts = (
    st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join)
    | st.text(alphabet=st.sampled_from("mohreAZaz09.-'\")(,$%\u03c0\u00e9 "), max_size=12)
    | st.text(max_size=10)
)


@cache
def _english() -> type:
    return English.Defaults


@cache
def _prefix_pair() -> tuple[object, re.Pattern[str]]:
    prefixes = list(_english().prefixes)
    original = spacy.util.compile_prefix_regex(prefixes)
    return prefix_with(original.search, prefixes, GLUED_PREFIX), spacy.util.compile_prefix_regex([*prefixes, GLUED_PREFIX])


@cache
def _suffix_pair() -> tuple[object, re.Pattern[str]]:
    suffixes = list(_english().suffixes)
    original = spacy.util.compile_suffix_regex(suffixes)
    return suffix_with(original.search, suffixes, VERSION_PERIOD_SUFFIX), spacy.util.compile_suffix_regex(
        [*suffixes, VERSION_PERIOD_SUFFIX]
    )


def _span(match: re.Match[str] | None) -> tuple[int, int] | None:
    return None if match is None else match.span()


@MANY
@given(text=texts)
def test_prefix_search_matches_the_recompiled_alternation(text: str) -> None:
    search, combined = _prefix_pair()
    assert isinstance(search, PrefixSearch)
    assert _span(search(text)) == _span(combined.search(text))


@MANY
@given(text=texts)
def test_suffix_search_matches_the_recompiled_alternation(text: str) -> None:
    search, combined = _suffix_pair()
    assert isinstance(search, SuffixSearch)
    assert _span(search(text)) == _span(combined.search(text))


@pytest.mark.parametrize(
    ("text", "prefix", "suffix"),
    [("moreEmu3", (0, 4), None), ("(moreX", (0, 1), None), ("13B.", None, (3, 4)), ("Wombat-2.", None, (8, 9)),
     ("7b).", (0, 0), (3, 4)), ("here", None, None), ("'s", (0, 1), (0, 2))],
)
def test_known_cases(text: str, prefix: tuple[int, int] | None, suffix: tuple[int, int] | None) -> None:
    p_search, p_combined = _prefix_pair()
    s_search, s_combined = _suffix_pair()
    assert _span(p_search(text)) == _span(p_combined.search(text))
    assert _span(s_search(text)) == _span(s_combined.search(text))
    if prefix is not None and prefix != (0, 0):
        assert _span(p_search(text)) == prefix
    if suffix is not None:
        assert _span(s_search(text)) == suffix


def test_the_extra_piece_wins_where_only_it_matches_and_loses_ties() -> None:
    original = re.compile(r"^a|^b")
    search = PrefixSearch(original, re.compile(r"^ab"), None)  # type: ignore[arg-type]
    assert search("ab").span() == (0, 1)  # the original's "^a" comes first in the alternation
    assert search("xab") is None
    suffix = SuffixSearch(re.compile(r"c$"), re.compile(r"bc$"), None)  # type: ignore[arg-type]
    assert suffix("abc").span() == (1, 3)  # leftmost start wins
    assert SuffixSearch(re.compile(r"bc$"), re.compile(r"c$"), None)("abc").span() == (1, 3)  # type: ignore[arg-type]


def test_an_unfamiliar_original_is_compiled_again() -> None:
    prefixes = list(_english().prefixes)
    search = prefix_with(re.compile("^x").search, prefixes, GLUED_PREFIX)
    assert not isinstance(search, PrefixSearch)
    assert search.__self__.pattern == spacy.util.compile_prefix_regex([*prefixes, GLUED_PREFIX]).pattern  # type: ignore[attr-defined]


def test_serialised_pattern_is_the_combined_one_and_searches_pickle() -> None:
    for search, combined in (_prefix_pair(), _suffix_pair()):
        assert search.__self__.pattern == combined.pattern  # type: ignore[attr-defined]
        again = pickle.loads(pickle.dumps(search))
        assert _span(again("moreX13B.")) == _span(combined.search("moreX13B."))
