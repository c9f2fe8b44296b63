"""Ingest: newsletter files -> :class:`kg.types.Document` records.

    load_documents(paths)        files and folders -> Document | InputError, never raises for one file
    parse_text(text, fmt=...)    one decoded string -> list[Document] (pure; raises InputError)
    parse_plain / parse_markdown / parse_html / parse_feed    the per-format parsers
    decode_bytes, detect_format  the file-level steps, for reuse and tests

Layout cues (fiction, title lines, separators, boilerplate) live in
:mod:`kg.ingest.cues` and can be replaced there, or per call with ``fiction_cue=``.
"""

from __future__ import annotations

from kg.ingest._doc import clean_text
from kg.ingest._feed import iter_feed, parse_feed
from kg.ingest._files import (
    FORMATS,
    SKIP_NAMES,
    SUFFIX_FORMATS,
    decode_bytes,
    detect_format,
    load_documents,
    load_file,
    parse_text,
)
from kg.ingest._html import parse_html
from kg.ingest._markdown import parse_markdown
from kg.ingest._plain import parse_plain, split_issues

__all__ = [
    "FORMATS",
    "SKIP_NAMES",
    "SUFFIX_FORMATS",
    "clean_text",
    "decode_bytes",
    "detect_format",
    "iter_feed",
    "load_documents",
    "load_file",
    "parse_feed",
    "parse_html",
    "parse_markdown",
    "parse_plain",
    "parse_text",
    "split_issues",
]
