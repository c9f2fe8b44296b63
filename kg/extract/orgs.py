"""Organisation names by their shape: "X University", "University of X", "X Labs", "X Inc".

:func:`org_shape_cues` is a pure finder like those of :mod:`kg.extract.patterns`.
A run of capitalised words is cut into the names it holds: after "at"
("researchers at X"), at "and" between two names ("University of Edinburgh and
Samsung", but not "Institute for Law and Robots"), after a known owner's
possessive, and without a leading place descriptor ("Stockholm-based").
"""

from __future__ import annotations

import re

from kg.extract.patterns import _W, BARE_LEADS, ORG_HEADS, ORG_LEADS, WEAK_ORG_HEADS, Cue
from kg.extract.places import is_place_name
from kg.extract.vocab import Vocabulary, norm

__all__ = ["COMPANY_SUFFIXES", "org_shape_cues"]


def org_shape_cues(text: str, vocab: Vocabulary) -> list[Cue]:
    """Capitalised names with an organisation head: "X University", "University of X", "X Labs", "X Inc"."""
    out: list[Cue] = []
    for m in _ORG_NAME.finditer(text):
        start, words = _after_place_descriptor(*_after_at(m.start(), m.group().split(" ")))
        for s0, part0 in _org_parts(start, words, vocab):
            s, part = _after_known_owner(s0, part0, vocab)  # per conjunct: "A's X Lab and B's Y Labs"
            if not part or part[0] in vocab.demonyms and len(part) == 2 and part[-1] in WEAK_ORG_HEADS:
                continue
            if len(part) == 2 and part[-1] in WEAK_ORG_HEADS and _place(part[0], vocab) and _ORG_NOUN_AFTER.match(text, s + len(" ".join(part))):
                continue  # "a Tokyo AI lab", "the Paris AI startup": a place describing an organisation noun
            if 2 <= len(part) <= 3 and _place(part[-1], vocab) and all(w in ORG_HEADS for w in part[:-1]):
                out.append(Cue(s, s + len(" ".join(part)), "Organization", 2.6, "org:head+place"))  # "AI Singapore"
                continue
            if len(part) == 2 and part[1] in COMPANY_SUFFIXES and vocab.by_norm.get(norm(part[0]), ("",))[0] == "Organization":
                # "Reka AI": a known lab plus a company suffix is the lab's full name, longer than the vocabulary's
                out.append(Cue(s, s + len(" ".join(part)), "Organization", 3.0, "org:known+suffix"))
                continue
            out.extend(_org_shape(s, part))
    for m in _BENCH_SHAPE.finditer(text):
        out.append(Cue(m.start(), m.end(), "Benchmark", 2.5, "benchmark:shape"))
    return out


def _after_known_owner(start: int, words: list[str], vocab: Vocabulary) -> tuple[int, list[str]]:
    """"Huawei's Noah's Ark Lab": a known owner before a possessive is a name of its own;
    an unknown one is part of the name when two more words follow ("Noah's Ark Lab", not "Today's AI")."""
    for i, w in enumerate(words[:-1]):
        owner = _POSSESSIVE.sub("", w)
        if owner == w:
            continue
        # a known owner, a multi-word owner ("Mira Murati's Thinking Machines Lab"), or a short remainder
        if norm(" ".join([*words[:i], owner])) in vocab.by_norm or i >= 1 or len(words) - i - 1 < 2:
            return start + len(" ".join(words[: i + 1])) + 1, words[i + 1 :]
    return start, words


def _after_at(start: int, words: list[str]) -> tuple[int, list[str]]:
    """"Researchers at Stanford University" names "Stanford University" ("University at Buffalo" stays whole)."""
    if "at" not in words[1:-1] or words[0] in ORG_LEADS:
        return start, words
    i = len(words) - 1 - words[::-1].index("at")
    return start + len(" ".join(words[: i + 1])) + 1, words[i + 1 :]


_POSSESSIVE = re.compile(r"(?:'s|\u2019s)$")
#: a place descriptor glued to the name that follows it: "Stockholm-based", "Paris-headquartered"
_PLACE_DESCRIPTOR = re.compile(r"[A-Z][\w.]*-(?:based|headquartered)")
#: a lower-case organisation noun right after a name ("Tokyo AI lab"): the name is a descriptor
_ORG_NOUN_AFTER = re.compile(r"[ ](?:startups?|labs?|compan(?:y|ies)|firms?|developers?|makers?|groups?|unicorns?)\b")


def _place(word: str, vocab: Vocabulary) -> bool:
    return word in vocab.countries or is_place_name(word)


