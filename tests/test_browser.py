"""The pages in a real headless Chromium with all network blocked.

Off CI these skip when /usr/bin/chromium is missing; with CI=true a missing browser fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.views import pages as views

pytestmark = pytest.mark.browser

XSS_UNIT = "<img src=x onerror=alert(1)>"
XSS_TEXT = "<img src=y onerror=alert(3)>"


@pytest.fixture(scope="module")
def mini_site(mini_graph, tmp_path_factory):
    return views.build_views(mini_graph, tmp_path_factory.mktemp("mini-views")).out


@pytest.fixture(scope="module")
def gaoqing_site(gaoqing_graph, tmp_path_factory):
    return views.build_views(gaoqing_graph, tmp_path_factory.mktemp("gaoqing-views")).out


NETWORK_PAGES = ("co-responsibility.html", "co-responsibility-annex.html", "unit-task.html")


def node_point(page, node_id: str) -> tuple[float, float]:
    return tuple(page.evaluate(
        """id => { const n = window.policykgView.network;
                   const d = n.canvasToDOM(n.getPosition(id));
                   const r = document.getElementById('network').getBoundingClientRect();
                   return [r.left + d.x, r.top + d.y]; }""", node_id))


def drawn_nodes(page) -> int:
    return page.evaluate(
        """() => { const b = window.policykgView.network.body;
                   return b.nodeIndices.filter(id => !b.nodes[id].options.hidden).length; }""")


def node_id(page, name: str) -> str:
    return page.evaluate("name => window.policykgView.data.nodes.find(n => n.zh === name).id", name)


@pytest.mark.parametrize("site", ["mini_site", "gaoqing_site"])
def test_every_page_loads_offline_without_console_errors(site, visit, request):
    out: Path = request.getfixturevalue(site)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 6
    for path in pages:
        v = visit(path)
        if path.name in NETWORK_PAGES:
            v.wait_ready()
        else:
            v.page.wait_for_load_state("load")
        assert v.console_errors() == [], path
        assert v.outside_requests() == [], path
        assert v.dialogs == [], path
        v.close()


def test_drawn_nodes_equal_units_in_the_graph(gaoqing_site, gaoqing_graph, visit):
    # counted straight from the graph, not through the views' queries
    q = """PREFIX pkg: <https://w3id.org/policykg/ns#>
           SELECT (COUNT(DISTINCT ?u) AS ?n) WHERE { { ?m pkg:responsibleUnit ?u } UNION { ?t pkg:leadUnit ?u } }"""
    (units,) = [int(r[0]) for r in gaoqing_graph.run(q).values()]
    assert units == 20  # the document names 20 distinct units in its 责任单位 / 牵头单位 notes
    v = visit(gaoqing_site / "co-responsibility.html")
    v.wait_ready()
    assert drawn_nodes(v.page) == units
    v.page.uncheck("#collective")
    assert drawn_nodes(v.page) == units - 1  # 各镇办 hidden
    assert v.page.get_attribute("body", "data-shown") == str(units - 1)


def test_clicking_a_unit_shows_its_neighbours(gaoqing_site, visit):
    v = visit(gaoqing_site / "co-responsibility.html")
    v.wait_ready()
    agri = node_id(v.page, "县农业农村局")
    x, y = node_point(v.page, agri)
    v.page.mouse.click(x, y)
    v.page.wait_for_selector("#panel:not([hidden])")
    assert v.page.get_attribute("body", "data-selected") == agri
    assert v.page.text_content("#panel h2") == "县农业农村局"
    items = v.page.eval_on_selector_all(".neighbours li", "els => els.map(e => e.textContent)")
    expected = v.page.evaluate(
        """id => window.policykgView.network.getConnectedNodes(id).length""", agri)
    assert len(items) == expected
    assert items[0] == "各镇办 · 14"  # shares 14 of its 14 measures with 各镇办
    assert v.page.text_content("#panel h3") == f"协作单位（共担措施数） ({len(items)})"
    # a click on the background restores the view
    v.page.mouse.click(5, 895)
    v.page.wait_for_selector("#panel", state="hidden")


def test_filter_by_pilot_task(gaoqing_site, visit):
    v = visit(gaoqing_site / "co-responsibility.html")
    v.wait_ready()
    options = v.page.eval_on_selector_all("#filter option", "els => els.map(e => e.textContent)")
    assert options[1] == "1. 建立城乡有序流动的人口迁移制度"  # Chinese menu text intact
    v.page.select_option("#filter", index=1)
    # pilot task 1: 13 units in the notes of measures 1-3, its lead 县公安局 among them
    assert drawn_nodes(v.page) == 13
    # the view is fitted again to what is shown: every shown node inside the canvas, and together
    # they fill most of its width or height (the old viewport left half the canvas empty)
    box = v.page.evaluate("""() => { const v = window.policykgView, n = v.network, ids = [];
        v.data.nodes.forEach(d => { if (!n.body.nodes[d.id].options.hidden) ids.push(d.id); });
        const ps = ids.map(id => n.canvasToDOM(n.getPosition(id)));
        const c = document.getElementById('network');
        return {w: c.clientWidth, h: c.clientHeight, minX: Math.min(...ps.map(p => p.x)), maxX: Math.max(...ps.map(p => p.x)),
                minY: Math.min(...ps.map(p => p.y)), maxY: Math.max(...ps.map(p => p.y))}; }""")
    assert 0 <= box["minX"] and box["maxX"] <= box["w"] and 0 <= box["minY"] and box["maxY"] <= box["h"]
    assert (box["maxX"] - box["minX"]) > 0.6 * box["w"] or (box["maxY"] - box["minY"]) > 0.6 * box["h"]
    # figures for what is shown: 县公安局 is named in measures 1.1 and 2.1 of pilot task 1
    police = node_id(v.page, "县公安局")
    live = v.page.evaluate("id => window.policykgView.live()[id]", police)
    assert live["load"] == 2
    x, y = node_point(v.page, police)
    v.page.mouse.move(x, y)
    v.page.wait_for_selector(".vis-tooltip", state="visible")
    tip = v.page.text_content(".vis-tooltip")
    assert "当前视图 · 1. 建立城乡有序流动的人口迁移制度" in tip and "承担措施数2" in tip and "全方案" in tip


def test_xss_in_unit_name_and_measure_text_does_not_run(mini_site, visit):
    v = visit(mini_site / "co-responsibility.html")
    v.wait_ready()
    xss = node_id(v.page, XSS_UNIT)
    x, y = node_point(v.page, xss)
    v.page.mouse.move(x, y)
    v.page.wait_for_selector(".vis-tooltip", state="visible")
    assert XSS_UNIT in v.page.text_content(".vis-tooltip")
    v.page.mouse.click(x, y)
    v.page.wait_for_selector("#panel:not([hidden])")
    assert v.page.text_content("#panel h2") == XSS_UNIT
    v.page.wait_for_timeout(200)
    assert v.page.evaluate("document.querySelectorAll('img, script[src]').length") == 0
    assert v.dialogs == [] and v.console_errors() == []
    for sheet in ("units/mini-xss.html", "units/mini-agri.html", "index.html", "unit-task.html"):
        s = visit(mini_site / sheet)
        s.page.wait_for_load_state("load")
        s.page.wait_for_timeout(100)
        assert s.page.evaluate("document.querySelectorAll('img').length") == 0, sheet
        assert s.dialogs == [] and s.console_errors() == [], sheet
    text = visit(mini_site / "units/mini-agri.html").page.text_content("body")
    assert XSS_TEXT in text  # shown as text


def test_harness_sees_outside_requests_and_dialogs(tmp_path, visit):
    # the checks above would catch a page that reached out or ran injected script
    page = tmp_path / "bad.html"
    page.write_text('<img src="https://cdn.example.invalid/x.png"><img src=x onerror="alert(1)">', encoding="utf-8")
    v = visit(page)
    v.page.wait_for_timeout(300)
    assert any("cdn.example.invalid" in u for u in v.outside_requests())
    assert v.dialogs == ["1"]


def label_boxes(page) -> list:
    """Drawn label boxes (DOM pixels) of the shown nodes: [name, left, top, right, bottom]."""
    return page.evaluate("""() => { const v = window.policykgView, n = v.network, out = [];
        const c = document.getElementById('network').getBoundingClientRect();
        v.data.nodes.forEach(d => { const node = n.body.nodes[d.id];
            if (node.options.hidden) return;
            const s = node.labelModule.size, a = n.canvasToDOM({x: s.left, y: s.top}),
                  b = n.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
            out.push([d.zh, a.x, a.y, b.x, b.y, c.width, c.height]); });
        return out; }""")


@pytest.mark.parametrize("page", ["co-responsibility.html", "co-responsibility-annex.html", "unit-task.html"])
def test_labels_are_whole_inside_the_canvas_and_apart(gaoqing_site, visit, page):
    v = visit(gaoqing_site / page)
    v.wait_ready()
    boxes = label_boxes(v.page)
    assert boxes
    for name, left, top, right, bottom, w, h in boxes:
        assert left >= 0 and top >= 0 and right <= w and bottom <= h, (name, left, top, right, bottom)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[1] < b[3] - 1 and b[1] < a[3] - 1 and a[2] < b[4] - 1 and b[2] < a[4] - 1), (a[0], b[0])
    labels = v.page.evaluate("() => window.policykgView.data.nodes.map(n => [n.zh, n.label])")
    for full, drawn in labels:
        assert "…" not in drawn and drawn.replace("\n", "").replace(" ", "") == full.replace(" ", "")


def test_body_and_annex_views_put_each_unit_in_the_same_place(gaoqing_site, visit):
    spots = []
    for page in ("co-responsibility.html", "co-responsibility-annex.html"):
        v = visit(gaoqing_site / page)
        v.wait_ready()
        spots.append(v.page.evaluate("() => window.policykgView.network.getPositions()"))
    common = set(spots[0]) & set(spots[1])
    assert len(common) >= 19
    assert {u: spots[0][u] for u in common} == {u: spots[1][u] for u in common}
    legend = v.page.text_content("#legend")
    assert "按附件分工表" in legend and "一项措施分几行也只算一次" in legend


def test_unit_task_panel_lists_what_its_figures_count(gaoqing_site, visit):
    v = visit(gaoqing_site / "unit-task.html")
    v.wait_ready()
    land = node_id(v.page, "县自然资源局")
    v.page.evaluate("id => window.policykgView.select(id)", land)
    heads = v.page.eval_on_selector_all("#panel h3", "els => els.map(e => e.textContent)")
    # it leads pilot tasks 2 and 4; the body names it in 11 notes, under work tasks 1, 4-8 (8 twice), 11-14
    assert heads == ["牵头关系 (2)", "承担措施（措施数） (10)"]
    tasks = v.page.eval_on_selector_all('.neighbours[data-kind="responsible"] li', "els => els.map(e => e.textContent)")
    assert tasks[0].startswith("8. ")  # ①特色小镇 and ③小城镇 of work task 8: two measures
    assert [t.split(".")[0] for t in tasks[1:]] == ["1", "4", "5", "6", "7", "11", "12", "13", "14"]  # by number
    figures = dict(v.page.eval_on_selector_all("#panel table tr", "els => els.map(e => [...e.cells].map(c => c.textContent))"))
    assert figures == {"承担措施数": "11", "牵头试验任务数": "2", "涉及工作任务数": "10"}


def test_outline_folds_and_links_to_the_network(gaoqing_site, visit):
    v = visit(gaoqing_site / "structure.html")
    v.page.wait_for_load_state("load")
    pts = v.page.eval_on_selector_all(".pt > details > summary", "els => els.map(e => e.textContent)")
    assert len(pts) == 4 and pts[0].startswith("试验任务1：建立城乡有序流动的人口迁移制度")
    assert v.page.locator(".m").count() == 20
    first = v.page.locator(".pt > details").first
    assert first.evaluate("d => d.open")
    v.page.locator(".pt > details > summary").first.click(position={"x": 5, "y": 5})
    assert not first.evaluate("d => d.open")
    # measure 8.1 lists its responsible units in the order of its note: 县发展改革局、县自然资源局，各镇办
    # pilot task 4's leads in the order of its heading: 县自然资源局、县农业农村局、市生态环境局高青分局
    pt4 = v.page.locator(".pt").nth(3).locator(":scope > details > .units .chip").all_text_contents()
    assert pt4 == ["县自然资源局", "县农业农村局", "市生态环境局高青分局"]
    m81 = v.page.locator(".m", has_text="措施8.1").first
    assert m81.locator(".chip").all_text_contents() == ["县发展改革局", "县自然资源局", "各镇办"]
    href = v.page.locator(".pt > details > summary .net").nth(1).get_attribute("href")
    assert href.startswith("unit-task.html#select=")
    w = visit(gaoqing_site / href.split("#")[0])
    url = w.page.url
    w.page.goto("about:blank")
    w.page.goto(url + "#" + href.split("#")[1])  # opened afresh with the outline's link
    w.wait_ready()
    w.page.wait_for_selector("#panel:not([hidden])")
    assert w.page.text_content("#panel h2") == "试验任务2：建立进城落户农民依法自愿有偿转让退出农村权益制度"


def test_english_labels_are_wrapped_and_readable(gaoqing_graph, tmp_path, visit):
    out = views.build_views(gaoqing_graph, tmp_path / "en", lang="en").out
    v = visit(out / "co-responsibility.html")
    v.wait_ready()
    drawn = v.page.evaluate("() => window.policykgView.network.getScale() * window.policykgView.data.fontSize")
    assert drawn >= 13  # label text at least 13 px high at 1280x900
    labels = v.page.evaluate("() => window.policykgView.data.nodes.map(n => n.label)")
    assert max(len(line) for text in labels for line in text.split("\n")) <= 30
    assert any("\n" in text for text in labels)
