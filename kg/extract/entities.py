"""Entity recognition and type correction over one spaCy ``Doc``.

:func:`annotate` gathers cues (the pretrained NER labels, the field
vocabularies, name-shape and context patterns, "Read more" title lines),
keeps the best non-overlapping spans, lets the whole document vote on the
type of each name, extends the result to repeated names, short forms and
defined acronyms, and writes ``doc.ents`` with the six aikg type names.
"""

from __future__ import annotations

import re
from collections import defaultdict

from spacy.tokens import Doc, Span, Token

from kg.extract.patterns import (
    LANGUAGE_NOUNS,
    Cue,
    country_cues,
    issue_title_spans,
    model_cues,
    vocabulary_cues,
)
from kg.extract.orgs import org_shape_cues
from kg.extract.contexts import NOT_ENTITY, context_cues
from kg.extract.papers import paper_cues
from kg.extract.names import MIN_WEIGHT, STRONG, Slot, acronyms, propagate, short_forms
from kg.extract.names import PROPER_TAGS as _PROPER_TAGS
from kg.extract.vocab import Vocabulary, norm

#: the labels aikg writes into ``doc.ents``
ENTITY_LABELS: tuple[str, ...] = ("Organization", "Model", "Paper", "Person", "Country", "Benchmark")
_SITE_WORDS = frozenset({"blog", "website", "site", "pdf", "preprints", "newsletter"})
_ORG_NOUNS = frozenset("startup startups lab labs company companies firm firms giant giants chipmaker unicorn".split())
#: a demonym's organisation description: a few lower-case modifiers and an organisation noun ("chipmaking equipment maker")
_ORG_DESCRIPTION = re.compile(
    r"(?:[ ](?!(?:for|and|or|of|in|to|with|by|from|at|on|as|that|which|who|the|a|an|is|was|are)\b)[a-z][a-z\-]*){0,3}?"
    r"[ ](?:startups?|labs?|laborator(?:y|ies)|compan(?:y|ies)|firms?|giants?|chipmakers?|"
    r"makers?|developers?|designers?|manufacturers?|providers?|unicorns?|conglomerates?|investors?|group|institutes?|"
    r"universit(?:y|ies)|outfits?|operators?|suppliers?)\b"
)
#: cues that read a name as someone's employer or an organisation with staff: a website name
#: ("GitHub") used so is an organisation, not a link target
_EMPLOYER_RULES = frozenset({"org:role-at", "org:possessive-staff", "org:apposition", "org:copula"})
#: types whose context cues overrule a person reading that only the statistical NER gives
_THING_TYPES = frozenset({"Model", "Benchmark", "Paper"})


def register_extensions() -> None:
    """Span attributes read by relation extraction and :func:`kg.extract.extract_document`."""
    for name, default in (("canonical", None), ("aikg_rule", ""), ("aikg_confidence", 0.0)):
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


def ner_cues(doc: Doc, vocab: Vocabulary) -> list[Cue]:
    """The pretrained labels mapped onto the six types (or dropped)."""
    out: list[Cue] = []
    for ent in doc.ents:
        text = ent.text
        if "," in text or "\n" in text:
            continue
        label = ent.label_
        if label == "PERSON":
            if any(ch.isdigit() for ch in text):
                continue
            out.append(Cue(ent.start_char, ent.end_char, "Person", 1.5 if len(ent) > 1 else 0.7, "ner:PERSON"))
        elif label == "ORG":
            out.append(Cue(ent.start_char, ent.end_char, "Organization", 0.6, "ner:ORG"))
        elif label == "GPE" and text in vocab.countries:
            name = vocab.countries[text]
            out.append(Cue(ent.start_char, ent.end_char, "Country", 1.0, "ner:GPE", canonical=name if name != text else ""))
        elif label == "NORP" and text in vocab.demonyms:
            out.append(Cue(ent.start_char, ent.end_char, "Country", 1.0, "ner:NORP", canonical=vocab.demonyms[text]))
        elif label == "PRODUCT":
            out.append(Cue(ent.start_char, ent.end_char, "Model", 0.8, "ner:PRODUCT"))
    return out


def collect_cues(doc: Doc, vocab: Vocabulary, *, text: str | None = None) -> list[Cue]:
    """Every cue of the section; ``text`` is ``doc.text`` when the caller has it (a property that joins all tokens)."""
    text = doc.text if text is None else text
    hosts = frozenset(k for k, kind in vocab.non_entities.items() if kind == "host")
    titles = issue_title_spans(text)
    cues = [
        *ner_cues(doc, vocab),
        *vocabulary_cues(text, vocab),
        *country_cues(text, vocab),
        *model_cues(text, vocab),
        *context_cues(text),
        *org_shape_cues(text, vocab),
        *paper_cues(text, hosts),
    ]
    if not titles:
        return cues
    return [c for c in cues if c.hard or not any(s <= c.start and c.end <= e for s, e in titles)]


