"""``funded`` in news-wire style: who put money into a round, read from cue phrases.

Press reports name the raiser once and the investors in phrases around it:

* ``funded:round-cue`` — "X raised $N in a Series B round led by A, with
  participation from B and C"; "X secured €N in backing from P, Q and R";
  "investors include A and B, as well as chipmakers C and D".
* ``funded:participated`` — "A, B and C also participated in the round",
  "with A and B joining as investors" (the raiser is the section's last
  raiser or, failing that, its main actor).
* ``funded:backer`` — "A-backed startup" (the anaphor's antecedent), "X, A's
  largest backer" (A is the funder of X).

A cue opens a list of funders; each comma/"and" chunk of the list gives its
last name ("Canadian pension fund PSP Investments" gives the fund, "former
Google chief executive P" gives P), and the list ends at the first chunk that
names nobody or holds a verb or a preposition.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from kg.extract.relations._args import SectionInfo, resolve
from kg.extract.relations._base import Ctx, Ref, emit_all, hedge_factor, lex, low, negated
from kg.extract.relations._frames import frame, is_verb
from kg.types import Candidate

ORG = frozenset({"Organization"})
FUNDERS = frozenset({"Organization", "Country", "Person"})
#: words after which a list of funders starts (the second word of two-word cues)
LEAD_WORDS = frozenset({"led", "co-led", "backed", "funded", "financed", "headed", "anchored"})
FROM_NOUNS = frozenset({"participation", "backing", "funding", "investment", "investments", "money", "capital",
                        "financing", "support", "commitments", "contributions"})
CHUNK_BREAK = frozenset({",", "and", "&", "plus"})
LIST_STOP = frozenset({"in", "at", "to", "for", "on", "with", "who", "which", "that", "according", "the", "said",
                       "says", "while", "after", "before", "as", "among", "bringing", "valuing", "giving", ";", ".",
                       ":", "(", ")", "\u2013", "\u2014"})
PARTICIPATE = frozenset({"participate", "join", "contribute", "chip", "invest", "co-invest", "pile"})


def funder_list(ctx: Ctx, start: int, sent: Span) -> list[Span]:
    """Funders named from token ``start`` on: each comma/"and" chunk of the list gives the
    name it ends with ("Canadian pension fund PSP Investments"); a chunk whose head is a
    common noun ("several Japanese banks") gives nobody but does not end the list."""
    out: list[Span] = []
    i = start
    chunk: Span | None = None
    while i < sent.end:
        t = ctx.doc[i]
        e = ctx.ent(i)
        if e is not None:
            chunk = e
            i = e.end
            continue
        w = low(t)
        if w == "(" and chunk is not None:  # "Park Intelligence (Ipai), B": an alias in brackets
            close = next((k for k in range(i + 1, min(sent.end, i + 8)) if ctx.doc[k].text == ")"), None)
            if close is not None:
                i = close + 1
                continue
        if w in CHUNK_BREAK or w in {"including", "like"} or (w == "as" and i + 2 < sent.end and low(ctx.doc[i + 1]) == "well"):
            if chunk is not None:
                out.append(chunk)
            chunk = None
            i += 3 if w == "as" else 1
            continue
        if (w in LIST_STOP and not (w == "the" and chunk is None)) or t.like_num or w in lex("money_words") or (
                is_verb(t) and t.tag_ not in {"VBN", "VBG"} and t.dep_ not in {"amod", "compound"}):
            break
        if chunk is not None and t.pos_ == "ADV":
            break  # "A and B also joined": the adverb opens the predicate, B ends the list
        chunk = None  # a common noun after the name: the name was a modifier ("Japanese banks")
        i += 1
    if chunk is not None:
        out.append(chunk)
    return [e for e in out if e.label_ in FUNDERS]


def _leads_money(lead: Token) -> bool:
    """"a round led by", "the raise was led by", "backed by": money, not a company's boss
    ("a startup led by P")."""
    if low(lead) in {"backed", "funded", "financed"}:
        return True
    rounds = lex("round_nouns")
    nouns = [lead.head] + [c for c in lead.children if c.dep_ in {"nsubjpass", "nsubj"}]
    return any(low(n) in rounds or n.lemma_.lower() in rounds for n in nouns)


def cue_starts(ctx: Ctx, sent: Span) -> list[int]:
    """Token indexes where a funder list starts: after "led by", "participation from",
    "investors include(ing)", "backing from" ..."""
    starts: list[int] = []
    doc = ctx.doc
    lows = ctx.lows
    for i in range(sent.start, sent.end):
        w = lows[i]
        if w not in _CUE_WORDS:
            continue  # none of the tests below can hold
        t = doc[i]
        prev = lows[i - 1] if i > sent.start else ""
        if w == "by" and prev in LEAD_WORDS and _leads_money(doc[t.i - 1]):
            starts.append(t.i + 1)
        elif w == "alongside" and any(low(x) in LEAD_WORDS | {"led", "co-led", "participated"} for x in doc[sent.start:t.i]):
            starts.append(t.i + 1)  # "A led the round, alongside B and C"
        elif w == "from" and (prev in FROM_NOUNS or any(low(x) in FROM_NOUNS for x in doc[max(sent.start, t.i - 3):t.i])):
            starts.append(t.i + 1)
        elif _example_cue(doc, t, sent) and any(
                low(x) in lex("investor_nouns") | {"participants", "participation", "round"}
                for x in doc[max(sent.start, t.i - 3):t.i]):
            starts.append(t.i + 1)
    return starts


#: the words :func:`cue_starts` looks at (every other word is skipped at once)
_CUE_WORDS = frozenset({"by", "alongside", "from", "include", "includes", "included", "including", "like", "as"})


def _example_cue(doc: Doc, t: Token, sent: Span) -> bool:
    """``t`` introduces examples of a group: "including", "include(s)", "such as", "like"."""
    w = low(t)
    if w in {"include", "includes", "included", "including", "like"}:
        return True
    return w == "as" and t.i > sent.start and low(doc[t.i - 1]) == "such"


def raise_events(ctx: Ctx, info: SectionInfo) -> list[tuple[Token, list[Ref]]]:
    """Raise verbs with money or a round, and their raisers (in text order)."""
    key = ("raise_events", id(info))
    cached = ctx.memo_get(key)
    if cached is not None and cached[0] is info:
        return list(cached[1])
    raise_v = lex("raise_verbs")
    money = lex("money_words") | lex("round_nouns")
    lows = ctx.lows
    out: list[tuple[Token, list[Ref]]] = []
    for sent in ctx.sents:
        for tok in ctx.verbs_in(sent):
            if not ctx.has_verb_key(tok, raise_v) or negated(tok):
                continue
            if not any(lows[x] in money for x in range(tok.i + 1, min(sent.end, tok.i + 8))):
                continue
            f = frame(tok)
            if f.passive:
                continue
            raisers = [r for s in f.subjects for r in resolve(ctx, s, ORG, info)]
            if raisers:
                out.append((tok, raisers))
    ctx.memo_set(key, (info, tuple(out)))
    return out


def _names_other_raiser(ctx: Ctx, sent: Span) -> bool:
    """The sentence reports its own raise ("Y secured $N ...") whose raiser was not found
    (an unrecognised name, or a parse too broken to tell): its funders are not the section's."""
    raise_v = lex("raise_verbs")
    money = lex("money_words") | lex("round_nouns")
    return any(ctx.has_verb_key(tok, raise_v) and tok.pos_ in {"VERB", "AUX", "ADJ"}
               and any(low(x) in money for x in ctx.doc[tok.i + 1:min(sent.end, tok.i + 8)])
               for tok in sent)


