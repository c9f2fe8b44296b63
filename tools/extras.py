"""Print the names of every optional-dependency group of pyproject.toml, comma-separated.

The lock and the drift check install all of them, so the lock covers each
extra a user may ask for.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    print(",".join(sorted(project.get("optional-dependencies", {}))))