_LEAD_THE = re.compile(r"^(?:the|The|THE)\s+")
_TRAIL = re.compile(r"(?:['\u2019]s|['\u2019]|[\s.,;:!?)\]\u2013\u2014-])+$")


def _trim(text: str, cue: Cue) -> tuple[int, int]:
    s, e = cue.start, cue.end
    if cue.hard:
        return s, e
    lead = None if cue.keeps_the else _LEAD_THE.match(text[s:e])
    if lead:
        s += lead.end()
    tail = _TRAIL.search(text[s:e])
    if tail and not text[s:e].endswith("+"):
        e = s + tail.start()
    return s, e


def _slots(doc: Doc, cues: list[Cue], *, text: str | None = None) -> list[Slot]:
    by_span: dict[tuple[int, int], Slot] = {}
    text = doc.text if text is None else text  # a property that joins all tokens: read it once
    for cue in cues:
        s, e = _trim(text, cue)
        if e <= s:
            continue
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        if not cue.hard and _crosses_sentence(span):
            continue
        if not cue.hard and not cue.keeps_the and cue.rule != "vocabulary":
            span = _strip_function_words(span)
            if span is None:
                continue
        slot = by_span.setdefault((span.start, span.end), Slot(span.start, span.end))
        slot.weights[cue.type] += cue.weight
        if not cue.rule.startswith("ner:"):
            slot.cued.add(cue.type)
        slot.rules.append(cue.rule)
        slot.canonical = slot.canonical or cue.canonical
        slot.hard = slot.hard or cue.hard
    return list(by_span.values())


def _crosses_sentence(span: Span) -> bool:
    """A name never runs across a sentence end or a line break ("Command A. Toronto")."""
    return "\n" in span.text or any(tok.is_sent_start for tok in span[1:])


_FUNCTION_POS = frozenset({"DET", "ADP", "ADV", "CCONJ", "SCONJ", "PRON", "AUX", "VERB", "PART", "PUNCT"})


def _strip_function_words(span: Span) -> Span | None:
    """Drop leading function words a capitalised sentence start drags in ("Today", "When", "The")."""
    start = span.start
    while start < span.end - 1 and (_temporal(span.doc[start]) or span.doc[start].pos_ in _FUNCTION_POS and not span.doc[start].text.isupper()):
        if _name_verb(span.doc[start], span):
            break
        start += 1
    if span.doc[start].pos_ in _FUNCTION_POS and span.doc[start].is_lower:
        return None
    return span.doc[start : span.end]


_TEMPORAL = frozenset("today yesterday tomorrow tonight monday tuesday wednesday thursday friday saturday sunday".split())


def _temporal(tok: Token) -> bool:
    """A time word before a name ("Today Halcyon Labs is releasing ...", "On Monday Halcyon Labs said")."""
    return tok.lower_ in _TEMPORAL or tok.is_sent_start is True and tok.ent_type_ in ("DATE", "TIME") and tok.pos_ != "PROPN"


def _name_verb(tok: Token, span: Span) -> bool:
    """A capitalised verb form that modifies a later word of the same name ("Thinking Machines Lab"),
    not one that governs it ("Using Quokka Labs data")."""
    return (
        tok.pos_ == "VERB" and tok.text[:1].isupper() and tok.dep_ in ("compound", "amod")
        and tok.i + 2 < span.end and span.start <= tok.head.i < span.end
    )


def _looks_proper(span: Span) -> bool:
    """At least one token reads as a name (proper-noun tag, acronym, inner capitals or digits)."""
    for tok in span:
        t = tok.text
        if tok.tag_ in _PROPER_TAGS and t[:1].isupper():
            return True
        if (t.isupper() and len(t) > 1) or any(ch.isupper() for ch in t[1:]) or (any(ch.isdigit() for ch in t) and any(ch.isalpha() for ch in t)):
            return True
    return False


