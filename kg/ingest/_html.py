"""HTML pages (boilerplate stripped by trafilatura) and HTML fragments (feed content).

Pages go through trafilatura on the string only, with its own fetching never
used; its XML output (``head``, ``p``, ``list``/``item``, ``ref``) is walked
into blocks. Fragments, already free of boilerplate, are parsed with
lxml.html and walked the same way. Headings become section boundaries and
anchors become :class:`kg.types.Link` records.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from kg.errors import InputError
from kg.ingest._doc import Block, BlockKind, Run, clean_text, finish, render_blocks
from kg.types import Document

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "head"}
_ITEMS = {"li", "item", "dt", "dd"}
_ROWS = {"tr", "row"}
_CELLS = {"td", "th", "cell"}
_BREAKS = {"br", "lb"}
_RULES = {"hr"}
_LINKS = {"a": "href", "ref": "target"}
_SKIP = {
    "script", "style", "noscript", "template", "head", "title", "meta", "link", "nav", "footer",
    "aside", "form", "button", "svg", "iframe", "object", "select", "textarea", "graphic", "img",
}  # fmt: skip
_BLOCKS = {
    "p", "div", "section", "article", "main", "body", "blockquote", "quote", "pre", "figure",
    "figcaption", "table", "ul", "ol", "list", "dl", "header", "address", "details", "summary", "doc",
}  # fmt: skip
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHITESPACE = re.compile(r"\s+")


def _flat(text: str) -> str:
    """Source line breaks inside HTML text are spaces (only ``<br>`` breaks a line)."""
    return _WHITESPACE.sub(" ", text)


class _Walker:
    """Collects blocks from an element tree (HTML, or trafilatura's XML)."""

    def __init__(self, *, tei: bool) -> None:
        self.tei = tei
        self.blocks: list[Block] = []
        self.runs: list[Run] = []
        self.kind: BlockKind = "para"

    def flush(self, kind: BlockKind = "para") -> None:
        if any(r.text.strip() for r in self.runs):
            self.blocks.append(Block(self.kind, tuple(self.runs)))
        self.runs = []
        self.kind = kind

    def walk(self, el: Any, url: str | None) -> None:
        tag = el.tag.split("}")[-1].lower() if isinstance(el.tag, str) else ""
        if not tag or (tag in _SKIP and not (self.tei and tag == "head")):
            return
        if tag in _RULES:
            self.flush()
            self.blocks.append(Block("rule"))
            return
        if tag in _BREAKS:
            self.runs.append(Run("\n"))
            return
        boundary = tag in _HEADINGS or tag in _ITEMS or tag in _BLOCKS or tag in _ROWS
        if boundary:
            self.flush("heading" if tag in _HEADINGS else "item" if tag in _ITEMS else "para")
        if tag in _LINKS:
            url = el.get(_LINKS[tag]) or url
        if tag in _CELLS and self.runs:
            self.runs.append(Run(" | "))
        if el.text:
            self.runs.append(Run(_flat(el.text), url))
        for child in el:
            self.walk(child, url)
            if child.tail:
                self.runs.append(Run(_flat(child.tail), url))
        if boundary:
            self.flush()


def element_blocks(root: Any, *, tei: bool = False) -> list[Block]:
    """Blocks of an lxml element; ``tei`` reads trafilatura's XML vocabulary."""
    walker = _Walker(tei=tei)
    walker.walk(root, None)
    walker.flush()
    return walker.blocks


def fragment_blocks(html: str, *, source: str) -> list[Block]:
    """Blocks of an HTML fragment (no boilerplate removal)."""
    import lxml.html
    from lxml.etree import ParserError

    if not html.strip():
        return []
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div", parser=parser)
    except (ParserError, ValueError) as exc:
        raise InputError(source, f"cannot parse the HTML content: {exc}") from exc
    return element_blocks(root)


@lru_cache(maxsize=1)
def _trafilatura_config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    # short newsletter posts are real content; dates only from the page's metadata
    for key, value in (("MIN_EXTRACTED_SIZE", "1"), ("MIN_OUTPUT_SIZE", "1"), ("MIN_FILE_SIZE", "1")):
        config.set("DEFAULT", key, value)
    config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


def page_blocks(html: str, *, source: str) -> tuple[list[Block], str | None, str | None]:
    """Main-content blocks of a whole page, its metadata title and ISO date."""
    import trafilatura

    result = trafilatura.bare_extraction(
        html,
        fast=True,
        with_metadata=True,
        include_links=True,
        include_formatting=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
        config=_trafilatura_config(),
    )
    body = getattr(result, "body", None)
    blocks = element_blocks(body, tei=True) if body is not None else []
    if not any(b.kind != "rule" for b in blocks):
        raise InputError(source, "no extractable text in the HTML (only markup, scripts or boilerplate)")
    date = getattr(result, "date", None) or ""
    title = getattr(result, "title", None)
    return blocks, (title.strip() or None) if title else None, date[:10] if _ISO_DATE.match(date) else None


def parse_html(
    text: str,
    *,
    source: str,
    doc_id: str,
    include_fiction: bool = False,
    fiction_cue: re.Pattern[str] | None = None,
) -> list[Document]:
    """One document from an HTML page (already decoded)."""
    blocks, meta_title, date = page_blocks(clean_text(text), source=source)
    opens_with_heading = next((b.kind for b in blocks if b.kind != "rule"), None) == "heading"
    draft = render_blocks(blocks, title=None if opens_with_heading else meta_title)
    return [
        finish(
            draft,
            doc_id=doc_id,
            source=source,
            fmt="html",
            date=date,
            include_fiction=include_fiction,
            fiction_cue=fiction_cue,
        )
    ]

