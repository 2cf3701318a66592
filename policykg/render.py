"""Render a networkx graph as one self-contained, offline, escaped HTML page.

The page is drawn by vis-network, the library pyvis wraps, inlined from the copy the installed
``pyvis`` package ships (``pyvis/lib/vis-9.1.2``), so a page works from ``file://`` on a machine
with no network: no page refers to any http(s) resource, and a Content-Security-Policy with
hashed scripts forbids loading anything or running any script but the page's own.

Why our own template rather than ``pyvis.network.Network.write_html``: pyvis's template loads
vis-network from cdnjs and bootstrap from jsdelivr (pyvis #228, #229), switches every tooltip to an
``innerHTML`` popup as soon as one title contains ``href`` (#54, #293), writes ``heading``
unescaped, garbles non-ASCII in its tom-select menu (#173), adds edges one by one with a linear
scan each (quadratic), and defaults to ``edges.smooth`` 'dynamic' with physics on. Each of these
would need patching inside its Jinja template; the page here is one small template around the
same vis-network build, with every text handed over as JSON data and put into the page as text.

Graph contract (all values plain text or numbers; none is ever read as HTML):

node attributes
    ``label_zh``, ``label_en``  the name in each language (one may be missing)
    ``category``                a key of one of the page's :class:`Category` (colour, shape, legend)
    ``load``                    a number; node size grows with it
    ``info``                    rows ``(label_zh, label_en, value)`` shown on hover
    ``filters``                 keys of the filter options the node belongs to (absent: always shown)
    ``collective``              True for a collective unit (hidden by the page's switch)
    ``href``                    a relative link to the node's own page (a responsibility sheet)
    ``x``, ``y``                a position; computed by :func:`layout` when absent
edge attributes
    ``weight``                  a number; edge width grows with it
    ``kind``                    a key of one of the page's :class:`EdgeKind`
    ``filters``                 ``{filter key: weight under that filter}`` (absent: always shown)
    ``info``                    rows as for nodes
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import networkx as nx

VIS_VERSION = "9.1.2"
LANGS = ("zh", "en")

# Okabe-Ito, colour-blind safe; yellow darkened so it reads on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#9A8700", "#999999")

_HEX_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_SHAPES = {"dot", "square", "diamond", "triangle", "triangleDown", "star", "hexagon", "box", "ellipse"}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class Category:
    """A kind of node: its legend entry, colour and shape."""

    key: str
    label_zh: str
    label_en: str
    color: str
    shape: str = "dot"

    def __post_init__(self) -> None:
        if not _HEX_COLOR.match(self.color):
            raise ValueError(f"category {self.key!r}: colour must be #RRGGBB, got {self.color!r}")
        if self.shape not in _SHAPES:
            raise ValueError(f"category {self.key!r}: unknown shape {self.shape!r}")


@dataclass(frozen=True)
class EdgeKind:
    """A kind of edge: its legend entry, colour and dash style."""

    key: str
    label_zh: str
    label_en: str
    color: str = "#8896AB"
    dashes: bool = False

    def __post_init__(self) -> None:
        if not _HEX_COLOR.match(self.color):
            raise ValueError(f"edge kind {self.key!r}: colour must be #RRGGBB, got {self.color!r}")


@dataclass(frozen=True)
class FilterOption:
    """One choice of the page's filter menu (a pilot task, say)."""

    key: str
    label_zh: str
    label_en: str


@dataclass(frozen=True)
class PageSpec:
    """What a page says around its network: titles, legend, filter menu, links."""

    title_zh: str
    title_en: str
    note_zh: str = ""
    note_en: str = ""
    categories: tuple[Category, ...] = ()
    edge_kinds: tuple[EdgeKind, ...] = ()
    filters: tuple[FilterOption, ...] = ()
    filter_label_zh: str = "试验任务"
    filter_label_en: str = "Pilot task"
    collective_switch: bool = False
    links: tuple[tuple[str, str, str], ...] = ()  # (href, label_zh, label_en)
    font_size: int = 16
    node_size: tuple[float, float] = (8.0, 30.0)  # radius of the lightest and the heaviest node


