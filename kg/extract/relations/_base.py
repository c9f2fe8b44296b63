"""Shared machinery of the relation rules: the section context, lexicons,
entity lookup, coordinated lists, anaphora, hedges and candidate building.

Every rule module receives a :class:`Ctx` (one section's ``Doc`` plus where it
sits in the document) and returns ``Candidate`` records; nothing here mutates
the ``Doc``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.tokens import Doc, Span, Token

from kg.types import SIGNATURES, Candidate, Evidence

#: parts of speech of verbs (as :func:`kg.extract.relations._frames.is_verb` reads them)
VERBISH = frozenset({"VERB", "AUX"})

if not Span.has_extension("canonical"):
    Span.set_extension("canonical", default=None)

#: tokens allowed between the members of a list of names ("A, B, and the C")
LIST_GLUE = frozenset({",", "and", "&", "the", "as", "well", "plus", "also", "both", "or", ";"})
#: entity types that may share a list of names (orgs and people co-author)
AGENT_TYPES = frozenset({"Organization", "Person", "Country"})
ARTIFACT_TYPES = frozenset({"Model", "Paper", "Benchmark"})


@lru_cache(maxsize=1)
def lexicon() -> dict[str, frozenset[str]]:
    """The trigger lexicons of ``kg/data/relation_triggers.json``."""
    text = resources.files("kg").joinpath("data/relation_triggers.json").read_text(encoding="utf-8")
    raw = json.loads(text)
    return {k: frozenset(w.lower() for w in v) for k, v in raw.items() if not k.startswith("_")}


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Demonym (or country adjective) -> country name, ``kg/data/relation_demonyms.tsv``."""
    text = resources.files("kg").joinpath("data/relation_demonyms.tsv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, _, country = line.partition("\t")
        table[word.strip().lower()] = country.strip()
    return table


def lex(name: str) -> frozenset[str]:
    return lexicon()[name]


def name_of(span: Span) -> str:
    """Surface name of an entity: its canonical form when the pipeline set one."""
    canonical = span._.canonical
    return str(canonical) if canonical else span.text


@dataclass(frozen=True, slots=True)
class Ref:
    """An entity a rule points at: a span of the section, maybe via anaphora."""

    span: Span
    via_anaphora: bool = False

    @property
    def type(self) -> str:
        return self.span.label_


@dataclass(frozen=True, eq=False)
class Ctx:
    """One section (headline + body) being read, and where it is in the document."""

    doc: Doc
    doc_id: str
    section_title: str
    offset: int
    ents: tuple[Span, ...] = ()
    by_token: dict[int, Span] = field(default_factory=dict)
    sents: tuple[Span, ...] = ()
    sent_index: dict[int, Span] = field(default_factory=dict)
    _verb_keys: dict[int, frozenset[str]] = field(default_factory=dict)
    #: :func:`low` of every token, by index (rules scan every token; a list lookup is far cheaper)
    lows: tuple[str, ...] = ()
    #: ``tok.lemma_.lower()`` of every token, by index
    lemmas: tuple[str, ...] = ()
    #: ``doc.text`` (a property that joins every token: read once)
    text: str = ""
    #: indexes of the tokens :func:`kg.extract.relations._frames.is_verb` accepts
    verbs: frozenset[int] = frozenset()
    #: per-section results of pure helpers, keyed by the helper (see :meth:`memo`)
    _memo: dict[Hashable, object] = field(default_factory=dict)

    @classmethod
    def build(cls, doc: Doc, *, doc_id: str, section_title: str, offset: int) -> Ctx:
        ents = tuple(doc.ents)
        by_token = {i: e for e in ents for i in range(e.start, e.end)}
        lows: list[str] = []
        lemmas: list[str] = []
        spaces: list[bool] = []
        verbs: set[int] = set()
        for t in doc:  # one pass: every Token object costs
            lows.append(t.text.lower())
            lemmas.append(t.lemma_.lower())
            spaces.append(t.is_space)
            if t.pos_ in VERBISH or t.tag_.startswith("VB"):
                verbs.add(t.i)
        sents = tuple(_split_lines(doc, lows, spaces))
        sent_index = {i: s for s in sents for i in range(s.start, s.end)}
        return cls(doc, doc_id, section_title, offset, ents, by_token, sents, sent_index, lows=tuple(lows),
                   lemmas=tuple(lemmas), verbs=frozenset(verbs), text=doc.text)

    def has_verb_key(self, tok: Token, triggers: frozenset[str]) -> bool:
        """``bool(self.verb_keys(tok) & triggers)``, ruling out at once the tokens whose lemma and
        lowercase form cannot start any key in ``triggers`` (see :func:`_key_heads`)."""
        heads = _key_heads(triggers)
        if self.lemmas[tok.i] not in heads and self.lows[tok.i] not in heads:
            return False
        return bool(self.verb_keys(tok) & triggers)

    def verbs_in(self, sent: Span) -> Iterator[Token]:
        """The verb tokens of a sentence, in order (what ``for t in sent: if is_verb(t)`` visits)."""
        doc, verbs = self.doc, self.verbs
        for i in range(sent.start, sent.end):
            if i in verbs:
                yield doc[i]

    def memo_get(self, key: Hashable) -> Any:
        """A per-section result stored by :meth:`memo_set` (``None`` when there is none)."""
        return self._memo.get(key)

    def memo_set(self, key: Hashable, value: object) -> None:
        self._memo[key] = value

    def lower_text(self, sent: Span) -> str:
        """``sent.text.lower()``, computed once per sentence."""
        key = ("lower_text", sent.start, sent.end)
        text = self._memo.get(key)
        if text is None:
            # Span.text is the document text between the span's first and last characters
            text = self._memo[key] = self.text[sent.start_char:sent.end_char].lower()
        return text  # type: ignore[return-value]

    def sent_of(self, item: Token | Span | int) -> Span:
        """The sentence (cut at line breaks too) holding a token or span."""
        i = item if isinstance(item, int) else (item.start if isinstance(item, Span) else item.i)
        return self.sent_index.get(i) or self.doc[i].sent

    def verb_keys(self, tok: Token) -> frozenset[str]:
        """:func:`verb_keys` of a token, computed once per section (every rule asks)."""
        keys = self._verb_keys.get(tok.i)
        if keys is None:
            keys = self._verb_keys[tok.i] = frozenset(verb_keys(tok))
        return keys

    def ent(self, tok: Token | int) -> Span | None:
        i = tok if isinstance(tok, int) else tok.i
        return self.by_token.get(i)

    def ents_in(self, start: int, end: int, types: frozenset[str] | None = None) -> list[Span]:
        return [e for e in self.ents if e.start >= start and e.end <= end and (types is None or e.label_ in types)]

    def before(self, i: int, types: frozenset[str]) -> list[Span]:
        """Entities of ``types`` that end at or before token ``i``, nearest last."""
        return [e for e in self.ents if e.end <= i and e.label_ in types]


@lru_cache(maxsize=256)
def _key_heads(triggers: frozenset[str]) -> frozenset[str]:
    """Every string a token's lemma or lowercase form must equal for one of :func:`verb_keys` to be in
    ``triggers``: a trigger itself (lemma or word), what follows a hyphen in it (the lemma of
    "open-source"), what precedes a space in it (the verb of "spin out")."""
    heads: set[str] = set()
    for t in triggers:
        heads.add(t)
        heads.update(t[j + 1:] for j, ch in enumerate(t) if ch == "-")
        heads.update(t[:j] for j, ch in enumerate(t) if ch == " ")
    return frozenset(heads)


def split_lines(doc: Doc) -> list[Span]:
    """The parser's sentences, also cut at line breaks (headlines, bullets and "Read more" lines
    are lines of their own in newsletters), without leading/trailing whitespace tokens."""
    return _split_lines(doc, [t.text for t in doc], [t.is_space for t in doc])


def _split_lines(doc: Doc, texts: Sequence[str], spaces: Sequence[bool]) -> list[Span]:
    """:func:`split_lines` given each token's text (or lowercase text) and ``is_space``, by index."""
    out: list[Span] = []
    for sent in doc.sents:
        start = sent.start
        for i in range(sent.start, sent.end):
            if "\n" in texts[i] and i + 1 < sent.end:
                out.append(doc[start:i + 1])
                start = i + 1
        out.append(doc[start:sent.end])
    trimmed: list[Span] = []
    for s in out:
        a, b = s.start, s.end
        while a < b and spaces[a]:
            a += 1
        while b > a and spaces[b - 1]:
            b -= 1
        if b > a:
            trimmed.append(doc[a:b])
    return trimmed


def low(tok: Token) -> str:
    return tok.text.lower()


def verb_key(tok: Token) -> str:
    """The lexicon key of a (possibly hyphenated or particle) verb token."""
    lemma = tok.lemma_.lower()
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 1].text in {"-", "\u2010"}:
        lemma = f"{doc[tok.i - 2].text.lower()}-{lemma}"
    return lemma


