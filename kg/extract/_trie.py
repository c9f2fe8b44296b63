"""Word lists as trie-shaped regular expressions.

``re`` tries the branches of an alternation one after the other at every
position of the text, so a list of a few thousand names costs thousands of
tries per word start (and case-insensitive branches skip none of them
cheaply). :func:`trie_alternation` writes the same list as a trie
(``Open(?:AI|Hermes)``), which the engine walks in one pass per position.

The trie matches exactly what ``"|".join(re.escape(w) for w in words)``
matches when the words are ordered longest first, as
:func:`kg.extract.patterns._alternation` orders them: all words that can
match at one position are prefixes of each other, hence lie on one path of
the trie, and the trie tries longer words before shorter ones, so the
engine meets the same candidates in the same order and backtracks the same
way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["longest_first", "trie_alternation"]


def longest_first(words: list[str]) -> str:
    """The plain alternation of ``words``, longest first (ties alphabetical)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda s: (-len(s), s)))


@dataclass(slots=True)
class _Node:
    end: bool = False
    #: key -> (character written in the pattern, subtree)
    children: dict[str, tuple[str, _Node]] = field(default_factory=dict)


def _key(ch: str, ignorecase: bool) -> str:
    if not ignorecase:
        return ch
    low = ch.lower()
    return low if len(low) == 1 else ch


def _keys_exact(chars: set[str]) -> bool:
    """Whether, under ``re.IGNORECASE``, two characters match each other exactly when their keys are equal.

    ASCII letters always do; a few non-ASCII letters have case partners with another lower case
    (the long s, the Kelvin sign), which the check finds by asking ``re`` itself.
    """
    odd = [c for c in chars if not c.isascii()]
    if not odd:
        return True
    for a in odd:
        for b in chars:
            if a == b:
                continue
            same_key = _key(a, True) == _key(b, True)
            matches = re.fullmatch(re.escape(a), b, re.IGNORECASE) is not None
            if same_key != matches:
                return False
    return True


def _pattern(node: _Node) -> str:
    chain: list[str] = []
    while not node.end and len(node.children) == 1:  # a run of single letters: no group needed
        ch, node = next(iter(node.children.values()))
        chain.append(re.escape(ch))
    alts = [re.escape(ch) + _pattern(child) for ch, child in node.children.values()]
    if node.end:
        alts.append("")  # the shorter word only after every longer one failed
    if len(alts) == 1:
        return "".join(chain) + alts[0]
    return "".join(chain) + "(?:" + "|".join(alts) + ")"


def trie_alternation(words: list[str], *, ignorecase: bool = False) -> str:
    """A pattern matching what :func:`longest_first` of ``words`` matches, written as a trie.

    Args:
        words: the literal words (duplicates are fine).
        ignorecase: the pattern is compiled with ``re.IGNORECASE`` (or sits in a ``(?i:...)`` group);
            words differing only by case then share a branch.

    Falls back to :func:`longest_first` in the rare case-insensitive lists whose characters the
    trie cannot key safely (see :func:`_keys_exact`), and for an empty list.
    """
    unique = sorted(set(words), key=lambda s: (-len(s), s))
    if not unique or (ignorecase and not _keys_exact({ch for w in unique for ch in w})):
        return longest_first(words)
    root = _Node()
    for word in unique:
        node = root
        for ch in word:
            k = _key(ch, ignorecase)
            if k not in node.children:
                node.children[k] = (ch, _Node())
            node = node.children[k][1]
        node.end = True
    pattern = _pattern(root)
    return pattern if pattern else longest_first(words)
