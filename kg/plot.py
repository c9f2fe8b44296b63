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
LABEL_CHARS = 30
AXES = (0.01, 0.01, 0.80, 0.93)  # left, bottom, width, height of the drawing, as figure fractions
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


def layout(view: nx.MultiDiGraph, *, seed: int = 7, aspect: float = 4 / 3) -> Position:
    """Force-directed positions per connected component, components packed in rows.

    Laying out the whole graph at once flings small components and isolated
    nodes to a ring around a cramped centre; packing each component into its
    own square (side growing a little faster than the square root of its size) keeps the
    large component readable. Deterministic for a given seed.
    """
    simple = nx.Graph()
    simple.add_nodes_from(view)
    simple.add_edges_from((u, v) for u, v in view.edges() if u != v)
    components = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(map(str, c))))
    pieces = [(_piece(simple.subgraph(c), seed), _side(len(c))) for c in components]
    total = sum((side + _pad(side)) ** 2 for _, side in pieces)
    row_width = max(math.sqrt(total * aspect), max((side for _, side in pieces), default=0.0))
    pos: Position = {}
    x = y = row_height = 0.0
    for piece, side in pieces:
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y - row_height - _pad(row_height), 0.0
        for node, (px, py) in piece.items():
            pos[node] = (x + side / 2 + px * side / 2, y - side / 2 + py * side / 2)
        x += side + _pad(side)
        row_height = max(row_height, side)
    return pos


def _side(size: int) -> float:
    """Side of the square a component of ``size`` nodes is drawn in."""
    return 0.4 if size == 1 else float(size) ** 0.55


def _pad(side: float) -> float:
    return 0.2 + 0.15 * side


def _piece(component: nx.Graph, seed: int) -> Position:
    """Positions in [-1, 1]² for one connected component."""
    nodes = sorted(component, key=str)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    raw = nx.spring_layout(component, iterations=100, seed=seed)
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {n: (2 * (float(raw[n][0]) - cx) / span, 2 * (float(raw[n][1]) - cy) / span) for n in nodes}


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
    ax = fig.add_axes(AXES)  # the right-hand strip holds the legend
    ax.set_axis_off()
    pos = layout(view, seed=opts.seed, aspect=(AXES[2] * opts.width) / (AXES[3] * opts.height))
    _fit(ax, pos)
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


def _fit(ax: Any, pos: Position) -> None:
    """Fix the axis limits (labels are placed in display space, so they must not move)."""
    if not pos:
        return
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    dx = max(max(xs) - min(xs), 1.0) * 0.06
    dy = max(max(ys) - min(ys), 1.0) * 0.08
    ax.set_xlim(min(xs) - dx, max(xs) + dx)
    ax.set_ylim(min(ys) - dy, max(ys) + dy * 2)
    ax.set_autoscale_on(False)


def short_label(text: str, limit: int = LABEL_CHARS) -> str:
    """``text`` cut to ``limit`` characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,:;-") + "…"


def _draw_labels(ax: Any, view: nx.MultiDiGraph, pos: Position, nodes: list[Any]) -> None:
    """Label ``nodes`` in order, skipping a label that would overlap one already placed."""
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    renderer = ax.figure.canvas.get_renderer()
    placed: list[Any] = []
    for node in nodes:
        x, y = pos[node]
        size = float(view.nodes[node].get("size", 4.0))
        text = ax.annotate(short_label(str(view.nodes[node].get("label", node))), (x, y),
                           xytext=(0, 0.45 * size + 2), textcoords="offset points", ha="center", va="bottom",
                           fontsize=7 + size / 8, path_effects=halo, zorder=5)
        box = text.get_window_extent(renderer).expanded(1.05, 1.1)
        if any(box.overlaps(other) for other in placed):
            text.remove()
            continue
        placed.append(box)


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
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=True, framealpha=0.9, fontsize=9, title="entity type")
