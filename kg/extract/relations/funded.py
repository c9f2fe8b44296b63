"""``funded`` (Organization/Country/Person -> Organization).

* ``funded:raise`` — "X raised / secured / received $N (in funding) from A and B".
* ``funded:invest`` — "A invests $N in / into X", "A provides $N for X".
* ``funded:verb`` — "A funds / backs X"; passive "X is backed by A", "X, backed by A".
* ``funded:led-round`` — "A led the round in X", "a round led by A" (X the raiser).
* ``funded:investor`` — "A, an investor in X", "X investor A", "A-backed X".
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extract.relations._args import SectionInfo, resolve
from kg.extract.relations._base import Ctx, Ref, emit_all, lex, list_around, low, negated, subtree_ents, trigger_verbs
from kg.extract.relations._frames import frame, is_verb
from kg.extract.relations.rounds import context_raiser, funder_list, raise_events
from kg.types import Candidate

ORG = frozenset({"Organization"})
FUNDERS = frozenset({"Organization", "Country", "Person"})


def _has_money(tok: Token) -> bool:
    money = lex("money_words")
    return any(low(t) in money or (t.like_num and t.i + 1 < len(t.doc) and low(t.nbor(1)) in money) for t in tok.subtree)


def _prep_ents(ctx: Ctx, verb: Token, preps: set[str], types: frozenset[str]) -> list[Span]:
    out: list[Span] = []
    for c in verb.children:
        if c.dep_ in {"prep", "agent", "dative"} and low(c) in preps:
            out += subtree_ents(ctx, c, types, stop=lambda t: t.dep_ in {"relcl", "advcl", "acl"})
    return out


def _funders_from(ctx: Ctx, verb: Token, sent: Span) -> list[Span]:
    """The funder lists after each "from" the raise verb governs ("raised $N from A and B",
    "secured $N in backing from P, Q and R"); "led by" lists are read by :mod:`rounds`."""
    out: list[Span] = []
    for t in verb.subtree:
        if low(t) == "from" and sent.start <= t.i < sent.end and t.i > verb.i:
            out += funder_list(ctx, t.i + 1, sent)
    return out


def verb_rule(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    raise_v, invest_v, fund_v = lex("raise_verbs"), lex("invest_verbs"), lex("fund_verbs")
    triggers = raise_v | invest_v | fund_v
    out: list[Candidate] = []
    for sent, tok, keys, factor in trigger_verbs(ctx, triggers):
        f = frame(tok)
        if keys & raise_v and not f.passive and (_has_money(tok) or any(low(o) in lex("round_nouns") for o in f.objects)):
            raisers = [r for s in f.subjects for r in resolve(ctx, s, ORG, info)]
            funders = _funders_from(ctx, tok, sent)
            out += emit_all(ctx, [Ref(x) for x in funders], "funded", [r.span for r in raisers],
                            sent, "funded:raise", 0.85 * factor)
        elif keys & invest_v and (tok.lemma_.lower() == "invest" or _has_money(tok)):
            funders = [r for s in f.subjects for r in resolve(ctx, s, FUNDERS, info)]
            targets = [Ref(e) for e in _prep_ents(ctx, tok, {"in", "into", "for", "to"}, ORG)]
            if not targets:  # "Nvidia has awarded it $77m": the receiver as indirect object
                targets = [r for c in tok.children if c.dep_ == "dative" for r in resolve(ctx, c, ORG, info)]
            out += emit_all(ctx, funders, "funded", [t.span for t in targets], sent, "funded:invest", 0.8 * factor)
        elif keys & fund_v:
            funders = [r for s in f.subjects for r in resolve(ctx, s, FUNDERS, info)]
            targets = [r for o in f.objects for r in resolve(ctx, o, ORG, info, anaphora=f.passive)]
            if f.passive and tok.dep_ == "acl":
                targets = [r for r in resolve(ctx, tok.head, ORG, info)]
                if not targets and tok.head.dep_ == "appos":
                    targets = [r for r in resolve(ctx, tok.head.head, ORG, info)]
            out += emit_all(ctx, funders, "funded", [t.span for t in targets], sent, "funded:verb", 0.8 * factor)
    return out


def round_rule(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    """"A led the round in X"; "X's round was led by A"."""
    rounds = lex("round_nouns")
    out: list[Candidate] = []
    for sent in ctx.sents:
        for tok in sent:
            if tok.lemma_.lower() != "lead" or not is_verb(tok) or negated(tok):
                continue
            f = frame(tok)
            if f.passive:
                noun = f.objects[0] if f.objects else None
                if noun is None or low(noun) not in rounds:
                    continue
                funders = [r for s in f.subjects for r in resolve(ctx, s, FUNDERS, info)]
                targets = [e for e in (resolve(ctx, noun, ORG, info, anaphora=False))]
                if not targets and noun.head.i not in {noun.i, tok.i}:
                    raiser = frame(noun.head).subjects if is_verb(noun.head) else ()
                    targets = [r for s in raiser for r in resolve(ctx, s, ORG, info)]
            else:
                if not any(low(o) in rounds for o in f.objects):
                    continue
                funders = [r for s in f.subjects for r in resolve(ctx, s, FUNDERS, info)]
                targets = [Ref(e) for o in f.objects for c in o.children if c.dep_ == "prep" and low(c) in {"in", "for"}
                           for e in subtree_ents(ctx, c, ORG)]
                targets += [r for o in f.objects for r in resolve(ctx, o, ORG, info, anaphora=False)]
                if not targets and any(low(o) in rounds and _definite(o) for o in f.objects):
                    # "A led the round": the round of the section's last raise
                    targets = context_raiser(ctx, info, raise_events(ctx, info), tok.i)
            out += emit_all(ctx, funders, "funded", [t.span for t in targets], sent, "funded:led-round", 0.8)
    return out


def _definite(noun: Token) -> bool:
    """"the round", "this round": a round told before, not "a round"."""
    return any(c.dep_ == "det" and low(c) in {"the", "this", "that"} for c in noun.children)


def investor_rule(ctx: Ctx) -> list[Candidate]:
    """"A, an investor in X"; "X investor A"; "A-backed X"."""
    investors = lex("investor_nouns")
    out: list[Candidate] = []
    for e in ctx.ents:
        if e.label_ not in FUNDERS:
            continue
        sent = ctx.sent_of(e)
        doc = ctx.doc
        # "A, an (early) investor in X"
        j = e.end
        if j < sent.end and doc[j].text == ",":
            k = j + 1
            while k < min(sent.end, j + 5) and low(doc[k]) not in investors and doc[k].pos_ in {"DET", "ADJ", "NOUN"}:
                k += 1
            if k + 2 < sent.end and low(doc[k]) in investors and low(doc[k + 1]) in {"in", "of", "behind"}:
                t = ctx.ent(k + 2)
                if t is not None and t.start == k + 2:
                    out += emit_all(ctx, [e], "funded", list_around(ctx, t, ORG, limit=sent), sent, "funded:investor", 0.75)
        # "X investor A" / "A-backed X"
        if e.end + 1 < sent.end and low(doc[e.end]) in investors:
            a = ctx.ent(e.end + 1)
            if a is not None and a.start == e.end + 1:
                out += emit_all(ctx, [a], "funded", [e], sent, "funded:investor", 0.7)
        if e.end + 2 < sent.end and doc[e.end].text == "-" and low(doc[e.end + 1]) in {"backed", "funded"}:
            x = ctx.ent(e.end + 2)
            if x is not None and x.start == e.end + 2:
                out += emit_all(ctx, [e], "funded", [x], sent, "funded:backed", 0.75)
    return out


def find(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    return verb_rule(ctx, info) + round_rule(ctx, info) + investor_rule(ctx)
