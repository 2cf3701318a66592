"""Benchmark: how fast the network views become stable and interactive in headless Chromium.

A figure, not a timed test. For each page it reports

- ``build``: seconds to compute the layout and write the page (Python);
- ``ready``: milliseconds from navigation start to the first drawn frame (the page draws with
  physics off from precomputed positions, so the first frame is the stable one);
- ``click``: milliseconds from a mouse click on the busiest node to its neighbour panel showing.

Pages: the Gaoqing views (from graph/), and a synthetic network of 2,000 units (Barabási–Albert,
m=3, seeded). ``--pyvis`` also times pyvis's ``Network.add_edge`` one by one against adding edges in
bulk, to show why the views never call it.

Usage: python benchmarks/views.py [--graph graph] [--runs 3] [--pyvis]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]


def synthetic(n: int = 2000, m: int = 3, seed: int = 1):
    import random

    import networkx as nx

    rng = random.Random(seed)
    g = nx.barabasi_albert_graph(n, m, seed=seed)
    kinds = ["county-government-department", "county-party-department", "township-collective"]
    for v in g:
        g.nodes[v].update(label_zh=f"县测试单位{v:04d}", label_en=f"Unit {v:04d}", category=rng.choice(kinds),
                          load=g.degree(v), info=[("度", "degree", g.degree(v))])
    for u, v in g.edges:
        g.edges[u, v]["weight"] = rng.randint(1, 5)
    return g


def synthetic_spec():
    from policykg.views.render import PALETTE, Category, PageSpec

    return PageSpec("合成网络（2000个单位）", "Synthetic network (2,000 units)", categories=(
        Category("county-government-department", "县政府部门", "government", PALETTE[0]),
        Category("county-party-department", "县委部门", "party", PALETTE[1]),
        Category("township-collective", "镇街集合", "collective", PALETTE[5])), collective_switch=True)


def time_page(browser, path: Path, runs: int) -> dict:
    ready, click = [], []
    for _ in range(runs):
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
        page = ctx.new_page()
        page.goto(path.resolve().as_uri())
        page.wait_for_selector("body[data-ready]", state="attached", timeout=60000)
        ready.append(page.evaluate("window.policykgReadyAt"))
        busiest = page.evaluate(
            """() => { const v = window.policykgView;
                       let best = null, deg = -1;
                       v.data.nodes.forEach(n => { const d = v.network.getConnectedEdges(n.id).length;
                                                   if (d > deg) { deg = d; best = n.id; } });
                       return best; }""")
        x, y = page.evaluate(
            """id => { const n = window.policykgView.network;
                       const d = n.canvasToDOM(n.getPosition(id));
                       const r = document.getElementById('network').getBoundingClientRect();
                       return [r.left + d.x, r.top + d.y]; }""", busiest)
        t0 = time.perf_counter()
        page.mouse.click(x, y)
        page.wait_for_selector("#panel:not([hidden])", timeout=30000)
        click.append((time.perf_counter() - t0) * 1000)
        ctx.close()
    return {"ready_ms": statistics.median(ready), "click_ms": statistics.median(click)}


def pyvis_add_edge(n_edges: int = 12000) -> tuple[float, float]:
    """Seconds for pyvis's add_edge one by one, and for appending the same edges in bulk."""
    import networkx as nx
    from pyvis.network import Network

    g = nx.gnm_random_graph(2000, n_edges, seed=1)
    net = Network()
    net.add_nodes(list(g.nodes))
    t0 = time.perf_counter()
    for u, v in g.edges:
        net.add_edge(u, v)
    one_by_one = time.perf_counter() - t0
    t0 = time.perf_counter()
    bulk = [{"from": u, "to": v} for u, v in g.edges]
    bulk_s = time.perf_counter() - t0
    assert len(bulk) == g.number_of_edges()
    return one_by_one, bulk_s


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", default=str(ROOT / "graph"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pyvis", action="store_true", help="also time pyvis add_edge (quadratic)")
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    from policykg.views.networks import load_graph
    from policykg.views.pages import build_views
    from policykg.views.render import write_page

    out = Path(tempfile.mkdtemp(prefix="policykg-bench-"))
    rows = []
    t0 = time.perf_counter()
    build_views(load_graph([args.graph]), out / "gaoqing")
    build_s = time.perf_counter() - t0
    pages = [(f"gaoqing/{p}", out / "gaoqing" / p, build_s) for p in
             ("co-responsibility.html", "co-responsibility-annex.html", "unit-task.html")]  # structure.html is an outline, no network
    g = synthetic()
    t0 = time.perf_counter()
    write_page(out / "synthetic-2000.html", g, synthetic_spec())
    pages.append((f"synthetic 2000 units, {g.number_of_edges()} edges", out / "synthetic-2000.html",
                  time.perf_counter() - t0))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for name, path, build in pages:
            r = time_page(browser, path, args.runs)
            rows.append((name, build, r["ready_ms"], r["click_ms"], path.stat().st_size))
        browser.close()
    print(f"{'page':46} {'build s':>8} {'ready ms':>9} {'click ms':>9} {'size KB':>8}")
    for name, build, ready, click, size in rows:
        print(f"{name:46} {build:8.2f} {ready:9.0f} {click:9.0f} {size / 1024:8.0f}")
    print("(gaoqing build time is for the whole folder: 4 views, sheets, exports; median of", args.runs, "runs)")
    if args.pyvis:
        one, bulk = pyvis_add_edge()
        print(f"pyvis Network.add_edge x12000 one by one: {one:.2f} s; bulk list of dicts: {bulk:.3f} s")


if __name__ == "__main__":
    main()