UI_TEXT = {
    "zh": {
        "all": "全部",
        "collective": "显示集合单位（各镇办等）",
        "legend": "图例",
        "neighbours": "协作单位",
        "sheet": "责任清单",
        "hint": "悬停查看指标，单击单位查看其协作单位，单击空白处复原。",
        "close": "关闭",
        "shown": "显示节点",
        "edge_weight": "线宽 = 共担措施数",
        "node_size": "节点大小 = 承担措施数",
    },
    "en": {
        "all": "All",
        "collective": "Show collective units (all towns, …)",
        "legend": "Legend",
        "neighbours": "Partners",
        "sheet": "Responsibility sheet",
        "hint": "Hover for metrics; click a unit to see its partners; click the background to reset.",
        "close": "Close",
        "shown": "Nodes shown",
        "edge_weight": "edge width = shared measures",
        "node_size": "node size = measures",
    },
}


# --------------------------------------------------------------------------- assets

def _pyvis_asset(*parts: str) -> str:
    """Text of a file the installed pyvis package ships under ``pyvis/lib``."""
    ref = resources.files("pyvis").joinpath("lib", *parts)
    return ref.read_text(encoding="utf-8")


def vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS, as shipped by pyvis, checked safe to inline."""
    js = _pyvis_asset(f"vis-{VIS_VERSION}", "vis-network.min.js")
    css = _pyvis_asset(f"vis-{VIS_VERSION}", "vis-network.css")
    if "</script" in js.lower() or "<!--" in js:
        raise ValueError("vis-network.min.js cannot be inlined: it contains '</script' or '<!--'")
    if "</style" in css.lower() or "@import" in css or re.search(r"url\(\s*['\"]?https?:", css):
        raise ValueError("vis-network.css refers to an outside resource or closes its <style>")
    return js, css


# --------------------------------------------------------------------------- escaping

def json_for_script(value: object) -> str:
    """JSON that can sit inside ``<script type="application/json">`` whatever its strings hold."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def safe_relative_href(href: str | None) -> str | None:
    """A relative link, or None: no scheme (no javascript:, no http:), no protocol-relative //."""
    if not href:
        return None
    href = str(href)
    if _SCHEME.match(href) or href.startswith("//") or href.startswith("\\"):
        return None
    return href


def esc(text: object) -> str:
    """HTML-escape a text for element content or a quoted attribute."""
    return html.escape("" if text is None else str(text), quote=True)


# --------------------------------------------------------------------------- layout

def text_width(text: str, font_size: float) -> float:
    """Rough drawn width of a label: CJK characters one em, others about 0.6 em."""
    width = 0.0
    for ch in text:
        width += 1.0 if ord(ch) >= 0x2E80 else 0.6
    return width * font_size


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
    else:
        pos = nx.spring_layout(graph, seed=seed, weight=weight, iterations=iterations)
    xy = np.array([pos[n] for n in nodes], dtype=float)
    xy -= xy.mean(axis=0)
    span = np.ptp(xy, axis=0)
    span[span == 0] = 1.0
    grow = max(1.0, math.sqrt(len(nodes) / 60.0))  # big graphs get room; labels show on zoom
    xy = xy / span * np.array([width, height]) * grow
    max_load = max((float(graph.nodes[n].get("load", 0) or 0) for n in nodes), default=0.0)
    boxes = []
    for n in nodes:
        attrs = graph.nodes[n]
        r = node_radius(float(attrs.get("load", 0) or 0), max_load)
        w = max(2 * r, text_width(_label(attrs, lang, n), font_size)) + 2 * font_size
        boxes.append((w, 2 * r + font_size * 1.4 + 10, r))
    xy = remove_overlaps(xy, np.array(boxes))
    return {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in zip(nodes, xy)}


LARGE_GRAPH = 400  # above this: community layout, and no label-overlap pass (labels show on zoom)


