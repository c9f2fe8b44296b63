"""Extraction: a Document in, a DocResult out.

Each non-fiction section (headline + body) goes through the pipeline of
:func:`kg.nlp.load_pipeline`; its ``doc.ents`` become :class:`Mention` records
(offsets into ``Document.text``) and :func:`kg.extract.relations.find_relations`
reads relation candidates from the same parsed section.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from kg.extract.orgs import COMPANY_SUFFIXES
from kg.extract.places import country_of_place
from kg.extract.vocab import norm, vocabulary
from kg.types import Candidate, Document, DocResult, Link, Mention, Section

if TYPE_CHECKING:  # spaCy is imported by whoever parses; resolution (kg.resolve -> kg.extract.vocab) needs none of it
    from spacy.language import Language
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Span

__all__ = ["extract_document", "link_short_forms", "mentions_of", "place_countries"]

RelationFinder = Callable[..., list[Candidate]]


def _relation_finder() -> RelationFinder | None:
    try:
        from kg.extract.relations import find_relations
    except ImportError:
        return None
    return find_relations  # type: ignore[no-any-return]


def _in_host_link(m: Mention, links: Sequence[Link], hosts: frozenset[str]) -> bool:
    """A mention that is (part of) a hyperlink's text and names a website: a link target, not an entity."""
    return norm(m.text) in hosts and any(link.start <= m.start and m.end <= link.end for link in links)


def mentions_of(sdoc: SpacyDoc, *, doc_id: str, offset: int) -> list[Mention]:
    """The aikg entities of a processed section as Mentions with document offsets."""
    out: list[Mention] = []
    for span in sdoc.ents:
        canonical: Any = span._.canonical
        out.append(
            Mention(
                text=span.text,
                type=span.label_,
                start=offset + span.start_char,
                end=offset + span.end_char,
                doc_id=doc_id,
                source=span._.aikg_rule or "ner",
                confidence=float(span._.aikg_confidence or 1.0),
                canonical=canonical if isinstance(canonical, str) and canonical != span.text else "",
            )
        )
    return out


def _capitalised_runs(sent: Span, taken: set[int]) -> Iterator[Span]:
    """Runs of one to three capitalised words outside entity spans, longest first at each start."""
    for i in range(sent.start, sent.end):
        for n in (3, 2, 1):
            run = sent.doc[i : min(i + n, sent.end)]
            if len(run) == n and all(t.is_alpha and t.text[:1].isupper() and t.i not in taken for t in run):
                yield run


def place_countries(sdoc: SpacyDoc, candidates: Sequence[Candidate], found: Sequence[Mention], *, doc_id: str, offset: int,
                    lookup: Callable[[str], str | None] = country_of_place) -> list[Mention]:
    """Country mentions that a relation implies through a place ("the San Francisco-based startup" -> United States).

    A ``basedIn`` candidate may name a country the section never writes; the place it was read from
    becomes a Country mention whose canonical name is that country (one per country and section), so
    the relation resolves to an entity. Its text is the place, which resolution never makes an alias.
    """
    named = {norm(m.canonical or m.text) for m in found if m.type == "Country"}
    wanted = [c for c in candidates if c.predicate == "basedIn" and c.object_type == "Country" and norm(c.object) not in named]
    if not wanted:
        return []
    taken = {i for e in sdoc.ents for i in range(e.start, e.end)}
    out: list[Mention] = []
    for c in wanted:
        if norm(c.object) in named:
            continue
        sent = sdoc.char_span(c.evidence.start - offset, c.evidence.end - offset, alignment_mode="expand")
        if sent is None:
            continue
        run = next((r for r in _capitalised_runs(sent, taken) if lookup(r.text) == c.object), None)
        if run is None:
            continue
        named.add(norm(c.object))
        out.append(Mention(text=run.text, type="Country", start=offset + run.start_char, end=offset + run.end_char, doc_id=doc_id,
                           source="place", confidence=c.evidence.confidence, canonical=c.object))
    return out


def _short_form_targets(mentions: Sequence[Mention], known: Callable[[str], bool]) -> dict[tuple[str, str], str]:
    """(type, short form) -> full name, from the multi-word organisations and people of one document."""
    out: dict[tuple[str, str], str] = {}
    ambiguous: set[tuple[str, str]] = set()
    for m in mentions:
        words = m.text.split()
        if m.canonical or len(words) < 2 or m.type not in ("Organization", "Person"):
            continue
        short = words[0] if m.type == "Organization" else words[-1]
        if len(short) < 3 or not short[:1].isupper():
            continue
        if m.type == "Organization" and known(short) and (len(words) != 2 or words[1] not in COMPANY_SUFFIXES):
            continue
        key = (m.type, short)
        if out.get(key, m.text) != m.text:
            ambiguous.add(key)
        out.setdefault(key, m.text)
    return {k: v for k, v in out.items() if k not in ambiguous}


