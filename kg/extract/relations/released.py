"""``released`` (Organization -> Model/Benchmark) and the sentence-level
``authored`` it implies when the thing put out is a Paper.

Rules (the ``Evidence.rule`` names):

* ``released:verb`` / ``released:passive`` — a trigger verb ("release",
  "launch", "open-source", "build" ...) with an organization (or a research
  team, or an anaphor) as agent and a model/benchmark as object.
* ``released:surface`` — headline style "X releases Y" even when the parse fails.
* ``released:possessive`` — "Tencent's new Hunyuan model", "Imagen 3, GDM's model".
* ``released:from`` — "Y, a model from X", "Y by X".
* ``released:name-prefix`` — "OpenAI o1" when OpenAI is named in the section.
* ``released:maker-prefix`` — "Anthropic Claude 4 Opus": a model name right after its maker's.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extract.relations._args import ORG_PERSON, SectionInfo, resolve
from kg.extract.relations._base import (
    ARTIFACT_TYPES,
    Ctx,
    Ref,
    emit,
    lex,
    list_around,
    low,
    name_of,
    negated,
    subtree_ents,
    trigger_verbs,
)
from kg.extract.relations._frames import frame, is_verb
from kg.types import Candidate

ORG = frozenset({"Organization"})
POSSESSIVE = frozenset({"'s", "\u2019s", "'", "\u2019"})
APPOSITIVE_NOUNS = frozenset({"model", "models", "system", "systems", "series", "family", "benchmark",
                              "dataset", "agent", "llm", "llms", "suite", "test", "eval", "evaluation"})
AUX_WORDS = frozenset({"has", "have", "had", "is", "are", "was", "were", "just", "also", "now", "today",
                       "quietly", "recently", "finally", "officially", "publicly", "this", "week", "has", "'s", "since",
                       "already", "subsequently", "later", "then"})
TEAM_WORDS = frozenset({"team", "teams", "researchers", "group", "unit", "lab", "division", "staff", "engineers"})
NP_WORDS = frozenset({"a", "an", "the", "its", "their", "new", "latest", "first", "next", "open", "two", "three",
                      "\u201c", "\u201d", "\u2018", "\u2019", '"', "'", "-", "upgraded", "updated", "improved"})


def _predicate_for(obj: Span) -> str:
    return "authored" if obj.label_ == "Paper" else "released"


def _pairs(ctx: Ctx, subjects: list[Ref], objects: list[Span], sent: Span, rule: str, conf: float) -> list[Candidate]:
    out: list[Candidate] = []
    for s in subjects:
        for o in objects:
            pred = _predicate_for(o)
            c = emit(ctx, s, pred, o, sent, rule.replace("released", pred, 1), conf)
            if c is not None:
                out.append(c)
    return out


def _surface_objects(ctx: Ctx, verb: Token, sent: Span) -> list[Span]:
    """The first artifact named right after the verb, before the clause ends."""
    i = verb.i + 1
    while i < min(sent.end, verb.i + 12):
        t = ctx.doc[i]
        e = ctx.ent(i)
        if e is not None:
            return _object_ents(ctx, e.root) if e.label_ in ARTIFACT_TYPES else []
        if t.text in {".", ";", ":"} or low(t) in {"which", "that", "who", "than", "against", "on", "using", "via"}:
            return []
        if is_verb(t) and t.dep_ not in {"aux", "auxpass", "amod", "acl"}:
            return []
        i += 1
    return []


def _object_ents(ctx: Ctx, obj: Token) -> list[Span]:
    """What an object names: the entity itself (and its list), else the entities its phrase names."""
    e = ctx.ent(obj)
    if e is not None:
        if e.label_ not in ARTIFACT_TYPES:
            return []
        found = list_around(ctx, e, ARTIFACT_TYPES, limit=ctx.sent_of(obj))
        # "introduced Y, a system that ..., and Z": conjuncts the surface list misses
        for c in obj.conjuncts:
            ce = ctx.ent(c)
            if ce is not None and ce.label_ in ARTIFACT_TYPES and all(ce.start != f.start for f in found):
                found.append(ce)
        return found
    return subtree_ents(ctx, obj, ARTIFACT_TYPES)


#: definite nouns that point back at the artifact a section is about ("the benchmark was built by ...")
ARTIFACT_NOUNS = {"benchmark": "Benchmark", "dataset": "Benchmark", "test": "Benchmark", "eval": "Benchmark",
                  "model": "Model", "system": "Model", "chatbot": "Model", "llm": "Model",
                  "paper": "Paper", "study": "Paper", "report": "Paper"}


def _artifact_anaphor(ctx: Ctx, obj: Token) -> list[Span]:
    """"The benchmark" / "this model": the latest artifact of that kind named before it in the section."""
    kind = ARTIFACT_NOUNS.get(obj.lemma_.lower())
    if kind is None or not any(c.dep_ == "det" and low(c) in {"the", "this"} for c in obj.children):
        return []
    before = ctx.before(obj.i, frozenset({kind}))
    return before[-1:]


def _surface_subjects(ctx: Ctx, verb: Token, sent: Span, info: SectionInfo, triggers: frozenset[str]) -> list[Ref]:
    """The agent written just before the verb group when the parse lost it
    ("..., A, B and C, have built and released Y")."""
    j = verb.i - 1
    while j >= sent.start and j > verb.i - 9:
        t = ctx.doc[j]
        if ctx.ent(j) is not None:
            break
        if low(t) in AUX_WORDS or t.pos_ in {"ADV", "AUX", "PART"} or t.text in {",", "and"} or ctx.verb_keys(t) & triggers:
            j -= 1
            continue
        break
    if j < sent.start:
        return []
    return resolve(ctx, ctx.doc[j], ORG_PERSON, info)


def _announced(ctx: Ctx, verb: Token) -> list[Span]:
    """"X announced that its Y ..." (the artifact is the subject of the reported clause)."""
    out: list[Span] = []
    for c in verb.children:
        if c.dep_ != "ccomp":
            continue
        for s in c.children:
            if s.dep_ in {"nsubj", "nsubjpass"} and any(low(t) in {"its", "their"} for t in s.subtree):
                out += subtree_ents(ctx, s, ARTIFACT_TYPES)
    return out


def _examples(ctx: Ctx, verb: Token) -> list[Span]:
    """Artifacts listed as examples of a common-noun object: "shipped several models,
    including Y and Z" / "such as Y" (the prepositional phrase may hang on the verb)."""
    out: list[Span] = []
    for t in verb.subtree:
        if low(t) in {"including", "like", "such"} and t.i > verb.i and ctx.sent_of(t).start <= verb.i:
            j = t.i + (2 if low(t) == "such" else 1)
            e = ctx.ent(j) if j < ctx.sent_of(t).end else None
            if e is not None and e.start == j and e.label_ in ARTIFACT_TYPES:
                out += list_around(ctx, e, ARTIFACT_TYPES, limit=ctx.sent_of(t))
    return out