def community_layout(graph: nx.Graph, *, seed: int = 7, weight: str | None = "weight") -> dict:
    """A layout for large graphs in about linear time: seeded Louvain communities, a spring layout
    inside each, the communities packed in rows (largest first). Whole-graph spring layouts are
    quadratic: about 15-30 s for 2,000 nodes here."""
    import numpy as np

    from .networks import ordered_subgraph

    h = graph.to_undirected() if graph.is_directed() else graph
    comms = nx.community.louvain_communities(h, weight=weight, seed=seed) if h.number_of_edges() else [set(h)]
    comms = sorted((sorted(c, key=str) for c in comms), key=lambda c: (-len(c), str(c[0])))
    blocks = []
    for c in comms:
        sub = ordered_subgraph(h, c)
        radius = math.sqrt(len(c))
        if len(c) == 1:
            p = {c[0]: np.zeros(2)}
        else:
            p = nx.spring_layout(sub, seed=seed, weight=weight, iterations=50, scale=radius)
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


# --------------------------------------------------------------------------- page data

def _num(value: object) -> object:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return round(value, 4)
    return value


def label_bounds(nodes: list[dict], lang: str, font_size: float) -> dict:
    """The box holding every node and its label, in layout units: the page fits this box to
    the window, where vis-network's own fit would leave long labels cut off at the edges."""
    if not nodes:
        return {"minX": 0, "maxX": 0, "minY": 0, "maxY": 0}
    # text_width is a rough estimate; drawn Latin labels run wider, so leave room.
    half = [max(n["size"], 0.6 * text_width(n[lang], font_size)) for n in nodes]
    return {
        "minX": round(min(n["x"] - h for n, h in zip(nodes, half)), 1),
        "maxX": round(max(n["x"] + h for n, h in zip(nodes, half)), 1),
        "minY": round(min(n["y"] - n["size"] for n in nodes), 1),
        "maxY": round(max(n["y"] + n["size"] + font_size * 1.6 for n in nodes), 1),
    }


