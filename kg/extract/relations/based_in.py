"""``basedIn`` (Organization -> Country).

* ``basedIn:demonym`` — "Chinese lab DeepSeek", "French company Mistral",
  "German startup X", "the US-based startup X".
* ``basedIn:team`` — "Chinese researchers with X", "Chinese models from
  companies like X and Y".
* ``basedIn:appos`` — "X, a Chinese company", "X, based in Canada",
  "X (headquartered in France)".
* ``basedIn:possessive`` — "Canada's Cohere".
* ``basedIn:region`` — "X and other firms across Canada".
* ``basedIn:name`` — an organization whose name starts with a demonym ("French government").
* ``basedIn:place`` — a city or US state mapped to its country by a gazetteer
  (:mod:`kg.extract.places`): "Paris-based X", "the Toronto-based company" (the section's
  actor), "X, headquartered in Tokyo", "X, a non-profit lab in Paris".
"""

from __future__ import annotations


from spacy.tokens import Span, Token

from kg.extract.relations._args import SectionInfo, resolve
from kg.extract.relations._base import Ctx, Ref, demonyms, emit, emit_named, lex, list_around, low, name_of
from kg.extract.places import country_of_place
from kg.types import Candidate

ORG = frozenset({"Organization"})
BRIDGE = frozenset({"-", "based", "homegrown", "home-grown", "ai", "tech", "startup", "startups", "lab", "labs", "company",
                    "companies", "firm", "firms", "giant", "giants", "chipmaker", "researchers", "research", "scientists",
                    "group", "conglomerate", "rival", "rivals", "unicorn", "outfit", "organization", "organizations",
                    "models", "model", "like", "such", "as", "including", "from", "with", "at", "of", "the", "new",
                    "leading", "big", "major", "national", "state", "state-backed", "state-owned", "frontier",
                    "well", "known", "well-known", "prominent", "top", "chip", "robotics", "software", "video",
                    "generation", "language", "e-commerce", "internet", "search", "social", "media", "cloud", "labs'",
                    "pension", "fund", "funds", "bank", "banks", "lender", "lenders", "insurer", "venture", "capital",
                    "sovereign", "wealth", "investor", "investors", "conglomerates", ",", "large", "several"})
ORGISH = frozenset({"startup", "startups", "lab", "labs", "company", "companies", "firm", "firms", "giant", "giants",
                    "chipmaker", "group", "conglomerate", "rival", "rivals", "unicorn", "outfit", "organization",
                    "organizations", "researchers", "scientists", "like", "including", "as", "with", "from", "at",
                    "of", "based", "homegrown", "fund", "funds", "bank", "banks", "lender", "lenders", "insurer",
                    "investor", "investors", "conglomerates"})


PREP_WORDS = frozenset({"like", "such", "as", "including", "with", "from", "at", "of", "based"})


def _descriptor(tok: Token) -> bool:
    """A lowercase modifier word of an organization phrase ("e-commerce", "defense", "-")."""
    return tok.text in {"-", "\u2010"} or (tok.text.islower() and tok.is_alpha and (
        tok.pos_ in {"ADJ", "NOUN", "PROPN"} or tok.tag_ == "VBG"))  # "coding", "chipmaking"


def _org_head(word: str) -> bool:
    """A noun that can head a phrase describing an organization ("startup", "chip designer")."""
    return word in ORGISH or word in lex("org_nouns") or word in lex("org_heads")


def _org_phrase_at(ctx: Ctx, i: int, hi: int) -> bool:
    """The words from ``i`` are a description of an organization ending in its head noun
    ("AI company", "chipmaking equipment maker"), with no name in between."""
    for k in range(i, min(hi, i + 5)):
        t = ctx.doc[k]
        if ctx.ent(k) is not None:
            return False
        if _org_head(low(t)) and low(t) not in {"like", "including", "as", "with", "from", "at", "of", "based"}:
            return True
        gerund = t.text.islower() and t.tag_ in {"VBG", "VBN"}  # "chipmaking", "AI-powered"
        if low(t) not in {"ai", "tech", "chip"} | BRIDGE and not _descriptor(t) and not gerund:
            return False
    return False