def _link_context(text: str, start: int) -> bool:
    """Inside parentheses on its line, or right after 'on/via/at/here'."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    return before.count("(") > before.count(")") or bool(re.search(r"\b(?:on|via|at|from|here|in)\s+(?:the\s+)?$", before))


def _label_prefix(text: str, start: int, end: int) -> bool:
    """Inside a line-initial lead-in label such as "Hardware types:" (a few words before a colon)."""
    line_start = text.rfind("\n", 0, start) + 1
    colon = text.find(":", end)
    newline = text.find("\n", end)
    if colon < 0 or (0 <= newline < colon):
        return False
    return len(text[line_start:colon].split()) <= 5


def _person_shaped(span: Span) -> bool:
    for tok in span:
        t = tok.text
        if not tok.is_alpha:
            continue
        if tok.tag_ not in _PROPER_TAGS or not t[:1].isupper() or (t.isupper() and len(t) > 1):
            return False
        if any(ch.isupper() for ch in t[1:]) and not re.match(r"(?:Mc|Mac|O'|De|Di|Le|La|Van|Von)[A-Z]", t):
            return False
    return True


def _keep(slot: Slot, doc: Doc, doc_text: str, vocab: Vocabulary, name_total: dict[str, float]) -> bool:
    if slot.hard:
        return True
    span = doc[slot.start : slot.end]
    text = span.text
    key = norm(text)
    kind = vocab.non_entities.get(key)
    if kind is not None and not (kind == "host" and _EMPLOYER_RULES.intersection(slot.rules)) and (
        kind != "host" or _link_context(doc_text, span.start_char) or slot.total < STRONG
    ):
        return False
    if max(slot.total, name_total.get(key, 0.0)) < MIN_WEIGHT or not key:
        return False
    if not (text[0].isalpha() or text[0] == "\u03c0" or "vocabulary" in slot.rules):  # "01.AI" is a known name
        return False
    if not any(ch.isupper() or ch.isdigit() or ch == "\u03c0" for ch in text) and "vocabulary" not in slot.rules:
        return False
    if re.fullmatch(r"[A-Z]+-[a-z]+", text) and not {"benchmark:stem", "model:system-name"}.intersection(slot.rules):  # "CPU-intense", "MoE-style"
        return False
    if _technique_with_size(span, vocab) and "vocabulary" not in slot.rules:  # "a DeMo 1B model"
        return False
    etype = slot.type
    if "Country" in slot.weights and etype == "Country" and text in vocab.demonyms:
        nxt = doc[slot.end] if slot.end < len(doc) else None
        # "Chinese researchers", "Japanese startup X" (the tagger may call "startup" a verb), "the Dutch chipmaking
        # equipment maker" (an organisation description whatever the tags), not "in Japanese"
        described = bool(_ORG_DESCRIPTION.match(doc_text, span.end_char))
        if not described and (nxt is None or (nxt.pos_ not in ("NOUN", "PROPN", "ADJ") and nxt.lower_ not in _ORG_NOUNS) or nxt.lower_ in LANGUAGE_NOUNS):
            return False
    if slot.total >= STRONG:
        return True
    if not _looks_proper(span) or text in vocab.languages or span[-1].lower_ in _SITE_WORDS:
        return False
    if etype in ("Person", "Organization") and _label_prefix(doc_text, span.start_char, span.end_char):
        return False
    return etype != "Person" or _person_shaped(span)


class _NameKeys(dict[tuple[int, int], str]):
    """``norm`` of the text of a token span of one doc, by (start, end), computed once per span
    (every step of :func:`annotate` compares names; slicing the doc and joining the text costs)."""

    def __init__(self, doc: Doc) -> None:
        super().__init__()
        self.doc = doc

    def __missing__(self, span: tuple[int, int]) -> str:
        key = self[span] = norm(self.doc[span[0] : span[1]].text)
        return key


def _not_entities(slots: list[Slot], doc: Doc, keys: _NameKeys | None = None) -> set[str]:
    """Names whose strongest reading anywhere in the document is "not an entity" ("SQLite, a database")."""
    keys = _NameKeys(doc) if keys is None else keys
    best: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for s in slots:
        key = keys[s.start, s.end]
        for t, w in s.weights.items():
            best[key][t] = max(best[key][t], w)
    return {
        k for k, v in best.items()
        if NOT_ENTITY in v and v[NOT_ENTITY] >= max((w for t, w in v.items() if t != NOT_ENTITY), default=0.0)
    }


def _technique_with_size(span: Span, vocab: Vocabulary) -> bool:
    """A technique, concept or hardware name plus only a size or version is not a named model."""
    kind = vocab.non_entities.get(norm(span[0].text))
    return kind in ("technique", "concept", "hardware") and len(span) > 1 and all(t.like_num or _SIZE_TOKEN.fullmatch(t.text) for t in span[1:])


_SIZE_TOKEN = re.compile(r"[\d.]+[A-Za-z]?|-")


def _kept(slots: list[Slot], doc: Doc, vocab: Vocabulary, *, text: str | None = None,
          keys: _NameKeys | None = None) -> list[Slot]:
    keys = _NameKeys(doc) if keys is None else keys
    _demote_ner_only(slots, doc, keys)
    slots = [s for s in slots if s.weights]
    banned = _not_entities(slots, doc, keys)
    slots = [s for s in slots if s.hard or (keys[s.start, s.end] not in banned and s.type != NOT_ENTITY)]
    for s in slots:
        s.weights.pop(NOT_ENTITY, None)
    name_total: dict[str, float] = defaultdict(float)
    ner_only: dict[str, bool] = defaultdict(lambda: True)
    for s in slots:
        key = keys[s.start, s.end]
        name_total[key] += s.total
        ner_only[key] = ner_only[key] and all(r.startswith("ner:") for r in s.rules)
    parts = {norm(w) for s in slots if s.total >= STRONG for w in doc[s.start : s.end].text.split()[:: max(1, s.end - s.start - 1)]}
    for key, only in ner_only.items():
        if only and key not in parts:  # repeating a weak statistical label is not more evidence for it
            name_total[key] = 0.0
    text = doc.text if text is None else text
    return [s for s in slots if s.weights and _keep(s, doc, text, vocab, name_total)]


def _select(slots: list[Slot], doc: Doc) -> list[Slot]:
    ranked = sorted(
        slots,
        key=lambda s: (s.hard, s.total >= STRONG, s.end - s.start, s.total, -s.start),
        reverse=True,
    )
    taken = [False] * len(doc)
    chosen: list[Slot] = []
    for slot in ranked:
        if any(taken[slot.start : slot.end]):
            continue
        for i in range(slot.start, slot.end):
            taken[i] = True
        chosen.append(slot)
    return sorted(chosen, key=lambda s: s.start)


def _demote_ner_only(slots: list[Slot], doc: Doc, keys: _NameKeys | None = None) -> None:
    """A person reading that only the statistical NER gives loses to another type that a context
    or pattern supports anywhere in the document ("Nova Pro, a family of models": not a person)."""
    keys = _NameKeys(doc) if keys is None else keys
    cued: dict[str, set[str]] = defaultdict(set)
    for slot in slots:
        cued[keys[slot.start, slot.end]] |= {t for t in slot.cued if slot.weights.get(t, 0.0) >= 1.5}
    for slot in slots:
        key = keys[slot.start, slot.end]
        if "Person" in slot.weights and "Person" not in cued[key] and cued[key] & _THING_TYPES:
            del slot.weights["Person"]


def _vote(slots: list[Slot], doc: Doc, keys: _NameKeys | None = None) -> dict[str, str]:
    """One type per name in the document: its strongest reading, plus a little for each repetition."""
    keys = _NameKeys(doc) if keys is None else keys
    best: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    count: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for slot in slots:
        key = keys[slot.start, slot.end]
        for t, w in slot.weights.items():
            best[key][t] = max(best[key][t], w)
            count[key][t] += 1
    return {
        k: max(sorted(v), key=lambda t: v[t] + 0.2 * (count[k][t] - 1))
        for k, v in best.items()
    }


_MODEL_START = re.compile(r"(?!v\d)[a-z]\d")  # "o3", "o1-preview": a lowercase letter and a digit ("v4" is a version)


def _split_maker_prefix(doc: Doc, spans: list[Span], vocab: Vocabulary, canon: dict[int, str]) -> list[Span]:
    """"OpenAI o3-mini", "Meta Llama 3": a model name written after its maker's is two entities, the
    organization and the model, when the rest is a model name of its own (a known model family, or
    the "o3" shape). "DeepSeek V3" and "Mistral Large" stay whole: there the maker's name is part of
    the model's."""
    families = {f.casefold() for f in vocab.model_families}
    out: list[Span] = []
    for span in spans:
        if span.label_ != "Model" or len(span) < 2:
            out.append(span)
            continue
        cut = None
        for k in range(min(3, len(span) - 1), 0, -1):
            head = doc[span.start : span.start + k].text
            hit = vocab.terms.get(head)
            if hit is None or hit[0] != "Organization" or doc[span.start + k - 1].whitespace_ == "":
                continue
            first = doc[span.start + k].text
            stem = re.split(r"[-\s]", first, maxsplit=1)[0].casefold()
            known = vocab.terms.get(first)
            if _MODEL_START.match(first) or stem in families or (known is not None and known[0] == "Model"):
                cut = span.start + k
            break
        if cut is None:
            out.append(span)
            continue
        org = Span(doc, span.start, cut, label="Organization")
        model = Span(doc, cut, span.end, label="Model")
        for part in (org, model):
            part._.aikg_rule = f"{span._.aikg_rule}+maker-prefix"
            part._.aikg_confidence = span._.aikg_confidence
        canon.pop(span.start, None)
        hit = vocab.terms.get(org.text)
        if hit is not None and hit[1] != org.text:
            canon[org.start] = hit[1]
        out += [org, model]
    return out


