from __future__ import annotations

from pathlib import Path

import pytest

from kg.cache import DocCache, document_key
from kg.types import DocResult, Document, Section


def _doc(text: str = "Acme released Widget-1.") -> Document:
    return Document(id="d1", title="T", text=text, source="x.txt", sections=(Section(0, "T", 0, len(text)),))


def test_key_changes_with_content_pipeline_and_model() -> None:
    base = document_key(_doc(), pipeline_version="1", model="m", model_version="1")
    assert base == document_key(_doc(), pipeline_version="1", model="m", model_version="1")
    assert base != document_key(_doc("Acme released Widget-2."), pipeline_version="1", model="m", model_version="1")
    assert base != document_key(_doc(), pipeline_version="2", model="m", model_version="1")
    assert base != document_key(_doc(), pipeline_version="1", model="m2", model_version="1")
    assert base != document_key(_doc(), pipeline_version="1", model="m", model_version="2")


def test_roundtrip_damage_and_prune(tmp_path: Path) -> None:
    cache = DocCache(tmp_path)
    result = DocResult("d1", "T", "x.txt", None, None, (Section(0, "T", 0, 5),), (), ())
    cache.put("k1", result)
    cache.put("k2", result)
    assert cache.get("k1") == result
    assert cache.get("missing") is None
    (tmp_path / "k2.json").write_text("{not json")
    assert cache.get("k2") is None  # a damaged entry is a miss, not a crash
    assert cache.prune(["k1"]) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k1.json"]


def test_pipeline_version_covers_relation_rules_and_data(tmp_path: Path) -> None:
    """Editing any extraction module (relation rules in a subpackage too) or data file changes the version."""
    import shutil

    from kg.version import PACKAGE, pipeline_version

    copy = tmp_path / "kg"
    for sub in ("extract", "data"):
        shutil.copytree(PACKAGE / sub, copy / sub, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PACKAGE / "nlp.py", copy / "nlp.py")
    base = pipeline_version(copy)
    assert base == pipeline_version(PACKAGE)
    rule = next((copy / "extract" / "relations").glob("*.py"))
    rule.write_text(rule.read_text() + "\n# edited\n")
    after_rule = pipeline_version(copy)
    assert after_rule != base
    data = next(p for p in (copy / "data").iterdir() if p.name.startswith("relation_"))
    data.write_bytes(data.read_bytes() + b"\n")
    assert pipeline_version(copy) != after_rule


def test_build_module_does_not_import_spacy() -> None:
    """A rebuild served from the cache must not pay for importing spaCy."""
    import subprocess
    import sys

    code = "import sys, kg.build, kg.cache, kg.version; kg.version.pipeline_version(); print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