def page_data(graph: nx.Graph, spec: PageSpec, *, lang: str = "zh", seed: int = 7) -> dict:
    """The JSON the page's script draws from: sorted, rounded, so output is byte-identical."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    categories = {c.key: c for c in spec.categories}
    kinds = {k.key: k for k in spec.edge_kinds}
    need_layout = any("x" not in a or "y" not in a for _, a in graph.nodes(data=True))
    positions = layout(graph, lang=lang, seed=seed, font_size=spec.font_size) if need_layout else {}
    max_load = max((float(a.get("load", 0) or 0) for _, a in graph.nodes(data=True)), default=0.0)
    ids = {n: str(n) for n in graph.nodes}
    nodes = []
    for n in sorted(graph.nodes, key=lambda n: ids[n]):
        a = graph.nodes[n]
        cat = a.get("category")
        if cat is not None and cat not in categories:
            raise ValueError(f"node {ids[n]!r}: category {cat!r} is not one of the page's categories")
        x, y = (a["x"], a["y"]) if "x" in a and "y" in a else positions[n]
        nodes.append({
            "id": ids[n],
            "zh": str(a.get("label_zh") or a.get("label_en") or ids[n]),
            "en": str(a.get("label_en") or a.get("label_zh") or ids[n]),
            "cat": cat,
            "size": node_radius(float(a.get("load", 0) or 0), max_load, spec.node_size),
            "x": round(float(x), 1),
            "y": round(float(y), 1),
            "info": [[str(r[0]), str(r[1]), _num(r[2])] for r in a.get("info", ())],
            "filters": sorted(str(f) for f in a["filters"]) if "filters" in a else None,
            "collective": bool(a.get("collective", False)),
            "href": safe_relative_href(a.get("href")),
        })
    edges = []
    weights = [float(d.get("weight", 1) or 1) for _, _, d in graph.edges(data=True)]
    max_w = max(weights, default=1.0)
    edge_list = sorted(
        ((ids[u], ids[v], d) for u, v, d in graph.edges(data=True)),
        key=lambda e: (min(e[0], e[1]), max(e[0], e[1]), str(e[2].get("kind", ""))),
    )
    for i, (u, v, d) in enumerate(edge_list):
        kind = d.get("kind")
        if kind is not None and kind not in kinds:
            raise ValueError(f"edge {u!r}-{v!r}: kind {kind!r} is not one of the page's edge kinds")
        if not graph.is_directed() and u > v:
            u, v = v, u
        edges.append({
            "id": f"e{i}",
            "from": u,
            "to": v,
            "w": _num(d.get("weight", 1)),
            "kind": kind,
            "info": [[str(r[0]), str(r[1]), _num(r[2])] for r in d.get("info", ())],
            "filters": {str(k): _num(w) for k, w in sorted(d["filters"].items())} if "filters" in d else None,
        })
    return {
        "lang": lang,
        "ui": UI_TEXT[lang],
        "bounds": label_bounds(nodes, lang, spec.font_size),
        "maxWeight": _num(max_w),
        "fontSize": spec.font_size,
        "directed": graph.is_directed(),
        "nodes": nodes,
        "edges": edges,
        "categories": [
            {"key": c.key, "label": c.label_zh if lang == "zh" else c.label_en, "color": c.color, "shape": c.shape}
            for c in spec.categories
        ],
        "edgeKinds": [
            {"key": k.key, "label": k.label_zh if lang == "zh" else k.label_en, "color": k.color, "dashes": k.dashes}
            for k in spec.edge_kinds
        ],
        "filters": [{"key": f.key, "label": f.label_zh if lang == "zh" else f.label_en} for f in spec.filters],
        "filterLabel": spec.filter_label_zh if lang == "zh" else spec.filter_label_en,
        "collectiveSwitch": spec.collective_switch,
    }


# --------------------------------------------------------------------------- the page

PAGE_CSS = """
*{box-sizing:border-box}
html,body{margin:0;height:100%;font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;color:#1b1f24;background:#fff}
body{display:flex;flex-direction:column}
header{padding:8px 14px 6px;border-bottom:1px solid #d0d7de;background:#f6f8fa}
header h1{font-size:18px;margin:0 0 4px;font-weight:600}
header .note{font-size:13px;color:#444;margin:0 0 6px}
header nav{font-size:13px;float:right}
header nav a{margin-left:12px;color:#0550ae}
.controls{display:flex;flex-wrap:wrap;gap:6px 18px;align-items:center;font-size:14px}
.controls select{font-size:14px;max-width:420px;font-family:inherit}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;align-items:center;font-size:13px;margin-top:6px}
.legend .sw{display:inline-block;width:12px;height:12px;border-radius:50%;margin-right:4px;vertical-align:-1px;border:1px solid rgba(0,0,0,.25)}
.legend .ln{display:inline-block;width:22px;height:0;border-top:3px solid #8896AB;margin-right:4px;vertical-align:3px}
.legend .ln.dash{border-top-style:dashed}
.legend .muted{color:#57606a}
#main{display:flex;flex:1;min-height:0}
#network{flex:1;min-width:0;position:relative}
#panel{flex:0 0 300px;overflow:auto;background:#fff;border-left:1px solid #d0d7de;padding:10px 12px;font-size:14px}
#panel[hidden]{display:none}
#panel h2{font-size:16px;margin:0 0 2px}
#panel .en{color:#57606a;font-size:13px;margin:0 0 6px}
#panel ol{padding-left:20px;margin:4px 0}
#panel li{cursor:pointer}#panel li:hover{text-decoration:underline}
#panel button{float:right;font-size:12px}
.vis-tooltip{font-family:inherit!important;font-size:13px!important;max-width:360px;white-space:normal!important;background:#fff!important;border:1px solid #8c959f!important;color:#1b1f24!important;padding:6px 8px!important}
.vis-tooltip table{border-collapse:collapse;margin-top:4px}
.vis-tooltip td{padding:0 8px 0 0}
.vis-tooltip .t{font-weight:600;font-size:14px}
"""

PAGE_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("pkg-data").textContent);
  var ui = data.ui, lang = data.lang, other = lang === "zh" ? "en" : "zh";
  var byKey = function (list) { var m = {}; list.forEach(function (x) { m[x.key] = x; }); return m; };
  var cats = byKey(data.categories), kinds = byKey(data.edgeKinds);
  var el = function (tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  };
  var infoTable = function (rows) {
    var t = el("table");
    rows.forEach(function (r) {
      var tr = el("tr");
      tr.appendChild(el("td", lang === "zh" ? r[0] : r[1]));
      tr.appendChild(el("td", r[2]));
      t.appendChild(tr);
    });
    return t;
  };
  var nodeTip = function (n) {
    var d = el("div");
    d.appendChild(el("div", n[lang], "t"));
    if (n[other] !== n[lang]) d.appendChild(el("div", n[other]));
    if (n.cat && cats[n.cat]) d.appendChild(el("div", cats[n.cat].label));
    if (n.info.length) d.appendChild(infoTable(n.info));
    return d;
  };
  var nodeById = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; });
  var edgeTip = function (e) {
    var d = el("div");
    d.appendChild(el("div", nodeById[e.from][lang] + " — " + nodeById[e.to][lang], "t"));
    if (e.info.length) d.appendChild(infoTable(e.info));
    return d;
  };
  var colorOf = function (n) { return n.cat && cats[n.cat] ? cats[n.cat].color : "#999999"; };
  var edgeColor = function (e) { return e.kind && kinds[e.kind] ? kinds[e.kind].color : "#8896AB"; };
  var width = function (w) {
    return data.maxWeight > 1 ? 1 + 7 * Math.sqrt(Math.max(w, 0) / data.maxWeight) : 1.5;
  };
  var opacity = function (w) {
    return data.maxWeight > 1 ? 0.3 + 0.6 * Math.sqrt(Math.max(w, 0) / data.maxWeight) : 0.7;
  };
  var GREY = "#D8DDE3";
  var visNodes = data.nodes.map(function (n) {
    return {
      id: n.id, label: n[lang], x: n.x, y: n.y, size: n.size,
      shape: n.cat && cats[n.cat] ? cats[n.cat].shape : "dot",
      color: { background: colorOf(n), border: "#333333", highlight: { background: colorOf(n), border: "#000000" },
               hover: { background: colorOf(n), border: "#000000" } },
      title: nodeTip(n)
    };
  });
  var visEdges = data.edges.map(function (e) {
    return {
      id: e.id, from: e.from, to: e.to, width: width(e.w),
      color: { color: edgeColor(e), opacity: opacity(e.w), highlight: "#1b1f24", hover: "#1b1f24" },
      dashes: !!(e.kind && kinds[e.kind] && kinds[e.kind].dashes),
      title: edgeTip(e)
    };
  });
  var nodes = new vis.DataSet(visNodes), edges = new vis.DataSet(visEdges);
  var options = {
    physics: { enabled: false },
    layout: { randomSeed: 1, improvedLayout: false },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: data.nodes.length > 500,
                   hideEdgesOnZoom: data.nodes.length > 500 },
    nodes: { borderWidth: 1, font: { size: data.fontSize, face: getComputedStyle(document.body).fontFamily,
             color: "#1b1f24", strokeWidth: 4, strokeColor: "#ffffff" } },
    edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 1, arrows: { to: { enabled: data.directed, scaleFactor: 0.5 } } }
  };
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  var fitAll = function () {  // fit nodes and their labels, not the nodes alone
    var b = data.bounds, margin = 24;
    var scale = Math.min((container.clientWidth - 2 * margin) / Math.max(1, b.maxX - b.minX),
                         (container.clientHeight - 2 * margin) / Math.max(1, b.maxY - b.minY));
    network.moveTo({ position: { x: (b.minX + b.maxX) / 2, y: (b.minY + b.maxY) / 2 },
                     scale: Math.min(scale, 2), animation: false });
  };

  // ---- filter, collective switch
  var filterKey = "", showCollective = true;
  var visible = function () {
    var shownNodes = {}, edgeUpdates = [], nodeUpdates = [];
    data.nodes.forEach(function (n) {
      var ok = (filterKey === "" || n.filters === null || n.filters.indexOf(filterKey) >= 0) &&
               (showCollective || !n.collective);
      shownNodes[n.id] = ok;
      nodeUpdates.push({ id: n.id, hidden: !ok });
    });
    data.edges.forEach(function (e) {
      var w = e.w;
      if (filterKey !== "" && e.filters !== null) w = e.filters[filterKey] || 0;
      var ok = w > 0 && shownNodes[e.from] && shownNodes[e.to];
      edgeUpdates.push({ id: e.id, hidden: !ok, width: width(w) });
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    var count = 0;
    for (var k in shownNodes) if (shownNodes[k]) count++;
    document.getElementById("shown").textContent = ui.shown + ": " + count;
    document.body.setAttribute("data-shown", String(count));
  };
  var controls = document.getElementById("controls");
  if (data.filters.length) {
    var lab = el("label", data.filterLabel + " ");
    var sel = el("select");
    sel.id = "filter";
    var all = el("option", ui.all); all.value = ""; sel.appendChild(all);
    data.filters.forEach(function (f) { var o = el("option", f.label); o.value = f.key; sel.appendChild(o); });
    sel.addEventListener("change", function () { filterKey = sel.value; reset(); visible(); });
    lab.appendChild(sel);
    controls.appendChild(lab);
  }
  if (data.collectiveSwitch) {
    var cl = el("label"), cb = el("input");
    cb.type = "checkbox"; cb.id = "collective"; cb.checked = true;
    cb.addEventListener("change", function () { showCollective = cb.checked; reset(); visible(); });
    cl.appendChild(cb); cl.appendChild(document.createTextNode(" " + ui.collective));
    controls.appendChild(cl);
  }
  controls.appendChild(el("span", "", "muted")).id = "shown";
  controls.appendChild(el("span", ui.hint, "muted"));

  // ---- legend
  var legend = document.getElementById("legend");
  legend.appendChild(el("strong", ui.legend));
  var present = {};
  data.nodes.forEach(function (n) { present[n.cat] = true; });
  data.categories.forEach(function (c) {
    if (!present[c.key]) return;
    var s = el("span"), sw = el("span", null, "sw");
    sw.style.background = c.color;
    s.appendChild(sw); s.appendChild(document.createTextNode(c.label));
    legend.appendChild(s);
  });
  data.edgeKinds.forEach(function (k) {
    var s = el("span"), ln = el("span", null, k.dashes ? "ln dash" : "ln");
    ln.style.borderTopColor = k.color;
    s.appendChild(ln); s.appendChild(document.createTextNode(k.label));
    legend.appendChild(s);
  });

  // ---- click: highlight neighbours, list them in the panel
  var panel = document.getElementById("panel");
  var showPanel = function (on) {
    if (panel.hidden === !on) return;
    panel.hidden = !on;
    network.setSize("100%", "100%");
    fitAll();
  };
  var reset = function () {
    showPanel(false);
    nodes.update(data.nodes.map(function (n) {
      return { id: n.id, color: { background: colorOf(n), border: "#333333" }, font: { color: "#1b1f24" } };
    }));
    edges.update(data.edges.map(function (e) { return { id: e.id, color: { color: edgeColor(e), opacity: opacity(e.w) } }; }));
    document.body.removeAttribute("data-selected");
  };
  var select = function (id) {
    var n = nodeById[id];
    var neigh = {}, weights = {};
    network.getConnectedEdges(id).forEach(function (eid) {
      var e = edges.get(eid);
      if (e.hidden) return;
      var o = e.from === id ? e.to : e.from;
      neigh[o] = true;
      var src = data.edges[Number(eid.slice(1))];
      var w = filterKey !== "" && src.filters !== null ? (src.filters[filterKey] || 0) : src.w;
      weights[o] = (weights[o] || 0) + w;
    });
    nodes.update(data.nodes.map(function (m) {
      var on = m.id === id || neigh[m.id];
      return { id: m.id, color: { background: on ? colorOf(m) : GREY, border: on ? "#333333" : GREY },
               font: { color: on ? "#1b1f24" : "#9aa4ae" } };
    }));
    edges.update(data.edges.map(function (e) {
      var on = e.from === id || e.to === id;
      return { id: e.id, color: { color: on ? "#1b1f24" : GREY, opacity: on ? 0.8 : 0.4 } };
    }));
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    var close = el("button", ui.close); close.type = "button";
    close.addEventListener("click", function () { network.unselectAll(); reset(); });
    panel.appendChild(close);
    panel.appendChild(el("h2", n[lang]));
    if (n[other] !== n[lang]) panel.appendChild(el("p", n[other], "en"));
    if (n.href) {
      var a = el("a", ui.sheet); a.setAttribute("href", n.href); panel.appendChild(a);
    }
    if (n.info.length) panel.appendChild(infoTable(n.info));
    var ids = Object.keys(neigh).sort(function (a, b) {
      return (weights[b] - weights[a]) || (nodeById[a][lang] < nodeById[b][lang] ? -1 : 1);
    });
    panel.appendChild(el("h3", ui.neighbours + " (" + ids.length + ")"));
    var ol = el("ol");
    ol.id = "neighbours";
    ids.forEach(function (o) {
      var li = el("li", nodeById[o][lang] + " · " + weights[o]);
      li.setAttribute("data-node", o);
      li.addEventListener("click", function () { network.selectNodes([o]); select(o); });
      ol.appendChild(li);
    });
    panel.appendChild(ol);
    showPanel(true);
    document.body.setAttribute("data-selected", id);
  };
  network.on("click", function (p) {
    if (p.nodes.length) select(p.nodes[0]); else reset();
  });

  visible();
  window.policykgView = { network: network, nodes: nodes, edges: edges, data: data, select: select, reset: reset };
  network.once("afterDrawing", function () {
    window.policykgReadyAt = performance.now();
    document.body.setAttribute("data-ready", "1");
  });
  fitAll();
  network.redraw();
})();
"""


def _script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def render_page(graph: nx.Graph, spec: PageSpec, *, lang: str = "zh", seed: int = 7) -> str:
    """The whole HTML page for ``graph``: inline vis-network, inline data, no outside resource."""
    data = page_data(graph, spec, lang=lang, seed=seed)
    vis_js, vis_css = vis_assets()
    title = spec.title_zh if lang == "zh" else spec.title_en
    note = spec.note_zh if lang == "zh" else spec.note_en
    csp = (
        "default-src 'none'; "
        f"script-src {_script_hash(vis_js)} {_script_hash(PAGE_JS)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    nav = "".join(
        f'<a href="{esc(href)}">{esc(zh if lang == "zh" else en)}</a>'
        for href, zh, en in spec.links
        if safe_relative_href(href)
    )
    parts = [
        "<!DOCTYPE html>\n",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{esc(title)}</title>\n",
        f"<style>{vis_css}</style>\n<style>{PAGE_CSS}</style>\n</head>\n<body>\n",
        f"<header><nav>{nav}</nav><h1>{esc(title)}</h1>",
        f'<p class="note">{esc(note)}</p>' if note else "",
        '<div class="controls" id="controls"></div><div class="legend" id="legend"></div></header>\n',
        '<div id="main"><div id="network"></div><aside id="panel" hidden></aside></div>\n',
        f'<script type="application/json" id="pkg-data">{json_for_script(data)}</script>\n',
        f"<script>{vis_js}</script>\n",
        f"<script>{PAGE_JS}</script>\n",
        "</body>\n</html>\n",
    ]
    return "".join(parts)


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` as UTF-8 with LF newlines, whatever the locale."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return path


def write_page(path: str | Path, graph: nx.Graph, spec: PageSpec, *, lang: str = "zh", seed: int = 7) -> Path:
    """Render ``graph`` and write it to ``path`` (UTF-8)."""
    return write_text(path, render_page(graph, spec, lang=lang, seed=seed))


def outside_references(page: str) -> list[str]:
    """Attribute or CSS references to http(s) or protocol-relative resources in a page."""
    found = re.findall(r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)""", page, re.I)
    found += re.findall(r"""url\(\s*['"]?\s*((?:https?:)?//[^)'"]+)""", page, re.I)
    found += re.findall(r"""@import\s+['"]?((?:https?:)?//[^'";]+)""", page, re.I)
    return found
