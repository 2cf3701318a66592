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


NETWORK_PAGES = ("co-responsibility.html", "co-responsibility-annex.html", "unit-task.html", "structure.html")


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
    items = v.page.eval_on_selector_all("#neighbours li", "els => els.map(e => e.textContent)")
    expected = v.page.evaluate(
        """id => window.policykgView.network.getConnectedNodes(id).length""", agri)
    assert len(items) == expected
    assert items[0] == "各镇办 · 14"  # shares 14 of its 14 measures with 各镇办
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
