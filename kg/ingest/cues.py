"""Overridable patterns that tell ingest how a newsletter is laid out.

Every parser reads these through this module at call time, so a project can
adapt ingest to another newsletter by assigning new compiled patterns here
(``kg.ingest.cues.FICTION_CUE = re.compile(...)``) or, per call, by passing
``fiction_cue=`` to the parse functions and :func:`kg.ingest.load_documents`.
"""

from __future__ import annotations

import re

#: A section headline that opens the fiction part of an issue; that section
#: and every later one of the same document are fiction.
FICTION_CUE: re.Pattern[str] = re.compile(r"^\W*tech\s+tales\b", re.IGNORECASE)

_WORD = r"[A-Za-z0-9][\w&'\u2019.+-]*"

#: The title line of an issue: a newsletter name of one to six words, then an
#: issue number, either "Name 395: rest" or "Name #12" / "Name #12: rest" /
#: "Name No. 12 - rest" / "Name Issue 12: rest".
TITLE_LINE: re.Pattern[str] = re.compile(
    rf"^(?P<name>[A-Z][\w&'\u2019.+-]*(?:[ \t]{_WORD}){{0,5}}?)[ \t]+"
    r"(?:(?:\#|No\.?[ \t]*|Issue[ \t]+\#?)(?P<hnum>\d{1,5})(?:[ \t]*[:|\u2013\u2014-][ \t]*(?P<hrest>\S.*))?"
    r"|(?P<num>\d{1,5})[ \t]*:[ \t]*(?P<rest>\S.*))[ \t]*$"
)

#: A line made only of three or more ``*``, ``-`` or ``_`` (spaces allowed):
#: the separator between the items of an issue.
SEPARATOR_LINE: re.Pattern[str] = re.compile(
    r"^[ \t\u00a0]*(?:(?:\*[ \t\u00a0]*){3,}|(?:-[ \t\u00a0]*){3,}|(?:_[ \t\u00a0]*){3,})$", re.MULTILINE
)

#: Whole lines of newsletter-platform boilerplate that are dropped from text.
BOILERPLATE_LINE: re.Pattern[str] = re.compile(
    r"^[ \t\u00a0]*(?:subscribe now|thanks for reading!?|share|share this post|leave a comment)"
    r"[ \t\u00a0]*$",
    re.IGNORECASE | re.MULTILINE,
)

#: Longest headline kept as a section title; longer first lines are cut.
MAX_TITLE_CHARS = 200

#: The subtitle line under an item headline (``…Meta-analysis of 40+ games…``):
#: the line above it starts an item even without a separator before it.
SUBTITLE_LINE: re.Pattern[str] = re.compile(r"^[ \t]*(?:\u2026|\.\.\.)[ \t]*\S")
