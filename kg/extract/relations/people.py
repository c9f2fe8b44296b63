"""``worksFor`` (Person -> Organization).

* ``worksFor:title`` — "X's founder P", "X CEO P", "X researcher P",
  "P, CEO of X", "P, a researcher at X", "P, X's CTO", "the CEO of X, P", "P of X".
* ``worksFor:owner`` — "P's AI company X", "X, P's artificial intelligence startup"
  (the person whose company it is founded or runs it).
* ``worksFor:verb`` — "P joined X", "P works at X", "P founded X",
  "X was founded / is led by P", "X, a startup led by P".
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from kg.extract.relations._args import SectionInfo, antecedent, is_anaphor, resolve
from kg.extract.relations._base import Ctx, Ref, emit, emit_all, lex, list_around, low, trigger_verbs
from kg.extract.relations._frames import frame
from kg.types import Candidate

ORG = frozenset({"Organization"})
PERSON = frozenset({"Person"})
POSSESSIVE = frozenset({"'s", "\u2019s"})
FILLER = frozenset({"a", "an", "the", "its", "their", "former", "longtime", "new", "senior", "principal", "lead",
                    "staff", "research", "and", "&", "-", "co", "chief", "executive", "technical", "technology",
                    "founding", "deputy", "vice", "current", "head", "ai", "safety", "policy", "product"})


TIME_ADVERBS = frozenset({"previously", "formerly", "once", "now", "currently", "still", "also", "most", "recently"})


def _is_title(tok: Token) -> bool:
    return low(tok) in lex("titles") or tok.lemma_.lower() in lex("titles")


def _title_run(doc: Doc, start: int, end: int, step: int) -> tuple[int, bool]:
    """Walk over title words and fillers; return where it stops and whether a title was seen.

    Forwards, a title takes a lowercase field ("head of research", "VP of engineering")
    but never a name ("CEO of X" stops at "of").
    """
    i, seen = start, False
    while (i < end if step > 0 else i > end):
        t = doc[i]
        if _is_title(t):
            seen = True
        elif step > 0 and seen and low(t) == "of" and i + 1 < end and _field_word(doc[i + 1]):
            i += 2
            continue
        elif low(t) not in FILLER and not _role_word(t):
            break
        i += step
    return i, seen


#: lowercase words that end a title run although they are nouns or adjectives
NOT_ROLE = frozenset({"of", "at", "for", "with", "and", "or", "in", "on", "by", "to", "from", "who", "which", "that"})


def _role_word(tok: Token) -> bool:
    """A lowercase noun or adjective inside a job title: "strategy chief", "chief neural network
    architect", "corporate vice president", "venture partner"."""
    return (tok.is_lower and tok.is_alpha and tok.pos_ in {"NOUN", "ADJ"} and not tok.ent_type_
            and low(tok) not in NOT_ROLE)


def _field_word(tok: Token) -> bool:
    """A field of work after "head of": "research", "engineering", "AI", "product"."""
    if tok.ent_type_ or low(tok) in {"the", "a", "an", "its", "their", "our"}:
        return False
    return (tok.is_lower and tok.is_alpha) or low(tok) in {"ai", "ml", "r&d"}