def verb_keys(tok: Token) -> set[str]:
    """Keys a token may match: lemma, hyphenated form, lowercase form, phrasal form."""
    keys = {verb_key(tok), tok.lemma_.lower(), low(tok)}
    for child in tok.children:
        if child.dep_ == "prt":
            keys.add(f"{tok.lemma_.lower()} {low(child)}")
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.dep_ in {"prt", "advmod", "prep"}:
        keys.add(f"{tok.lemma_.lower()} {low(nxt)}")
    return keys


def list_around(ctx: Ctx, span: Span, types: frozenset[str], *, limit: Span | None = None) -> list[Span]:
    """``span`` plus the entities coordinated with it by surface glue ("A, B and C").

    Only entities of ``types`` join the list; a parenthetical right after a
    member ("Eleos AI (a non-profit), NYU") is skipped. ``limit`` bounds the
    search (normally the sentence).
    """
    lo = limit.start if limit is not None else 0
    hi = limit.end if limit is not None else len(ctx.doc)
    members = [span]
    # rightwards
    i = span.end
    while i < hi:
        j, glued = _skip_glue(ctx.doc, i, hi)
        nxt = ctx.ent(j) if j < hi else None
        if nxt is not None and nxt.start == j and nxt.label_ not in types:
            nxt = _made_by(ctx, nxt, types)  # "A and OpenAI o1-mini": the model after its maker's name
        if not glued or nxt is None or nxt.start > j + 3 or nxt.label_ not in types:
            break
        members.append(nxt)
        i = nxt.end
    # leftwards
    i = span.start
    maker = _maker_of(ctx, span)
    if maker is not None and maker.start >= lo:
        i = maker.start
    while i > lo:
        j = i - 1
        glued = False
        while j >= lo and low(ctx.doc[j]) in LIST_GLUE:
            glued = glued or ctx.doc[j].text in {",", "and", "&", ";"} or low(ctx.doc[j]) == "well"
            j -= 1
        prev = ctx.ent(j) if j >= lo else None
        if not glued or prev is None or prev.end != j + 1 or prev.label_ not in types:
            break
        members.insert(0, prev)
        i = prev.start
        maker = _maker_of(ctx, prev)
        if maker is not None and maker.start >= lo:
            i = maker.start
    return members


