"""``outperforms`` read from reported numbers.

* ``outperforms:scores`` — a sentence that reports scores for two or more
  models ("MMLU: A 37.5, B 35.1", "A gets 26%, and B gets 25%", "84.8, versus
  79.9 for B", "A and B get 52% and 60%, respectively"): every model with a
  higher score outperforms every model with a lower one. A leading score with
  no model of its own ("MMLU: 84.8, versus 79.9 for B") belongs to the
  section's focus model. Skipped when lower is better (errors, cost, time).
* ``outperforms:winrate`` — "a 60% win rate against B": above 50% the subject
  (or the focus model) outperforms B, below 50% B outperforms it.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from kg.extract.relations._args import SectionInfo, resolve
from kg.extract.relations._base import Ctx, Ref, emit, lex, list_around, low, name_of, system_of
from kg.extract.relations._frames import frame
from kg.types import Candidate

MODEL = frozenset({"Model"})
UNIT_WORDS = frozenset({"b", "bn", "billion", "m", "million", "t", "trillion", "k", "parameters", "params",
                        "tokens", "gpus", "x", "years", "times", "layers", "languages", "games", "tasks",
                        "gb", "tb", "hours", "days", "samples", "examples", "steps"})
FOR_WORDS = frozenset({"for", "from", "by"})
#: words between a model and its score besides the score verbs ("the A model gets 64.3", "versus B's 62%")
SCORE_GLUE = frozenset({"model", "models", "system", "also", "only", "now", "'s", "\u2019s", "just"})
VERSUS = frozenset({"versus", "vs", "vs.", "against", "compared"})


#: what a word float() can read holds: a decimal digit, or "inf"/"nan" (lowercased)
_MAYBE_FLOAT = re.compile(r"\d|inf|nan")


def _score(tok: Token) -> float | None:
    """The value of a score token, or None when it is not a bare score."""
    if not tok.like_num:
        return None
    try:
        value = float(tok.text.replace(",", ""))
    except ValueError:
        return None
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    prev = tok.nbor(-1) if tok.i > 0 else None
    if nxt is not None and low(nxt) in UNIT_WORDS:
        return None
    if prev is not None and prev.text in {"$", "\u20ac", "\u00a3", "#"}:
        return None
    if 1900 <= value <= 2100 and "." not in tok.text:
        return None
    return value


def segments(sent: Span) -> list[Span]:
    """A sentence cut at bullets and line breaks (score lists are often one parsed "sentence")."""
    cuts = [t.i for t in sent if t.text in {"\u2022", "\u25cf", "*"} or "\n" in t.text]
    out: list[Span] = []
    start = sent.start
    for c in [*cuts, sent.end]:
        if c > start:
            out.append(sent.doc[start:c])
        start = c + 1
    return [s for s in out if len(s) > 1]


def _tabular(ctx: Ctx, seg: Span) -> bool:
    """A "BENCH: A 37.5, B 35.1" or "BENCH 56.1, versus ..." line rather than prose."""
    for t in seg[:5]:
        if t.text == ":" and t.i + 1 < seg.end:
            nxt = ctx.doc[t.i + 1]
            e = ctx.ent(nxt)
            return nxt.like_num or (e is not None and e.end < seg.end and ctx.doc[e.end].like_num)
    first = ctx.ent(seg.start)
    return first is not None and first.label_ == "Benchmark" and first.end < seg.end and ctx.doc[first.end].like_num


def _pairs(ctx: Ctx, sent: Span, info: SectionInfo) -> list[tuple[Ref, float]]:
    scores: dict[int, float] = {}
    for i in range(sent.start, sent.end):
        if i in ctx.by_token or not _MAYBE_FLOAT.search(ctx.lows[i]):
            continue  # an entity, or a word float() cannot read
        v = _score(ctx.doc[i])
        if v is not None:
            scores[i] = v
    if len(scores) < 2:
        return []
    verbs = lex("score_verbs")
    used: set[int] = set()
    pairs: list[tuple[Ref, float]] = []
    models = ctx.ents_in(sent.start, sent.end, MODEL)
    # "A and B ... X% and Y%, respectively"
    if "respectively" in ctx.lows[sent.start:sent.end] and models:
        group = list_around(ctx, models[-1], MODEL, limit=sent)
        nums = [i for i in sorted(scores) if i > group[-1].end]
        if len(group) >= 2 and len(nums) >= len(group):
            for e, i in zip(group, nums):
                pairs.append((Ref(e), scores[i]))
                used.add(i)
    for e in models:
        if any(p[0].span.start == e.start for p in pairs):
            continue
        # "A 37.5", "A gets 26%", "A: 50"
        j = e.end
        while j < min(sent.end, e.end + 4) and j not in scores and (low(ctx.doc[j]) in verbs or low(ctx.doc[j]) in SCORE_GLUE):
            j += 1
        if j in scores and j not in used:
            # "Hopper with Lynx-32B at 20%": the score is the system's, not its backbone's
            pairs.append((Ref(system_of(ctx, [m for m in models if m.start <= e.start])), scores[j]))
            used.add(j)
            continue
        # "79.9 for B"
        k = e.start - 1
        if k > sent.start and low(ctx.doc[k]) in FOR_WORDS:
            k -= 1
            while k > sent.start and ctx.doc[k].text in {"%", "points"}:
                k -= 1
            if k in scores and k not in used:
                pairs.append((Ref(e), scores[k]))
                used.add(k)
    # a leading, unattributed score belongs to the focus model ("MMLU: 84.8, versus 79.9 for B")
    first = min(scores)
    if (pairs and first not in used and info.focus_model is not None
            and any(w in VERSUS for w in ctx.lows[sent.start:sent.end])
            and all(name_of(p[0].span) != name_of(info.focus_model) for p in pairs)):
        pairs.insert(0, (Ref(info.focus_model, True), scores[first]))
    return pairs


def score_rule(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    lower_better = lex("lower_is_better")
    out: list[Candidate] = []
    for whole in ctx.sents:
        if any(ctx.lows[i] in lower_better for i in range(whole.start, whole.end)) or _winrate_context(ctx, whole):
            continue
        for seg in segments(whole):
            pairs = _pairs(ctx, seg, info)
            if len({name_of(r.span) for r, _ in pairs}) < 2:
                continue
            # a tabular line compares its first model with the others; prose compares all
            anchors = pairs[:1] if _tabular(ctx, seg) else pairs
            for a, va in pairs:
                for b, vb in pairs:
                    if va == vb or name_of(a.span) == name_of(b.span) or not ({id(a), id(b)} & {id(x) for x, _ in anchors}):
                        continue
                    win, lose = (a, b) if va > vb else (b, a)
                    c = emit(ctx, win, "outperforms", lose, whole, "outperforms:scores", 0.6)
                    out += [c] if c is not None else []
    return out


def _winrate_context(ctx: Ctx, sent: Span) -> bool:
    text = ctx.lower_text(sent)
    if any(w in text for w in lex("winrate_words")):
        return True
    prev = ctx.sent_of(sent.start - 1) if sent.start > 0 else None
    return prev is not None and any(w in ctx.lower_text(prev) for w in ("win rate", "winrate", "win-rate"))


def winrate_rule(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    out: list[Candidate] = []
    for sent in ctx.sents:
        if not _winrate_context(ctx, sent):
            continue
        subject = _winrate_subject(ctx, sent, info)
        if subject is None:
            continue
        for t in sent:
            v = _score(t)
            if v is None or ctx.ent(t) is not None:
                continue
            j = t.i + 1
            while j < sent.end and low(ctx.doc[j]) in {"%", "win", "rate", "winrate", "win-rate"}:
                j += 1
            if j >= sent.end or low(ctx.doc[j]) not in VERSUS | {"over"}:
                continue
            while j + 1 < sent.end and ctx.ent(j + 1) is None and low(ctx.doc[j + 1]) in {"to", "with", "the"} | VERSUS:
                j += 1
            e = ctx.ent(j + 1) if j + 1 < sent.end else None
            if e is not None and e.label_ != "Model" and e.end + 1 < sent.end and ctx.doc[e.end].text in {"'s", "\u2019s"}:
                e = ctx.ent(e.end + 1)
            if e is None or e.label_ != "Model" or v == 50:
                continue
            if v > 50:
                c = emit(ctx, subject, "outperforms", e, sent, "outperforms:winrate", 0.65)
            else:
                c = emit(ctx, Ref(e), "outperforms", subject, sent, "outperforms:winrate", 0.6)
            out += [c] if c is not None else []
    return out


def _winrate_subject(ctx: Ctx, sent: Span, info: SectionInfo) -> Ref | None:
    root = sent.root
    for s in frame(root).subjects:
        refs = resolve(ctx, s, MODEL, info)
        if refs:
            return refs[0]
    return Ref(info.focus_model, True) if info.focus_model is not None else None


def find(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    return score_rule(ctx, info) + winrate_rule(ctx, info)