def context_raiser(ctx: Ctx, info: SectionInfo, events: list[tuple[Token, list[Ref]]], i: int) -> list[Ref]:
    """The raiser of the last raise before token ``i``; read as a direct reference when that
    raise is told in the sentence right before ("X secured $N. The round was led by A")."""
    before = [(tok, r) for tok, rs in events if tok.i < i for r in rs]
    if before:
        tok, last = before[-1]
        adjacent = ctx.sent_of(tok).end == ctx.sent_of(i).start and not last.via_anaphora
        return [Ref(last.span, not adjacent)]
    return [Ref(info.actor, True)] if info.actor is not None and info.actor.start < i else []


def _is_round_sentence(ctx: Ctx, sent: Span) -> bool:
    words = set(ctx.lows[sent.start:sent.end]) | set(ctx.lemmas[sent.start:sent.end])
    return bool(words & (lex("round_nouns") | lex("investor_nouns") | {"raise", "backing"}))


def cue_rule(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    events = raise_events(ctx, info)
    out: list[Candidate] = []
    for sent in ctx.sents:
        starts = cue_starts(ctx, sent)
        if not starts or not _is_round_sentence(ctx, sent):
            continue
        own = [(tok, rs) for tok, rs in events if sent.start <= tok.i < sent.end]
        if own:
            raisers, factor = own[0][1], hedge_factor(own[0][0])
        elif _names_other_raiser(ctx, sent):
            continue  # "Y secured €N in a round led by A" with Y unrecognised: not the section's raiser
        else:
            raisers, factor = context_raiser(ctx, info, events, sent.start), 1.0
        funders = [e for s in starts for e in funder_list(ctx, s, sent)]
        # "investors include A and B, as well as C": the list may continue after the cue's clause
        out += emit_all(ctx, [Ref(f) for f in funders], "funded", [r for r in raisers], sent,
                        "funded:round-cue", (0.8 if own else 0.7) * factor)
    return out


def _participates(tok: Token) -> bool:
    """"participate", "join", "chip in" ... or "take part"."""
    lemma = tok.lemma_.lower()
    return lemma in PARTICIPATE or (lemma == "take" and any(low(c) == "part" for c in tok.children))


def participated_rule(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    """"A and B also participated in the round"; "with A and B joining as investors"."""
    events = raise_events(ctx, info)
    out: list[Candidate] = []
    for sent in ctx.sents:
        for tok in ctx.verbs_in(sent):
            if not _participates(tok) or negated(tok):
                continue
            money_words = lex("round_nouns") | lex("investor_nouns") | {"investor", "investors"}
            tail = {low(x) for x in ctx.doc[tok.i + 1:min(sent.end, tok.i + 9)]}
            subjects = frame(tok).subjects
            # "A and B also took part in the round" / "existing backers A and B also took part"
            if not tail & money_words and not any(low(x) in money_words for s in subjects for x in s.subtree):
                continue
            funders: list[Ref] = [r for s in subjects for r in resolve(ctx, s, FUNDERS, info, anaphora=False)]
            if not funders:
                # "existing investors including A and B also joined": the examples of the subject
                funders = [Ref(e) for s in subjects for x in s.subtree if x.i > s.i and _example_cue(ctx.doc, x, sent)
                           for e in funder_list(ctx, x.i + 1, sent)]
            if not funders and tok.i > sent.start and tok.dep_ in {"acl", "advcl", "pcomp"}:
                # "with A and B joining as investors": the names sit before the participle
                j = tok.i - 1
                while j > sent.start and low(ctx.doc[j]) not in {"with", "while"}:
                    j -= 1
                funders = [Ref(e) for e in funder_list(ctx, j + 1, ctx.doc[j + 1:tok.i])]
            raisers = _round_owner(ctx, tok, sent) or context_raiser(ctx, info, events, tok.i)
            out += emit_all(ctx, funders, "funded", raisers, sent, "funded:participated", 0.75)
    return out


def _round_owner(ctx: Ctx, verb: Token, sent: Span) -> list[Ref]:
    """The organization whose round a participation verb names: "participated in X's latest funding round"."""
    rounds = lex("round_nouns")
    for e in ctx.ents_in(verb.i + 1, min(sent.end, verb.i + 10), ORG):
        if e.end < sent.end and ctx.lows[e.end] in {"'s", "\u2019s"}:
            if any(ctx.lows[k] in rounds for k in range(e.end + 1, min(sent.end, e.end + 5))):
                return [Ref(e)]
    return []


PARTICIPLES = frozenset({"participating", "joining", "contributing", "investing", "co-investing"})


def with_participle_rule(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    """"The round was led by A, with B and C participating": a round sentence whose "with"
    list ends in a participle of joining (or "among the investors") (read on the surface: the parser often takes
    "joining" for a noun); the raiser is the sentence's own or the section's last."""
    events = raise_events(ctx, info)
    out: list[Candidate] = []
    for sent in ctx.sents:
        if not _is_round_sentence(ctx, sent):
            continue
        for tok in sent:
            if ctx.lows[tok.i] != "among" and ctx.lows[tok.i] not in PARTICIPLES:
                continue  # (the test below, without reading the words ahead)
            ahead = {low(x) for x in ctx.doc[tok.i + 1:min(sent.end, tok.i + 5)]}
            if low(tok) == "among" and ahead & lex("investor_nouns"):
                pass  # "with B and C among the other investors"
            elif low(tok) not in PARTICIPLES or tok.i + 1 < sent.end and low(ctx.doc[tok.i + 1]) in {"in", "on"} and \
                    not ahead & lex("round_nouns"):
                continue  # "participating in the evaluation": not money
            j = tok.i - 1
            while j > sent.start and low(ctx.doc[j]) != "with" and tok.i - j < 15:
                j -= 1
            if low(ctx.doc[j]) != "with":
                continue
            funders = funder_list(ctx, j + 1, ctx.doc[j + 1:tok.i])
            if not funders or funders[-1].end != tok.i and low(ctx.doc[tok.i - 1]) not in {"also", "as"}:
                continue  # the participle must close the list
            own = [rs for t, rs in events if sent.start <= t.i < sent.end]
            raisers = own[0] if own else context_raiser(ctx, info, events, tok.i)
            out += emit_all(ctx, [Ref(f) for f in funders], "funded", raisers, sent, "funded:participated", 0.75)
    return out


def backer_rule(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    """"the A-backed startup" and "X, A's largest backer"."""
    doc = ctx.doc
    out: list[Candidate] = []
    for e in ctx.ents:
        if e.label_ not in FUNDERS:
            continue
        sent = ctx.sent_of(e)
        j = e.end
        if j + 2 < sent.end and doc[j].text in {"-", "\u2010"} and low(doc[j + 1]) in {"backed", "funded"}:
            noun = doc[j + 2]
            if ctx.ent(noun) is None:
                k = j + 2
                while k < sent.end and doc[k].pos_ in {"ADJ", "NOUN", "PROPN"} and ctx.ent(k) is None and \
                        low(doc[k]) not in lex("org_nouns"):
                    k += 1
                if k < sent.end and low(doc[k]) in lex("org_nouns"):
                    named = ctx.ent(k + 1) if k + 1 < sent.end else None
                    # "the A-backed research organization X": the name right after the noun
                    targets = ([Ref(named)] if named is not None and named.start == k + 1 and named.label_ == "Organization"
                               else resolve(ctx, doc[k], ORG, info))
                    out += emit_all(ctx, [e], "funded", targets, sent, "funded:backer", 0.75)
        # "X, A's (largest) backer"
        if e.start >= 2 and doc[e.start - 1].text == "," and j + 1 < sent.end and doc[j].text in {"'s", "\u2019s"}:
            x = ctx.ent(e.start - 2)
            k = j + 1
            while k < min(sent.end, j + 4) and low(doc[k]) not in lex("investor_nouns"):
                k += 1
            if x is not None and x.label_ in FUNDERS and k < sent.end and low(doc[k]) in lex("investor_nouns"):
                out += emit_all(ctx, [x], "funded", [e], sent, "funded:backer", 0.75)
    return out


def find(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    return cue_rule(ctx, info) + participated_rule(ctx, info) + with_participle_rule(ctx, info) + backer_rule(ctx, info)
