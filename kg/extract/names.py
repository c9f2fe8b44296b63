"""The spans a document's cues fell on, and the names a document repeats.

:class:`Slot` gathers all cues on one token span. After the entity component
has chosen its spans, :func:`propagate` types later bare repetitions of a name
(or of its short form), :func:`short_forms` links "Nous" to "Nous Research"
and "Keller" to "Jim Keller", and :func:`acronyms` links "GDM" to "Google
DeepMind (GDM)" and its later uses.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from kg.extract.patterns import ORG_LEADS
from kg.extract.vocab import Vocabulary, norm

__all__ = ["MIN_WEIGHT", "PROPER_TAGS", "STRONG", "Slot", "acronyms", "propagate", "short_forms"]

MIN_WEIGHT = 1.0
STRONG = 2.5
PROPER_TAGS = frozenset({"NNP", "NNPS"})


@dataclass
class Slot:
    """All cues that fell on one token span."""

    start: int  # token indices
    end: int
    weights: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    rules: list[str] = field(default_factory=list)
    canonical: str = ""
    hard: bool = False
    #: types with evidence beyond the statistical NER (vocabulary, pattern, context)
    cued: set[str] = field(default_factory=set)

    @property
    def total(self) -> float:
        return max(self.weights.values(), default=0.0)

    @property
    def type(self) -> str:
        return max(sorted(self.weights), key=lambda t: self.weights[t])


def short_names(chosen: list[Slot], types: dict[str, str], doc: Doc, vocab: Vocabulary) -> dict[str, tuple[str, str]]:
    """Short forms a document may use after a full name: the first word of an organisation
    ("Nous" for "Nous Research"), the family name of a person ("Keller" for "Jim Keller")."""
    out: dict[str, tuple[str, str]] = {}
    for slot in chosen:
        text = doc[slot.start : slot.end].text
        etype = types.get(norm(text), slot.type)
        words = text.split()
        if slot.hard or len(words) < 2 or etype not in ("Organization", "Person"):
            continue
        short = words[0] if etype == "Organization" else words[-1]
        if len(short) < 3 or not short[:1].isupper() or doc.vocab[short.lower()].is_stop:
            continue
        if norm(short) in vocab.by_norm or short in ORG_LEADS or short in vocab.countries or short in vocab.demonyms:
            continue
        out.setdefault(short, (etype, text))
        if etype == "Organization":
            out.setdefault(short.upper(), (etype, text))  # "NOUS" for "Nous Research"
    return out


def propagate(chosen: list[Slot], kept: list[Slot], types: dict[str, str], doc: Doc, vocab: Vocabulary, *,
              text: str | None = None) -> list[Slot]:
    """Later bare repetitions of a recognised name (or of its short form) get the same type
    (``text`` is ``doc.text`` when the caller has it)."""
    names = {doc[s.start : s.end].text for s in chosen if not s.hard}
    names |= {doc[s.start : s.end].text for s in kept if "title-prefix" in s.rules}
    names = {n for n in names if len(n) >= 3 and any(ch.isupper() for ch in n)}
    shorts = {k: v for k, v in short_names(chosen, types, doc, vocab).items() if k not in names}
    if not names and not shorts:
        return chosen
    alts = sorted(names | set(shorts), key=len, reverse=True)
    rx = re.compile(r"(?<![\w\-])(" + "|".join(re.escape(n) for n in alts) + r")(?![\w\-]|\.\w)")
    taken = [False] * len(doc)
    for s in chosen:
        for i in range(s.start, s.end):
            taken[i] = True
    extra: list[Slot] = []
    for m in rx.finditer(doc.text if text is None else text):
        span = doc.char_span(m.start(1), m.end(1))
        if span is None or any(taken[span.start : span.end]):
            continue
        slot = Slot(span.start, span.end)
        if m.group(1) in shorts:
            if span[0].tag_ not in PROPER_TAGS:
                continue
            etype, full = shorts[m.group(1)]
            slot.weights[etype] = MIN_WEIGHT
            slot.canonical = full
            slot.rules.append("short-form")
        else:
            slot.weights[types[norm(m.group(1))]] = MIN_WEIGHT
            slot.rules.append("repeated")
        extra.append(slot)
        for i in range(span.start, span.end):
            taken[i] = True
    return sorted([*chosen, *extra], key=lambda s: s.start)


_ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z0-9&\-]{1,9})\)")


def _is_acronym_of(acr: str, full: str) -> bool:
    caps = [ch for ch in full if ch.isupper()]
    letters = [ch for ch in acr if ch.isalpha()]
    if len(letters) < 2 or not caps or letters[0].upper() != caps[0]:
        return False
    it = iter(caps)
    return all(ch.upper() in it for ch in letters)


def short_forms(doc: Doc, chosen: list[Slot], labels: dict[int, str], canon: dict[int, str], vocab: Vocabulary) -> None:
    """"Nous" after "Nous Research", "Keller" after "Jim Keller": the short form names the full one."""
    full: dict[str, tuple[str, str]] = {}
    for slot in chosen:
        etype = labels[slot.start]
        words = doc[slot.start : slot.end].text.split()
        if len(words) < 2 or etype not in ("Organization", "Person") or slot.hard:
            continue
        for w in [words[0]] if etype == "Organization" else [words[0], words[-1]]:
            full.setdefault(w.casefold(), (etype, " ".join(words)))
    for slot in chosen:
        text = doc[slot.start : slot.end].text
        if slot.start in canon or " " in text or norm(text) in vocab.by_norm or text.casefold() not in full:
            continue
        etype, long = full[text.casefold()]
        if text not in long.split() and not text.isupper():  # "NOUS" for "Nous Research", not "nous"
            continue
        if labels[slot.start] == etype or slot.total < STRONG:
            labels[slot.start] = etype
            canon[slot.start] = long


def acronyms(doc: Doc, spans: list[Span], canon: dict[int, str], *, text: str | None = None) -> list[Span]:
    """"Google DeepMind (GDM)": the acronym and its later uses name the full form (``text`` is ``doc.text``
    when the caller has it)."""
    defined: dict[str, Span] = {}
    text = doc.text if text is None else text
    for span in spans:
        if span.label_ in ("Country", "Paper", "Person"):
            continue
        m = _ACRONYM.match(text, span.end_char)
        if m and _is_acronym_of(m.group(1), span.text) and m.group(1) != span.text:
            defined.setdefault(m.group(1), span)
    if not defined:
        return spans
    taken = {i for s in spans for i in range(s.start, s.end)}
    out = list(spans)
    for m in re.finditer(r"(?<![\w\-])(" + "|".join(map(re.escape, defined)) + r")(?![\w\-])", text):
        acr = doc.char_span(m.start(1), m.end(1))
        if acr is None:
            continue
        full = defined[m.group(1)]
        if any(i in taken for i in range(acr.start, acr.end)):
            old = next((s for s in out if s.start <= acr.start < s.end), None)
            if old is None or old.text != m.group(1):
                continue
            out.remove(old)
        new = Span(doc, acr.start, acr.end, label=full.label_)
        new._.aikg_rule = "acronym"
        new._.aikg_confidence = full._.aikg_confidence
        canon[new.start] = canon.get(full.start, full.text)
        out.append(new)
        taken.update(range(acr.start, acr.end))
    return sorted(out, key=lambda s: s.start)
