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


def test_pipeline_version_covers_relation_rules_and_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Editing any extraction module (relation rules in a subpackage too) or data file changes the version."""
    import shutil

    import kg.nlp

    pkg = Path(kg.nlp.__file__).parent
    copy = tmp_path / "kg"
    for sub in ("extract", "data"):
        shutil.copytree(pkg / sub, copy / sub, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(pkg / "nlp.py", copy / "nlp.py")
    monkeypatch.setattr(kg.nlp, "__file__", str(copy / "nlp.py"))
    base = kg.nlp.pipeline_version()
    rule = next((copy / "extract" / "relations").glob("*.py"))
    rule.write_text(rule.read_text() + "\n# edited\n")
    after_rule = kg.nlp.pipeline_version()
    assert after_rule != base
    data = next(p for p in (copy / "data").iterdir() if p.name.startswith("relation_"))
    data.write_bytes(data.read_bytes() + b"\n")
    assert kg.nlp.pipeline_version() != after_rule