def _descriptors_head(words: list[str]) -> bool:
    """Every free descriptor (a word outside BRIDGE) runs up to an organization noun:
    "AI developer", "chip designer", "e-commerce giant", but not "pastries from"."""
    words = [w for w in words if w not in {"-", "\u2010"}]
    for i, w in enumerate(words):
        if w in BRIDGE:
            continue
        nxt = words[i + 1] if i + 1 < len(words) else None
        if nxt is None:
            return _org_head(w) and w not in PREP_WORDS
        if nxt in BRIDGE and not (_org_head(nxt) and nxt not in PREP_WORDS):
            return False
    return True


def _countries(ctx: Ctx) -> list[tuple[int, int, Span | None, str]]:
    """Country mentions as (start, end, span, name), plus capitalized demonyms the entity
    recognizer left unlabelled ("Japanese startup X" with no Country mention)."""
    out: list[tuple[int, int, Span | None, str]] = [(e.start, e.end, e, name_of(e)) for e in ctx.ents if e.label_ == "Country"]
    table = demonyms()
    for i, w in enumerate(ctx.lows):
        country = table.get(w)
        if country is None:
            continue
        t = ctx.doc[i]
        if ctx.ent(t) is None and t.text[:1].isupper() and t.pos_ in {"ADJ", "PROPN", "NOUN"}:
            out.append((t.i, t.i + 1, None, country))
    return sorted(out, key=lambda x: x[0])


def demonym_rule(ctx: Ctx) -> list[Candidate]:
    """A country (often a demonym) in front of an organization, with org-like words between."""
    out: list[Candidate] = []
    doc = ctx.doc
    for start, end, country, cname in _countries(ctx):
        sent = ctx.sent_of(start)
        j, words = end, []
        while j < min(sent.end, end + 7) and ctx.ent(j) is None and (low(doc[j]) in BRIDGE or _descriptor(doc[j])):
            words.append(low(doc[j]))
            j += 1
        org = ctx.ent(j) if j < sent.end else None
        if org is None or org.label_ != "Organization" or org.start != j:
            continue
        heads = {w for w in words if _org_head(w)}
        if not _descriptors_head(words):
            continue  # free descriptors ("e-commerce", "defense") only right before an org noun ("AI developer")
        if country is None and not heads:
            continue  # a bare unlabelled adjective next to a name is too weak
        if words and not heads:
            continue
        if "," in words and not set(words) & {"including", "like", "such"}:
            continue
        rule, conf = ("basedIn:team", 0.7) if set(words) & {"researchers", "scientists", "with", "from", "like", "including"} else ("basedIn:demonym", 0.85)
        targets = list_around(ctx, org, ORG, limit=sent) if rule == "basedIn:team" or not words else [org]
        for o in targets:
            if country is not None:
                c = emit(ctx, o, "basedIn", country, sent, rule, conf)
            else:
                c = emit_named(ctx, (name_of(o), "Organization"), "basedIn", (cname, "Country"), sent, rule, conf * 0.9)
            out += [c] if c is not None else []
    return out


def appos_rule(ctx: Ctx) -> list[Candidate]:
    """"X, a Chinese company", "X, based in Canada", "X (headquartered in France)", "Canada's X"."""
    out: list[Candidate] = []
    doc = ctx.doc
    based = lex("based_words")
    countries = {start: (end, span, name) for start, end, span, name in _countries(ctx)}

    def add(org: Span, k: int, sent: Span, conf: float) -> None:
        _, span, name = countries[k]
        c = (emit(ctx, org, "basedIn", span, sent, "basedIn:appos", conf) if span is not None else
             emit_named(ctx, (name_of(org), "Organization"), "basedIn", (name, "Country"), sent, "basedIn:appos", conf * 0.9))
        out.extend([c] if c is not None else [])

    for org in ctx.ents:
        if org.label_ != "Organization":
            continue
        sent = ctx.sent_of(org)
        j = org.end
        if j < sent.end and doc[j].text in {",", "("}:
            k = j + 1
            while k < min(sent.end, j + 8) and ctx.ent(k) is None and k not in countries and doc[k].text not in {",", ")", "."}:
                k += 1
            between = {low(t) for t in doc[j + 1:k]}
            if k < sent.end and k in countries:
                if between & based and between & {"in", "out"}:
                    add(org, k, sent, 0.85)
                elif between <= {"a", "an", "the"} | BRIDGE and _org_phrase_at(ctx, countries[k][0], sent.end):
                    # "X, a Chinese company", "X, the Dutch chipmaking equipment maker"
                    add(org, k, sent, 0.8)
        # "Canada's Cohere"
        if org.start >= 2 and doc[org.start - 1].text in {"'s", "\u2019s"}:
            country = ctx.ent(org.start - 2)
            if country is not None and country.label_ == "Country":
                c = emit(ctx, org, "basedIn", country, sent, "basedIn:possessive", 0.75)
                out += [c] if c is not None else []
        # "X and other firms across Canada"
        if j + 4 < sent.end and low(doc[j]) in {"and", ","} and low(doc[j + 1]) == "other":
            k = j + 2
            while k < min(sent.end, j + 6) and low(doc[k]) not in {"in", "across", "from"}:
                k += 1
            country = ctx.ent(k + 1) if k + 1 < sent.end else None
            if country is not None and country.label_ == "Country":
                c = emit(ctx, org, "basedIn", country, sent, "basedIn:region", 0.6)
                out += [c] if c is not None else []
    return out


