"""``outperforms`` (Model -> Model).

* ``outperforms:verb`` — "Y outperforms / beats / exceeds Z" (objects may be a
  list, "Z1, Z2 and Z3", or "the performance of models like Z1 and Z2");
  "Y trails / lags behind Z" reverses the direction.
* ``outperforms:comparative`` — "Y is / does better than Z", "superior to",
  "ahead of"; "worse than" reverses.
* ``outperforms:edge`` — "Z (still) has an edge over Y"; with no model named
  ("an edge on hard benchmarks") Y is the section's focus model.
* ``outperforms:scores`` and ``outperforms:winrate`` live in :mod:`scores`.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extract.relations._args import SectionInfo, resolve
from kg.extract.relations._base import (Ctx, Ref, emit_all, hedge_factor, lex, list_around, low, negated, subtree_ents,
                                        system_of, trigger_verbs)
from kg.extract.relations._frames import frame, is_verb
from kg.types import Candidate

MODEL = frozenset({"Model"})
EDGE_NOUNS = frozenset({"edge", "advantage", "lead"})


def _surface_models_after(ctx: Ctx, tok: Token, sent: Span, limit: int = 20) -> list[Span]:
    for i in range(tok.i + 1, min(sent.end, tok.i + limit)):
        e = ctx.ent(i)
        if e is not None and e.start == i and e.label_ == "Organization" and e.end < sent.end and (
                ctx.lows[e.end] in {"'s", "\u2019s", "'", "\u2019"} or ctx.ent(e.end) is not None):
            continue  # a maker named before its model: "including Meta's well-regarded Llama 2"
        if e is not None and e.start < i:
            continue
        if e is not None:
            return list_around(ctx, e, MODEL, limit=sent) if e.label_ == "Model" else []
        t = ctx.doc[i]
        if t.text in {".", ";"} or low(t) in {"which", "that", "while", "but", "whereas"}:
            return []
    return []


def _with_lists(ctx: Ctx, spans: list[Span], sent: Span) -> list[Span]:
    """``spans`` plus every model coordinated with one of them ("such as A, B, and C" where the
    parse attached only A to the phrase)."""
    out: dict[int, Span] = {}
    for e in spans:
        for m in list_around(ctx, e, MODEL, limit=sent):
            out.setdefault(m.start, m)
    return [out[k] for k in sorted(out)]


def _subjects(ctx: Ctx, verb: Token, info: SectionInfo) -> list[Ref]:
    subjects = list(frame(verb).subjects)
    # "Y, which the company says outperforms Z": the relative pronoun of an embedded clause
    subjects = [_relative_head(s) if low(s) in {"which", "that", "who"} else s for s in subjects]
    if not subjects and verb.tag_ == "VBG" and verb.dep_ in {"advcl", "xcomp", "conj"} and is_verb(verb.head):
        # "R1 scored 79.8%, narrowly beating o1": the participle shares the main clause's subject
        subjects = list(frame(verb.head).subjects)
    return [r for s in subjects for r in resolve(ctx, s, MODEL, info)]


def _relative_head(tok: Token) -> Token:
    for anc in tok.ancestors:
        if anc.dep_ == "relcl":
            return anc.head
    return tok


def verb_rule(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    ups, downs = lex("outperform_verbs"), lex("underperform_verbs")
    out: list[Candidate] = []
    for sent, tok, keys, factor in trigger_verbs(ctx, ups | downs):
        up, down = bool(keys & ups), bool(keys & downs)
        f = frame(tok)
        subjects = _subjects(ctx, tok, info)
        objects = [e for o in f.objects for e in subtree_ents(ctx, o, MODEL)]
        if down:
            for c in tok.children:
                if c.dep_ in {"prep", "advmod", "prt"} and low(c) in {"behind", "short", "of"}:
                    objects += subtree_ents(ctx, c, MODEL)
        if not objects and not f.passive:
            objects = _surface_models_after(ctx, tok, sent)
        taken = {r.span.start for r in subjects}
        objects = [o for o in _with_lists(ctx, objects, sent) if o.start not in taken]
        if up:
            out += emit_all(ctx, subjects, "outperforms", objects, sent, "outperforms:verb", 0.85 * factor)
        else:
            out += emit_all(ctx, [Ref(o) for o in objects], "outperforms", [s.span for s in subjects],
                            sent, "outperforms:verb-reverse", 0.8 * factor)
    return out


def _governing_verb(tok: Token) -> Token:
    t = tok
    for _ in range(4):
        if is_verb(t) and t.dep_ not in {"amod", "acomp"}:
            return t
        if t.head is t:
            return t
        t = t.head
    return t


def comparative_rule(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    better, worse, preps = lex("better_words"), lex("worse_words"), lex("better_preps")
    out: list[Candidate] = []
    for sent in ctx.sents:
        for i in range(sent.start, sent.end):
            w = ctx.lows[i]
            if (w not in better and w not in worse) or w in EDGE_NOUNS:
                continue
            tok = ctx.doc[i]
            nxt = ctx.doc[tok.i + 1] if tok.i + 1 < sent.end else None
            if nxt is None or low(nxt) not in preps or (w in {"higher", "lower"} and low(nxt) != "than"):
                continue
            verb = _governing_verb(tok)
            if negated(verb) or hedge_factor(verb) == 0.0:
                continue
            objects = _with_lists(ctx, subtree_ents(ctx, nxt, MODEL) or _surface_models_after(ctx, nxt, sent, 6), sent)
            subjects = _subjects(ctx, verb, info) if verb is not tok else []
            if not subjects:
                left = [e for e in ctx.ents_in(sent.start, tok.i, MODEL)]
                subjects = [Ref(system_of(ctx, left))] if left else []
            if w in better:
                out += emit_all(ctx, subjects, "outperforms", objects, sent, "outperforms:comparative", 0.75)
            else:
                out += emit_all(ctx, [Ref(o) for o in objects], "outperforms", [s.span for s in subjects],
                                sent, "outperforms:comparative-reverse", 0.7)
    return out


def edge_rule(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    out: list[Candidate] = []
    for sent in ctx.sents:
        for i in range(sent.start, sent.end):
            if ctx.lows[i] not in EDGE_NOUNS:
                continue
            tok = ctx.doc[i]
            if tok.dep_ not in {"dobj", "obj"}:
                continue
            verb = tok.head
            if verb.lemma_.lower() not in {"have", "hold", "keep", "retain", "maintain", "enjoy", "gain", "take"}:
                continue
            if negated(verb) or hedge_factor(verb) == 0.0:
                continue
            subjects = _subjects(ctx, verb, info)
            objects: list[Span] = []
            for c in tok.children:
                if c.dep_ == "prep" and low(c) in {"over", "on", "against"}:
                    objects += subtree_ents(ctx, c, MODEL)
            if objects:
                out += emit_all(ctx, subjects, "outperforms", objects, sent, "outperforms:edge", 0.75)
            elif info.focus_model is not None:
                out += emit_all(ctx, subjects, "outperforms", [Ref(info.focus_model, True)], sent, "outperforms:edge", 0.6)
    return out


#: words that may stand between a model and a hedged comparison verb ("matches or exceeds")
HEDGED_GLUE = frozenset({"match", "matches", "matched", "equal", "equals", "rival", "rivals", "meet", "meets", "or",
                         "even", "also", "consistently", "significantly", "substantially", "handily", "easily",
                         "comfortably", "narrowly", "slightly", "still", "reportedly", "often", "sometimes"})
NEGATORS = frozenset({"not", "n't", "never", "no", "fails", "failed", "fail", "cannot"})


def surface_rule(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    """"A matches or exceeds B", "A consistently beats B", "A outperforms B": a model, maybe hedge words,
    an outperform verb, then models, read from the tokens (the parser often tags "matches" a noun, and
    loses a subject inside quotes)."""
    ups = lex("outperform_verbs")
    out: list[Candidate] = []
    for e in ctx.ents:
        if e.label_ != "Model":
            continue
        sent = ctx.sent_of(e)
        j, glue = e.end, []
        while j < min(sent.end, e.end + 5) and ctx.lows[j] in HEDGED_GLUE | NEGATORS:
            glue.append(ctx.lows[j])
            j += 1
        if j >= sent.end or NEGATORS & set(glue):
            continue
        if ctx.lows[j] not in ups and ctx.lemmas[j] not in ups:
            continue
        k = j + 1
        while k < min(sent.end, j + 3) and ctx.ent(k) is None and ctx.lows[k] in {"the", "even", "both"}:
            k += 1
        first = ctx.ent(k) if k < sent.end else None
        if first is None or first.start != k or first.label_ != "Model":
            continue
        objects = list_around(ctx, first, MODEL, limit=sent)
        out += emit_all(ctx, [Ref(e)], "outperforms", objects, sent, "outperforms:surface", 0.7)
    return out


def find(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    return verb_rule(ctx, info) + comparative_rule(ctx, info) + edge_rule(ctx, info) + surface_rule(ctx, info)
