"""Where nodes go: seeded, deterministic layouts of any networkx graph, with room for labels.

Generic: nothing here knows what the nodes stand for. Positions are in layout units; the page
scales them to the window.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Sequence

import networkx as nx

from .rustgraph import spring_positions


def ordered_subgraph(g: nx.Graph, nodes: Sequence) -> nx.Graph:
    """The subgraph of ``g`` induced by ``nodes``, as a new graph whose nodes come in the order
    given and whose edges in ``g``'s order.

    networkx's ``g.subgraph(nodes)`` iterates its nodes through a set, whose order changes with
    the hash seed from one process to the next; seeded layouts and Louvain communities follow
    node order, so pages built from such a subgraph differed between two builds.
    """
    keep = set(nodes)
    sub = g.__class__()
    sub.add_nodes_from((n, g.nodes[n]) for n in nodes)
    sub.add_edges_from((u, v, d) for u in nodes for v, d in g.adj[u].items() if v in keep)
    return sub



def _em(ch: str) -> float:
    return 1.0 if ord(ch) >= 0x2E80 else 0.6


def text_width(text: str, font_size: float) -> float:
    """Rough drawn width of a label (its widest line): CJK characters one em, others about 0.6 em."""
    return max(sum(_em(ch) for ch in line) for line in str(text).split("\n")) * font_size


@lru_cache(maxsize=1 << 15)  # a unit's name is wrapped for every page and layout it is on
def wrap_label(text: str, max_em: float = 12.0) -> str:
    """``text`` broken into lines of about ``max_em`` ems at most, for drawing (never cut).

    Lines are balanced (two lines of 8 rather than 12 and 4); Latin text breaks at spaces, Chinese
    anywhere but before a closing punctuation mark. Existing line breaks are kept."""
    out = []
    for para in str(text).split("\n"):
        tokens = re.findall(r"[A-Za-z0-9'’()&.,\-/]+ ?|.", para)
        total = sum(_em(ch) for ch in para)
        lines = max(1, math.ceil(total / max_em))
        target = min(max_em, total / lines + 1.0)
        while True:
            got = _fill(tokens, target)
            if len(got) <= lines or target >= max_em:
                break
            target = min(max_em, target + 1.0)
        out.extend(got)
    return "\n".join(out)


def _fill(tokens: list[str], target: float) -> list[str]:
    out, line, width = [], "", 0.0
    for token in tokens:
        w = sum(_em(ch) for ch in token)
        if line and width + w > target and token.strip() and token not in _NO_LINE_START:
            out.append(line.rstrip())
            line, width = "", 0.0
        line += token
        width += w
    out.append(line.rstrip())
    return out


_NO_LINE_START = set("，、：；。？！）」”’")


def label_lines(text: str) -> int:
    return str(text).count("\n") + 1


def node_radius(load: float, max_load: float, size: tuple[float, float] = (8.0, 30.0)) -> float:
    """Node size (vis 'size', a radius) from load: area grows with load."""
    lo, hi = size
    if max_load <= 0:
        return lo
    return round(lo + (hi - lo) * math.sqrt(max(load, 0.0) / max_load), 2)


def layout(
    graph: nx.Graph,
    *,
    lang: str = "zh",
    seed: int = 7,
    width: float = 1200.0,
    height: float = 720.0,
    font_size: float = 16.0,
    weight: str | None = "weight",
    iterations: int = 100,
    label_em: float = 12.0,
) -> dict:
    """Positions for every node: a seeded spring layout scaled to a box, then label overlaps removed.

    Overlap removal works in layout units, and vis-network scales labels with zoom, so labels that
    do not overlap here do not overlap on screen at any zoom.
    """
    nodes = list(graph.nodes)
    if not nodes:
        return {}
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    import numpy as np

    if len(nodes) > LARGE_GRAPH:
        pos = community_layout(graph, seed=seed, weight=weight)
    elif len(nodes) <= SMALL_GRAPH and nx.is_connected(graph.to_undirected() if graph.is_directed() else graph):
        # Kamada-Kawai spreads a small dense network evenly, where a spring layout packs the
        # best-connected nodes into one knot; it is deterministic (it starts from a circle).
        pos = nx.kamada_kawai_layout(graph, weight=None)
    else:
        pos = nx.spring_layout(graph, seed=seed, weight=weight, iterations=iterations)
    xy = np.array([pos[n] for n in nodes], dtype=float)
    xy -= xy.mean(axis=0)
    span = np.ptp(xy, axis=0)
    span[span == 0] = 1.0
    grow = max(1.0, math.sqrt(len(nodes) / 60.0))  # big graphs get room; labels show on zoom
    xy = xy / span * np.array([width, height]) * grow
    if len(nodes) > LARGE_GRAPH:  # no overlap pass: the label boxes are not needed
        return {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in zip(nodes, xy)}
    max_load = max((float(graph.nodes[n].get("load", 0) or 0) for n in nodes), default=0.0)
    boxes = []
    for n in nodes:
        attrs = graph.nodes[n]
        r = node_radius(float(attrs.get("load", 0) or 0), max_load)
        text = wrap_label(_label(attrs, lang, n), label_em)
        w = max(2 * r, text_width(text, font_size)) + 2 * font_size
        boxes.append((w, 2 * r + font_size * 1.25 * label_lines(text) + 10, r))
    xy = remove_overlaps(xy, np.array(boxes))
    return {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in zip(nodes, xy)}


SMALL_GRAPH = 120  # up to this, and connected: Kamada-Kawai
LARGE_GRAPH = 400  # above this: community layout, and no label-overlap pass (labels show on zoom)


def community_layout(graph: nx.Graph, *, seed: int = 7, weight: str | None = "weight") -> dict:
    """A layout for large graphs in about linear time: the connected components, those above
    ``LARGE_GRAPH`` nodes split into seeded Louvain communities (which never span components), a
    spring layout inside each (rustworkx's), the blocks packed in rows (largest first).
    Whole-graph spring layouts are quadratic: about 15-30 s for 2,000 nodes with networkx."""
    import numpy as np

    h = graph.to_undirected() if graph.is_directed() else graph
    comms = []
    for component in nx.connected_components(h):
        if len(component) <= LARGE_GRAPH:
            comms.append(component)
        else:
            sub = ordered_subgraph(h, sorted(component, key=str))
            comms.extend(nx.community.louvain_communities(sub, weight=weight, seed=seed))
    comms = sorted((sorted(c, key=str) for c in comms), key=lambda c: (-len(c), str(c[0])))
    blocks = []
    for c in comms:
        radius = math.sqrt(len(c))
        if len(c) == 1:
            p = {c[0]: np.zeros(2)}
        else:
            p = spring_positions(h, c, seed=seed, weight=weight, iterations=50, scale=radius)
        blocks.append((c, p, radius))
    total = sum((2 * r + 1) ** 2 for _, _, r in blocks)
    row_width = math.sqrt(total) * 1.6
    pos, x, y, row_h = {}, 0.0, 0.0, 0.0
    for c, p, r in blocks:
        d = 2 * r + 1
        if x + d > row_width and x > 0:
            x, y, row_h = 0.0, y + row_h, 0.0
        for n in c:
            pos[n] = np.asarray(p[n], dtype=float) + np.array([x + d / 2, y + d / 2])
        x += d
        row_h = max(row_h, d)
    return pos


def remove_overlaps(xy, boxes, iterations: int = 300):
    """Push apart boxes (w, h, r) centred as a dot's node-plus-label until none overlap.

    A node's box runs from its top (y - r) to below its label; deterministic, vectorised.
    """
    import numpy as np

    xy = xy.copy()
    n = len(xy)
    if n < 2 or n > LARGE_GRAPH:
        return xy
    w, h, r = boxes[:, 0], boxes[:, 1], boxes[:, 2]
    # centre of each box relative to the node position
    dy = h / 2 - r
    half_w = (w[:, None] + w[None, :]) / 2
    half_h = (h[:, None] + h[None, :]) / 2
    eye = np.eye(n, dtype=bool)
    for _ in range(iterations):
        cx, cy = xy[:, 0], xy[:, 1] + dy
        ddx = cx[:, None] - cx[None, :]
        ddy = cy[:, None] - cy[None, :]
        ox = half_w - np.abs(ddx)
        oy = half_h - np.abs(ddy)
        hit = (ox > 0) & (oy > 0) & ~eye
        if not hit.any():
            break
        # move along the axis of least penetration, half each; ties broken by index order
        along_x = hit & (ox / half_w <= oy / half_h)
        along_y = hit & ~along_x
        sx = np.where(ddx > 0, 1.0, np.where(ddx < 0, -1.0, np.sign(np.arange(n)[:, None] - np.arange(n)[None, :])))
        sy = np.where(ddy > 0, 1.0, np.where(ddy < 0, -1.0, np.sign(np.arange(n)[:, None] - np.arange(n)[None, :])))
        push_x = np.where(along_x, sx * (ox / 2 + 0.5), 0.0).sum(axis=1)
        push_y = np.where(along_y, sy * (oy / 2 + 0.5), 0.0).sum(axis=1)
        counts = np.maximum(hit.sum(axis=1), 1)
        xy[:, 0] += push_x / np.sqrt(counts)
        xy[:, 1] += push_y / np.sqrt(counts)
    return xy


def _label(attrs: dict, lang: str, node: object) -> str:
    other = "en" if lang == "zh" else "zh"
    return str(attrs.get(f"label_{lang}") or attrs.get(f"label_{other}") or node)