def _maker_of(ctx: Ctx, model: Span) -> Span | None:
    """The organization written right before a model ("OpenAI o1-mini"), or None."""
    if model.label_ != "Model" or model.start == 0:
        return None
    org = ctx.ent(model.start - 1)
    return org if org is not None and org.label_ == "Organization" and org.end == model.start else None


def _made_by(ctx: Ctx, org: Span, types: frozenset[str]) -> Span | None:
    """The model written right after an organization's name ("OpenAI o1-mini"), when models are listed."""
    if org.label_ != "Organization" or "Model" not in types or org.end >= len(ctx.doc):
        return None
    model = ctx.ent(org.end)
    return model if model is not None and model.start == org.end and model.label_ == "Model" else None


def _skip_glue(doc: Doc, i: int, hi: int) -> tuple[int, bool]:
    glued = False
    while i < hi:
        t = doc[i]
        if t.text == "(":
            close = _closing(doc, i, hi)
            if close is None:
                break
            i = close + 1
            continue
        if low(t) not in LIST_GLUE:
            break
        glued = glued or t.text in {",", "and", "&", ";"} or low(t) == "well"
        i += 1
    return i, glued


def _closing(doc: Doc, i: int, hi: int) -> int | None:
    for j in range(i + 1, min(hi, i + 25)):
        if doc[j].text == ")":
            return j
    return None


