"""The web explorer of `kg serve`: server-rendered pages over the same snapshot as the API.

``/`` searches names (the index behind ``/entities?q=``) or, when the text is a
question ``/ask`` understands, answers it; ``/e/<type>/<slug>`` is an entity's
page, ``/d/<id>`` a document's, ``/g/<type>/<slug>`` the graph view and
``/query`` the SPARQL editor. Every page works without JavaScript; scripts
(``api/static``) only add type-ahead, the drawing and the editor.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from kg.api import ask as ask_api
from kg.api import entities as entities_api
from kg.api.deps import get_settings, get_snapshot, get_store
from kg.api.doctext import DocumentText, document_text
from kg.api.errors import ApiError
from kg.api.graph import DEFAULT_NODES
from kg.api.settings import HARD_MAX_OFFSET, HARD_MAX_TEXT_LENGTH, Settings
from kg.api.snapshot import DocInfo, Edge, EntityInfo, EvidenceInfo, Snapshot
from kg.ask import ParseFailure, parse_question
from kg.lookup import closest_keys
from kg.graphview import OTHER_COLOR, TYPE_COLORS
from kg.types import ENTITY_TYPES, PREDICATES

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.globals.update(type_colors=TYPE_COLORS, other_color=OTHER_COLOR, entity_types=ENTITY_TYPES,
                             predicates=PREDICATES)

Snap = Annotated[Snapshot, Depends(get_snapshot)]
Conf = Annotated[Settings, Depends(get_settings)]

#: search hits per page, relations shown per predicate group, per page of one group, evidence per relation
#: (shown, and more behind a <details>)
SEARCH_PAGE = 20
GROUP_PREVIEW = 10
GROUP_PAGE = 50
EVIDENCE_SHOWN = 3
EVIDENCE_FOLDED = 20

PREFIXES = {
    "aikg": "https://w3id.org/aikg/ontology#",
    "id": "https://w3id.org/aikg/id/",
    "doc": "https://w3id.org/aikg/doc/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": "http://www.wikidata.org/entity/",
}


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


# --- highlighting ------------------------------------------------------------------


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def highlight(sentence: str, names: list[str]) -> Markup:
    """``sentence`` escaped, with every whole-word, case-blind occurrence of one of ``names`` in <mark>.

    Longer names win where two overlap. A plain scan rather than a regular expression: a page
    highlights a few hundred sentences, each with its own names, and compiling a pattern for
    each was most of an entity page's time on the million-triple graph.
    """
    lower = sentence.lower()
    if len(lower) != len(sentence):  # a character whose lower case is longer: match exactly instead
        lower = sentence
    spans: list[tuple[int, int]] = []
    for name in sorted({n for n in names if len(n) >= 2}, key=len, reverse=True):
        needle = name.lower() if lower is not sentence else name
        at = lower.find(needle)
        while at != -1:
            end = at + len(needle)
            whole = (at == 0 or not _word_char(sentence[at - 1])) and (end == len(sentence) or not _word_char(sentence[end]))
            if whole and all(end <= s or at >= e for s, e in spans):
                spans.append((at, end))
            at = lower.find(needle, at + 1)
    parts: list[str] = []
    last = 0
    for start, end in sorted(spans):
        parts.append(str(escape(sentence[last:start])))
        parts.append(f"<mark>{escape(sentence[start:end])}</mark>")
        last = end
    parts.append(str(escape(sentence[last:])))
    return Markup("".join(parts))


def _names(e: EntityInfo) -> list[str]:
    return [e.name, *e.aliases]


# --- the per-document view, built once per snapshot ---------------------------------


@dataclass(slots=True)
class DocumentIndex:
    by_id: dict[str, DocInfo] = field(default_factory=dict)
    evidence: dict[str, list[tuple[int, EvidenceInfo]]] = field(default_factory=dict)  # doc id -> (edge, evidence)
    entities: dict[str, list[str]] = field(default_factory=dict)  # doc id -> entity keys


_doc_lock = threading.Lock()


def document_index(request: Request, snap: Snapshot) -> DocumentIndex:
    """Evidence and mentions by document (made on the first document page, then kept)."""
    found = getattr(request.app.state, "document_index", None)
    if found is not None:
        return found  # type: ignore[no-any-return]
    with _doc_lock:
        found = getattr(request.app.state, "document_index", None)
        if found is None:
            evidence: dict[str, list[tuple[int, EvidenceInfo]]] = defaultdict(list)
            for pos, edge in enumerate(snap.edges):
                for ev in edge.evidence:
                    evidence[ev.document.id].append((pos, ev))
            for rows in evidence.values():
                rows.sort(key=lambda r: (r[1].start if r[1].start is not None else -1, r[0]))
            mentioned: dict[str, list[str]] = defaultdict(list)
            for e in snap.entities.values():
                for d in e.documents:
                    mentioned[d.id].append(e.key)
            for keys in mentioned.values():
                keys.sort(key=lambda k: (-snap.entities[k].mentions, snap.entities[k].name.casefold()))
            found = DocumentIndex(
                by_id={d.id: d for d in snap.documents.values()}, evidence=dict(evidence), entities=dict(mentioned)
            )
            request.app.state.document_index = found
    return found


# --- pages -------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    snap: Snap,
    settings: Conf,
    q: Annotated[str | None, Query(max_length=HARD_MAX_TEXT_LENGTH)] = None,
    type: Annotated[str | None, Query()] = None,
    offset: Annotated[int, Query(ge=0, le=HARD_MAX_OFFSET)] = 0,
) -> HTMLResponse:
    """Search by name, or answer a question."""
    text = (q or "").strip()
    etype = type if type in ENTITY_TYPES else None
    context: dict[str, Any] = {"q": text, "type": etype, "offset": offset, "page_size": SEARCH_PAGE,
                               "counts": snap.type_counts, "documents": len(snap.documents),
                               "relations": len(snap.edges)}
    status = 200
    if type and etype is None:
        context["search_error"] = {"message": f"type={type!r} is not one of {', '.join(ENTITY_TYPES)}"}
        return _page(request, "search.html", 400, highlight=highlight, **context)
    if text:
        parsed = parse_question(text)
        if not isinstance(parsed, ParseFailure):
            try:
                context["answer"] = ask_api.answer_question(snap, settings, text)
            except ApiError as exc:
                context["answer_error"] = exc.body
        if "answer" not in context:
            try:
                context["results"] = entities_api.search_entities(
                    snap, settings, q=text, type=etype, limit=SEARCH_PAGE, offset=offset  # type: ignore[arg-type]
                )
            except ApiError as exc:
                context["search_error"] = exc.body
                status = exc.status
    context["highlight"] = highlight
    return _page(request, "search.html", status, **context)


def _groups(snap: Snapshot, positions: tuple[int, ...]) -> dict[str, list[int]]:
    """Edge positions by predicate, in the order of PREDICATES."""
    groups: dict[str, list[int]] = {}
    for pos in positions:
        groups.setdefault(snap.edges[pos].predicate, []).append(pos)
    return {p: groups[p] for p in PREDICATES if p in groups}


@router.get("/e/{key:path}", response_class=HTMLResponse)
def entity_page(
    request: Request,
    snap: Snap,
    key: str,
    dir: Annotated[str | None, Query(pattern="^(out|in)$")] = None,
    predicate: Annotated[str | None, Query()] = None,
    offset: Annotated[int, Query(ge=0, le=HARD_MAX_OFFSET)] = 0,
) -> HTMLResponse:
    """One entity: names, links, counts, and its relations by predicate with their evidence."""
    entity = snap.entities.get(key)
    if entity is None:
        return _page(request, "missing.html", 404, what="entity", key=key,
                     suggestions=[snap.entities[k] for k in closest_keys(snap, key, 3)])
    sections = []
    for direction, positions in (("out", snap.outgoing.get(key, ())), ("in", snap.incoming.get(key, ()))):
        if dir is not None and direction != dir:
            continue
        for pred, group in _groups(snap, positions).items():
            if predicate is not None and pred != predicate:
                continue
            single = dir is not None and predicate is not None
            start = offset if single else 0
            size = GROUP_PAGE if single else GROUP_PREVIEW
            rows = [_relation_row(snap, snap.edges[p], key) for p in group[start : start + size]]
            sections.append({"dir": direction, "predicate": pred, "total": len(group), "start": start,
                             "size": size, "rows": rows, "single": single})
    return _page(
        request, "entity.html", entity=entity, sections=sections,
        out_total=len(snap.outgoing.get(key, ())), in_total=len(snap.incoming.get(key, ())),
        filtered=dir is not None and predicate is not None,
    )


def _relation_row(snap: Snapshot, edge: Edge, key: str) -> dict[str, Any]:
    subject, obj = snap.entities[edge.subject], snap.entities[edge.object]
    names = _names(subject) + _names(obj)
    return {
        "subject": subject, "object": obj, "other": obj if edge.subject == key else subject, "edge": edge,
        "evidence": [(ev, highlight(ev.sentence, names)) for ev in edge.evidence[:EVIDENCE_SHOWN]],
        "folded": [(ev, highlight(ev.sentence, names)) for ev in edge.evidence[EVIDENCE_SHOWN:EVIDENCE_FOLDED]],
        "more_evidence": max(0, len(edge.evidence) - EVIDENCE_FOLDED),
    }


@router.get("/d/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, snap: Snap, doc_id: str) -> HTMLResponse:
    """One document: its text with the evidence sentences marked and their facts beside them."""
    index = document_index(request, snap)
    doc = index.by_id.get(doc_id)
    if doc is None:
        return _page(request, "missing.html", 404, what="document", key=doc_id, suggestions=[])
    rows = index.evidence.get(doc_id, [])
    # one block per distinct sentence (several facts may share one), in document order
    blocks: list[dict[str, Any]] = []
    by_sentence: dict[tuple[int | None, str], dict[str, Any]] = {}
    for pos, ev in rows:
        mark = (ev.start, ev.sentence)
        block = by_sentence.get(mark)
        edge = snap.edges[pos]
        if block is None:
            block = {"evidence": ev, "facts": [], "names": []}
            by_sentence[mark] = block
            blocks.append(block)
        block["facts"].append({"edge": edge, "subject": snap.entities[edge.subject],
                               "object": snap.entities[edge.object], "confidence": ev.confidence})
        block["names"] += _names(snap.entities[edge.subject]) + _names(snap.entities[edge.object])
    for block in blocks:
        block["html"] = highlight(block["evidence"].sentence, block["names"])
    mentioned = [snap.entities[k] for k in index.entities.get(doc_id, [])]
    found = document_text(get_store(request).manifest, doc_id)
    if isinstance(found, DocumentText):
        sections, missing = text_sections(found, blocks), None
    else:
        sections, missing = sentence_sections(blocks), found.reason
    return _page(request, "document.html", doc=doc, sections=sections, mentioned=mentioned, with_text=missing is None,
                 missing=missing, facts=sum(len(b["facts"]) for b in blocks), sentences=len(blocks),
                 source=_source_of(request, doc))


def sentence_sections(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The evidence sentences alone, one row each, grouped by section title in document order."""
    sections: list[dict[str, Any]] = []
    for block in blocks:
        ev = block["evidence"]
        title = ev.section or "(no section)"
        if not sections or sections[-1]["title"] != title:
            sections.append({"title": title, "rows": []})
        anchor = f"s{ev.start}" if ev.start is not None else None
        html = Markup(f'<mark class="evidence-mark">{block["html"]}</mark>')
        sections[-1]["rows"].append({"html": html, "facts": block["facts"], "anchor": anchor})
    return sections


