"""kg.plot and `kg plot`: images of the expected size, PNG and SVG."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from kg.cli import app
from kg.graphview import to_networkx
from kg.plot import PlotOptions, labelled_nodes, layout, render

DATA = Path(__file__).parent / "data" / "graphview" / "small.ttl"
runner = CliRunner()


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


@pytest.fixture(scope="module")
def view():
    return to_networkx(Graph().parse(DATA))


def test_render_png_has_the_requested_pixel_size(tmp_path: Path, view) -> None:
    out = render(view, tmp_path / "g.png", PlotOptions(width=640, height=480, dpi=80))
    assert png_size(out) == (640, 480)
    assert out.stat().st_size > 5000


def test_render_svg(tmp_path: Path, view) -> None:
    out = render(view, tmp_path / "g.svg", PlotOptions(labels=3))
    text = out.read_text(encoding="utf-8")
    assert "<svg" in text and "</svg>" in text
    assert "Organization (2)" in text  # the legend


def test_unknown_image_format_is_refused(tmp_path: Path, view) -> None:
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        render(view, tmp_path / "g.gif")


def test_largest_nodes_are_labelled_first(view) -> None:
    assert labelled_nodes(view, 1) == ["organization/acme-labs"]
    assert len(labelled_nodes(view, 100)) == view.number_of_nodes()


def test_layout_is_deterministic(view) -> None:
    assert layout(view, seed=3) == layout(view, seed=3)
    assert set(layout(view)) == set(view)


def test_bad_plot_options() -> None:
    with pytest.raises(ValueError, match="width=10"):
        PlotOptions(width=10)


def test_cli_writes_png_and_svg(tmp_path: Path) -> None:
    png = tmp_path / "graph.png"
    result = runner.invoke(app, ["plot", str(DATA), "--out", str(png), "--width", "800", "--height", "600",
                                 "--comention", "section", "--type", "Organization", "--type", "Model"])
    assert result.exit_code == 0, result.output
    assert png_size(png) == (800, 600)
    assert "4 entities" in result.output
    svg = tmp_path / "graph.svg"
    result = runner.invoke(app, ["plot", str(DATA), "--out", str(svg), "--predicate", "released"])
    assert result.exit_code == 0, result.output
    assert svg.stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--type", "Robot"], "unknown type"),
        (["--out", "x.gif"], ".png or .svg"),
    ],
)
def test_cli_reports_bad_options(tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["plot", str(DATA), "--out", str(tmp_path / "g.png"), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_cli_reports_a_missing_build(tmp_path: Path) -> None:
    result = runner.invoke(app, ["plot", str(tmp_path / "nothing"), "--out", str(tmp_path / "g.png")])
    assert result.exit_code == 2
    assert "nothing" in result.output