def name_rule(ctx: Ctx) -> list[Candidate]:
    """"French government", "Chinese Academy of Sciences": a demonym opening the name."""
    table = demonyms()
    out: list[Candidate] = []
    for org in ctx.ents:
        if org.label_ != "Organization" or len(org) < 2:
            continue
        country = table.get(low(org[0]))
        if country is not None and org[0].text[:1].isupper():
            c = emit_named(ctx, (name_of(org), "Organization"), "basedIn", (country, "Country"), ctx.sent_of(org), "basedIn:name", 0.7)
            out += [c] if c is not None else []
    return out


def _place_before(ctx: Ctx, end: int, lo: int) -> tuple[str, str] | None:
    """(place, country) for the capitalized words ending just before ``end`` ("San Francisco")."""
    for n in (3, 2, 1):
        a = end - n
        words = ctx.doc[max(a, lo):end]
        if a < lo or not all(t.text[:1].isupper() and t.is_alpha and ctx.ent(t) is None for t in words):
            continue
        country = country_of_place(words.text)
        if country is not None:
            return words.text, country
    return None


def _place_after(ctx: Ctx, start: int, hi: int) -> tuple[str, str] | None:
    """(place, country) for the capitalized words starting at ``start`` ("Menlo Park, California")."""
    for n in (3, 2, 1):
        words = ctx.doc[start:min(hi, start + n)]
        if len(words) < n or not all(t.text[:1].isupper() and t.is_alpha and ctx.ent(t) is None for t in words):
            continue
        if n < 3 and start + n < hi and ctx.doc[start + n].text[:1].isupper() and ctx.doc[start + n].is_alpha:
            continue  # part of a longer name that is no place
        country = country_of_place(words.text)
        if country is not None:
            return words.text, country
    return None


def _place_apposition(ctx: Ctx, noun: Token, sent: Span) -> tuple[Span, str] | None:
    """(organization, country) for "X, the Paris startup" / "X, a Tokyo AI lab": a place
    before the head noun of an apposition to the name X."""
    i = noun.i
    while i - 1 > sent.start and ctx.ent(i - 1) is None and low(ctx.doc[i - 1]) in {"ai", "tech", "-"} | BRIDGE - ORGISH:
        i -= 1  # descriptors between the place and the noun ("the Paris AI startup")
    found = _place_before(ctx, i, sent.start)
    if found is None:
        return None
    k = i - len(found[0].split())
    if k - 2 < sent.start or low(ctx.doc[k - 1]) not in {"the", "a", "an"} or ctx.doc[k - 2].text != ",":
        return None
    org = ctx.ent(k - 3)
    if org is None or org.label_ != "Organization" or org.end != k - 2:
        return None
    return org, found[1]