NAMING_VERBS = frozenset({"call", "name", "dub", "know", "brand", "title", "christen"})
CLAUSE_DEPS = frozenset({"relcl", "advcl", "ccomp", "csubj", "parataxis", "nsubj", "nsubjpass"})
OBJECT_STOP_PREPS = frozenset({"than", "against", "over", "versus", "vs", "vs.", "on", "to", "from", "as",
                               "by", "via", "at", "for", "in", "into", "after", "before", "with", "atop", "beyond", "compared"})


def object_stop(tok: Token) -> bool:
    """Children not to descend into when collecting the entities an object names."""
    if tok.dep_ in CLAUSE_DEPS:
        return True
    if tok.dep_ == "acl":
        return tok.lemma_.lower() not in NAMING_VERBS
    if tok.dep_ in {"prep", "agent"}:
        if low(tok) == "as" and tok.i > 0 and low(tok.doc[tok.i - 1]) == "such":
            return False  # "models such as A and B": the examples are the objects
        return low(tok) in OBJECT_STOP_PREPS
    return False


def subtree_ents(ctx: Ctx, tok: Token, types: frozenset[str],
                 stop: Callable[[Token], bool] = object_stop) -> list[Span]:
    """Entities of ``types`` in ``tok``'s subtree, not descending where ``stop`` says."""
    found: dict[int, Span] = {}
    stack = [tok]
    while stack:
        t = stack.pop()
        e = ctx.ent(t)
        if e is not None and e.label_ in types:
            found[e.start] = e
        stack.extend(c for c in t.children if not stop(c))
    return [found[k] for k in sorted(found)]


def negated(tok: Token) -> bool:
    """The verb (or its coordinated head) is negated."""
    negs = lex("negations")
    for t in _verb_chain(tok):
        for c in t.children:
            if c.dep_ == "neg" or (c.dep_ in {"advmod", "aux"} and low(c) in negs):
                return True
        if t.lemma_.lower() in {"fail", "refuse", "decline"}:
            return True
    return False


def hedge_factor(tok: Token) -> float:
    """1.0 for an asserted verb, lower for future or plans, 0.0 for modals and conditionals."""
    hedges, future = lex("hedges"), lex("future")
    factor = 1.0
    for t in _verb_chain(tok):
        for c in t.children:
            w = low(c)
            if c.dep_ in {"aux", "advmod", "mark"} and w in hedges:
                return 0.0
            if c.dep_ in {"aux", "advmod"} and w in future:
                factor = min(factor, 0.5)
        if t.lemma_.lower() in future or t.lemma_.lower() in hedges:
            factor = min(factor, 0.5)
    return factor


def trigger_verbs(ctx: Ctx, triggers: frozenset[str]) -> Iterator[tuple[Span, Token, frozenset[str], float]]:
    """``(sentence, verb, its keys, hedge factor)`` of every verb of the section whose keys meet ``triggers`` and
    that is neither negated nor hedged away (factor 0): the common head of the verb rules."""
    for sent in ctx.sents:
        for tok in ctx.verbs_in(sent):
            keys = ctx.verb_keys(tok)
            if not keys & triggers or negated(tok):
                continue
            factor = hedge_factor(tok)
            if factor != 0.0:
                yield sent, tok, keys, factor


