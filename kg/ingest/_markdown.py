"""Markdown posts (Substack-export style), parsed with markdown-it-py.

Emphasis markers are dropped and link targets become :class:`kg.types.Link`
records over the visible text; ``#`` headings and thematic breaks
(``***``, ``---``, ``* * *``) start sections. A leading ``---`` front-matter
block may give the ``title`` and ``date``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from kg.ingest._doc import Block, BlockKind, Run, clean_text, finish, render_blocks
from kg.types import Document

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>(?:[^\n]*\n)*?)---[ \t]*(?:\n|\Z)")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """``key: value`` pairs of a leading front-matter block, and the text after it."""
    m = _FRONT_MATTER.match(text)
    if m is None:
        return {}, text
    meta: dict[str, str] = {}
    for line in m.group("body").splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t")):
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[m.end() :]


def inline_runs(children: Sequence[Token]) -> list[Run]:
    """Visible text of an inline token's children, links kept as run URLs."""
    runs: list[Run] = []
    urls: list[str | None] = [None]
    for tok in children:
        if tok.type in ("text", "code_inline"):
            runs.append(Run(tok.content, urls[-1]))
        elif tok.type in ("softbreak", "hardbreak"):
            runs.append(Run("\n"))
        elif tok.type == "link_open":
            href = tok.attrs.get("href")
            urls.append(str(href) if href is not None else None)
        elif tok.type == "link_close" and len(urls) > 1:
            urls.pop()
        elif tok.type == "image" and tok.children:
            runs.extend(inline_runs(tok.children))
    return runs


def markdown_blocks(text: str) -> list[Block]:
    """The blocks of a Markdown string, in reading order.

    The first paragraph of a list item is an ``item`` block; a table row is
    one paragraph with its cells joined by `` | ``.
    """
    blocks: list[Block] = []
    kind: BlockKind = "para"
    row: list[Run] = []
    in_cell = False
    item_open = False
    for tok in _parser().parse(text):
        kind, item_open = _block_kind(tok, kind, item_open)
        if tok.type == "hr":
            blocks.append(Block("rule"))
        elif tok.type in ("fence", "code_block"):
            blocks.append(Block("para", (Run(tok.content),)))
        elif tok.type in ("th_open", "td_open"):
            in_cell = True
        elif tok.type in ("th_close", "td_close"):
            in_cell = False
        elif tok.type == "inline" and in_cell:
            row.extend([*inline_runs(tok.children or []), Run(" | ")])
        elif tok.type == "inline":
            blocks.append(Block(kind, tuple(inline_runs(tok.children or []))))
        elif tok.type == "tr_close":
            blocks.append(Block("para", tuple(row[:-1])))
            row = []
    return blocks


def _block_kind(tok: Token, kind: BlockKind, item_open: bool) -> tuple[BlockKind, bool]:
    """The kind for the next inline content, and whether a list item awaits its first paragraph."""
    if tok.type == "heading_open":
        return "heading", item_open
    if tok.type == "list_item_open":
        return kind, True
    if tok.type == "paragraph_open":
        return ("item" if item_open else "para"), False
    return kind, item_open


def parse_markdown(
    text: str,
    *,
    source: str,
    doc_id: str,
    include_fiction: bool = False,
    fiction_cue: re.Pattern[str] | None = None,
) -> list[Document]:
    """One document from a Markdown string (already decoded)."""
    meta, body = front_matter(clean_text(text))
    date = meta.get("date", "")[:10]
    draft = render_blocks(markdown_blocks(body), title=meta.get("title") or None)
    return [
        finish(
            draft,
            doc_id=doc_id,
            source=source,
            fmt="markdown",
            date=date if _ISO_DATE.fullmatch(date) else None,
            include_fiction=include_fiction,
            fiction_cue=fiction_cue,
        )
    ]
