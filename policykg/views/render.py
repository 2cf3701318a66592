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
    ``filter_load``             ``{filter key: load under that filter}``, for the figures shown
                                while a filter is on (with :attr:`PageSpec.live`)
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
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import networkx as nx

from .layout import label_lines, layout, node_radius, text_width, wrap_label

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
    panel_zh: str = ""  # heading of the click panel's list of nodes linked by this kind
    panel_en: str = ""

    def __post_init__(self) -> None:
        if not _HEX_COLOR.match(self.color):
            raise ValueError(f"edge kind {self.key!r}: colour must be #RRGGBB, got {self.color!r}")


@dataclass(frozen=True)
class LiveFigures:
    """Names of the figures a page computes for what it shows (after a filter or the collective
    switch): a node's load under the filter, its shown neighbours, the summed weight of its shown
    edges. Hover and click show these first; the node's ``info`` rows follow as whole-plan figures."""

    load_zh: str
    load_en: str
    degree_zh: str
    degree_en: str
    weight_zh: str
    weight_en: str


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
    live: LiveFigures | None = None
    label_em: tuple[float, float] = (12.0, 16.0)  # line length of drawn labels (zh, en), in ems


UI_TEXT = {
    "zh": {
        "all": "全部",
        "collective": "显示集合单位（各镇办等）",
        "legend": "图例",
        "neighbours": "协作单位",
        "sheet": "责任清单",
        "hint": "悬停查看指标，单击节点查看与之相连的节点，单击空白处复原。",
        "in_view": "当前视图",
        "whole_plan": "全方案",
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
        "hint": "Hover for metrics; click a node to list what it is linked to; click the background to reset.",
        "in_view": "In this view",
        "whole_plan": "Whole plan",
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


# --------------------------------------------------------------------------- page data

def _num(value: object) -> object:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return round(value, 4)
    return value


def label_bounds(nodes: list[dict]) -> dict:
    """The box holding every node and its label, in layout units: the page fits this box (or the
    box of the nodes it shows) to the window, where vis-network's own fit would leave long labels
    cut off at the edges."""
    if not nodes:
        return {"minX": 0, "maxX": 0, "minY": 0, "maxY": 0}
    return {
        "minX": round(min(n["x"] - n["hw"] for n in nodes), 1),
        "maxX": round(max(n["x"] + n["hw"] for n in nodes), 1),
        "minY": round(min(n["y"] - n["size"] for n in nodes), 1),
        "maxY": round(max(n["y"] + n["size"] + n["lh"] for n in nodes), 1),
    }


def page_data(graph: nx.Graph, spec: PageSpec, *, lang: str = "zh", seed: int = 7) -> dict:
    """The JSON the page's script draws from: sorted, rounded, so output is byte-identical."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    categories = {c.key: c for c in spec.categories}
    kinds = {k.key: k for k in spec.edge_kinds}
    need_layout = any("x" not in a or "y" not in a for _, a in graph.nodes(data=True))
    label_em = spec.label_em[0] if lang == "zh" else spec.label_em[1]
    positions = layout(graph, lang=lang, seed=seed, font_size=spec.font_size, label_em=label_em) if need_layout else {}
    max_load = max((float(a.get("load", 0) or 0) for _, a in graph.nodes(data=True)), default=0.0)
    ids = {n: str(n) for n in graph.nodes}
    nodes = []
    for n in sorted(graph.nodes, key=lambda n: ids[n]):
        a = graph.nodes[n]
        cat = a.get("category")
        if cat is not None and cat not in categories:
            raise ValueError(f"node {ids[n]!r}: category {cat!r} is not one of the page's categories")
        x, y = (a["x"], a["y"]) if "x" in a and "y" in a else positions[n]
        names = {"zh": str(a.get("label_zh") or a.get("label_en") or ids[n]),
                 "en": str(a.get("label_en") or a.get("label_zh") or ids[n])}
        drawn = wrap_label(names[lang], label_em)
        size = node_radius(float(a.get("load", 0) or 0), max_load, spec.node_size)
        nodes.append({
            "id": ids[n],
            **names,
            "label": drawn,
            # half the drawn label's width (text_width is rough and Latin runs wider: some room)
            "hw": round(max(size, 0.6 * text_width(drawn, spec.font_size) + 4), 1),
            "lh": round(spec.font_size * (1.3 * label_lines(drawn) + 0.4), 1),
            "cat": cat,
            "size": size,
            "x": round(float(x), 1),
            "y": round(float(y), 1),
            "info": [[str(r[0]), str(r[1]), _num(r[2])] for r in a.get("info", ())],
            "filters": sorted(str(f) for f in a["filters"]) if "filters" in a else None,
            "fload": {str(k): _num(v) for k, v in sorted(a["filter_load"].items())} if "filter_load" in a else None,
            "load": _num(a.get("load", 0) or 0),
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
        "bounds": label_bounds(nodes),
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
            {"key": k.key, "label": k.label_zh if lang == "zh" else k.label_en, "color": k.color, "dashes": k.dashes,
             "panel": (k.panel_zh or k.label_zh) if lang == "zh" else (k.panel_en or k.label_en)}
            for k in spec.edge_kinds
        ],
        "filters": [{"key": f.key, "label": f.label_zh if lang == "zh" else f.label_en} for f in spec.filters],
        "filterLabel": spec.filter_label_zh if lang == "zh" else spec.filter_label_en,
        "collectiveSwitch": spec.collective_switch,
        "live": None if spec.live is None else (
            [spec.live.load_zh, spec.live.degree_zh, spec.live.weight_zh] if lang == "zh"
            else [spec.live.load_en, spec.live.degree_en, spec.live.weight_en]),
    }


# --------------------------------------------------------------------------- the page

def _own_asset(name: str) -> str:
    """Text of one of the page's own files under ``policykg/views/assets``."""
    return resources.files("policykg.views").joinpath("assets", name).read_text(encoding="utf-8")


# The page's own style and script, kept as files so they can be read and linted as CSS and JS.
PAGE_CSS = _own_asset("page.css")
PAGE_JS = _own_asset("page.js")


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