def _verb_chain(tok: Token) -> Iterator[Token]:
    """The token and the verbs governing it through conj/xcomp (up to 3 steps)."""
    t = tok
    yield t
    for _ in range(3):
        if t.dep_ in {"conj", "xcomp"} and t.head is not t:
            t = t.head
            yield t
        else:
            return


def is_demonym(span: Span) -> bool:
    """A Country mention written as its adjective ("Dutch", "Chinese"), not as a name ("US", "Canada")."""
    if span.label_ != "Country":
        return False
    from kg.extract.vocab import vocabulary

    vocab = vocabulary()
    text = span.text.strip()
    return text in vocab.demonyms or (text not in vocab.countries and bool(span._.canonical)
                                      and span[-1].pos_ == "ADJ")


def same_name(a: str, b: str) -> bool:
    """Two names that differ only by case, spacing or punctuation."""
    return "".join(ch for ch in a.casefold() if ch.isalnum()) == "".join(ch for ch in b.casefold() if ch.isalnum())


def emit(ctx: Ctx, subj: Ref | Span, predicate: str, obj: Ref | Span, sent: Span, rule: str,
         confidence: float) -> Candidate | None:
    """A Candidate when the types fit ``SIGNATURES`` and subject differs from object."""
    s = subj if isinstance(subj, Ref) else Ref(subj)
    o = obj if isinstance(obj, Ref) else Ref(obj)
    subj_types, obj_types = SIGNATURES[predicate]
    if s.type not in subj_types or o.type not in obj_types:
        return None
    if predicate != "basedIn" and (is_demonym(s.span) or is_demonym(o.span)):
        # an adjective ("the Dutch maker", "Chinese labs") places an organization
        # in a country; it never funds, releases or employs anything itself
        return None
    sname, oname = name_of(s.span), name_of(o.span)
    if same_name(sname, oname) or s.span.start == o.span.start:
        return None
    conf = confidence * (0.7 if s.via_anaphora or o.via_anaphora else 1.0)
    if s.via_anaphora or o.via_anaphora:
        rule = f"{rule}+anaphora"
    ev = Evidence(
        doc_id=ctx.doc_id,
        section=ctx.section_title,
        sentence=sent.text,
        start=ctx.offset + sent.start_char,
        end=ctx.offset + sent.end_char,
        rule=rule,
        confidence=round(max(0.0, min(1.0, conf)), 3),
    )
    return Candidate(sname, s.type, predicate, oname, o.type, ev)


def emit_all(ctx: Ctx, subjects: Iterable[Ref | Span], predicate: str, objects: Sequence[Ref | Span],
             sent: Span, rule: str, confidence: float) -> list[Candidate]:
    out: list[Candidate] = []
    for s in subjects:
        for o in objects:
            c = emit(ctx, s, predicate, o, sent, rule, confidence)
            if c is not None:
                out.append(c)
    return out


def emit_named(ctx: Ctx, subject: tuple[str, str], predicate: str, obj: tuple[str, str], sent: Span, rule: str,
               confidence: float) -> Candidate | None:
    """Like :func:`emit` for a name that is not an entity span (e.g. a country implied by a demonym)."""
    subj_types, obj_types = SIGNATURES[predicate]
    if subject[1] not in subj_types or obj[1] not in obj_types or same_name(subject[0], obj[0]):
        return None
    ev = Evidence(ctx.doc_id, ctx.section_title, sent.text, ctx.offset + sent.start_char,
                  ctx.offset + sent.end_char, rule, round(confidence, 3))
    return Candidate(subject[0], subject[1], predicate, obj[0], obj[1], ev)


BACKBONE_CUES = frozenset({"with", "using", "running", "on", "atop"})


def system_of(ctx: Ctx, left: list[Span]) -> Span:
    """The last model of ``left`` (models in text order), or the system it powers: in
    "Hopper with Lynx-32B resolves 20% ..." the model scored is Hopper, run with the
    backbone Lynx-32B."""
    k = len(left) - 1
    while k > 0 and left[k].start - left[k - 1].end == 1 and low(ctx.doc[left[k].start - 1]) in BACKBONE_CUES:
        k -= 1
    return left[k]
