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
    """Without Chromium the browser tests skip, and the summary line says so with the install command."""
    import os
    import subprocess
    import sys

    from conftest import ROOT

    env = {**os.environ, "POLICYKG_CHROMIUM": str(tmp_path / "no-chromium"), "CI": ""}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/test_browser.py::test_harness_sees_outside_requests_and_dialogs"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    summary = done.stdout.strip().splitlines()[-1]
    assert "1 skipped without Chromium (apt-get install -y chromium fonts-noto-cjk)" in summary
    assert "browser tests were skipped: no Chromium at" in done.stdout
