"""Resolving a verb's argument token to the entities it names.

An argument can be an entity ("Microsoft"), a list of them ("A, B and C"), a
research team ("researchers with A and B", "Microsoft researchers"), an
owner ("a Tencent paper"), or an anaphor ("the company", "they", "it") that
points back to an earlier entity of the same section.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Span, Token

from kg.extract.relations._base import Ctx, Ref, lex, list_around, low, name_of, subtree_ents

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
    line = ctx.sent_of(tok)
    for c in tok.children:
        if c.dep_ in {"compound", "poss", "nmod", "amod"} and line.start <= c.i < line.end:
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


def paragraph_orgs(ctx: Ctx, i: int, types: frozenset[str]) -> list[Span]:
    """Entities of ``types`` (organizations) before token ``i`` in its paragraph (text since
    the last blank line)."""
    start = i
    while start > 0 and ctx.doc[start - 1].text.count("\n") < 2:
        start -= 1
    return [e for e in ctx.ents_in(start, i, types) if e.label_ == "Organization"]


def antecedent(ctx: Ctx, tok: Token, types: frozenset[str], info: SectionInfo) -> list[Ref]:
    """The entity an anaphor refers to: the team, the focus model or the latest entity."""
    w = low(tok)
    if "Model" in types and (w in PRONOUNS_IT or tok.lemma_.lower() in lex("model_anaphors")):
        # the model named earlier in the same sentence: its subject ("Y beat Z, but it trails W"),
        # else one that is no oblique argument ("On B, Y scores 79 compared with 80 for Z, and it
        # beats W": Z sits in a prepositional phrase), else the nearest ("X released Y, claiming
        # the model beats Z"); else the section's model
        sent = ctx.sent_of(tok)
        near = [e for e in ctx.before(tok.i, frozenset({"Model"})) if e.start >= sent.start]
        subjects = [e for e in near if e.root.dep_ in {"nsubj", "nsubjpass"}]
        if not subjects and tok.dep_ in {"nsubj", "nsubjpass"}:
            subjects = [e for e in near if not _oblique(ctx, e)][:1]
        if subjects or near:
            return [Ref((subjects or near)[-1], True)]
        if info.focus_model is not None:
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
        # organization named last ("... former Google researcher P. The company released Y");
        # a paragraph that never names the actor but names others is an item of its own (bold
        # run-in headlines leave several items in one section)
        local = paragraph_orgs(ctx, tok.i, types)
        if local and all(name_of(e).casefold() != name_of(actor).casefold() for e in local):
            subjects = [e for e in local if e.root.dep_ in {"nsubj", "nsubjpass"}]
            return [Ref((subjects or local)[0], True)]
        return [Ref(actor, True)]
    return [Ref(prev[-1], True)] if prev else []


#: words that make the name after them an oblique or compared argument, not a clause subject
OBLIQUE_WORDS = frozenset({"for", "than", "with", "against", "versus", "vs", "vs.", "over", "to", "from", "of",
                           "by", "like", "as", "behind", "beside", "besides", "including", "on", "in", "at"})


def _oblique(ctx: Ctx, e: Span) -> bool:
    """``e`` is an object or sits in a prepositional phrase (by parse or by the word before it)."""
    if e.root.dep_ in {"pobj", "dobj", "obj", "dative", "appos", "conj", "attr"}:
        return True
    i = e.start - 1
    while i >= 0:  # skip an owner and determiners: "for OpenAI's o1", "than the new Y"
        owner = ctx.ent(i)
        if owner is not None:
            i = owner.start - 1
        elif ctx.doc[i].tag_ in {"POS", "DT", "PRP$"}:
            i -= 1
        else:
            break
    return i >= 0 and low(ctx.doc[i]) in OBLIQUE_WORDS


def _apposed_name(ctx: Ctx, tok: Token, types: frozenset[str]) -> Span | None:
    """The name a common noun is in apposition to ("X, the AI company backed by P, ..."):
    an explicit name always beats reading the noun as an anaphor."""
    if tok.pos_ not in {"NOUN", "PROPN"}:
        return None
    if tok.dep_ == "appos":
        head = ctx.ent(tok.head)
        if head is not None and head.label_ in types:
            return head
    left = tok.left_edge.i
    sent = ctx.sent_of(tok)
    if left - 2 < sent.start or ctx.doc[left - 1].text != ",":
        return None
    prev = ctx.ent(left - 2)
    if prev is None or prev.end != left - 1 or prev.label_ not in types:
        return None
    # "X, the company" is an apposition when X opens its clause or the noun is no clause
    # subject ("runs Y, a vision model that ..."), not in "... from X, the company said"
    before = ctx.doc[prev.start - 1] if prev.start > sent.start else None
    opens = before is None or before.text in {",", ";", ":", "\n"} or before.is_space
    return prev if opens or tok.dep_ not in {"nsubj", "nsubjpass", "ROOT"} else None


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
    named = _apposed_name(ctx, tok, types)
    if named is not None:
        return [Ref(named)]
    examples = examples_of(ctx, tok, types)
    if examples:
        return [Ref(x) for x in examples]
    if anaphora:
        kind = "model_anaphors" if types == frozenset({"Model"}) else "org_anaphors"
        if tok.pos_ == "PRON" and low(tok) in {"he", "she"}:
            kind = "person_anaphors"
        if is_anaphor(tok, kind) or (kind == "model_anaphors" and tok.lemma_.lower() in lex(kind) and tok.dep_.startswith("nsubj")):
            return antecedent(ctx, tok, types, info)
    return []


EXAMPLE_PREPS = frozenset({"like", "including", "incl", "incl."})


def examples_of(ctx: Ctx, tok: Token, types: frozenset[str]) -> list[Span]:
    """The named examples of a common noun: "models such as A, B and C", "labs like A and B",
    "rivals including A" (what a rule means when such a noun is its argument)."""
    for c in tok.children:
        if c.dep_ != "prep":
            continue
        w = low(c)
        if w in EXAMPLE_PREPS or (w == "as" and c.i > 0 and low(ctx.doc[c.i - 1]) == "such"):
            found = subtree_ents(ctx, c, types)
            if found:  # and every name coordinated with one the parse attached
                more = {m.start: m for e in found for m in list_around(ctx, e, types, limit=ctx.sent_of(e))}
                return [more[k] for k in sorted(more)]
    return []


def section_info(ctx: Ctx) -> SectionInfo:
    """The research team and the focus model of a section."""
    team: dict[int, Span] = {}
    nouns = lex("team_nouns")
    for sent in ctx.sents:
        for i in range(sent.start, sent.end):
            if ctx.lows[i] not in nouns and ctx.lemmas[i] not in nouns:
                continue
            tok = ctx.doc[i]
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


#: an issue's title line ("Import AI 395: ...", "Tech briefing 7: A; B"), which lists several items
ISSUE_TITLE = re.compile(r"^\W*[A-Z][\w .&'-]{0,40}?(?:#|No\. ?)?\b\d+\s*:")


def main_actor(ctx: Ctx) -> Span | None:
    """The organization a section is about: the most often named one, counting a mention in
    the headline or as a sentence subject twice (ties go to the earliest).

    A headline naming several organizations gives none of them the bonus, and an issue's
    title line (which lists the items of the whole issue) is not counted at all.
    """
    first_line = ctx.sents[0] if ctx.sents else None
    in_first = (lambda e: first_line is not None and first_line.start <= e.start < first_line.end)
    issue_title = first_line is not None and len(ctx.sents) > 1 and bool(ISSUE_TITLE.match(first_line.text))
    orgs = [e for e in ctx.ents if e.label_ == "Organization" and not (issue_title and in_first(e))]
    if not orgs:
        return None
    headline_orgs = {name_of(e).casefold() for e in orgs if in_first(e)}
    score: Counter[str] = Counter()
    first: dict[str, Span] = {}
    for e in orgs:
        key = name_of(e).casefold()
        first.setdefault(key, e)
        bonus = in_first(e) and len(headline_orgs) == 1
        bonus = bonus or e.root.dep_ in {"nsubj", "nsubjpass"}
        score[key] += 2 if bonus else 1
    best = max(score.values())
    if best < 2:
        return None
    return min((first[k] for k, v in score.items() if v == best), key=lambda e: e.start)