def _after_place_descriptor(start: int, words: list[str]) -> tuple[int, list[str]]:
    """"Stockholm-based Halcyon Labs" names "Halcyon Labs": the place and its "-based" are no part of the name."""
    last = max((i for i, w in enumerate(words) if _PLACE_DESCRIPTOR.fullmatch(w)), default=-1)
    if last < 0 or last == len(words) - 1:
        return start, words  # nothing follows: not a descriptor of a name here
    return start + len(" ".join(words[: last + 1])) + 1, words[last + 1 :]


def _coordinated_lead(words: list[str], vocab: Vocabulary) -> int:
    """The index of the "and" that joins a lead-headed name to another name ("University of Edinburgh and
    Samsung"), else -1. The left name must end in a place after "of"/"at" and the right side must be a
    name (known, or capitalised words of its own), so "University of Science and Technology" stays one."""
    if "and" not in words:
        return -1
    i = words.index("and")
    left, right = words[:i], words[i + 1 :]
    conn = next((j for j, w in enumerate(left) if w in ("of", "at")), -1)
    if conn < 0 or not right:
        return -1
    known = vocab.by_norm.get(norm(" ".join(right)), ("",))[0] == "Organization"
    # a name of its own: "the University of York", "Quanta Labs" (a bare head word is no name: "... and Technology")
    shaped = len(right) >= 2 and right[0] not in ORG_HEADS and (right[0] in ORG_LEADS or right[-1] in ORG_HEADS)
    return i if known or shaped or _place(" ".join(left[conn + 1 :]), vocab) else -1


def _org_parts(start: int, words: list[str], vocab: Vocabulary) -> list[tuple[int, list[str]]]:
    """"Samsung Securities and AFW Partners" is two names; "Institute for Law and AI" is one."""
    lead = words[1] if words[0] in ("The", "A", "An") and len(words) > 1 else words[0]
    if lead in ORG_LEADS:
        i = _coordinated_lead(words, vocab)
        if i < 0:
            return [(start, words)]
        offset = start + len(" ".join(words[: i + 1])) + 1
        return [(start, words[:i]), *_org_parts(offset, words[i + 1 :], vocab)]
    if "and" not in words:
        return [(start, words)]
    parts: list[tuple[int, list[str]]] = []
    cur: list[str] = []
    pos = start
    for w in [*words, "and"]:
        if w == "and":
            if cur:
                parts.append((pos, cur))
            pos += len(" ".join(cur)) + len(" and ") if cur else len("and ")
            cur = []
        else:
            cur.append(w)
    return parts


def _org_shape(start: int, words: list[str]) -> list[Cue]:
    end = start + len(" ".join(words))
    if len(words) > 1 and words[0] in ("The", "A", "An"):
        start += len(words[0]) + 1
        words = words[1:]
    if len(words) < 2:
        return []
    last = words[-1].rstrip(".")
    if words[0] in ORG_LEADS and words[1] in ("of", "for", "de", "at") or words[0] in BARE_LEADS:
        return [Cue(start, end, "Organization", 2.5, "org:lead")]
    if len(words) == 2 and last in WEAK_ORG_HEADS and (words[0].endswith("ing") or words[0] in _REGIONAL):
        return []  # "Scaling AI", "European AI", "Chinese AI": a phrase, not a name
    if last in ORG_HEADS or words[-1] in ORG_HEADS:
        return [Cue(start, end, "Organization", 2.0 if last in WEAK_ORG_HEADS else 2.5, "org:head")]
    if any(w in ORG_HEADS for w in words[1:-1]) and any(w in ("of", "for") for w in words):
        return [Cue(start, end, "Organization", 2.5, "org:inner-head")]
    return []


#: suffixes of a company's full name ("Reka AI", "Quanta Labs"), not of a division ("Google Research")
COMPANY_SUFFIXES = frozenset("AI Labs Lab Inc Inc. Corp Corp. Ltd Ltd.".split())
#: adjectives of regions and kinds that only describe a weak head ("European AI", "Generative AI")
_REGIONAL = frozenset(
    "European Asian African Western Eastern Northern Southern Latin Arab Nordic Global Generative Frontier "
    "Sovereign Responsible Open Agentic".split()
)
_WP = rf"{_W}(?:'s|\u2019s)?"  # a capitalised word, maybe possessive
_ORG_NAME = re.compile(rf"(?:{_WP}(?=[ ][A-Z])|{_W})(?:[ ](?:of|for|de|at|the|and|on)[ ]{_W}|[ ]{_WP}(?=[ ][A-Z])|[ ]{_W})*")
_BENCH_SHAPE = re.compile(
    r"(?<![\w\-])[A-Z][\w\-]*(?:Bench|bench|Eval|eval|QA|Arena)(?:[- ](?:Hard|Verified|Lite|Pro|Live)|-\d+)?(?![\w\-])"
)
