"""Plain-text newsletter exports, one or several issues per file.

An issue opens with a title line (``Import AI 395: ...``) and holds items
separated by lines of ``***``; each item's first line is its headline. A
file holding several issues is split at every later title line of the same
newsletter that stands alone (blank line before and after), never inside prose.
"""

from __future__ import annotations

import re

from kg.ingest import cues
from kg.ingest._doc import Draft, clean_text, finish, headline, section_spans, title_match
from kg.types import Document

_BLANK_RUNS = re.compile(r"\n[ \t\u00a0]*(?:\n[ \t\u00a0]*){2,}")
# Markdown written into a plain-text file (newsletter exports, copied posts): the link text
# stays and the address goes; emphasis marks go. Separator lines ("***") are no emphasis.
_MD_LINK = re.compile(r"!?\[([^\]\n]{1,300})\]\((?:[^()\s]|\([^()\s]*\))+(?:[ ]+\"[^\"\n]*\")?\)")
_MD_STRONG = re.compile(r"(?<![*_\w])(\*\*|__)(?=[^\s*_])([^\n]+?)(?<=[^\s*_])\1(?![*_\w])")
_MD_EMPHASIS = re.compile(r"(?<![*_\w])([*_])(?=[^\s*_])([^\n*_]+?)(?<=[^\s*_])\1(?![*_\w])")
_MD_CODE = re.compile(r"`([^`\n]+)`")


def strip_inline_markdown(text: str) -> str:
    """Plain text of a string that carries inline Markdown: "[Meta](https://...)" -> "Meta",
    "**bold**" / "__bold__" / "_italic_" / "*italic*" / "`code`" -> their words."""
    if "](" not in text and "*" not in text and "_" not in text and "`" not in text:
        return text
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_STRONG.sub(r"\2", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    return _MD_CODE.sub(r"\1", text)
_MAX_TITLE_LINE = 300


def split_issues(text: str) -> list[str]:
    """Cut a plain-text archive into issues at its standalone title lines.

    Only title lines of the newsletter named by the file's first line count,
    so a different "Name 12:" headline inside an issue never splits it.
    """
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not _is_title(lines, first):
        return [text]
    found = title_match(lines[first])
    assert found is not None
    name = found[0].casefold()
    cuts = [first]
    for i in range(first + 1, len(lines)):
        if _is_title(lines, i):
            other = title_match(lines[i])
            if other is not None and other[0].casefold() == name:
                cuts.append(i)
    chunks = []
    for a, b in zip(cuts, cuts[1:] + [len(lines)]):
        chunks.append("\n".join(lines[a:b]))
    return chunks


def _is_title(lines: list[str], i: int) -> bool:
    line = lines[i].strip()
    if not line or len(line) > _MAX_TITLE_LINE or title_match(line) is None:
        return False
    before_ok = i == 0 or not lines[i - 1].strip() or cues.SEPARATOR_LINE.match(lines[i - 1]) is not None
    after_ok = i + 1 >= len(lines) or not lines[i + 1].strip()
    return before_ok and after_ok


def tidy_issue(text: str) -> str:
    """Drop boilerplate lines, squeeze blank runs, trim the ends."""
    text = cues.BOILERPLATE_LINE.sub("", text)
    text = _BLANK_RUNS.sub("\n\n", text)
    text = text.strip()
    while (m := _trailing_separator(text)) is not None:
        text = text[:m].rstrip()
    return text


def _trailing_separator(text: str) -> int | None:
    last_nl = text.rfind("\n")
    if last_nl >= 0 and cues.SEPARATOR_LINE.fullmatch(text[last_nl + 1 :]):
        return last_nl
    return None


def draft_issue(text: str, *, fiction_cue: re.Pattern[str] | None = None) -> Draft:
    """Sections of one tidied issue: the preamble, then one per item."""
    cue = fiction_cue if fiction_cue is not None else cues.FICTION_CUE
    title = headline(text) if text else ""
    # (where the previous section ends, where the next one's text begins)
    cuts: list[tuple[int, int]] = [(m.start(), m.end()) for m in cues.SEPARATOR_LINE.finditer(text)]
    for m in re.finditer(r"(?:^|\n\n)([^\n]+)", text):
        line = m.group(1)
        if m.start(1) > 0 and len(line) <= 80 and cue.match(line) and not _after_separator(text, m.start(1)):
            cuts.append((m.start(1), m.start(1)))
    cuts.extend(_headline_cuts(text, {begin for _, begin in cuts}))
    cuts.sort()
    starts: list[tuple[int, str | None]] = [(0, None)]
    for _, begin in cuts:
        rest = text[begin:]
        lead = len(rest) - len(rest.lstrip())
        starts.append((begin, headline(rest[lead:]) if rest.strip() else None))
    spans = section_spans(text, starts, title, ends=[end for end, _ in cuts])
    return Draft(title, text, spans)


def _headline_cuts(text: str, taken: set[int]) -> list[tuple[int, int]]:
    """Item starts found by a headline line followed by a subtitle line."""
    found = []
    for m in re.finditer(r"\n\n([^\n]+)\n([^\n]+)", text):
        start = m.start(1)
        if len(m.group(1)) <= cues.MAX_TITLE_CHARS and cues.SUBTITLE_LINE.match(m.group(2)):
            after = text[:start].rstrip()
            previous = after[after.rfind("\n") + 1 :]
            if start not in taken and not cues.SEPARATOR_LINE.fullmatch(previous):
                found.append((start, start))
    return found


def _after_separator(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    last_nl = before.rfind("\n")
    return cues.SEPARATOR_LINE.fullmatch(before[last_nl + 1 :]) is not None


def parse_plain(
    text: str,
    *,
    source: str,
    doc_id: str,
    include_fiction: bool = False,
    fiction_cue: re.Pattern[str] | None = None,
) -> list[Document]:
    """Documents of a plain-text file (already decoded)."""
    issues = [tidy_issue(chunk) for chunk in split_issues(strip_inline_markdown(clean_text(text)))]
    issues = [chunk for chunk in issues if chunk]
    drafts = [draft_issue(chunk, fiction_cue=fiction_cue) for chunk in issues]
    numbers = [title_match(d.title) for d in drafts]
    issue_nos = [n[1] if n else None for n in numbers]
    unique = len(drafts) == len({n for n in issue_nos if n is not None})
    docs = []
    for n, (draft, number) in enumerate(zip(drafts, issue_nos), start=1):
        if len(drafts) == 1:
            ident = doc_id
        else:
            ident = f"{doc_id}-{number if unique and number is not None else n}"
        docs.append(
            finish(
                draft,
                doc_id=ident,
                source=source,
                fmt="text",
                issue=number,
                include_fiction=include_fiction,
                fiction_cue=fiction_cue,
            )
        )
    return docs