_PARAGRAPH = re.compile(r"\n\s*\n")


def text_sections(doc: DocumentText, blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The whole text by section and paragraph, each evidence sentence marked, its facts beside its paragraph."""
    text = doc.text
    ranges: list[tuple[str | None, int, int]] = []
    cursor = 0
    for sec in sorted(doc.sections, key=lambda x: x.start):
        if sec.start > cursor and text[cursor : sec.start].strip():
            ranges.append((None, cursor, sec.start))
        ranges.append((sec.title, max(sec.start, cursor), sec.end))
        cursor = max(cursor, sec.end)
    if cursor < len(text) and text[cursor:].strip():
        ranges.append((None, cursor, len(text)))
    placed = [b for b in blocks if b["evidence"].start is not None and b["evidence"].end is not None]
    sections = []
    for title, start, end in ranges:
        rows = []
        bounds = [start] + [m.end() for m in _PARAGRAPH.finditer(text, start, end)] + [end]
        for p_start, p_end in zip(bounds, bounds[1:]):
            inside = [b for b in placed if p_start <= b["evidence"].start < p_end]
            if not text[p_start:p_end].strip():
                continue
            rows.append(_paragraph(text, p_start, p_end, inside))
        if rows:
            sections.append({"title": title, "rows": rows})
    return sections


def _paragraph(text: str, start: int, end: int, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    parts: list[str] = []
    cursor = start
    facts: list[dict[str, Any]] = []
    for block in sorted(blocks, key=lambda b: b["evidence"].start):
        ev = block["evidence"]
        facts += block["facts"]
        if ev.start < cursor:  # overlaps a sentence already marked: its facts are listed all the same
            continue
        parts.append(str(escape(text[cursor : ev.start])))
        parts.append(f'<mark class="evidence-mark" id="s{ev.start}">{block["html"]}</mark>')
        cursor = min(max(ev.end, cursor), end)
    parts.append(str(escape(text[cursor:end].strip("\n"))))
    return {"html": Markup("".join(parts).strip()), "facts": facts, "anchor": None}


def _source_of(request: Request, doc: DocInfo) -> str | None:
    entry = next((d for d in get_store(request).manifest.get("documents", ()) if d.get("id") == doc.id), None)
    return None if entry is None else entry.get("source")


@router.get("/g/{key:path}", response_class=HTMLResponse)
def graph_page(request: Request, snap: Snap, key: str) -> HTMLResponse:
    """The graph view of an entity's neighbourhood (drawn by api/static/graph.js)."""
    entity = snap.entities.get(key)
    if entity is None:
        return _page(request, "missing.html", 404, what="entity", key=key, suggestions=[])
    return _page(request, "graph.html", entity=entity, default_nodes=DEFAULT_NODES)


def example_queries() -> list[dict[str, str]]:
    """The example queries of ``queries/`` (shipped as ``kg.queries``), by file name."""
    folder = resources.files("kg.queries")
    examples = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".rq"):
            examples.append({"name": item.name, "query": item.read_text(encoding="utf-8")})
    return examples


@router.get("/query", response_class=HTMLResponse)
def sparql_page(request: Request) -> HTMLResponse:
    """The SPARQL editor (YASGUI) over /sparql, with the example queries."""
    examples = example_queries()
    prefix_lines = "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items())
    default = prefix_lines + "\n\nSELECT ?entity ?label WHERE {\n  ?entity a aikg:Model ; rdfs:label ?label .\n}\nLIMIT 20\n"
    return _page(request, "sparql.html", examples=examples, prefixes=PREFIXES, default_query=default)