def verb_rule(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    with_verbs = lex("release_with_verbs")
    triggers = lex("release_verbs") | lex("author_verbs") | with_verbs
    out: list[Candidate] = []
    for sent, tok, keys, factor in trigger_verbs(ctx, triggers):
        f = frame(tok)
        subjects = [r for s in f.subjects for r in resolve(ctx, s, ORG_PERSON, info)]
        surface = not subjects
        if surface:
            subjects = _surface_subjects(ctx, tok, sent, info, triggers)
            if not subjects:
                continue
        objects = [e for o in f.objects for e in _object_ents(ctx, o)]
        if not objects and f.passive:  # "The benchmark was built by researchers with A and B"
            objects = [e for o in f.objects for e in _artifact_anaphor(ctx, o)]
        if keys & with_verbs:
            for c in tok.subtree:
                if c.dep_ == "prep" and low(c) == "with" and c.head.i >= tok.i:
                    objects += subtree_ents(ctx, c, ARTIFACT_TYPES)
        if not objects or all(ctx.ent(o) is None for o in f.objects):
            objects += _examples(ctx, tok)
        if not objects:
            objects = _announced(ctx, tok)
        rule, conf = ("released:passive", 0.85) if f.passive else ("released:verb", 0.85)
        if not objects and not f.passive:
            objects, rule, conf = _surface_objects(ctx, tok, sent), "released:verb-surface", 0.75
        if not keys & (lex("release_verbs") | with_verbs):
            objects = [o for o in objects if o.label_ == "Paper"]
        if surface:
            rule, conf = rule + "-surface-subject", conf - 0.1
        out += _pairs(ctx, subjects, objects, sent, rule, conf * factor)
    return out


def surface_rule(ctx: Ctx) -> list[Candidate]:
    """"X releases Y" read from the tokens alone (headlines parse badly)."""
    triggers = lex("release_verbs")
    out: list[Candidate] = []
    for sent in ctx.sents:
        for tok in sent:
            if ctx.ent(tok) is not None or not ctx.has_verb_key(tok, triggers):
                continue
            i = tok.i - 1
            if i >= sent.start and ctx.doc[i].text == "-":
                i -= 2  # "open - sources"
            while i >= sent.start and low(ctx.doc[i]) in AUX_WORDS:
                i -= 1
            subj = ctx.ent(i) if i >= sent.start else None
            if subj is None or subj.label_ != "Organization" or subj.end != i + 1:
                continue
            j = tok.i + 1
            while j < sent.end and low(ctx.doc[j]) in NP_WORDS and j < tok.i + 5:
                j += 1
            obj = ctx.ent(j) if j < sent.end else None
            if obj is None or obj.start != j or obj.label_ not in ARTIFACT_TYPES or negated(tok):
                continue
            subjects = list_around(ctx, subj, ORG, limit=sent)
            objects = list_around(ctx, obj, ARTIFACT_TYPES, limit=sent)
            out += _pairs(ctx, [Ref(s) for s in subjects], objects, sent, "released:surface", 0.8)
    return out


#: words a maker uses of its own release ("X is A's latest model")
OWN_WORDS = frozenset({"new", "newest", "latest", "first", "own", "flagship", "next", "recent", "open", "debut"})


def possessive_rule(ctx: Ctx) -> list[Candidate]:
    """"X's (new) Y" and "Y, X's new model"."""
    out: list[Candidate] = []
    for org in ctx.ents:
        if org.label_ != "Organization" or org.end >= len(ctx.doc) or ctx.doc[org.end].text not in POSSESSIVE:
            continue
        sent = ctx.sent_of(org)
        j = org.end + 1
        seen_noun: Token | None = None
        while j < min(sent.end, org.end + 8):
            t = ctx.doc[j]
            e = ctx.ent(j)
            if e is not None:
                after = low(ctx.doc[e.end]) if e.end < sent.end else ""
                if e.label_ in ARTIFACT_TYPES and seen_noun is None and after not in TEAM_WORDS:
                    c = emit(ctx, org, _predicate_for(e), e, sent, f"{_predicate_for(e)}:possessive", 0.8)
                    out += [c] if c is not None else []
                break
            if low(t) in APPOSITIVE_NOUNS:
                seen_noun = t
                break
            if t.is_punct and t.text not in {"-", "\u201c", "\u201d", '"', "\u2018", "\u2019"}:
                break
            if t.pos_ in {"VERB", "AUX", "ADP"} and t.tag_ not in {"VBN", "VBG"}:
                break
            j += 1
        if seen_noun is not None:
            # "Imagen 3, GDM's state-of-the-art model": apposition to a preceding artifact
            k = org.start - 1
            while k >= sent.start and ctx.doc[k].text in {",", "a", "an", "the"}:
                k -= 1
            copula = k >= sent.start and low(ctx.doc[k]) in {"is", "was", "are", "were"}
            if copula:  # "Aya Vision is GDM's latest open-weight model family"
                k -= 1
            prev = ctx.ent(k) if k >= sent.start else None
            # after a copula only a maker's word for its own release counts ("X is A's latest model",
            # not "X is A's favourite model")
            claimed = not copula or bool(OWN_WORDS & {low(t) for t in ctx.doc[org.end + 1:seen_noun.i]})
            if claimed and prev is not None and prev.end == k + 1 and prev.label_ in ARTIFACT_TYPES and (
                    copula or ctx.doc[prev.end].text == ","):
                c = emit(ctx, org, _predicate_for(prev), prev, sent, f"{_predicate_for(prev)}:possessive-appos", 0.75)
                out += [c] if c is not None else []
    return out


def from_rule(ctx: Ctx) -> list[Candidate]:
    """"Y, a model from X" and "Y by X" (no verb in between)."""
    out: list[Candidate] = []
    for art in ctx.ents:
        if art.label_ not in ARTIFACT_TYPES:
            continue
        sent = ctx.sent_of(art)
        j = art.end
        appositive = j < sent.end and ctx.doc[j].text == ","
        j += 1 if appositive else 0
        while j < min(sent.end, art.end + 10):
            t = ctx.doc[j]
            if low(t) in {"from", "by"}:
                k = j + 1
                if low(t) == "from":  # "a set of models from its research arm X"
                    while k < min(sent.end, j + 8) and ctx.ent(k) is None and (
                            low(ctx.doc[k]) in {"its", "their", "the", "a", "an"} or ctx.doc[k].pos_ in {"ADJ", "NOUN"}
                            or ctx.doc[k].text == "-"):
                        k += 1
                nxt = ctx.ent(k) if k < sent.end else None
                if nxt is not None and nxt.start == k and nxt.label_ in ORG_PERSON:
                    pred = _predicate_for(art)
                    for s in list_around(ctx, nxt, ORG_PERSON, limit=sent):
                        c = emit(ctx, s, pred, art, sent, f"{pred}:from", 0.75)
                        out += [c] if c is not None else []
                break
            if ctx.ent(j) is not None or (t.is_punct and t.text not in {"-", "\u2013"}) or is_verb(t):
                break
            if not appositive and j > art.end:
                break
            j += 1
    return out


def name_prefix_rule(ctx: Ctx) -> list[Candidate]:
    """A model named after its maker ("OpenAI o1", "DeepSeek-R1") when the maker is named too."""
    orgs = {name_of(e).casefold(): e for e in ctx.ents if e.label_ == "Organization"}
    out: list[Candidate] = []
    for m in ctx.ents:
        if m.label_ not in {"Model", "Benchmark"}:
            continue
        text = name_of(m)
        for key, org in orgs.items():
            if len(key) >= 3 and text.casefold().startswith(key) and len(text) > len(key) and text[len(key)] in " -":
                c = emit(ctx, org, "released", m, ctx.sent_of(m), "released:name-prefix", 0.6)
                out += [c] if c is not None else []
    return out


def _pronoun_owner(ctx: Ctx, pron: Token, info: SectionInfo) -> list[Ref]:
    """Who "its"/"their" stands for: the subject of the governing verb, else the nearest
    organization earlier in the sentence, else the section's actor."""
    for anc in pron.ancestors:
        if is_verb(anc):
            refs = [r for s in frame(anc).subjects for r in resolve(ctx, s, ORG, info)]
            if refs:
                return refs
            break
    sent = ctx.sent_of(pron)
    prev = [e for e in ctx.before(pron.i, ORG) if e.start >= sent.start]
    if prev:
        return [Ref(prev[-1])]
    actor = info.actor
    return [Ref(actor, True)] if actor is not None and actor.end <= pron.i else []


def its_rule(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    """"X launched its Y chatbot", "Y, its largest model yet", "Z, the first model in its Y family"."""
    out: list[Candidate] = []
    for i, w in enumerate(ctx.lows):
        if w not in {"its", "their"}:
            continue
        tok = ctx.doc[i]
        sent = ctx.sent_of(tok)
        j = tok.i + 1
        art: Span | None = None
        while j < min(sent.end, tok.i + 6):
            e = ctx.ent(j)
            if e is not None:
                after = low(ctx.doc[e.end]) if e.end < sent.end else ""
                if e.label_ in ARTIFACT_TYPES and e.start == j and after not in TEAM_WORDS:
                    art = e
                break
            t = ctx.doc[j]
            if low(t) in APPOSITIVE_NOUNS:
                # "Y, its largest model yet": apposition to the artifact before "its"
                k = tok.i - 1
                prev = ctx.ent(k - 1) if k - 1 >= sent.start and ctx.doc[k].text == "," else None
                if prev is not None and prev.end == k and prev.label_ in ARTIFACT_TYPES:
                    art = prev
                break
            if not (low(t) in NP_WORDS or t.pos_ in {"ADJ", "ADV"} or t.text in {"-", "\u2013"}):
                break
            j += 1
        if art is None:
            continue
        pred = _predicate_for(art)
        for owner in _pronoun_owner(ctx, tok, info):
            c = emit(ctx, owner, pred, art, sent, f"{pred}:its", 0.7)
            out += [c] if c is not None else []
    return out


def maker_prefix_rule(ctx: Ctx) -> list[Candidate]:
    """A model written right after its maker's name: "Anthropic Claude 4 Opus", "Meta Llama 3",
    "versus 72.5 for OpenAI GPT-4.1" (the press and leaderboards name models this way)."""
    out: list[Candidate] = []
    for org in ctx.ents:
        if org.label_ != "Organization" or org.end >= len(ctx.doc):
            continue
        m = ctx.ent(org.end)
        if m is None or m.start != org.end or m.label_ != "Model":
            continue
        if ctx.doc[org.end - 1].whitespace_ == "":  # "OpenAI-o1" / glued tokens: not two names side by side
            continue
        c = emit(ctx, org, "released", m, ctx.sent_of(m), "released:maker-prefix", 0.7)
        out += [c] if c is not None else []
    return out


def find(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    return (verb_rule(ctx, info) + surface_rule(ctx) + possessive_rule(ctx) + from_rule(ctx) + name_prefix_rule(ctx)
            + maker_prefix_rule(ctx) + its_rule(ctx, info))