#: heads of institution names that take "of A and B" ("University of Science and Technology")
_OF_HEADS = frozenset({"university", "institute", "academy", "school", "college", "department", "ministry",
                       "laboratory", "center", "centre", "faculty", "bureau", "office"})
#: fields an institution's "of A and B" ends in
_FIELDS = frozenset({"technology", "technologies", "telecommunication", "telecommunications", "science", "sciences",
                     "engineering", "medicine", "arts", "design", "economics", "business", "law", "mathematics",
                     "physics", "management", "humanities", "health", "innovation", "development", "research",
                     "security", "informatics", "communications", "policy", "industry", "trade", "energy",
                     "environment", "agriculture", "education", "culture", "statistics", "computing", "applications"})
_AFTER_NAME = frozenset({",", ".", ";", ":", ")", "(", "and", "\u2013", "\u2014", "'s", "\u2019s", "have", "has", "is"})


def _join_of_and(doc: Doc, spans: list[Span]) -> list[Span]:
    """"Beijing University of Posts and Telecommunications": an institution name whose "of" part holds
    an "and" is one organization, not two (the last word alone is no name)."""
    starts = {s.start: s for s in spans}
    out: list[Span] = []
    drop: set[int] = set()
    for span in spans:
        if span.start in drop:
            continue
        end = span.end
        words = [t.lower_ for t in span]
        if (span.label_ == "Organization" and "of" in words[1:-1] and words[words.index("of") - 1] in _OF_HEADS
                and end + 1 < len(doc) and doc[end].lower_ in {"and", "&"} and doc[end + 1].is_title
                and doc[end + 1].lower_ in _FIELDS and (end + 2 >= len(doc) or doc[end + 2].lower_ in _AFTER_NAME)):
            nxt = starts.get(end + 1)
            # the last word may have been read as a name of its own, never as a known one ("... and Google")
            if nxt is None or (nxt.end == end + 2 and nxt.label_ == "Organization"
                               and "vocabulary" not in (nxt._.aikg_rule or "")):
                if nxt is not None:
                    drop.add(nxt.start)
                joined = Span(doc, span.start, end + 2, label="Organization")
                joined._.aikg_rule = f"{span._.aikg_rule}+of-and"
                joined._.aikg_confidence = span._.aikg_confidence
                out.append(joined)
                continue
        out.append(span)
    return out


