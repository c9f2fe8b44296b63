"""Files and folders -> documents: reading, decoding, format detection.

Every problem with one file becomes an :class:`kg.errors.InputError` that is
yielded in place of its documents, so one bad file never stops the others.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.deps import from_import_error
from kg.errors import InputError
from kg.ingest._feed import iter_feed
from kg.ingest._html import parse_html
from kg.ingest._markdown import parse_markdown
from kg.ingest._plain import parse_plain
from kg.ontology.namespace import slug
from kg.types import Document

FORMATS: tuple[str, ...] = ("text", "markdown", "html", "feed")
SUFFIX_FORMATS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
#: Files a folder walk leaves out: documentation about the folder, not corpus.
SKIP_NAMES: re.Pattern[str] = re.compile(r"^(readme|licen[cs]e|changelog|notice|copying)(\.[\w.]+)?$", re.I)

_FEED_START = re.compile(r"\A(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:rdf)\b", re.I | re.S)
_HTML_START = re.compile(r"\A(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_MARKDOWN_CUES = re.compile(r"^#{1,6} \S|\[[^\]\n]+\]\([^)\s]+\)|^\*\*[^*\n]+\*\*", re.M)
#: a sample is binary above this share of control characters ...
_BINARY_SHARE = 0.1
#: ... or of undecodable bytes: Latin-1 prose stays far below (accents are a fraction of its letters)
_UNDECODABLE_SHARE = 0.3
#: the control characters that count against a sample: Unicode category Cc (U+0000-U+001F, U+007F-U+009F)
#: except tab, line feed, carriage return and form feed
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def decode_bytes(raw: bytes, *, source: str) -> str:
    """UTF-8 text (a BOM allowed) of a file's bytes, or an InputError saying why not."""
    if not raw:
        raise InputError(source, "file is empty (0 bytes)")
    if not raw.strip():
        raise InputError(source, "file contains only whitespace")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(source, "encoding is UTF-16 (byte-order mark), not UTF-8; save the file as UTF-8")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise InputError(source, f"binary file, not text: NUL byte at offset {nul}")
    skip = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        text = raw[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        if _mostly_binary(raw[:8192].decode("utf-8", "replace")):
            raise InputError(source, "binary file, not text: mostly non-text bytes") from exc
        offset = skip + exc.start
        line = raw[:offset].count(b"\n") + 1
        raise InputError(
            source,
            f"encoding is not UTF-8: invalid byte 0x{raw[offset]:02x} at byte offset {offset} (line {line}); "
            "save the file as UTF-8",
        ) from exc
    if _mostly_binary(text[:8192]):
        raise InputError(source, "binary file, not text: mostly control characters")
    if not text.strip():
        raise InputError(source, "file contains only whitespace")
    return text


def _mostly_binary(sample: str) -> bool:
    if not sample:
        return False
    control = len(_CONTROL.findall(sample))
    undecodable = sample.count("\ufffd")
    return control / len(sample) > _BINARY_SHARE or undecodable / len(sample) > _UNDECODABLE_SHARE


def detect_format(path: Path, text: str) -> str:
    """The format by extension, with the content sniffed where the extension is ambiguous."""
    fmt = SUFFIX_FORMATS.get(path.suffix.lower())
    head = text.lstrip("\ufeff \t\r\n")[:2048]
    if fmt in ("feed", "html", None):
        if _FEED_START.match(head):
            return "feed"
        if _HTML_START.match(head) or (fmt is None and head.startswith("<") and re.search(r"<(body|p|div)\b", head, re.I)):
            return "html"
        if fmt is None and head.startswith("<?xml"):
            return "feed"
    if fmt is not None:
        return fmt
    return "markdown" if _MARKDOWN_CUES.search(text[:20000]) else "text"


def parse_text(
    text: str,
    *,
    source: str,
    doc_id: str | None = None,
    fmt: str = "text",
    include_fiction: bool = False,
    fiction_cue: re.Pattern[str] | None = None,
) -> list[Document]:
    """Documents of one decoded string in format ``fmt`` (pure; raises InputError).

    ``doc_id`` defaults to the slug of the source's file stem; a feed names
    its documents after its entries instead.
    """
    return [
        item
        for item in _parse_items(
            text, source=source, doc_id=doc_id, fmt=fmt, include_fiction=include_fiction, fiction_cue=fiction_cue
        )
        if not _raise(item)
    ]


def _raise(item: Document | InputError) -> bool:
    if isinstance(item, InputError):
        raise item
    return False


def _parse_items(
    text: str,
    *,
    source: str,
    doc_id: str | None,
    fmt: str,
    include_fiction: bool,
    fiction_cue: re.Pattern[str] | None,
) -> Iterator[Document | InputError]:
    ident = slug(doc_id) if doc_id else slug(Path(source).stem or "document")
    options = {"source": source, "include_fiction": include_fiction, "fiction_cue": fiction_cue}
    if fmt == "text":
        yield from parse_plain(text, doc_id=ident, **options)  # type: ignore[arg-type]
    elif fmt == "markdown":
        yield from parse_markdown(text, doc_id=ident, **options)  # type: ignore[arg-type]
    elif fmt == "html":
        yield from parse_html(text, doc_id=ident, **options)  # type: ignore[arg-type]
    elif fmt == "feed":
        yield from iter_feed(text, **options)  # type: ignore[arg-type]
    else:
        raise InputError(source, f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def read_file(path: Path, *, source: str, max_bytes: int) -> bytes:
    """The bytes of a regular file no larger than ``max_bytes``; InputError otherwise."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError(source, "not a regular file (a device, pipe or socket); expected a text file")
        if info.st_size > max_bytes:
            raise InputError(
                source, f"file is {info.st_size:,} bytes, larger than max_bytes={max_bytes:,}; raise max_bytes to read it"
            )
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except PermissionError as exc:
        raise InputError(source, "cannot read the file: permission denied") from exc
    except FileNotFoundError as exc:
        raise InputError(source, "no such file or folder") from exc
    except OSError as exc:
        raise InputError(source, f"cannot read the file: {exc.strerror or exc}") from exc
    if len(raw) > max_bytes:
        raise InputError(source, f"file grew past max_bytes={max_bytes:,} while reading; raise max_bytes to read it")
    return raw


def load_file(
    path: Path,
    *,
    source: str,
    include_fiction: bool = False,
    max_bytes: int = 20_000_000,
    fiction_cue: re.Pattern[str] | None = None,
) -> Iterator[Document | InputError]:
    """Documents of one file, or the InputErrors that stand in for them."""
    try:
        text = decode_bytes(read_file(path, source=source, max_bytes=max_bytes), source=source)
        fmt = detect_format(path, text)
        items = _parse_items(
            text,
            source=source,
            doc_id=path.stem,
            fmt=fmt,
            include_fiction=include_fiction,
            fiction_cue=fiction_cue,
        )
        yield from items
    except InputError as exc:
        yield exc
    except ImportError as exc:
        # a parser library that cannot be imported fails every file of its format:
        # an installation problem that stops the build, never one file's failure
        raise from_import_error(exc, feature=f"{_guess(path)} input ({source})") from exc
    except Exception as exc:  # noqa: BLE001 - a parser library choking on one file must not stop the batch
        yield InputError(source, f"cannot parse the file as {_guess(path)}: {type(exc).__name__}: {exc}")


def _guess(path: Path) -> str:
    return SUFFIX_FORMATS.get(path.suffix.lower(), "text")


def iter_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[Path, str] | InputError]:
    """``(path, source)`` of every file named or found (recursively, sorted, hidden ones skipped)."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk(path)
        elif path.exists() or path.is_symlink():
            yield path, str(given)
        else:
            yield InputError(str(given), "no such file or folder")


def _walk(folder: Path) -> Iterator[tuple[Path, str] | InputError]:
    try:
        names = sorted(entry.name for entry in os.scandir(folder))
    except OSError as exc:
        yield InputError(str(folder), f"cannot list the folder: {exc.strerror or exc}")
        return
    for name in names:
        if name.startswith("."):
            continue
        path = folder / name
        if path.is_dir() and not path.is_symlink():
            yield from _walk(path)
        elif path.suffix.lower() in SUFFIX_FORMATS and not SKIP_NAMES.match(name):
            yield path, str(path)


def load_documents(
    paths: Iterable[str | os.PathLike[str]],
    *,
    include_fiction: bool = False,
    max_bytes: int = 20_000_000,
    fiction_cue: re.Pattern[str] | None = None,
) -> Iterator[Document | InputError]:
    """Documents of files and folders; a bad file or entry comes out as an InputError.

    Folders are read recursively in name order; hidden files, files with
    other extensions and README/LICENSE files are left out of a folder walk
    (a file named directly is always read, its format sniffed if need be).
    A document id already used earlier in the same call is an InputError.
    """
    seen: dict[str, str] = {}
    for found in iter_paths(paths):
        if isinstance(found, InputError):
            yield found
            continue
        path, source = found
        for item in load_file(
            path, source=source, include_fiction=include_fiction, max_bytes=max_bytes, fiction_cue=fiction_cue
        ):
            if isinstance(item, Document):
                if item.id in seen:
                    yield InputError(
                        item.source, f"document id {item.id!r} is already used by {seen[item.id]}; rename one of them"
                    )
                    continue
                seen[item.id] = item.source
            yield item