def title_rule(ctx: Ctx) -> list[Candidate]:
    doc = ctx.doc
    out: list[Candidate] = []

    def add(p: Span, o: Span, sent: Span, conf: float) -> None:
        c = emit(ctx, p, "worksFor", o, sent, "worksFor:title", conf)
        if c is not None:
            out.append(c)

    for e in ctx.ents:
        sent = ctx.sent_of(e)
        if e.label_ == "Organization":
            # "X's founder P" / "X CEO P" / "X researcher P"
            j = e.end + (1 if e.end < sent.end and doc[e.end].text in POSSESSIVE else 0)
            k, seen = _title_run(doc, j, min(sent.end, j + 5), 1)
            if seen and k + 1 < sent.end and doc[k].text == "," and j > e.end:
                k += 1  # "X's chief scientist, P"
            p = ctx.ent(k) if k < sent.end else None
            if seen and p is not None and p.start == k and p.label_ == "Person":
                for q in list_around(ctx, p, PERSON, limit=sent):
                    if q.start >= p.start:  # "X cofounders A and B": every name of the list
                        add(q, e, sent, 0.85)
            # "the CEO of X, P"
            if e.start >= 2 and low(doc[e.start - 1]) in {"of", "at"} and e.end + 1 < sent.end and doc[e.end].text == ",":
                _, seen = _title_run(doc, e.start - 2, max(sent.start - 1, e.start - 6), -1)
                p = ctx.ent(e.end + 1)
                if seen and p is not None and p.start == e.end + 1 and p.label_ == "Person":
                    add(p, e, sent, 0.8)
        if e.label_ != "Person":
            continue
        j = e.end
        # "P, a former X researcher" / "P is a former X researcher"
        if j < sent.end and (doc[j].text == "," or low(doc[j]) in {"is", "was"}):
            k = j + 2 if doc[j].text == "," and j + 1 < sent.end and low(doc[j + 1]) in {"is", "was"} else j + 1
            while k < min(sent.end, j + 4) and low(doc[k]) in FILLER and not _is_title(doc[k]):
                k += 1
            o = ctx.ent(k) if k < sent.end else None
            if o is not None and o.start == k and o.label_ == "Organization":
                _, seen = _title_run(doc, o.end, min(sent.end, o.end + 4), 1)
                if seen:
                    add(e, o, sent, 0.8)
        if j < sent.end and doc[j].text == ",":
            j += 1
            # "P, X's CTO"
            o = ctx.ent(j)
            if o is not None and o.start == j and o.label_ == "Organization" and o.end < sent.end and doc[o.end].text in POSSESSIVE:
                _, seen = _title_run(doc, o.end + 1, min(sent.end, o.end + 5), 1)
                if seen:
                    add(e, o, sent, 0.8)
                continue
            # "P, formerly of X"
            if j + 1 < sent.end and low(doc[j]) in TIME_ADVERBS - {"now", "currently"} and low(doc[j + 1]) in {"of", "at"}:
                o = ctx.ent(j + 2) if j + 2 < sent.end else None
                if o is not None and o.start == j + 2 and o.label_ == "Organization":
                    add(e, o, sent, 0.7)
                continue
            # "P, (the) CEO of X" / "P, a researcher at X"
            k, seen = _title_run(doc, j, min(sent.end, j + 6), 1)
            if not seen:
                continue
        elif j < sent.end and low(doc[j]) in {"of", "at"}:
            # "P of X"
            k, seen = j, True
        elif j < sent.end and low(doc[j]) in {"is", "was"}:
            # "P was (previously) CTO of X"
            k = j + 1
            while k < sent.end and low(doc[k]) in TIME_ADVERBS:
                k += 1
            k, seen = _title_run(doc, k, min(sent.end, k + 6), 1)
            if not seen:
                continue
        else:
            continue
        if k < sent.end and low(doc[k]) in {"of", "at", "for", "with"}:
            k += 1 if k + 2 < sent.end and low(doc[k + 1]) == "the" else 0  # "a mathematician at the University of X"
            o = ctx.ent(k + 1) if k + 1 < sent.end else None
            if o is not None and o.start == k + 1 and o.label_ == "Organization":
                add(e, o, sent, 0.8 if j != e.end else 0.65)
    return out


