"""``outperforms`` read from rankings and leaderboards written as prose.

The guidelines order every pair a ranking names: each model outperforms every
model placed below it (all pairs, not only neighbours); models sharing a
place ("A and B lead") give nothing between themselves.

* ``outperforms:ranking`` — "A does best, followed by B and C"; "A and B lead,
  followed by C, D and E"; "the top models are A, followed by B, then C, with D
  ranking near the bottom"; "the best were, in order, A, B and C". A ranking
  needs a cue of rank in the sentence (best, top, lead, first, highest, rank,
  leaderboard, ...), so a sequence in time ("A shipped in May, followed by B")
  is not read as one.
* ``outperforms:behind`` — "A ranks / comes in third behind B and C": B and C
  outperform A.
"""

from __future__ import annotations

from spacy.tokens import Span

from kg.extract.relations._args import SectionInfo
from kg.extract.relations._base import Ctx, emit, hedge_factor, list_around, negated
from kg.types import Candidate

MODEL = frozenset({"Model"})
#: words that make a "followed by" or "in order" sentence a ranking
RANK_CUES = frozenset({"best", "top", "tops", "topped", "topping", "lead", "leads", "led", "leading", "first", "highest",
                       "strongest", "rank", "ranks", "ranked", "ranking", "rankings", "leaderboard", "winner", "wins",
                       "place", "placed", "second", "third", "podium", "scoring", "scored", "scores", "score",
                       "performance", "performing", "performer", "performers", "ahead"})
#: words that put what follows at the bottom of the ranking ("with D ranking near the bottom")
BOTTOM_CUES = frozenset({"bottom", "last", "worst", "lowest"})
#: where a ranking list stops
STOPS = frozenset({";", ".", "while", "whereas", "but", "although", "though", "which", "who"})
#: verbs of placing in a ranking ("comes in third behind")
PLACE_VERBS = frozenset({"rank", "come", "place", "finish", "sit", "land", "trail", "end", "score"})


def _skip_paren(ctx: Ctx, i: int, end: int) -> int:
    """The index after a parenthetical opening at ``i`` (or ``i`` when none opens there)."""
    if ctx.doc[i].text != "(":
        return i
    for j in range(i + 1, min(end, i + 30)):
        if ctx.doc[j].text == ")":
            return j + 1
    return i


def _ordered_after(ctx: Ctx, start: int, end: int) -> list[list[Span]]:
    """Tiers of models from ``start``: each listed model its own place, in text order, until the
    ranking stops; a trailing "with D ranking near the bottom" makes D the last tier."""
    tiers: list[list[Span]] = []
    i = start
    gap = 0
    while i < end:
        j = _skip_paren(ctx, i, end)
        if j != i:
            i = j
            continue
        w = ctx.lows[i]
        if w in STOPS:
            break
        if w == "with":  # "..., with D ranking near the bottom"
            rest = ctx.lows[i:end]
            if any(b in rest for b in BOTTOM_CUES):
                bottom = ctx.ents_in(i, end, MODEL)
                if bottom:
                    tiers.append([bottom[0]])
            break
        e = ctx.ent(i)
        if e is not None and e.start == i:
            if e.label_ == "Model":
                tiers.append([e])
                gap = 0
            i = e.end
            continue
        gap += 1
        if gap > 6 and tiers:  # a long stretch with no model: the list is over
            break
        i += 1
    return tiers


def _pairs_of(tiers: list[list[Span]]) -> list[tuple[Span, Span]]:
    out: list[tuple[Span, Span]] = []
    for k, upper in enumerate(tiers):
        for lower in tiers[k + 1:]:
            out += [(a, b) for a in upper for b in lower]
    return out


def _emit_tiers(ctx: Ctx, tiers: list[list[Span]], sent: Span, rule: str, conf: float) -> list[Candidate]:
    out: list[Candidate] = []
    seen: set[tuple[str, str]] = set()
    for a, b in _pairs_of(tiers):
        c = emit(ctx, a, "outperforms", b, sent, rule, conf)
        if c is not None and (c.subject, c.object) not in seen and (c.object, c.subject) not in seen:
            seen.add((c.subject, c.object))
            out.append(c)
    return out


def _ranked(ctx: Ctx, sent: Span) -> bool:
    return any(ctx.lows[i] in RANK_CUES for i in range(sent.start, sent.end))


def followed_rule(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    out: list[Candidate] = []
    for sent in ctx.sents:
        for i in range(sent.start, sent.end - 1):
            if ctx.lows[i] != "followed" or ctx.lows[i + 1] != "by" or not _ranked(ctx, sent):
                continue
            if negated(ctx.doc[i]):
                continue
            left = [e for e in ctx.ents_in(sent.start, i, MODEL)]
            if not left:
                continue
            head = list_around(ctx, left[-1], MODEL, limit=sent)
            tiers = [head, *_ordered_after(ctx, i + 2, sent.end)]
            if len(tiers) > 1:
                out += _emit_tiers(ctx, tiers, sent, "outperforms:ranking", 0.75)
    return out


def in_order_rule(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    out: list[Candidate] = []
    for sent in ctx.sents:
        for i in range(sent.start, sent.end - 1):
            if ctx.lows[i] != "in" or ctx.lows[i + 1] != "order" or not _ranked(ctx, sent):
                continue
            if i + 2 < sent.end and ctx.lows[i + 2] in {"to", "for", "of"}:  # "in order to ..."
                continue
            tiers = _ordered_after(ctx, i + 2, sent.end)
            if len(tiers) > 1:
                out += _emit_tiers(ctx, tiers, sent, "outperforms:ranking", 0.75)
    return out


def behind_rule(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    """"A ranks / comes in third behind B and C" (B and C outperform A)."""
    out: list[Candidate] = []
    for sent in ctx.sents:
        for i in range(sent.start, sent.end - 1):
            if ctx.lows[i] != "behind":
                continue
            tok = ctx.doc[i]
            verb = tok.head
            for _ in range(2):
                if verb.lemma_.lower() in PLACE_VERBS or verb.head is verb:
                    break
                verb = verb.head
            if verb.lemma_.lower() not in PLACE_VERBS or negated(verb) or hedge_factor(verb) == 0.0:
                continue
            nxt = ctx.ent(i + 1)
            if nxt is None or nxt.label_ != "Model":
                continue
            ahead = list_around(ctx, nxt, MODEL, limit=sent)
            placed = [e for e in ctx.ents_in(sent.start, i, MODEL)]
            if not placed:
                continue
            below = list_around(ctx, placed[-1], MODEL, limit=sent)
            for a in ahead:
                for b in below:
                    c = emit(ctx, a, "outperforms", b, sent, "outperforms:behind", 0.75)
                    if c is not None:
                        out.append(c)
    return out


def find(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    return followed_rule(ctx, info) + in_order_rule(ctx, info) + behind_rule(ctx, info)

