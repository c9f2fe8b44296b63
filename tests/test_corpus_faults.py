"""A generated corpus of 1,000 small documents with a few broken ones, built through the CLI.

The build keeps every good document, names every broken file with its
reason (on stderr and in the manifest) and exits non-zero; once the broken
files are removed, the next build succeeds from the cache.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

GOOD_DOCUMENTS = 1000
ORGS = ("Acme Labs", "Borealis AI", "Cinder Research", "Dunlin Systems", "Egret Compute")
COUNTRIES = ("France", "Canada", "Japan", "Brazil", "Kenya")

#: name -> (bytes, a phrase the failure reason must contain)
BROKEN: dict[str, tuple[bytes, str]] = {
    "binary.txt": (bytes(range(256)) * 8, "binary file"),
    "nul.md": (b"# Title\n\nSome text\x00with a NUL byte.\n", "NUL byte"),
    "latin1.txt": ("Une soci\u00e9t\u00e9 fran\u00e7aise a publi\u00e9 un mod\u00e8le.\n".encode("latin-1") * 20, "not UTF-8"),
    "empty.md": (b"", "empty"),
    "blank.txt": (b" \n\n\t\n", "only whitespace"),
    "malformed.xml": (b"<?xml version='1.0'?><rss><channel><item><title>Half", "malformed feed XML"),
    "entity-bomb.xml": (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
        + b']>\n<rss version="2.0"><channel><title>t</title><item><title>&lol9;</title></item></channel></rss>',
        "DOCTYPE or ENTITY",
    ),
    "external-entity.rss": (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>'
        b"<rss><channel><item><title>&x;</title></item></channel></rss>",
        "DOCTYPE or ENTITY",
    ),
}
OVERSIZE = ("oversize.txt", 20_000_001, "larger than max_bytes")


def good_text(i: int) -> str:
    org, country = ORGS[i % len(ORGS)], COUNTRIES[(i // len(ORGS)) % len(COUNTRIES)]
    return f"Field notes {i}\n\n{org}, based in {country}, released Wombat-{i}, which outperforms Koala-{i}.\n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("faults") / "corpus"
    for i in range(GOOD_DOCUMENTS):
        folder = root / f"batch-{i // 100:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"note-{i:04d}.txt").write_text(good_text(i), encoding="utf-8")
    broken = root / "batch-05"  # in the middle of the walk, not at an end
    for name, (data, _) in BROKEN.items():
        (broken / name).write_bytes(data)
    name, size, _ = OVERSIZE
    with (broken / name).open("wb") as fh:
        fh.truncate(size)  # sparse: refused by its size, never read
    return root


KG = [sys.executable, "-c", "from kg.cli import app; app()"]


def kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KG, *args], capture_output=True, text=True, timeout=600)


@dataclass(frozen=True, slots=True)
class FirstBuild:
    done: subprocess.CompletedProcess[str]
    out: Path
    #: a second `kg build` into the same folder, started while the first held the lock
    rival: subprocess.CompletedProcess[str]


def wait_for_lock_holder(out: Path, proc: subprocess.Popen[str], timeout: float = 120.0) -> None:
    lock = out / ".lock"
    deadline = time.monotonic() + timeout
    while not (lock.exists() and lock.read_text().startswith("pid ")):
        assert proc.poll() is None, "the first build ended before it took the lock"
        assert time.monotonic() < deadline, f"the first build did not take {lock} within {timeout:g} s"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def first_build(corpus: Path) -> FirstBuild:
    out = corpus.parent / "out"
    args = ["build", str(corpus), "--out", str(out), "--jobs", "2", "--quiet"]
    proc = subprocess.Popen([*KG, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_lock_holder(out, proc)
        rival = kg(*args)
        stdout, stderr = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return FirstBuild(subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr), out, rival)


def test_a_second_build_of_the_same_folder_is_refused_while_the_first_runs(first_build: FirstBuild) -> None:
    rival = first_build.rival
    assert rival.returncode == 2, (rival.returncode, rival.stderr[-2000:])
    assert "another build is writing" in " ".join(rival.stderr.split())
    assert first_build.done.returncode == 1  # the first one finished its work regardless (exit 1: broken inputs)


def test_broken_files_fail_the_build_with_a_nonzero_exit(first_build: FirstBuild) -> None:
    done = first_build.done
    assert done.returncode == 1, done.stderr[-3000:]
    assert f"{len(BROKEN) + 1} input(s) failed" in done.stderr


def test_every_broken_file_is_listed_with_its_reason(first_build: FirstBuild) -> None:
    done, out = first_build.done, first_build.out
    stderr = " ".join(done.stderr.split())  # rich wraps long lines
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    failures = {Path(f["source"]).name: f["reason"] for f in manifest["failures"]}
    expected = {name: phrase for name, (_, phrase) in BROKEN.items()} | {OVERSIZE[0]: OVERSIZE[2]}
    assert set(failures) == set(expected)
    for name, phrase in expected.items():
        assert phrase in failures[name], (name, failures[name])
        assert name in stderr


def test_every_good_document_is_built(first_build: FirstBuild) -> None:
    out = first_build.out
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["documents"] == GOOD_DOCUMENTS
    assert len(manifest["documents"]) == GOOD_DOCUMENTS
    assert manifest["counts"]["entities"] > len(ORGS)
    ids = {d["id"] for d in manifest["documents"]}
    assert {"note-0000", "note-0499", "note-0999"} <= ids
    assert (out / "current" / "store").is_dir()


@pytest.fixture(scope="module")
def fixed_build(corpus: Path, first_build: FirstBuild) -> tuple[subprocess.CompletedProcess[str], Path]:
    """The same corpus built again after its broken files were removed."""
    out = first_build.out
    for name in [*BROKEN, OVERSIZE[0]]:
        (corpus / "batch-05" / name).unlink()
    return kg("build", str(corpus), "--out", str(out), "--jobs", "2", "--quiet"), out


def test_removing_the_broken_files_gives_a_clean_build_from_the_cache(
    fixed_build: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    done, out = fixed_build
    assert done.returncode == 0, done.stderr[-3000:]
    assert "failed:" not in done.stderr, done.stderr[-3000:]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    figures = {k: manifest.get(k) for k in ("counts", "cache_hits", "build_id", "timings")}
    assert manifest["counts"]["documents"] == GOOD_DOCUMENTS, figures
    assert manifest["cache_hits"] == GOOD_DOCUMENTS, figures  # nothing re-extracted: the good results were kept


def test_the_published_manifest_forgets_failures_that_were_fixed(
    fixed_build: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    """Regression: a build whose only change was fixed failures used to count as 'up to date'."""
    _, out = fixed_build
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["failures"] == []
