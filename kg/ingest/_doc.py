"""Format-independent pieces: text cleanup, title lines, blocks, sections, fiction."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from kg.ingest import cues
from kg.types import Document, Link, Section

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: lone UTF-16 surrogates cannot be encoded (XML parsers, spaCy, the store all choke on them)
_SURROGATE = re.compile("[\ud800-\udfff]")
_BAD_SCHEMES = ("javascript:", "data:", "vbscript:")

BlockKind = Literal["heading", "para", "item", "rule"]


def clean_text(text: str) -> str:
    """NFC, ``\\n`` line ends, no control characters except ``\\n`` and ``\\t``, lone surrogates as U+FFFD."""
    text = _SURROGATE.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"))
    return _CONTROL.sub("", unicodedata.normalize("NFC", text))


def title_match(line: str) -> tuple[str, int | None] | None:
    """``(newsletter name, issue number)`` when ``line`` is an issue title line."""
    m = cues.TITLE_LINE.match(line.strip())
    if m is None:
        return None
    number = m.group("num") or m.group("hnum")
    return m.group("name"), int(number) if number else None


def issue_number(title: str) -> int | None:
    found = title_match(title)
    return found[1] if found else None


def headline(text: str) -> str:
    """The first line of ``text`` as a section title (trailing ``:`` dropped, cut to length)."""
    line = text.strip().split("\n", 1)[0].strip().lstrip("\u2022").strip()
    line = line.rstrip(":").rstrip()
    if len(line) > cues.MAX_TITLE_CHARS:
        sentence = re.match(r"(.+?[.!?])\s", line)
        if sentence and len(sentence.group(1)) <= cues.MAX_TITLE_CHARS:
            return sentence.group(1)
        line = line[: cues.MAX_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:") + "\u2026"
    return line


def safe_url(url: str | None) -> str | None:
    """The link target, or None for empty and script/data URLs."""
    if not url:
        return None
    url = url.strip()
    return None if not url or url.lower().startswith(_BAD_SCHEMES) else url


# -- blocks: what the markup formats (markdown, html, feed) are reduced to ------------


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of inline text, inside a link when ``url`` is set; ``"\\n"`` is a line break."""

    text: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """A heading, paragraph, list item, or a rule (a section break without text)."""

    kind: BlockKind
    runs: tuple[Run, ...] = ()


def join_runs(runs: Iterable[Run]) -> tuple[str, list[Link]]:
    """Inline runs as one line-broken string (spaces collapsed) and its links."""
    out: list[str] = []
    size = 0
    links: list[Link] = []

    def last() -> str:
        return out[-1][-1] if out else "\n"

    for run in runs:
        start: int | None = None
        for ch in clean_text(run.text):
            if ch == "\n":
                while out and out[-1] == " ":
                    out.pop()
                    size -= 1
                if last() != "\n":
                    out.append("\n")
                    size += 1
                continue
            if ch.isspace():
                if last() not in " \n":
                    out.append(" ")
                    size += 1
                continue
            if start is None:
                start = size
            out.append(ch)
            size += 1
        url = safe_url(run.url)
        if url and start is not None:
            end = size
            while end > start and out[end - 1].isspace():
                end -= 1
            links.append(Link(start, end, url))
    text = "".join(out).rstrip()
    return text, [ln for ln in links if ln.end <= len(text)]


@dataclass(frozen=True, slots=True)
class Draft:
    """A document before fiction handling: text, links and titled spans."""

    title: str
    text: str
    spans: tuple[tuple[str, int, int], ...]
    links: tuple[Link, ...] = ()


def render_blocks(blocks: Sequence[Block], *, title: str | None) -> Draft:
    """Lay blocks out as text (blank line between blocks) and cut it into sections.

    A heading (other than the title heading that opens the text) starts a
    section named after it; so does the first block after a rule (named after
    its first line), and a paragraph whose first line is the fiction cue.
    Text before the first such start is section 0, named after the document.
    """
    blocks = [b for b in blocks if b.kind == "rule" or join_runs(b.runs)[0]]
    first = next((b for b in blocks if b.kind != "rule"), None)
    if title and not (first and first.kind == "heading" and join_runs(first.runs)[0] == title):
        blocks = [Block("heading", (Run(title),)), *blocks]
    parts: list[str] = []
    links: list[Link] = []
    starts: list[tuple[int, str | None]] = [(0, None)]
    size, pending, seen_text = 0, False, False
    for block in blocks:
        if block.kind == "rule":
            pending = True
            continue
        text, inner = join_runs(block.runs)
        if block.kind == "item":
            text, inner = "\u2022 " + text, [Link(ln.start + 2, ln.end + 2, ln.url) for ln in inner]
        if parts:
            parts.append("\n\n")
            size += 2
        opening_title = block.kind == "heading" and not seen_text
        if seen_text and (pending or block.kind == "heading" or cues.FICTION_CUE.match(text)):
            starts.append((size, headline(text)))
        pending, seen_text = False, True
        if opening_title and title is None:
            title = headline(text)
        parts.append(text)
        links.extend(Link(ln.start + size, ln.end + size, ln.url) for ln in inner)
        size += len(text)
    full = "".join(parts)
    doc_title = title or headline(full)
    return Draft(doc_title, full, section_spans(full, starts, doc_title), tuple(links))


def trimmed_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``[start, end)`` without surrounding whitespace, or None when nothing is left."""
    chunk = text[start:end]
    s = start + len(chunk) - len(chunk.lstrip())
    e = start + len(chunk.rstrip())
    return (s, e) if e > s else None


def section_spans(
    text: str, starts: Sequence[tuple[int, str | None]], title: str, ends: Sequence[int] | None = None
) -> tuple[tuple[str, int, int], ...]:
    """(title, start, end) of each section, trimmed of surrounding white space; empty sections are dropped.

    A section ends where the next one starts, unless ``ends`` gives the end of
    every section but the last (e.g. where a separator line begins); the last
    runs to the end of ``text``. An untitled section takes ``title``.
    """
    spans = []
    bounds = [*(ends if ends is not None else [s for s, _ in starts[1:]]), len(text)]
    for (start, name), end in zip(starts, bounds):
        span = trimmed_span(text, start, end)
        if span is not None:
            spans.append((name or title, *span))
    return tuple(spans)


def finish(
    draft: Draft,
    *,
    doc_id: str,
    source: str,
    fmt: str,
    issue: int | None = None,
    date: str | None = None,
    include_fiction: bool = False,
    fiction_cue: re.Pattern[str] | None = None,
) -> Document:
    """Number the sections, flag fiction, and drop it unless ``include_fiction``."""
    cue = fiction_cue if fiction_cue is not None else cues.FICTION_CUE
    first_fiction = next((i for i, (name, _, _) in enumerate(draft.spans) if cue.match(name)), None)
    spans = draft.spans
    text = draft.text
    if first_fiction is not None and not include_fiction:
        spans = spans[:first_fiction]
        text = text[: spans[-1][2]] if spans else ""
    sections = tuple(
        Section(i, name, s, e, fiction=first_fiction is not None and i >= first_fiction)
        for i, (name, s, e) in enumerate(spans)
    )
    links = tuple(ln for ln in draft.links if ln.end <= len(text))
    return Document(
        id=doc_id,
        title=draft.title,
        text=text,
        source=source,
        sections=sections,
        issue=issue if issue is not None else issue_number(draft.title),
        date=date,
        format=fmt,
        links=links,
    )
