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
"""

from __future__ import annotations


from kg.extract.relations._base import Ctx, demonyms, emit, emit_named, lex, list_around, low, name_of
from kg.types import Candidate

ORG = frozenset({"Organization"})
BRIDGE = frozenset({"-", "based", "homegrown", "home-grown", "ai", "tech", "startup", "startups", "lab", "labs", "company",
                    "companies", "firm", "firms", "giant", "giants", "chipmaker", "researchers", "research", "scientists",
                    "group", "conglomerate", "rival", "rivals", "unicorn", "outfit", "organization", "organizations",
                    "models", "model", "like", "such", "as", "including", "from", "with", "at", "of", "the", "new",
                    "leading", "big", "major", "national", "state", "state-backed", "state-owned", "frontier",
                    "well", "known", "well-known", "prominent", "top", "chip", "robotics", "software", "video",
                    "generation", "language", "e-commerce", "internet", "search", "social", "media", "cloud", "labs'"})
ORGISH = frozenset({"startup", "startups", "lab", "labs", "company", "companies", "firm", "firms", "giant", "giants",
                    "chipmaker", "group", "conglomerate", "rival", "rivals", "unicorn", "outfit", "organization",
                    "organizations", "researchers", "scientists", "like", "including", "as", "with", "from", "at",
                    "of", "based", "homegrown"})


def demonym_rule(ctx: Ctx) -> list[Candidate]:
    """A country (often a demonym) in front of an organization, with org-like words between."""
    out: list[Candidate] = []
    doc = ctx.doc
    for country in ctx.ents:
        if country.label_ != "Country":
            continue
        sent = ctx.sent_of(country)
        j, words = country.end, []
        while j < min(sent.end, country.end + 7) and ctx.ent(j) is None and low(doc[j]) in BRIDGE:
            words.append(low(doc[j]))
            j += 1
        org = ctx.ent(j) if j < sent.end else None
        if org is None or org.label_ != "Organization" or org.start != j:
            continue
        if words and not (set(words) & ORGISH):
            continue
        rule, conf = ("basedIn:team", 0.7) if set(words) & {"researchers", "scientists", "with", "from", "like", "including"} else ("basedIn:demonym", 0.85)
        targets = list_around(ctx, org, ORG, limit=sent) if rule == "basedIn:team" or not words else [org]
        for o in targets:
            c = emit(ctx, o, "basedIn", country, sent, rule, conf)
            out += [c] if c is not None else []
    return out


def appos_rule(ctx: Ctx) -> list[Candidate]:
    """"X, a Chinese company", "X, based in Canada", "X (headquartered in France)", "Canada's X"."""
    out: list[Candidate] = []
    doc = ctx.doc
    based = lex("based_words")
    for org in ctx.ents:
        if org.label_ != "Organization":
            continue
        sent = ctx.sent_of(org)
        j = org.end
        if j < sent.end and doc[j].text in {",", "("}:
            k = j + 1
            while k < min(sent.end, j + 8) and ctx.ent(k) is None and doc[k].text not in {",", ")", "."}:
                k += 1
            country = ctx.ent(k) if k < sent.end else None
            between = {low(t) for t in doc[j + 1:k]}
            if country is not None and country.label_ == "Country" and country.start == k:
                after = doc[country.end] if country.end < sent.end else None
                if between & based and between & {"in", "out"}:
                    c = emit(ctx, org, "basedIn", country, sent, "basedIn:appos", 0.85)
                    out += [c] if c is not None else []
                elif between <= {"a", "an", "the"} | BRIDGE and after is not None and low(after) in ORGISH | {"ai", "tech", "chip"}:
                    c = emit(ctx, org, "basedIn", country, sent, "basedIn:appos", 0.8)
                    out += [c] if c is not None else []
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


def find(ctx: Ctx, info: object) -> list[Candidate]:
    return demonym_rule(ctx) + appos_rule(ctx) + name_rule(ctx)
