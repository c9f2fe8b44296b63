"""The trie-shaped alternation matches exactly what the plain longest-first alternation matches."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract._trie import longest_first, trie_alternation

#: the contexts the entity patterns put a word list in: bounded, followed by a suffix that may force
#: backtracking into a shorter word, captured
CONTEXTS = (
    r"(?<![\w\-.])({})(?![\w\-]|\.\w)",
    r"({})(\d*)x",
    r"(?:{})[ ]government",
    r"(?P<w>{})",
)

_alphabet = st.sampled_from(list("abAB-. 1\u017fkK\u212a\u00e9\u00c9"))
_words = st.lists(st.text(_alphabet, min_size=1, max_size=5), min_size=1, max_size=12)
_texts = st.text(st.sampled_from(list("abAB-. 1x\u017fkK\u212a\u00e9\u00c9gov")), max_size=60)


def _matches(pattern: str, text: str, flags: int) -> list[tuple[tuple[int, int], ...]]:
    rx = re.compile(pattern, flags)
    return [tuple(m.span(g) for g in range(rx.groups + 1)) for m in rx.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(words=_words, text=_texts, ignorecase=st.booleans(), context=st.sampled_from(CONTEXTS))
def test_same_matches_as_plain_alternation(words: list[str], text: str, ignorecase: bool, context: str) -> None:
    flags = re.IGNORECASE if ignorecase else 0
    plain = context.format(longest_first(words))
    trie = context.format(trie_alternation(words, ignorecase=ignorecase))
    for sample in (text, " ".join(words) + " " + text, "-".join(words) + "x"):
        assert _matches(trie, sample, flags) == _matches(plain, sample, flags)


@pytest.mark.parametrize(
    ("words", "text", "expected"),
    [
        (["Open", "OpenAI", "OpenAI Five"], "OpenAI Fiver and OpenAI Five", ["OpenAI", "OpenAI Five"]),
        (["gpt", "GPT-4"], "Gpt-4 gpt-4o", ["Gpt-4"]),
    ],
)
def test_backtracks_to_the_shorter_word(words: list[str], text: str, expected: list[str]) -> None:
    rx = re.compile(r"(?<![\w\-.])({})(?![\w\-]|\.\w)".format(trie_alternation(words, ignorecase=True)), re.IGNORECASE)
    assert [m.group(1) for m in rx.finditer(text)] == expected


def test_shares_prefixes() -> None:
    assert trie_alternation(["OpenAI", "OpenHermes", "Open"]) == "Open(?:Hermes|AI|)"


def test_case_partners_with_other_lower_case_fall_back_to_the_plain_list() -> None:
    # the long s matches "s" case-insensitively although its lower case differs
    words = ["s1", "\u017f2"]
    assert trie_alternation(words, ignorecase=True) == longest_first(words)
    assert trie_alternation(words) != longest_first(words)


def test_empty_list() -> None:
    assert trie_alternation([]) == longest_first([]) == ""
