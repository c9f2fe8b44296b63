"""Paper titles and their sources on "Read more: TITLE (SOURCE)" lines.

:func:`paper_cues` is a pure function ``text -> list[Cue]`` like the finders of
:mod:`kg.extract.patterns`: the title is a structural reading that outranks
every other cue; the source is an organisation (or a person's blog) unless it
only names the website that hosts the link.
"""

from __future__ import annotations

import re

from kg.extract.patterns import NAMEX, ORG_HEADS, Cue
from kg.extract.vocab import norm

__all__ = ["paper_cues"]


def paper_cues(text: str, hosts: frozenset[str]) -> list[Cue]:
    """Titles on 'Read more: TITLE (SOURCE)' lines, and the sources that are not link hosts."""
    out: list[Cue] = []
    sourced = list(_READ_MORE.finditer(text))
    lines = {m.start() for m in sourced}
    bare = [m for m in _PAPER_LEAD.finditer(text) if m.start() not in lines]
    for m in [*sourced, *bare]:
        t0, t1 = m.span("title")
        title = text[t0:t1]
        lead = _TITLE_LEAD.match(title)
        if lead:
            t0 += lead.end()
            title = text[t0:t1]
        if (":" in title or len(title.split()) >= 3) and not _URLISH.search(title):
            out.append(Cue(t0, t1, "Paper", 10.0, "paper:read-more", hard=True))
            out.extend(_title_prefix(text, t0, t1))
        if m.re is _PAPER_LEAD:
            continue
        pos = m.start("src")
        for i, part in enumerate(m.group("src").split(",")):
            start = pos + len(part) - len(part.lstrip())
            pos += len(part) + 1
            cleaned = _SRC_TAIL.sub("", part.strip())
            if not cleaned or _fold_hosts(cleaned, hosts) or cleaned.split()[-1].lower() in _SRC_SKIP:
                continue
            if i > 0 and _SRC_TAIL.search(part.strip()):
                continue  # "(Microsoft, AI Platform Blog)": later blog descriptors are not names
            if cleaned != part.strip() and _PERSONAL_SOURCE.fullmatch(cleaned) and not set(cleaned.split()) & ORG_HEADS:
                out.append(Cue(start, start + len(cleaned), "Person", 1.4, "paper:personal-source"))  # "(Jane Doe blog)"
            else:
                out.append(Cue(start, start + len(cleaned), "Organization", 1.2, "paper:source"))
    return out


def _title_prefix(text: str, t0: int, t1: int) -> list[Cue]:
    """"Centaur: a foundation model of ...": the name before the colon, typed by what follows."""
    m = _PREFIX.match(text, t0, t1)
    if not m:
        return []
    rest = m.group("rest")
    if _BENCH_WORDS.search(rest):
        etype = "Benchmark"
    elif _MODEL_WORDS.search(rest):
        etype = "Model"
    else:
        return []
    return [Cue(m.start("n"), m.end("n"), etype, 2.0, "title-prefix")]


_PREFIX = re.compile(rf"(?P<n>{NAMEX}):[ ]+(?P<rest>.+)")
_BENCH_WORDS = re.compile(r"(?i)\b(?:benchmark(?:s|ing)?|dataset|evaluat(?:ion|ing)|leaderboard|test[ ]suite)\b")
_MODEL_WORDS = re.compile(r"(?i)\b(?:model|models|policy|agent|LLM|language[ ]model|system)\b")


_READ_MORE = re.compile(
    r"(?m)^[^\S\n]*(?:Read[ ]more(?:[ ](?:about|in|on|from)[ ][^:\n]{0,80}?)?|Read[ ](?:the|our)[ ][^:\n]{0,60}?|"
    r"Check[ ]out[ ]the[ ](?:technical[ ]report|research[ ]paper|paper|report)(?:[ ]here)?)"
    r"(?:[ ]*:[ ]*|(?<=more)(?=[A-Z0-9\u03c0$\u201c\"]))"
    r"(?P<title>[^\n]+?)[ ]*\((?P<src>[^()\n]+)\)[ .]*$"
)
#: a line that names what it links to as a paper or report, with no source in parentheses:
#: "Read the paper: TITLE", "Paper: TITLE", "Read the technical report: TITLE"
_PAPER_LEAD = re.compile(
    r"(?m)^[^\S\n]*(?:Read[ ](?:the|our)[ ](?:full[ ]|technical[ ]|research[ ])?(?:paper|report|preprint|study)|"
    r"(?:Paper|Report|Preprint|Technical[ ]report|Research[ ]paper))[ ]*:[ ]*"
    r"(?P<title>[^\n(]*[^\s(.])[ .]*$"
)
_URLISH = re.compile(r"(?i)https?:|www\.|\.(?:com|org|pdf|html?)\b")
_TITLE_LEAD = re.compile(r"(?:New|Our)[ ](?:paper|report|research|preprint|post|blog[ ]post|study)[ ]*:[ ]*")
_SRC_TAIL = re.compile(r"(?:[ ](?:official[ ])?(?:blog|Blog|website|Website|site|Site|PDF|Preprints|GitHub|"
                       r"Github|Substack|announcement|newsroom|press[ ]release))+$")
_PERSONAL_SOURCE = re.compile(r"[A-Z][a-z]+(?:[ ][A-Z]\.)?(?:[ ][A-Z][a-z]+(?:-[A-Z][a-z]+)?){1,2}")
_SRC_SKIP = frozenset({"model", "models", "paper", "dataset", "leaderboard", "page", "repo", "code", "post"})


def _fold_hosts(s: str, hosts: frozenset[str]) -> bool:
    key = norm(s)
    return key in hosts or "arxiv" in key or key == "pdf"