def _org_of_noun(ctx: Ctx, noun: Token, info: SectionInfo) -> list[Ref]:
    """The organization a noun phrase names or stands for ("X, a Tokyo startup", "the company")."""
    e = ctx.ent(noun)
    if e is not None:
        return [Ref(e)] if e.label_ == "Organization" else []
    if noun.dep_ == "appos":
        head = ctx.ent(noun.head)
        if head is not None and head.label_ == "Organization":
            return [Ref(head)]
    if noun.dep_ == "attr":  # "X is a Paris-based startup"
        subj = [c for c in noun.head.children if c.dep_ == "nsubj"]
        return [r for s in subj for r in resolve(ctx, s, ORG, info, anaphora=False)]
    if low(noun) in lex("org_nouns") or noun.lemma_.lower() in lex("org_nouns"):
        # surface apposition when the parse attached the phrase elsewhere: "X, a Tokyo-based startup"
        i = noun.i - 1
        while i > 0 and low(ctx.doc[i]) not in {"a", "an"} and ctx.ent(i) is None and noun.i - i < 7:
            i -= 1
        if i >= 2 and low(ctx.doc[i]) in {"a", "an"} and ctx.doc[i - 1].text == ",":
            prev = ctx.ent(i - 2)
            if prev is not None and prev.label_ == "Organization" and prev.end == i - 1:
                return [Ref(prev)]
        return resolve(ctx, noun, ORG, info)
    return []


#: the words other than organization heads that open a branch of :func:`place_rule`
_PLACE_CUES = frozenset({"based", "headquartered", "located", "in"})


def place_rule(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    doc = ctx.doc
    out: list[Candidate] = []

    def add(refs: list[Ref], country: str, sent: Span, conf: float) -> None:
        for r in refs:
            if r.type != "Organization":
                continue
            c = emit_named(ctx, (name_of(r.span), "Organization"), "basedIn", (country, "Country"), sent,
                           "basedIn:place" + ("+anaphora" if r.via_anaphora else ""), conf * (0.8 if r.via_anaphora else 1.0))
            out.extend([c] if c is not None else [])

    heads = ORGISH | lex("org_nouns") | lex("org_heads")  # what _org_head accepts
    for i, w in enumerate(ctx.lows):
        if w not in heads and w not in _PLACE_CUES:
            continue  # none of the branches below applies
        tok = doc[i]
        sent = ctx.sent_of(tok)
        if _org_head(w) and w not in PREP_WORDS:
            found_org = _place_apposition(ctx, tok, sent)
            if found_org is not None:
                add([Ref(found_org[0])], found_org[1], sent, 0.75)
        if w in {"based", "headquartered"} and tok.i >= 2 and doc[tok.i - 1].text in {"-", "‐"}:
            found = _place_before(ctx, tok.i - 1, sent.start)
            if found is None:
                continue
            # the organization after "-based": a name, or the head noun of the phrase
            j = tok.i + 1
            while j < min(sent.end, tok.i + 6) and ctx.ent(j) is None and low(doc[j]) not in lex("org_nouns") and \
                    (doc[j].pos_ in {"ADJ", "NOUN", "PROPN", "PUNCT"} or _descriptor(doc[j])) and doc[j].text not in {",", "."}:
                j += 1  # descriptors: "Paris-based coding startup", "the Toronto-based AI company"
            named = ctx.ent(j + 1) if j + 1 < sent.end and low(doc[j]) in lex("org_nouns") else None
            if named is not None and named.start == j + 1 and named.label_ == "Organization":
                add([Ref(named)], found[1], sent, 0.8)  # "Paris-based coding startup X": the name after the noun
            elif j < sent.end:
                add(_org_of_noun(ctx, doc[j], info), found[1], sent, 0.8)
        elif w in {"based", "headquartered", "located"} and tok.i + 2 < sent.end and low(doc[tok.i + 1]) == "in":
            found = _place_after(ctx, tok.i + 2, sent.end)
            if found is None:
                continue
            head = tok.head if tok.dep_ in {"acl", "amod", "advcl", "appos"} else None
            subj = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}]
            refs = [r for s in subj for r in resolve(ctx, s, ORG, info)] if subj else (
                _org_of_noun(ctx, head, info) if head is not None else [])
            add(refs, found[1], sent, 0.8)
        elif w == "in" and tok.i >= 1 and (low(doc[tok.i - 1]) in lex("org_nouns") or tok.head.lemma_.lower() in lex("org_nouns")):
            # "X, a non-profit AI lab in Paris"
            noun = tok.head if tok.head.lemma_.lower() in lex("org_nouns") else doc[tok.i - 1]
            if noun.dep_ != "appos":
                continue
            found = _place_after(ctx, tok.i + 1, sent.end)
            if found is not None:
                add(_org_of_noun(ctx, noun, info), found[1], sent, 0.75)
    return out