def _anaphor_owner(ctx: Ctx, tok: Token, info: SectionInfo) -> tuple[list[Ref], int]:
    """The organization an anaphoric possessor stands for ("the company's", "its", "our")
    and the index after the possessor; empty when ``tok`` is none."""
    doc = ctx.doc
    w = low(tok)
    if w in {"its", "their"} and tok.tag_ == "PRP$":
        return antecedent(ctx, tok, ORG, info), tok.i + 1
    if w in {"our"} and tok.tag_ == "PRP$":
        # a company's own post ("our head of research, P"): the organization the item is about
        return ([Ref(info.actor, True)] if info.actor is not None else []), tok.i + 1
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is None or nxt.text not in POSSESSIVE or tok.pos_ != "NOUN" or not is_anaphor(tok, "org_anaphors"):
        return [], tok.i
    return resolve(ctx, tok, ORG, info), tok.i + 2


_OWNER_WORDS = frozenset({"its", "their", "our"})
_POSSESSIVE_LOW = frozenset(p.lower() for p in POSSESSIVE)


def anaphor_title_rule(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    """"The company's chief executive, P, said", "P, the startup's CTO", "its founder P"."""
    doc = ctx.doc
    out: list[Candidate] = []
    lows = ctx.lows
    for sent in ctx.sents:
        for i in range(sent.start, sent.end):
            if lows[i] not in _OWNER_WORDS and (i + 1 >= len(lows) or lows[i + 1] not in _POSSESSIVE_LOW):
                continue  # _anaphor_owner finds nobody: no possessive pronoun, no "'s" after the word
            tok = doc[i]
            if ctx.ent(tok) is not None:
                continue
            orgs, j = _anaphor_owner(ctx, tok, info)
            if not orgs:
                continue
            k, seen = _title_run(doc, j, min(sent.end, j + 7), 1)
            if not seen or k == j:
                continue
            people: list[Span] = []
            if k < sent.end and doc[k].text == ",":
                k += 1
            p = ctx.ent(k) if k < sent.end else None
            if p is not None and p.start == k and p.label_ == "Person":
                people.append(p)
            # "P, the company's CTO"
            lead = tok.i - 1 if low(tok) in {"its", "our", "their"} else tok.left_edge.i - 1
            if lead > sent.start and doc[lead].text == ",":
                q = ctx.ent(lead - 1)
                if q is not None and q.label_ == "Person" and q.end == lead:
                    people.append(q)
            out += emit_all(ctx, people, "worksFor", orgs, sent, "worksFor:title", 0.8)
    return out


OWNED_NOUNS = frozenset({"company", "startup", "start-up", "lab", "laboratory", "firm", "outfit", "venture"})


def _owned_noun_end(ctx: Ctx, start: int, hi: int) -> int | None:
    """Index just past an owned-organization noun phrase starting at ``start``
    ("artificial intelligence company"), or None when the words are something else."""
    for k in range(start, min(hi, start + 5)):
        t = ctx.doc[k]
        if low(t) in OWNED_NOUNS:
            return k + 1
        if ctx.ent(k) is not None or t.pos_ not in {"ADJ", "NOUN", "PROPN", "PUNCT"} or t.text in {",", "."}:
            return None
    return None


def owner_rule(ctx: Ctx) -> list[Candidate]:
    """"P's AI company X" and "X, P's AI startup": the person's own organization."""
    doc = ctx.doc
    out: list[Candidate] = []
    for p in ctx.ents:
        if p.label_ != "Person" or p.end + 1 >= len(doc) or doc[p.end].text not in POSSESSIVE:
            continue
        sent = ctx.sent_of(p)
        direct = ctx.ent(p.end + 1)
        if direct is not None and direct.start == p.end + 1 and direct.label_ == "Organization":
            # "Jensen Huang's Nvidia": the person presented as the organization's founder or head
            c = emit(ctx, p, "worksFor", direct, sent, "worksFor:owner", 0.7)
            out += [c] if c is not None else []
            continue
        end = _owned_noun_end(ctx, p.end + 1, sent.end)
        if end is None:
            continue
        org = ctx.ent(end) if end < sent.end else None
        if org is None or org.start != end:
            k = p.start - 1  # "X, P's company": the name in front of the apposition
            while k > sent.start and low(doc[k]) in {",", "the"}:
                k -= 1
            org = ctx.ent(k) if k >= sent.start and doc[k + 1].text == "," else None
            if org is None or org.end != k + 1:
                continue
        c = emit(ctx, p, "worksFor", org, sent, "worksFor:owner", 0.7)
        out += [c] if c is not None else []
    return out


def verb_rule(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    join_v, found_v, lead_v, work_v = lex("join_verbs"), lex("found_verbs"), lex("lead_verbs"), lex("work_verbs")
    triggers = join_v | found_v | lead_v | work_v
    out: list[Candidate] = []
    for sent, tok, keys, factor in trigger_verbs(ctx, triggers):
        f = frame(tok)
        if f.passive:
            if not keys & (found_v | lead_v):
                continue
            people = [r for s in f.subjects for r in resolve(ctx, s, PERSON, info)]
            orgs: list[Ref] = []
            for o in f.objects:
                orgs += resolve(ctx, o, ORG, info)
                if not orgs and o.dep_ == "appos":
                    orgs += resolve(ctx, o.head, ORG, info)
            out += emit_all(ctx, people, "worksFor", [o.span for o in orgs], sent, "worksFor:verb", 0.75 * factor)
            continue
        people = [r for s in f.subjects for r in resolve(ctx, s, PERSON, info)]
        if not people and tok.i >= 3 and doc_text(ctx, tok.i - 1) in {"-", "\u2010"} and doc_text(ctx, tok.i - 2).lower() == "co":
            # "P co-founded X" parsed as "P co" + "-founded": the name right before "co-"
            p = ctx.ent(tok.i - 3)
            people = [Ref(p)] if p is not None and p.label_ == "Person" else []
        if keys & work_v:
            targets = [Ref(e) for c in tok.children if c.dep_ == "prep" and low(c) in {"at", "for"}
                       for e in _ents_under(ctx, c)]
            # "P served as CTO at X": the place of work hangs off the title
            targets += [Ref(e) for c in tok.children if c.dep_ == "prep" and low(c) == "as"
                        for title in c.children if title.dep_ == "pobj" and _is_title(title)
                        for p in title.children if p.dep_ == "prep" and low(p) in {"at", "for", "of"}
                        for e in _ents_under(ctx, p)]
        else:
            # "P co-founded the startup (with Q and R)": a founded "the company" is the item's actor
            founding = bool(keys & found_v)
            targets = [r for o in f.objects for r in resolve(ctx, o, ORG, info, anaphora=founding and _org_noun(o))]
            if founding and targets:
                people += [Ref(e) for c in tok.children if c.dep_ == "prep" and low(c) == "with"
                           for e in _people_under(ctx, c)]
        out += emit_all(ctx, people, "worksFor", [t.span for t in targets], sent, "worksFor:verb", 0.8 * factor)
    return out


def doc_text(ctx: Ctx, i: int) -> str:
    return ctx.doc[i].text


def _org_noun(tok: Token) -> bool:
    return tok.lemma_.lower() in lex("org_nouns") and _definite(tok)


def _definite(tok: Token) -> bool:
    """The noun has a definite determiner ("the startup", "the AI lab")."""
    return any(c.dep_ in {"det", "poss"} and low(c) in {"the", "this", "its"} for c in tok.children)


def _people_under(ctx: Ctx, tok: Token) -> list[Span]:
    return [e for e in ctx.ents if e.label_ == "Person" and any(t.i == e.root.i for t in tok.subtree)]


def _ents_under(ctx: Ctx, tok: Token) -> list[Span]:
    return [e for e in ctx.ents if e.label_ == "Organization" and any(t.i == e.root.i for t in tok.subtree)]


def find(ctx: Ctx, info: SectionInfo) -> list[Candidate]:
    return title_rule(ctx) + anaphor_title_rule(ctx, info) + owner_rule(ctx) + verb_rule(ctx, info)
