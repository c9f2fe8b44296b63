"""RSS and Atom feeds: one document per entry, parsed with feedparser.

The XML is first parsed with defusedxml, which refuses DOCTYPE and ENTITY
declarations (no entity expansion, no external DTD) and reports malformed
XML; only then does feedparser read it, from memory, never from a URL.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
from collections.abc import Iterator
from typing import Any

from kg.errors import InputError
from kg.ingest._doc import Block, Run, clean_text, finish, render_blocks
from kg.ingest._html import fragment_blocks
from kg.ontology.namespace import slug
from kg.types import Document

_XML_DECL = re.compile(r"\A\s*<\?xml[^>]*\?>")
_MAX_ID = 80


def check_xml(text: str, *, source: str) -> str:
    """The root tag of a safe, well-formed XML string; InputError otherwise."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(_XML_DECL.sub("", text), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as exc:
        raise InputError(
            source,
            f"feed refused: it declares a DOCTYPE or ENTITY ({type(exc).__name__}); "
            "entity expansion and external DTDs are not allowed, remove the declaration",
        ) from exc
    except ParseError as exc:
        line, column = exc.position
        raise InputError(source, f"malformed feed XML at line {line}, column {column + 1}: {exc}") from exc
    return str(root.tag).split("}")[-1]


def entry_id(key: str) -> str:
    """A readable document id from an entry link or id (scheme and ``www.`` dropped)."""
    key = re.sub(r"^[a-z][a-z0-9+.-]*:(//)?", "", key.strip(), flags=re.IGNORECASE)
    key = re.sub(r"^www\.", "", key)
    ident = slug(key)
    if len(ident) > _MAX_ID:
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
        ident = ident[: _MAX_ID - 13].rstrip("-") + "-" + digest
    return ident


def _iso_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"
    return None


def _content(entry: Any) -> tuple[str, str]:
    """(content, mime type) of an entry: full content first, then the summary."""
    for part in entry.get("content") or []:
        if part.get("value", "").strip():
            return part["value"], part.get("type", "text/html")
    detail = entry.get("summary_detail") or {}
    return entry.get("summary", "") or "", detail.get("type", "text/html")


def _blocks(content: str, mime: str, *, source: str) -> list[Block]:
    if "html" in mime:
        return fragment_blocks(content, source=source)
    return [Block("para", (Run(p),)) for p in re.split(r"\n\s*\n", content) if p.strip()]


def iter_feed(
    text: str,
    *,
    source: str,
    include_fiction: bool = False,
    fiction_cue: re.Pattern[str] | None = None,
) -> Iterator[Document | InputError]:
    """Documents of a feed's entries; an unusable entry is yielded as an InputError."""
    import feedparser

    text = clean_text(text)
    root = check_xml(text, source=source)
    data = _XML_DECL.sub('<?xml version="1.0" encoding="utf-8"?>', text, count=1)
    parsed = feedparser.parse(io.BytesIO(data.encode("utf-8")), resolve_relative_uris=True, sanitize_html=True)
    if not parsed.get("version") and not parsed.entries:
        raise InputError(source, f"not an RSS or Atom feed: root element <{root}>, expected <rss>, <feed> or <rdf:RDF>")
    if not parsed.entries:
        raise InputError(source, "the feed has no entries")
    for n, entry in enumerate(parsed.entries, start=1):
        where = str(entry.get("link") or entry.get("id") or f"{source}#entry-{n}")
        try:
            content, mime = _content(entry)
            title = clean_text(str(entry.get("title", ""))).strip()
            blocks = _blocks(content, mime, source=where)
            if not title and not blocks:
                raise InputError(where, f"feed entry {n} has neither a title nor any text")
            draft = render_blocks(blocks, title=title or None)
            yield finish(
                draft,
                doc_id=entry_id(where),
                source=where,
                fmt="feed",
                date=_iso_date(entry),
                include_fiction=include_fiction,
                fiction_cue=fiction_cue,
            )
        except InputError as exc:
            yield exc


def parse_feed(
    text: str,
    *,
    source: str,
    doc_id: str | None = None,
    include_fiction: bool = False,
    fiction_cue: re.Pattern[str] | None = None,
) -> list[Document]:
    """Documents of a feed (already decoded); raises the first entry error if no entry is usable.

    ``doc_id`` is unused: entry ids come from entry links.
    """
    items = list(iter_feed(text, source=source, include_fiction=include_fiction, fiction_cue=fiction_cue))
    docs = [item for item in items if isinstance(item, Document)]
    if not docs:
        first = next(item for item in items if isinstance(item, InputError))
        raise first
    return docs
