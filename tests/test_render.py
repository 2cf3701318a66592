"""The page renderer: offline, escaped, deterministic, readable layout (no browser needed)."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest

from policykg.views import render
from policykg.views.render import Category, FilterOption, PageSpec

XSS = "<img src=x onerror=alert(1)>"


def small_graph() -> nx.Graph:
    g = nx.Graph()
    g.add_node("u1", label_zh="县农业农村局", label_en="Agriculture bureau", category="gov", load=14,
               info=[("度", "degree", 3)], href="units/u1.html", filters=["t1"])
    g.add_node("u2", label_zh=XSS, label_en="a href <b>bold</b>", category="gov", load=2, filters=["t1"],
               href="javascript:alert(1)")
    g.add_node("u3", label_zh="各镇办", label_en="All towns", category="col", load=20, collective=True)
    g.add_edge("u1", "u2", weight=1, filters={"t1": 1})
    g.add_edge("u1", "u3", weight=14)
    g.add_edge("u2", "u3", weight=1)
    return g


SPEC = PageSpec(
    "标题 </title><script>alert(2)</script>", "Title", categories=(
        Category("gov", "县政府部门", "government", render.PALETTE[0]),
        Category("col", "镇街集合", "collective", render.PALETTE[5])),
    filters=(FilterOption("t1", "试验任务 <i>1</i>", "Pilot task 1"),), collective_switch=True,
    links=(("index.html", "首页", "Index"), ("https://example.org/", "外链", "outside")),
)


def test_page_refers_to_no_outside_resource():
    page = render.render_page(small_graph(), SPEC)
    assert render.outside_references(page) == []
    assert "cdnjs" not in page and "jsdelivr" not in page and "bootstrap" not in page
    assert 'src="' not in page  # every script and style is inline
    assert "example.org" not in page  # an absolute link is dropped, not written


def test_outside_references_finds_what_pyvis_writes():
    assert render.outside_references('<script src="https://cdnjs.cloudflare.com/x.js"></script>')
    assert render.outside_references("<style>@import url(//fonts.example/x.css)</style>")


def test_every_text_is_escaped():
    page = render.render_page(small_graph(), SPEC)
    assert XSS not in page
    assert "<script>alert(2)" not in page
    assert "&lt;/title&gt;&lt;script&gt;" in page  # heading and <title> escaped
    data = json.loads(re.search(r'id="pkg-data">(.*?)</script>', page, re.S).group(1))
    names = {n["zh"] for n in data["nodes"]}
    assert XSS in names  # the payload reaches the page as data, shown as text by the script
    assert next(n for n in data["nodes"] if n["id"] == "u2")["href"] is None  # javascript: dropped


def test_page_script_builds_text_nodes_not_html():
    # tooltips and menus are DOM text nodes: the page's own script never writes HTML strings
    assert "innerHTML" not in render.PAGE_JS
    assert "insertAdjacentHTML" not in render.PAGE_JS and "document.write" not in render.PAGE_JS
    assert "textContent" in render.PAGE_JS


def test_csp_allows_only_the_pages_own_scripts():
    page = render.render_page(small_graph(), SPEC)
    csp = re.search(r'Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src &#x27;none&#x27;" in csp
    assert "unsafe-inline" not in csp.split("style-src")[0]  # scripts by hash only, no inline handlers


def test_physics_off_and_straight_edges():
    assert "physics: { enabled: false }" in render.PAGE_JS
    assert "smooth: false" in render.PAGE_JS


def test_output_is_deterministic(tmp_path):
    a = render.write_page(tmp_path / "a.html", small_graph(), SPEC)
    b = render.write_page(tmp_path / "b.html", small_graph(), SPEC)
    assert a.read_bytes() == b.read_bytes()
    assert "县农业农村局".encode("utf-8") in a.read_bytes()


def test_lang_en_labels_and_ui():
    data = render.page_data(small_graph(), SPEC, lang="en")
    assert data["ui"]["all"] == "All"
    assert [c["label"] for c in data["categories"]] == ["government", "collective"]
    with pytest.raises(ValueError):
        render.page_data(small_graph(), SPEC, lang="fr")


def test_unknown_category_is_an_error():
    g = small_graph()
    g.nodes["u1"]["category"] = "nope"
    with pytest.raises(ValueError, match="nope"):
        render.page_data(g, SPEC)


def _boxes(data, font):
    out = []
    for n in data["nodes"]:
        w = max(2 * n["size"], render.text_width(n["zh"], font))
        out.append((n["x"] - w / 2, n["y"] - n["size"], n["x"] + w / 2, n["y"] + n["size"] + font * 1.2))
    return out


def test_layout_leaves_no_label_overlap():
    g = nx.barabasi_albert_graph(40, 2, seed=3)
    for n in g:
        g.nodes[n].update(label_zh=f"县第{n}号测试局", load=g.degree(n))
    data = render.page_data(g, PageSpec("t", "t"))
    boxes = _boxes(data, 16)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


def test_safe_relative_href():
    assert render.safe_relative_href("units/a.html") == "units/a.html"
    for bad in ("javascript:alert(1)", "https://x", "//x", "JaVaScRiPt:1", "data:text/html,1"):
        assert render.safe_relative_href(bad) is None