#: nouns for a group of people doing research ("Chinese researchers", "a Swiss team")
TEAM_WORDS = frozenset({"researchers", "scientists", "academics", "engineers", "team", "teams", "authors",
                        "coalition", "consortium", "group", "researcher", "scientist"})
#: what introduces the named examples of a plural organization noun
EXAMPLE_CUES = frozenset({"e.g.", "e.g", "eg", "such", "like", "including", "namely", "incl", "incl."})


def _demonym_head(ctx: Ctx, end: int, hi: int, heads: frozenset[str]) -> int | None:
    """Index just past "<descriptors> HEAD" right after a country word (``heads``: the nouns
    accepted), or None; no name may stand between."""
    for k in range(end, min(hi, end + 5)):
        if ctx.ent(k) is not None:
            return None
        w = ctx.lows[k]
        if w in heads:
            return k + 1
        if w in {"of", "a", "an", ",", "with", "from", "at"} or not _descriptor(ctx.doc[k]) and w not in {"ai", "tech"}:
            return None
    return None


def team_rule(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    """A demonym on a research team whose organizations the section names elsewhere: "Chinese
    researchers make a test" (headline) + "researchers with A, B and C have built ..." gives
    A, B and C basedIn China. A team with its organizations in the same phrase ("Chinese
    researchers with A") is :func:`demonym_rule`'s."""
    out: list[Candidate] = []
    if not info.team:
        return out
    for start, end, country, cname in _countries(ctx):
        sent = ctx.sent_of(start)
        k = _demonym_head(ctx, end, sent.end, TEAM_WORDS)
        if k is None:
            continue
        if k < sent.end and ctx.lows[k] in {"with", "from", "at", "of"}:
            continue  # the organizations follow: demonym_rule reads them
        for org in info.team:
            if org.label_ != "Organization":
                continue
            if country is not None:
                c = emit(ctx, org, "basedIn", country, sent, "basedIn:team-section", 0.6)
            else:
                c = emit_named(ctx, (name_of(org), "Organization"), "basedIn", (cname, "Country"), sent,
                               "basedIn:team-section", 0.55)
            out += [c] if c is not None else []
    return out


def examples_rule(ctx: Ctx) -> list[Candidate]:
    """"the American companies which dominate the space (e.g., A, B, C)", "Chinese labs such as A
    and B": a demonym on a plural organization noun, and the examples given for it."""
    out: list[Candidate] = []
    plural_heads = frozenset({"companies", "labs", "firms", "startups", "giants", "organizations", "organisations",
                              "developers", "players", "rivals", "institutions", "universities", "groups"})
    for start, end, country, cname in _countries(ctx):
        sent = ctx.sent_of(start)
        k = _demonym_head(ctx, end, sent.end, plural_heads)
        if k is None:
            continue
        for i in range(k, min(sent.end, k + 14)):
            w = ctx.lows[i]
            if w in {";", ".", "but", "while", "whereas"}:
                break
            if w not in EXAMPLE_CUES or (w == "such" and (i + 1 >= sent.end or ctx.lows[i + 1] != "as")):
                if ctx.ent(i) is not None:
                    break  # a name not introduced as an example
                continue
            j = i + (2 if w == "such" else 1)
            while j < sent.end and ctx.lows[j] in {",", ":", "."}:
                j += 1
            first = ctx.ent(j) if j < sent.end else None
            if first is None or first.start != j or first.label_ != "Organization":
                break
            for org in list_around(ctx, first, ORG, limit=sent):
                if country is not None:
                    c = emit(ctx, org, "basedIn", country, sent, "basedIn:examples", 0.7)
                else:
                    c = emit_named(ctx, (name_of(org), "Organization"), "basedIn", (cname, "Country"), sent,
                                   "basedIn:examples", 0.65)
                out += [c] if c is not None else []
            break
    return out


def find(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    return (demonym_rule(ctx) + appos_rule(ctx) + name_rule(ctx) + place_rule(ctx, info) + team_rule(ctx, info)
            + examples_rule(ctx))
