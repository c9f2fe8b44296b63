"""Resolving a verb's argument token to the entities it names.

An argument can be an entity ("Microsoft"), a list of them ("A, B and C"), a
research team ("researchers with A and B", "Microsoft researchers"), an
owner ("a Tencent paper"), or an anaphor ("the company", "they", "it") that
points back to an earlier entity of the same section.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Span, Token

from kg.extract.relations._base import Ctx, Ref, lex, list_around, low, name_of

ORG_PERSON = frozenset({"Organization", "Person"})
PRONOUNS_TEAM = frozenset({"they", "we", "them"})
PRONOUNS_IT = frozenset({"it", "its"})
DETERMINERS = frozenset({"the", "this", "that", "these", "those", "its", "their", "our"})


@dataclass(frozen=True, slots=True)
class SectionInfo:
    """What a section is about: its research team, its focus model and its main actor
    (the organization the item is about, which "the company" / "the startup" refer to)."""

    team: tuple[Span, ...] = ()
    focus_model: Span | None = None
    actor: Span | None = None


def team_after(ctx: Ctx, tok: Token, sent: Span) -> list[Span]:
    """Entities named after a team noun: "researchers with A, B and C", "research from A"."""
    preps, bridge, nouns = lex("team_preps"), lex("team_bridge"), lex("team_nouns")
    end = min(sent.end, tok.i + 10)
    j = tok.i + 1
    while j < end and low(ctx.doc[j]) not in preps:
        if low(ctx.doc[j]) not in bridge:
            return []
        j += 1
    if j >= end:
        return []
    for k in range(j + 1, min(sent.end, j + 8)):
        e = ctx.ent(k)
        if e is not None:
            if e.start == k and e.label_ in ORG_PERSON:
                return list_around(ctx, e, ORG_PERSON, limit=sent)
            return []
        w = low(ctx.doc[k])
        if w not in bridge and w not in nouns and w not in preps and not ctx.doc[k].like_num:
            return []
    return []


def owner_of(ctx: Ctx, tok: Token, types: frozenset[str]) -> list[Span]:
    """Entities attached to a noun as compound or possessor: "Tencent paper", "Google's team"."""
    for c in tok.children:
        if c.dep_ in {"compound", "poss", "nmod", "amod"}:
            e = ctx.ent(c)
            if e is not None and e.label_ in types:
                return list_around(ctx, e, types, limit=ctx.sent_of(tok))
    # surface fallback: the entity right before the noun ("the Microsoft research team")
    i = tok.i - 1
    while i >= ctx.sent_of(tok).start and ctx.doc[i].pos_ in {"ADJ", "NOUN"} and ctx.ent(i) is None:
        i -= 1
    e = ctx.ent(i) if i >= ctx.sent_of(tok).start else None
    if e is not None and e.label_ in types and e.end == i + 1:
        nxt = ctx.doc[e.end] if e.end < len(ctx.doc) else None
        if nxt is not None and (nxt.tag_ == "POS" or nxt.i == tok.i or nxt.pos_ in {"ADJ", "NOUN"}):
            return [e]
    return []


def is_anaphor(tok: Token, kind: str) -> bool:
    """``tok`` is a pronoun or a definite noun that can point back ("the company")."""
    w = low(tok)
    words = lex(kind)
    if w in PRONOUNS_TEAM | PRONOUNS_IT and w in words:
        return True
    if tok.pos_ == "PRON":
        return w in words
    if tok.lemma_.lower() not in words and w not in words:
        return False
    return any(c.dep_ in {"det", "poss"} and low(c) in DETERMINERS for c in tok.children)


def antecedent(ctx: Ctx, tok: Token, types: frozenset[str], info: SectionInfo) -> list[Ref]:
    """The entity an anaphor refers to: the team, the focus model or the latest entity."""
    w = low(tok)
    if "Model" in types and info.focus_model is not None and (w in PRONOUNS_IT or tok.lemma_.lower() in lex("model_anaphors")):
        if tok.lemma_.lower() in lex("model_anaphors") or w in PRONOUNS_IT:
            return [Ref(info.focus_model, True)]
    if (w in PRONOUNS_TEAM or tok.lemma_.lower() in {"researcher", "author", "scientist", "team"}) and info.team:
        return [Ref(e, True) for e in info.team if e.label_ in types]
    prev = ctx.before(tok.i, types)
    if w in PRONOUNS_TEAM:
        prev = [e for e in prev if e.label_ == "Organization"]
    actor = info.actor
    if (actor is not None and actor.label_ in types and actor.end <= tok.i
            and (tok.lemma_.lower() in lex("org_nouns") or w in PRONOUNS_IT)):
        # "the company" / "the startup" in a news item is the item's main actor, not the
        # organization named last ("... former Google researcher P. The company released Y")
        return [Ref(actor, True)]
    return [Ref(prev[-1], True)] if prev else []


def resolve(ctx: Ctx, tok: Token, types: frozenset[str], info: SectionInfo, *, anaphora: bool = True) -> list[Ref]:
    """The entities an argument token stands for (empty when none can be found)."""
    sent = ctx.sent_of(tok)
    e = ctx.ent(tok)
    if e is not None:
        return [Ref(x) for x in list_around(ctx, e, types, limit=sent)] if e.label_ in types else []
    if low(tok) in lex("team_nouns") or tok.lemma_.lower() in lex("team_nouns"):
        team = team_after(ctx, tok, sent)
        if team:
            return [Ref(x) for x in team if x.label_ in types]
    owners = owner_of(ctx, tok, types)
    if owners:
        return [Ref(x) for x in owners]
    # an appositive or a name right after a common noun ("two startups – A and B")
    for c in tok.children:
        if c.dep_ == "appos":
            ce = ctx.ent(c)
            if ce is not None and ce.label_ in types:
                return [Ref(x) for x in list_around(ctx, ce, types, limit=sent)]
    if anaphora:
        kind = "model_anaphors" if types == frozenset({"Model"}) else "org_anaphors"
        if tok.pos_ == "PRON" and low(tok) in {"he", "she"}:
            kind = "person_anaphors"
        if is_anaphor(tok, kind) or (kind == "model_anaphors" and tok.lemma_.lower() in lex(kind) and tok.dep_.startswith("nsubj")):
            return antecedent(ctx, tok, types, info)
    return []


def section_info(ctx: Ctx) -> SectionInfo:
    """The research team and the focus model of a section."""
    team: dict[int, Span] = {}
    nouns = lex("team_nouns")
    for sent in ctx.sents:
        for tok in sent:
            if low(tok) not in nouns and tok.lemma_.lower() not in nouns:
                continue
            for e in team_after(ctx, tok, sent):
                team.setdefault(e.start, e)
            if tok.lemma_.lower() in {"researcher", "scientist", "engineer", "team", "paper", "research"}:
                for e in owner_of(ctx, tok, ORG_PERSON):
                    team.setdefault(e.start, e)
    members: dict[str, Span] = {}
    for e in sorted(team.values(), key=lambda s: s.start):
        members.setdefault(name_of(e).casefold(), e)
    models = [e for e in ctx.ents if e.label_ == "Model"]
    focus = None
    if models:
        counts = Counter(name_of(e).casefold() for e in models)
        best = max(counts.values())
        focus = next(e for e in models if counts[name_of(e).casefold()] == best)
    return SectionInfo(tuple(members.values()), focus, main_actor(ctx))


def main_actor(ctx: Ctx) -> Span | None:
    """The organization a section is about: the most often named one, counting a mention in
    the headline or as a sentence subject twice (ties go to the earliest)."""
    orgs = [e for e in ctx.ents if e.label_ == "Organization"]
    if not orgs:
        return None
    first_line = ctx.sents[0] if ctx.sents else None
    score: Counter[str] = Counter()
    first: dict[str, Span] = {}
    for e in orgs:
        key = name_of(e).casefold()
        first.setdefault(key, e)
        bonus = first_line is not None and first_line.start <= e.start < first_line.end
        bonus = bonus or e.root.dep_ in {"nsubj", "nsubjpass"}
        score[key] += 2 if bonus else 1
    best = max(score.values())
    if best < 2:
        return None
    return min((first[k] for k, v in score.items() if v == best), key=lambda e: e.start)
