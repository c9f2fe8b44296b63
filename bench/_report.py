"""Rows of the issue-7 table and how they are printed."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Row:
    """One measured line: what, the value as printed, the target, and whether it holds."""

    what: str
    measured: str
    target: str
    met: bool | None  # None: informational, or the measurement failed
    note: str = ""

    @property
    def verdict(self) -> str:
        return {True: "yes", False: "NO", None: "-"}[self.met]


def failed(what: str, target: str, exc: BaseException) -> Row:
    return Row(what, "error", target, None, f"{type(exc).__name__}: {exc}".splitlines()[0][:160])


def table(rows: list[Row]) -> str:
    head = ("what", "measured", "target", "met")
    cells = [head] + [(r.what, r.measured, r.target, r.verdict) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(4)]
    lines = []
    for n, c in enumerate(cells):
        lines.append("| " + " | ".join(c[i].ljust(widths[i]) for i in range(4)) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    notes = [f"  [{i}] {r.what}: {r.note}" for i, r in enumerate(rows, 1) if r.note]
    return "\n".join(lines + (["", "notes:"] + notes if notes else []))


def machine_line() -> str:
    load1, load5, _ = os.getloadavg()
    return f"{os.cpu_count()} cores; load average {load1:.2f} (1 min), {load5:.2f} (5 min)"


def load_note(before: float, limit: float = 1.0) -> str:
    """A warning when other work was running on the machine while measuring."""
    return f"load average was {before:.1f} when this started (other processes busy)" if before > limit else ""