def link_short_forms(mentions: Sequence[Mention], known: Callable[[str], bool]) -> list[Mention]:
    """A one-word organisation or person named in full elsewhere in the document names the full form
    ("Halcyon's head of research" in one section, "Halcyon Labs" in another; "Reka" after "Reka AI").

    Sections are parsed one by one, so this completes the within-section short forms of the entity
    component. ``known`` tells whether a name is in the field vocabulary: a known lab's name stands for a
    longer one only before a company head ("Reka AI"), never before a division ("Google Research").
    """
    targets = _short_form_targets(mentions, known)
    if not targets:
        return list(mentions)
    out: list[Mention] = []
    for m in mentions:
        full = targets.get((m.type, m.text))
        if full is not None and not m.canonical and " " not in m.text:
            m = replace(m, canonical=full)
        out.append(m)
    return out


_HAS_DIGIT = re.compile(r"\d")
#: variant words that make a model of their own out of a base one ("X-Instruct" is not a name for X)
DISTINCT_VARIANTS = frozenset({"instruct", "chat", "base", "coder", "code", "math", "vision", "vl", "it", "rl", "sft",
                               "preview", "reward", "embed", "embedding", "audio", "video", "image", "distill"})


def _model_short_form_targets(names: set[str]) -> dict[str, str]:
    """Short model name -> the one more specific model of the document it abbreviates.

    "Hunyuan" -> "Hunyuan-Large" (the longer name adds a size or tier word), "K2" -> "Kimi K2" (the
    short form is the longer name's last part). A family named beside a version or size stays itself
    ("LLaMa" beside "LLaMa-3.1 405B"), a versioned name stays itself ("INTELLECT-1" beside
    "INTELLECT-1-INSTRUCT"), a fine-tune is a model of its own ("X-Instruct", "X-Coder"), and a short
    name two longer names could stand for is left alone.
    """
    out: dict[str, str] = {}
    for short in names:
        if len(short) < 2:
            continue
        prefixed = [n for n in names if n != short and (n.startswith(short + "-") or n.startswith(short + " "))]
        suffixed = [n for n in names if n != short and n.endswith(" " + short) and _HAS_DIGIT.search(short)]
        if len(suffixed) == 1 and not prefixed:
            out[short] = suffixed[0]
        elif (len(prefixed) == 1 and not suffixed and not _HAS_DIGIT.search(short)
              and not _HAS_DIGIT.search(prefixed[0][len(short):])
              and not DISTINCT_VARIANTS & set(re.split(r"[-\s]+", prefixed[0][len(short):].lower()))):
            out[short] = prefixed[0]
    return out


def link_model_short_forms(mentions: Sequence[Mention], candidates: Sequence[Candidate]
                           ) -> tuple[list[Mention], list[Candidate]]:
    """Within one document, a short model name names the one more specific model it abbreviates (see
    :func:`_model_short_form_targets`): its mentions get that canonical name, and so do the relations."""
    names = {m.canonical or m.text for m in mentions if m.type == "Model"}
    targets = _model_short_form_targets(names)
    if not targets:
        return list(mentions), list(candidates)
    out_m = [replace(m, canonical=targets[m.canonical or m.text]) if m.type == "Model" and (m.canonical or m.text) in targets
             else m for m in mentions]
    out_c: list[Candidate] = []
    for c in candidates:
        subject = targets.get(c.subject, c.subject) if c.subject_type == "Model" else c.subject
        obj = targets.get(c.object, c.object) if c.object_type == "Model" else c.object
        if subject == obj:
            continue  # "Hunyuan-Large ... Hunyuan": a model is never compared with itself
        out_c.append(replace(c, subject=subject, object=obj) if (subject, obj) != (c.subject, c.object) else c)
    return out_m, out_c


def _sections(doc: Document) -> list[Section]:
    if doc.sections:
        return [s for s in doc.sections if not s.fiction]
    return [Section(index=0, title=doc.title, start=0, end=len(doc.text))]


def extract_document(doc: Document, nlp: Language) -> DocResult:
    """Mentions and relation candidates of every non-fiction section of ``doc``."""
    sections = _sections(doc)
    hosts = frozenset(k for k, kind in vocabulary().non_entities.items() if kind == "host")
    finder = _relation_finder()
    mentions: list[Mention] = []
    candidates: list[Candidate] = []
    warnings: list[str] = []
    texts = [doc.text[s.start : s.end] for s in sections]
    for section, sdoc in zip(sections, nlp.pipe(texts), strict=True):
        found = mentions_of(sdoc, doc_id=doc.id, offset=section.start)
        mentions.extend(m for m in found if not _in_host_link(m, doc.links, hosts))
        if finder is not None:
            try:
                found_c = finder(sdoc, doc_id=doc.id, section_title=section.title, offset=section.start)
            except Exception as exc:  # one bad section must not lose the document's entities
                warnings.append(f"{doc.id}: section {section.index} ({section.title!r}): relation extraction failed: {type(exc).__name__}: {exc}")
                continue
            candidates.extend(found_c)
            mentions.extend(place_countries(sdoc, found_c, mentions, doc_id=doc.id, offset=section.start))
    by_norm = vocabulary().by_norm
    mentions = link_short_forms(mentions, lambda name: norm(name) in by_norm)
    mentions, candidates = link_model_short_forms(mentions, candidates)
    return DocResult(
        doc_id=doc.id,
        title=doc.title,
        source=doc.source,
        issue=doc.issue,
        date=doc.date,
        sections=doc.sections,
        mentions=tuple(mentions),
        candidates=tuple(candidates),
        warnings=tuple(warnings),
    )
