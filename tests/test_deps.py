"""Dependencies: every import declared, every input format usable, a broken install reported as one."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kg.deps import BUILD, SERVE, Requirement, from_import_error, missing, require
from kg.errors import DependencyError, InputError

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("kg", "api", "exports", "ontology")
FORMATS = {"text", "markdown", "html", "feed"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(*extras: str) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for extra in extras:
        specs += project["optional-dependencies"][extra]
    return {_norm(re.split(r"[\s<>=!~;\[]", spec, maxsplit=1)[0]) for spec in specs}


def _top_imports(folders: tuple[str, ...]) -> dict[str, str]:
    """Top-level module names imported by the code under ``folders`` -> one file importing it."""
    found: dict[str, str] = {}
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def _undeclared(folders: tuple[str, ...], declared: set[str], local: set[str]) -> list[str]:
    providers = importlib.metadata.packages_distributions()
    bad = []
    for module, where in sorted(_top_imports(folders).items()):
        if module in sys.stdlib_module_names or module in local or module == "__future__":
            continue
        dists = {_norm(d) for d in providers.get(module, [module])}
        if not dists & declared:
            bad.append(f"{module} (imported by {where}; provided by {sorted(dists)})")
    return bad


def _feature_extras() -> list[str]:
    """The optional extras a user may install for a feature (all but the developers' ``dev``)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return sorted(set(project.get("optional-dependencies", {})) - {"dev"})


def test_every_runtime_import_is_a_declared_dependency() -> None:
    """Declared as a dependency, or in the extra of the optional feature that imports it."""
    assert _undeclared(PACKAGES, _declared(*_feature_extras()), {"kg"}) == []


def test_every_test_and_bench_import_is_declared_for_dev() -> None:
    bench_modules = {p.stem for p in (ROOT / "bench").glob("*.py")}
    assert _undeclared(("tests", "bench", "tools"), _declared("dev"), {"kg", "conftest"} | bench_modules) == []


def test_the_checked_requirements_are_declared() -> None:
    declared = _declared()
    assert sorted(r.distribution for r in BUILD + SERVE if _norm(r.distribution) not in declared) == []


def test_the_html_cleaner_that_left_lxml_is_declared() -> None:
    """lxml 5.2 moved lxml.html.clean out; jusText (trafilatura's) still imports it."""
    assert "lxml-html-clean" in _declared()
    assert not missing(BUILD), missing(BUILD)


def test_require_names_the_missing_package_and_the_install_command() -> None:
    absent = Requirement("aikg_no_such_module_xyz", "aikg-no-such-dist", "a test feature")
    with pytest.raises(DependencyError) as info:
        require(BUILD + (absent,), command="build")
    message = str(info.value)
    assert info.value.distributions == ["aikg-no-such-dist"]
    assert "aikg-no-such-dist" in message and "a test feature" in message
    assert "pip install -c constraints.txt aikg-no-such-dist" in message
    require(BUILD, command="build")  # the real environment has everything


def test_a_missing_parent_package_counts_as_missing() -> None:
    assert missing((Requirement("aikg_no_such_pkg_xyz.child", "x", "y"),)) == [
        Requirement("aikg_no_such_pkg_xyz.child", "x", "y")
    ]


def test_lxml_stub_error_is_attributed_to_lxml_html_clean() -> None:
    stub = ImportError("lxml.html.clean module is now a separate project lxml_html_clean.\n"
                       "Install lxml[html_clean] or lxml_html_clean directly.")
    err = from_import_error(stub, feature="html input (page.html)")
    assert err.distributions == ["lxml_html_clean"]
    assert "installation problem" in str(err) and "pip install -c constraints.txt lxml_html_clean" in str(err)
    err = from_import_error(ModuleNotFoundError("No module named 'feedparser'", name="feedparser"), feature="feed")
    assert err.distributions == ["feedparser"]


def test_bundled_example_has_one_file_of_each_format_and_all_parse(examples_dir: Path) -> None:
    """Fails whenever an input format cannot be used in the installed environment."""
    from kg.ingest import load_documents

    items = list(load_documents([examples_dir]))
    failures = [str(i) for i in items if isinstance(i, InputError)]
    assert failures == []
    assert {d.format for d in items} == FORMATS


def test_example_build_reports_zero_failed_inputs(tmp_path: Path, examples_dir: Path) -> None:
    from kg.build import BuildOptions, build

    report = build([examples_dir], tmp_path / "out", BuildOptions(jobs=1))
    assert [f"{f.source}: {f.reason}" for f in report.failures] == []
    assert report.documents >= len(FORMATS)


def test_a_broken_html_library_stops_ingest_instead_of_failing_the_file(
    monkeypatch: pytest.MonkeyPatch, examples_dir: Path
) -> None:
    import kg.ingest._files as files
    from kg.ingest import load_documents

    def broken(*args: object, **kwargs: object) -> None:
        raise ImportError("lxml.html.clean module is now a separate project lxml_html_clean.")

    monkeypatch.setattr(files, "parse_html", broken)
    with pytest.raises(DependencyError) as info:
        list(load_documents([examples_dir]))
    assert info.value.distributions == ["lxml_html_clean"]
    assert "lab-dispatch.html" in str(info.value)


_BLOCKER = '''
import importlib.abc, sys
class _Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "lxml_html_clean" or name.startswith("lxml_html_clean."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, _Block())
'''


def test_cli_build_without_the_html_cleaner_stops_at_once(tmp_path: Path, examples_dir: Path) -> None:
    """A fresh environment missing a dependency: exit 2, the package named, no input blamed."""
    (tmp_path / "sitecustomize.py").write_text(_BLOCKER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "kg", "build", str(examples_dir), "--out", str(out), "--jobs", "1", "-q"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 2, proc.stderr
    err = " ".join(proc.stderr.split())
    assert "lxml_html_clean" in err and "pip install -c constraints.txt lxml_html_clean" in err
    assert "cannot parse" not in err and "failed:" not in err
    assert not (out / "current").exists()