def annotate(doc: Doc, vocab: Vocabulary) -> Doc:
    """Replace ``doc.ents`` with aikg's typed entities (see the module docstring)."""
    text = doc.text  # a property that joins all tokens: read once for every step
    keys = _NameKeys(doc)
    kept = _kept(_slots(doc, collect_cues(doc, vocab, text=text), text=text), doc, vocab, text=text, keys=keys)
    chosen = _select(kept, doc)
    types = _vote(kept, doc, keys)
    chosen = propagate(chosen, kept, types, doc, vocab, text=text)
    labels = {s.start: (s.type if s.hard or "Country" in s.weights else types.get(keys[s.start, s.end], s.type)) for s in chosen}
    canon: dict[int, str] = {s.start: s.canonical for s in chosen if s.canonical}
    short_forms(doc, chosen, labels, canon, vocab)
    spans: list[Span] = []
    for slot in chosen:
        etype = labels[slot.start]
        span = Span(doc, slot.start, slot.end, label=etype)
        span._.aikg_rule = "+".join(dict.fromkeys(slot.rules))
        span._.aikg_confidence = min(1.0, round(max(slot.weights.get(etype, 0.0), MIN_WEIGHT) / 3.0, 3))
        spans.append(span)
    spans = acronyms(doc, spans, canon, text=text)
    spans = _split_maker_prefix(doc, spans, vocab, canon)
    spans = _join_of_and(doc, spans)
    doc.ents = spans
    for span in doc.ents:
        if span.start in canon:
            span._.canonical = canon[span.start]
    return doc
