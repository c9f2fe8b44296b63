"""examples/explore.ipynb runs from top to bottom on the installed package (a cell that raises fails)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NOTEBOOK = EXAMPLES / "explore.ipynb"


def test_the_notebook_is_committed_without_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    assert [(c.execution_count, c.outputs) for c in code] == [(None, [])] * len(code)


def test_the_notebook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a kernel spec of this interpreter (the test venv, where aikg is installed), whatever else is installed
    spec = tmp_path / "jupyter" / "kernels" / "aikg-test"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "aikg test", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend, so the drawing is an output
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, kernel_name="aikg-test", timeout=240, resources={"metadata": {"path": str(EXAMPLES)}})
    client.execute()  # raises CellExecutionError, naming the cell, when one raises
    text = "\n".join(
        str(out.get("text", "")) + str(out.get("data", {}).get("text/plain", ""))
        for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
    )
    assert "DeepSeek-R1" in text  # what DeepSeek released
    assert "PSP Investments" in text  # who funded Cohere, with its evidence
    assert "mean_confidence" in text  # the SPARQL aggregate
    assert any(out.get("data", {}).get("image/png") for cell in nb.cells if cell.cell_type == "code"
               for out in cell.outputs)  # the drawing
