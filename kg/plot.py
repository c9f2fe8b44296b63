"""Draw the entity graph without Gephi: matplotlib (Agg), PNG or SVG.

Same colours as the GEXF export (:data:`kg.graphview.TYPE_COLORS`), node area
from the view's ``size`` attribute, a legend of entity types and edge kinds,
and labels on the largest nodes only so that a few hundred nodes stay
readable. No pyplot: each call builds its own :class:`~matplotlib.figure.Figure`,
so nothing global changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from kg.graphview import COMENTION_COLOR, OTHER_COLOR, TYPE_COLORS

FORMATS = (".png", ".svg")
RELATION_COLOR = "#666666"
Position = dict[Any, tuple[float, float]]


@dataclass(frozen=True, slots=True)
class PlotOptions:
    """How to draw: pixel size, labels, seed of the layout, title."""

    width: int = 1600
    height: int = 1200
    dpi: int = 100
    labels: int = 25
    seed: int = 7
    title: str | None = None

    def __post_init__(self) -> None:
        for name in ("width", "height", "dpi"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 50:
                raise ValueError(f"{name}={value!r}: expected a whole number of at least 50")
        if self.labels < 0:
            raise ValueError(f"labels={self.labels!r}: expected 0 or more nodes to label")


def layout(view: nx.MultiDiGraph, *, seed: int = 7) -> Position:
    """Force-directed positions, deterministic for a given seed."""
    simple = nx.Graph()
    simple.add_nodes_from(view)
    simple.add_edges_from((u, v) for u, v in view.edges() if u != v)
    if simple.number_of_nodes() == 0:
        return {}
    k = 2.0 / math.sqrt(simple.number_of_nodes())
    pos = nx.spring_layout(simple, k=k, iterations=100, seed=seed)
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def labelled_nodes(view: nx.MultiDiGraph, count: int) -> list[Any]:
    """The ``count`` largest nodes (by size, then mentions, then label)."""
    def rank(node: Any) -> tuple[float, int, str]:
        data = view.nodes[node]
        return (-float(data.get("size", 0.0)), -int(data.get("mentions", 0)), str(data.get("label", node)))

    return sorted(view, key=rank)[:count]


def draw(view: nx.MultiDiGraph, options: PlotOptions | None = None) -> Figure:
    """A figure of ``view`` (from :func:`kg.graphview.to_networkx`)."""
    opts = options or PlotOptions()
    fig = Figure(figsize=(opts.width / opts.dpi, opts.height / opts.dpi), dpi=opts.dpi, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.94))
    ax.set_axis_off()
    pos = layout(view, seed=opts.seed)
    nodes = list(view)
    area = [_area(view.nodes[n].get("size", 4.0)) for n in nodes]

    relations = [(u, v) for u, v, kind in view.edges(data="kind") if kind != "comention"]
    comentions = [(u, v) for u, v, kind in view.edges(data="kind") if kind == "comention"]
    if comentions:
        nx.draw_networkx_edges(view, pos, edgelist=comentions, ax=ax, edge_color=COMENTION_COLOR,
                               width=0.5, alpha=0.5, style="dashed", arrows=False)
    if relations:
        nx.draw_networkx_edges(view, pos, edgelist=relations, ax=ax, edge_color=RELATION_COLOR, width=0.7,
                               alpha=0.6, arrows=True, arrowsize=7, nodelist=nodes, node_size=area)
    if nodes:
        colors = [view.nodes[n].get("color", OTHER_COLOR) for n in nodes]
        nx.draw_networkx_nodes(view, pos, nodelist=nodes, ax=ax, node_size=area, node_color=colors,
                               edgecolors="white", linewidths=0.6)
    _draw_labels(ax, view, pos, labelled_nodes(view, opts.labels))
    _draw_legend(ax, view, bool(relations), bool(comentions))
    heading = f"{view.number_of_nodes()} entities, {len(relations)} relations"
    fig.suptitle(f"{opts.title} ({heading})" if opts.title else heading, fontsize=13)
    return fig


def render(view: nx.MultiDiGraph, path: str | Path, options: PlotOptions | None = None) -> Path:
    """Draw ``view`` into ``path``; the format (PNG or SVG) comes from the suffix."""
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{out}: cannot tell the image format from {suffix or 'no suffix'!r}; "
                         f"use a name ending in {' or '.join(FORMATS)}")
    opts = options or PlotOptions()
    fig = draw(view, opts)
    fig.savefig(out, format=suffix[1:], dpi=opts.dpi, facecolor="white")
    return out


def _area(size: float) -> float:
    """Marker area (points²) for a view ``size`` in [4, 40]."""
    return 0.8 * float(size) ** 2


def _draw_labels(ax: Any, view: nx.MultiDiGraph, pos: Position, nodes: list[Any]) -> None:
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    for node in nodes:
        x, y = pos[node]
        size = float(view.nodes[node].get("size", 4.0))
        ax.annotate(str(view.nodes[node].get("label", node)), (x, y), xytext=(0, 0.6 * size + 3),
                    textcoords="offset points", ha="center", va="bottom", fontsize=7 + size / 8,
                    path_effects=halo, zorder=5)


def _draw_legend(ax: Any, view: nx.MultiDiGraph, relations: bool, comentions: bool) -> None:
    counts: dict[str, int] = {}
    for _, etype in view.nodes(data="type"):
        counts[str(etype)] = counts.get(str(etype), 0) + 1
    order = [t for t in TYPE_COLORS if t in counts] + sorted(t for t in counts if t not in TYPE_COLORS)
    handles = [
        Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=TYPE_COLORS.get(t, OTHER_COLOR),
               markeredgecolor="white", label=f"{t} ({counts[t]})")
        for t in order
    ]
    if relations:
        handles.append(Line2D([], [], color=RELATION_COLOR, linewidth=1.2, label="relation (arrow: subject → object)"))
    if comentions:
        handles.append(Line2D([], [], color=COMENTION_COLOR, linewidth=1.2, linestyle="dashed", label="co-mention"))
    if handles:
        ax.legend(handles=handles, loc="upper left", frameon=True, framealpha=0.9, fontsize=9, title="entity type")
