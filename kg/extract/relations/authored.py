"""``authored`` (Organization/Person -> Paper).

Sentence-level "X published TITLE" is read by :mod:`released` (a release verb
whose object is a Paper). This module adds:

* ``authored:source`` — the source in parentheses after a cited title,
  "Read more: TITLE (X blog)" or "TITLE (X, PDF)".
* ``released:paper-title`` — a paper titled after the thing it presents
  ("X: a benchmark for ...", "X: a foundation model of ...") was released,
  with that thing, by the paper's authors, when the section names X too.
* ``authored:section`` — newsletter items name the team in the body
  ("Researchers with A and B have built ...", "Microsoft has released ...")
  and the paper on a "Read more" line: the section's team (or the section's
  releasing organizations) authored the section's papers that have no
  explicit source. Lower confidence.
"""

from __future__ import annotations

from spacy.tokens import Span

from kg.extract.relations._args import ORG_PERSON, SectionInfo
from kg.extract.relations._base import Ctx, Ref, emit, lex, low, name_of, same_name
from kg.extract.relations._frames import frame, is_verb
from kg.types import Candidate

VERB_RULES = frozenset({"released:verb", "released:passive", "released:verb-surface", "released:surface",
                        "released:verb-surface-subject", "released:verb-surface-surface-subject"})
SAY_VERBS = frozenset({"write", "say", "note", "explain", "report", "find", "show", "argue", "claim"})


def source_authors(ctx: Ctx, paper: Span) -> list[Span]:
    """Organizations/people inside the parentheses right after a cited title."""
    doc = ctx.doc
    i = paper.end
    if i < len(doc) and doc[i].text in {":", ","} and i + 1 < len(doc) and doc[i + 1].text == "(":
        i += 1
    if i >= len(doc) or doc[i].text != "(":
        return []
    out: list[Span] = []
    for j in range(i + 1, min(len(doc), i + 20)):
        if doc[j].text == ")":
            return out
        e = ctx.ent(j)
        if e is not None and e.start == j and e.label_ in ORG_PERSON:
            out.append(e)
    return []


def source_rule(ctx: Ctx) -> list[Candidate]:
    out: list[Candidate] = []
    for paper in ctx.ents:
        if paper.label_ != "Paper":
            continue
        for author in source_authors(ctx, paper):
            c = emit(ctx, author, "authored", paper, ctx.sent_of(paper), "authored:source", 0.75)
            out += [c] if c is not None else []
    return out


def _team_sentence(ctx: Ctx, info: SectionInfo) -> Span | None:
    return ctx.sent_of(info.team[0]) if info.team else None


def _speaker_orgs(ctx: Ctx) -> list[Span]:
    """Organizations quoted as writing or saying something ("X writes")."""
    out: list[Span] = []
    for tok in ctx.doc:
        if is_verb(tok) and tok.lemma_.lower() in SAY_VERBS:
            for s in frame(tok).subjects:
                e = ctx.ent(s)
                if e is not None and e.label_ == "Organization":
                    out.append(e)
    return out


def section_rule(ctx: Ctx, info: SectionInfo, found: list[Candidate]) -> list[Candidate]:
    """The section's team authored its papers that name no source of their own."""
    papers = [e for e in ctx.ents if e.label_ == "Paper"]
    if not papers:
        return []
    explicit = {c.object for c in found if c.predicate == "authored" and not c.evidence.rule.startswith("authored:source")}
    authors: list[tuple[Span, Span, float]] = []
    team_named = bool(info.team)
    if team_named:
        sent = _team_sentence(ctx, info)
        authors = [(e, sent, 0.55) for e in info.team if sent is not None]
    else:
        by_name = {name_of(e): e for e in ctx.ents if e.label_ == "Organization"}
        seen: set[str] = set()
        for c in found:
            if c.predicate == "released" and c.evidence.rule.split("+")[0] in VERB_RULES and c.subject in by_name \
                    and c.subject not in seen:
                seen.add(c.subject)
                span = by_name[c.subject]
                sent = next((s for s in ctx.sents if s.start_char + ctx.offset == c.evidence.start), ctx.sent_of(span))
                authors.append((span, sent, 0.5))
        if not authors:
            for e in _speaker_orgs(ctx)[:1]:
                authors.append((e, ctx.sent_of(e), 0.4))
    out: list[Candidate] = []
    for paper in papers:
        if name_of(paper) in explicit or (source_authors(ctx, paper) and not team_named):
            continue
        for author, sent, conf in authors:
            c = emit(ctx, Ref(author), "authored", Ref(paper), sent, "authored:section", conf)
            out += [c] if c is not None else []
    return out


def by_rule(ctx: Ctx) -> list[Candidate]:
    """"TITLE, a paper by X" / "a paper from X called TITLE" (team noun next to the title)."""
    out: list[Candidate] = []
    nouns = lex("team_nouns")
    for paper in ctx.ents:
        if paper.label_ != "Paper":
            continue
        sent = ctx.sent_of(paper)
        window = range(max(sent.start, paper.start - 6), min(sent.end, paper.end + 6))
        for i in window:
            t = ctx.doc[i]
            if low(t) in {"by", "from"} and i + 1 < sent.end and (i < paper.start or i >= paper.end):
                prev = ctx.doc[i - 1] if i > 0 else None
                if prev is None or (low(prev) not in nouns and prev.lemma_.lower() not in nouns):
                    continue
                e = ctx.ent(i + 1)
                if e is not None and e.label_ in ORG_PERSON:
                    c = emit(ctx, e, "authored", paper, sent, "authored:by", 0.7)
                    out += [c] if c is not None else []
    return out



def title_subject_rule(ctx: Ctx, authored: list[Candidate]) -> list[Candidate]:
    """Authors of "X: subtitle" released X, the model or benchmark the section names.

    Research papers are commonly titled after the system they introduce
    followed by a colon and a description; the subtitle is what the authors
    built. Only a Model or Benchmark mentioned elsewhere in the section is
    linked, and the evidence is the authorship's (lower confidence).
    """
    things = [e for e in ctx.ents if e.label_ in ("Model", "Benchmark")]
    if not things:
        return []
    papers = {name_of(e): e for e in ctx.ents if e.label_ == "Paper"}
    authors = {name_of(e): e for e in ctx.ents if e.label_ in ORG_PERSON}
    out: list[Candidate] = []
    for cand in authored:
        paper, author = papers.get(cand.object), authors.get(cand.subject)
        if cand.predicate != "authored" or paper is None or author is None or ":" not in paper.text:
            continue
        head = paper.text.split(":", 1)[0].strip()
        if not head or len(head.split()) > 4:
            continue
        for thing in things:
            if same_name(name_of(thing), head) or same_name(thing.text, head):
                c = emit(ctx, Ref(author), "released", Ref(thing), ctx.sent_of(paper), "released:paper-title",
                         round(cand.evidence.confidence * 0.9, 3))
                out += [c] if c is not None else []
                break
    return out
