"""The version of the extraction pipeline, computed without importing spaCy.

A build needs it before anything else (it is part of every cache key), and a
rebuild in which no document changed should not pay for loading the NLP
stack just to learn that.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import kg

PACKAGE = Path(kg.__file__).resolve().parent


def pipeline_version(root: Path = PACKAGE) -> str:
    """aikg's version plus a hash of the extraction code and its data files.

    Every module of ``kg/extract`` (relation rules included), ``kg/nlp.py``
    and every file under ``kg/data`` count: a change to any of them must
    invalidate cached extraction results.
    """
    h = hashlib.sha256()
    paths = [root / "nlp.py", *(root / "extract").rglob("*.py"), *(p for p in (root / "data").rglob("*") if p.is_file())]
    for path in sorted(paths):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return f"{kg.__version__}+{h.hexdigest()[:12]}"
