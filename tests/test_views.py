"""The views folder and the `policykg visualize` command (no browser needed)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from policykg.cli.main import cli
from policykg.views import pages as views
from policykg.views.render import outside_references

XSS_UNIT = "<img src=x onerror=alert(1)>"
XSS_TEXT = "<img src=y onerror=alert(3)>"


@pytest.fixture(scope="module")
def mini_views(mini_graph, tmp_path_factory):
    out = tmp_path_factory.mktemp("views")
    return views.build_views(mini_graph, out, lang="zh")


def test_folder_layout(mini_views):
    out = mini_views.out
    for name in ("index.html", "co-responsibility.html", "co-responsibility-annex.html", "unit-task.html",
                 "structure.html", "data/unit-metrics.csv", "data/co-responsibility.graphml",
                 "data/co-responsibility.gexf", "units/mini-agri.html", "units/mini-xss.html"):
        assert (out / name).is_file(), name


def test_no_page_refers_to_outside_resources(mini_views):
    for path in mini_views.out.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert outside_references(text) == [], path
        assert XSS_UNIT not in text and XSS_TEXT not in text, path


def test_index_has_counts_top_units_discrepancies_and_links(mini_views):
    text = (mini_views.out / "index.html").read_text(encoding="utf-8")
    assert "<b>4</b> 具体措施" in text and "<b>6</b> 单位" in text
    assert "牵头单位不一致" in text and "责任单位不一致" in text
    assert "&lt;b&gt;=1+1&lt;/b&gt;" in text  # a discrepancy value shown as text
    for link in ("co-responsibility.html", "unit-task.html", "structure.html", "data/unit-metrics.csv",
                 "units/mini-agri.html"):
        assert f'href="{link}"' in text
    links = re.findall(r'href="([^"]+)"', text)
    for link in links:
        assert (mini_views.out / link).is_file(), link


def test_sheet_lists_leads_measures_partners_and_source(mini_views):
    text = (mini_views.out / "units" / "mini-agri.html").read_text(encoding="utf-8")
    assert "责任清单：县农业农村局" in text
    assert "搭建产业协同发展平台" in text  # the pilot task it leads
    assert "发展乡村旅游。" in text and "原文第22行" in text  # measure 3.2 with its source line
    assert '<a href="../units/mini-towns.html">各镇办</a>' in text  # a partner, linked
    assert "&lt;img src=y onerror=alert(3)&gt;" in text  # measure 2.1's text, escaped


def test_build_is_byte_identical(mini_graph, mini_views, tmp_path):
    views.build_views(mini_graph, tmp_path, lang="zh")
    for a in mini_views.files:
        b = tmp_path / a.relative_to(mini_views.out)
        assert a.read_bytes() == b.read_bytes(), a


def test_english(mini_graph, tmp_path):
    views.build_views(mini_graph, tmp_path, lang="en")
    text = (tmp_path / "units" / "mini-agri.html").read_text(encoding="utf-8")
    assert "Responsibility sheet: County Agriculture and Rural Affairs Bureau" in text


def test_cli_visualize(tmp_path):
    from conftest import MINI

    graph_dir = tmp_path / "g"
    graph_dir.mkdir()
    (graph_dir / "mini.ttl").write_bytes(MINI.read_bytes())
    from conftest import ONTOLOGY

    (graph_dir / "ontology.ttl").write_bytes(ONTOLOGY.read_bytes())
    result = CliRunner().invoke(cli, ["visualize", "--graph", str(graph_dir), "--out", str(tmp_path / "v"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "6 units" in result.output
    assert (tmp_path / "v" / "index.html").is_file()


def test_cli_visualize_missing_graph(tmp_path):
    result = CliRunner().invoke(cli, ["visualize", "--graph", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "no such file or directory" in result.output


def test_cli_help_has_example():
    result = CliRunner().invoke(cli, ["visualize", "--help"])
    assert "Example:" in result.output and "policykg visualize -g graph/" in result.output
    assert "--plan" in result.output


def test_gaoqing_default_view_labels_do_not_overlap(gaoqing_graph):
    from policykg.views import networks as nw
    from policykg.views.render import page_data, text_width

    g = views.build_networks(nw.ViewData.fetch(gaoqing_graph))["co-responsibility"]
    data = page_data(g, views.page_specs(nw.ViewData.fetch(gaoqing_graph))["co-responsibility"])
    assert len(data["nodes"]) == 20
    font = 16
    boxes = []
    for n in data["nodes"]:
        w = max(2 * n["size"], text_width(n["zh"], font))
        boxes.append((n["zh"], n["x"] - w / 2, n["y"] - n["size"], n["x"] + w / 2, n["y"] + n["size"] + font * 1.3))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]), (a[0], b[0])


def test_endpoint_gives_the_same_views_as_the_local_graph(mini_views, tmp_path):
    """`--endpoint`: the same queries against a real SPARQL server (Oxigraph) draw the same files."""
    import shutil
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    from conftest import MINI, ONTOLOGY

    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(exe).exists():
        pytest.skip("the oxigraph server (pip package oxigraph) is not installed")
    store = tmp_path / "store"
    for f in (MINI, ONTOLOGY):
        subprocess.run([exe, "load", "--location", str(store), "--file", str(f)], check=True, capture_output=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([exe, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/query"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        remote = views.build_views(url, tmp_path / "v", lang="zh")
    finally:
        server.terminate()
        server.wait(10)
    for a in mini_views.files:
        b = remote.out / a.relative_to(mini_views.out)
        assert a.read_bytes() == b.read_bytes(), a


def test_views_of_a_large_corpus_are_the_same_under_any_hash_seed(tmp_path):
    """Above 400 units the pages use the community layout: seeded, so two processes with
    different hash seeds must write the same bytes (they did not while subgraphs iterated sets)."""
    import os
    import subprocess
    import sys

    from conftest import ROOT

    from policykg.corpus.synthetic import generate_corpus
    from policykg.rdf.build import build
    from policykg.views.layout import LARGE_GRAPH

    generate_corpus(60, tmp_path / "src", seed=0)
    build([tmp_path / "src"], out=tmp_path / "graph")
    outputs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"views-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-m", "policykg", "visualize", "--graph", str(tmp_path / "graph"),
                               "--out", str(out)], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
        units = int(re.search(r"\((\d+) units", done.stdout).group(1))
        outputs.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert units > LARGE_GRAPH
    assert outputs[0].keys() == outputs[1].keys()
    assert [k for k in outputs[0] if outputs[0][k] != outputs[1][k]] == []


def test_make_test_says_when_browser_tests_are_skipped(tmp_path):
    """Without Chromium the browser tests fail, naming the install command; skipped knowingly
    (POLICYKG_SKIP_BROWSER=1), the summary line says so with the install command."""
    import os
    import subprocess
    import sys

    from conftest import ROOT

    env = {**os.environ, "POLICYKG_CHROMIUM": str(tmp_path / "no-chromium"), "CI": "", "POLICYKG_SKIP_BROWSER": ""}
    test = "tests/test_browser.py::test_harness_sees_outside_requests_and_dialogs"
    failed = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert failed.returncode == 1, failed.stdout
    assert "browser tests cannot run: no Chromium at" in failed.stdout
    assert "apt-get install -y chromium fonts-noto-cjk" in failed.stdout
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test],
                          cwd=ROOT, env={**env, "POLICYKG_SKIP_BROWSER": "1"}, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    summary = done.stdout.strip().splitlines()[-1]
    assert "1 skipped without Chromium (apt-get install -y chromium fonts-noto-cjk)" in summary
    assert "browser tests were skipped: no Chromium at" in done.stdout


# ---- the Gaoqing plan's views, checked against what the document says


@pytest.fixture(scope="module")
def gaoqing_views(gaoqing_graph, tmp_path_factory):
    return views.build_views(gaoqing_graph, tmp_path_factory.mktemp("gaoqing-views"), lang="zh").out


def _disc_rows(page: str) -> list[list[str]]:
    table = page.split('<table class="disc">', 1)[1].split("</table>", 1)[0]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in table.split("<tr>")[2:]]


def test_index_marks_what_differs_and_sorts_by_number(gaoqing_views):
    page = (gaoqing_views / "index.html").read_text(encoding="utf-8")
    rows = _disc_rows(page)
    assert len(rows) == 16
    wording = [re.sub(r"<[^>]+>", "", r[1]) for r in rows if r[0] == "措施表述不同"]
    assert wording == sorted(wording, key=lambda a: [int(x) for x in re.findall(r"\d+", a)])
    assert wording[0] == "措施6.1" and wording[-1] == "措施13.1"
    # 12.1: the body writes 折算转算, the annex 折算核算
    body, annex = next(r[2:4] for r in rows if r[1].startswith("措施12.1"))
    assert "折算<mark>转</mark>算" in body and "折算<mark>核</mark>算" in annex
    assert '<span class="gap">…</span>' in body  # the long shared stretches are shortened
    # 8.1: the body names 县自然资源局, the annex 县农业农村局; the units both name are not marked
    body, annex = next(r[2:4] for r in rows if r[0] == "责任单位不一致" and r[1].startswith("措施8.1"))
    assert body == "县发展改革局、<mark>县自然资源局</mark>、各镇办"
    assert annex == "县发展改革局、<mark>县农业农村局</mark>、各镇办"


def test_sheet_lists_partners_by_shared_measures_then_document_order(gaoqing_views):
    page = (gaoqing_views / "units" / "gaoqing-natural-resources-bureau.html").read_text(encoding="utf-8")
    partners = re.findall(r'<li><a href="[^"]+">([^<]+)</a> <span class="muted">· (\d+)</span></li>',
                          page.split('<ol class="partners">', 1)[1].split("</ol>", 1)[0])
    # 各镇办 closes all 11 of its notes; 县发展改革局 and 县农业农村局 share 6 each, and the text
    # names 县发展改革局 first (line 61, measure 1.1), 县农业农村局 later (line 71)
    assert partners[:3] == [("各镇办", "11"), ("县发展改革局", "6"), ("县农业农村局", "6")]
    counts = [int(n) for _, n in partners]
    assert counts == sorted(counts, reverse=True)


def test_sheet_shows_what_the_annex_says_for_rows_11_to_13(gaoqing_views):
    page = (gaoqing_views / "units" / "gaoqing-natural-resources-bureau.html").read_text(encoding="utf-8")
    annex = page.split("附件分工表中列名本单位的行", 1)[1].split("</table>", 1)[0]
    row11 = annex.split('<td class="num">11<', 1)[1].split("</tr>", 1)[0]
    # the annex files measure 4.2 (row 11) under 确定转让退出机制与完善奖补政策 (work task 5)
    assert "确定转让退出机制与完善奖补政策" in row11 and "附件归入另一工作任务" in row11
    assert "正文：4. 建立土地确权登记的数字化、标准化平台" in row11


@pytest.mark.parametrize("sheet, flag", [("gaoqing-natural-resources-bureau", "仅正文列有本单位"),
                                         ("gaoqing-agriculture-rural-affairs-bureau", "仅附件列有本单位")])
def test_sheets_list_the_discrepancies_concerning_their_unit(gaoqing_views, sheet, flag):
    # ①特色小镇 (measure 8.1): the body names 县自然资源局, the annex 县农业农村局
    page = (gaoqing_views / "units" / f"{sheet}.html").read_text(encoding="utf-8")
    section = page.split("涉及本单位的正文与附件差异", 1)[1]
    rows = _disc_rows(section)
    (row,) = [r for r in rows if r[0] == "责任单位不一致" and r[1].startswith("措施8.1")]
    assert flag in row[4]


def test_exports_keep_whole_labels(gaoqing_views):
    import networkx as nx

    g = nx.read_graphml(gaoqing_views / "data" / "unit-task.graphml")
    labels = {a.get("label_zh") for _, a in g.nodes(data=True)}
    assert "试验任务1：建立城乡有序流动的人口迁移制度" in labels
    assert "13. 建立健全生态产品市场交易体系" in labels
    assert not any("…" in (label or "") for label in labels)


def test_body_and_annex_pages_share_positions(gaoqing_graph):
    from policykg.views import networks as nw

    nets = views.build_networks(nw.ViewData.fetch(gaoqing_graph))
    body, annex = nets["co-responsibility"], nets["co-responsibility-annex"]
    shared = set(body) & set(annex)
    assert len(shared) >= 19
    assert all((body.nodes[u]["x"], body.nodes[u]["y"]) == (annex.nodes[u]["x"], annex.nodes[u]["y"]) for u in shared)


def test_annex_network_counts_measures_not_rows(gaoqing_graph):
    from policykg.views import networks as nw

    # annex rows 1-3 all copy measure 1.1 and each names 县发展改革局 and 县公安局; no other
    # measure names both: one shared measure, where counting rows gave three
    g = nw.co_responsibility_network(nw.ViewData.fetch(gaoqing_graph), part="annex")
    dev = next(n for n, a in g.nodes(data=True) if a["label_zh"] == "县发展改革局")
    police = next(n for n, a in g.nodes(data=True) if a["label_zh"] == "县公安局")
    assert g[dev][police]["weight"] == 1


def test_index_says_what_the_plan_says_of_itself(gaoqing_views):
    # 高政办字〔2022〕21号, signed 高青县人民政府办公室 on 2022年6月8日; two stages (2020—2022, 2023—2025)
    # with four specific goals each, the first 初步建立城乡有序流动的人口迁移制度，…
    page = (gaoqing_views / "index.html").read_text(encoding="utf-8")
    info = page.split("<h2>方案信息</h2>", 1)[1].split("<h2>", 1)[0]
    assert "高政办字〔2022〕21号" in info and "2022-06-08" in info and "县人民政府办公室" in info
    assert "联合发文" not in info
    goals = re.findall(r"<li>(.*?)</li>", info)
    assert len(goals) == 8
    assert goals[0].startswith('<span class="muted">2022</span> 初步建立城乡有序流动的人口迁移制度')
    assert goals[-1].startswith('<span class="muted">2025</span> ')
