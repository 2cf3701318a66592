"""Hostile content: markup, script, quotes, formula starts, odd line breaks, bidi marks, emoji
and very long names in every text field. Every output stays valid and inert."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from rdfcheck import plain_strings, read_with_oxigraph
from rdflib import Dataset, Graph, Literal
from rdflib.compare import isomorphic

SEED = ROOT / "tests" / "fixtures" / "seeds" / "labelled-with-annex.txt"

SCRIPT = "<script>alert(\"x\")</script>"
IMG = "<img src=x onerror=alert(1)>"
QUOTES = "\"双引号\" '单引号' `反引号` \\反斜杠 \"\"\"三引号\"\"\""
RTL = "\u202e反向\u202c\u200f"
EMOJI = "🚀🏳️‍🌈"
BREAKS = "\u2028行分隔\u2029段分隔\u0085"  # line breaks that survive LF normalisation
LONG_UNIT = "县" + "很长的名字" * 1000 + "局"
FORMULA_UNITS = ["=HYPERLINK(\"http://evil.example\")局", "+县通信办", "-2+3局", "@SUM(1)局"]

HOSTILE = {
    # title: in the notice's 《》 (which the parser prefers) and on its own line (a title line
    # ends in 方案 and holds no ，。； in at most 60 characters)
    "关于印发《示例县数字乡村建设试点实施方案》的通知": f"关于印发《示例县{SCRIPT}{RTL}{EMOJI}数字乡村`试点`实施方案》的通知",
    "示例县数字乡村建设试点实施方案\n\n2022年": f"示例县{SCRIPT}{RTL}{EMOJI}数字乡村`试点`实施方案\n\n2022年",
    # a second body signing the notice: a joint issuer, shown on the views' index
    "示例县人民政府办公室\n2023年3月15日": f"示例县人民政府办公室\n示例县{IMG}数据局\n2023年3月15日",
    "（一）统筹推进。": f"（一）统筹{IMG}推进{EMOJI}。",
    "（二）创新驱动。鼓励基层探索": f"（二）创新驱动。鼓励{SCRIPT}基层{BREAKS}探索",
    "（一）加快乡村信息基础设施建设（牵头单位：县工业和信息化局）":
        f"（一）加快{SCRIPT}乡村{QUOTES}建设（牵头单位：县工业和信息化局、{FORMULA_UNITS[0]}；责任单位：县{IMG}办公室）",
    "1. 推进网络覆盖。": f"1. 推进{IMG}网络{RTL}覆盖。",
    "落实措施：推动光纤和移动网络向自然村延伸，提升偏远地区网络质量。（责任单位：县工业和信息化局、县通信发展办公室，各乡镇）":
        f"落实措施：=1+1推动{SCRIPT}光纤{BREAKS}和{QUOTES}网络{EMOJI}延伸。"
        f"（责任单位：县工业和信息化局、县{IMG}办公室、{LONG_UNIT}、{FORMULA_UNITS[1]}，{FORMULA_UNITS[2]}）",
    "（责任单位：县大数据中心、县农业农村局）": f"（责任单位：县大数据中心、{FORMULA_UNITS[3]}、县{RTL}{EMOJI}局）",
    "（一）加强组织领导。成立县数字乡村建设工作领导小组": f"（一）加强{SCRIPT}组织领导。成立县数字乡村建设工作领导小组",
    # annex cells
    "加快乡村信息基础设施建设\t县工业和信息化局\t推进网络覆盖。\t": f"加快{IMG}建设\t县工业和信息化局\t推进{SCRIPT}覆盖。\t",
    "提升偏远地区网络质量。\t县工业和信息化局、县通信发展办公室，各乡镇":
        f"{QUOTES}{BREAKS}{EMOJI}\t{FORMULA_UNITS[0]}、县工业和信息化局、县{IMG}办公室，各乡镇{RTL}",
}


def hostile_text() -> str:
    text = SEED.read_text(encoding="utf-8")
    for old, new in HOSTILE.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    from policykg.rdf.build import build

    folder = tmp_path_factory.mktemp("hostile")
    source = folder / "hostile-plan.txt"
    source.write_text(hostile_text(), encoding="utf-8")
    out = folder / "graph"
    result = build([source], out=out, formats=("turtle", "nt", "jsonld", "trig"))
    return result, out


def literals(graph):
    return {str(o) for o in graph.objects() if isinstance(o, Literal)}


def test_hostile_text_reaches_the_graph_unchanged(hostile):
    result, _ = hostile
    values = literals(result.graph)
    joined = "\n".join(values)
    for fragment in (SCRIPT, IMG, QUOTES, RTL, EMOJI, BREAKS, LONG_UNIT, *FORMULA_UNITS, "=1+1推动"):
        assert fragment in joined, fragment
    title = next(v for v in values if v.endswith("实施方案") and SCRIPT in v)
    assert title == f"示例县{SCRIPT}{RTL}{EMOJI}数字乡村`试点`实施方案"


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".jsonld", ".trig"])
def test_every_export_parses_with_two_parsers_and_is_the_same_graph(hostile, suffix):
    result, out = hostile
    path = out / f"policykg{suffix}"
    by_oxigraph = read_with_oxigraph(path)
    if suffix == ".trig":
        by_rdflib = Graph()
        for s, p, o, _ in Dataset().parse(path, format="trig").quads():
            by_rdflib.add((s, p, o))
    else:
        by_rdflib = Graph().parse(path, format={".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}[suffix])
    written = plain_strings(result.graph)
    assert isomorphic(plain_strings(by_oxigraph), written)
    assert isomorphic(plain_strings(by_rdflib), written)


def test_jsonld_is_strict_json(hostile):
    _, out = hostile
    text = (out / "policykg.jsonld").read_text(encoding="utf-8")
    json.loads(text, parse_constant=lambda name: pytest.fail(f"non-JSON constant {name}"))


def test_ntriples_keeps_one_triple_per_line(hostile):
    """Line breaks inside literals are escaped: no line of the file is a fragment."""
    _, out = hostile
    lines = (out / "policykg.nt").read_bytes().split(b"\n")
    assert lines[-1] == b""
    for line in lines[:-1]:
        assert line.endswith(b" ."), line[:200]
    for raw in ("\u2028", "\u2029", "\u0085", "\r", "\x0b", "\x0c"):
        assert raw.encode("utf-8") not in (out / "policykg.nt").read_bytes()


def query_csv(graph_folder: Path, sparql: str) -> list[list[str]]:
    result = subprocess.run(
        [sys.executable, "-m", "policykg", "query", "-e", sparql, "-g", str(graph_folder), "--format", "csv"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return list(csv.reader(io.StringIO(result.stdout, newline="")))


@pytest.mark.parametrize("engine_query", [
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?name WHERE { ?u skos:prefLabel ?name }",
    "PREFIX pkg: <https://w3id.org/policykg/ns#> SELECT ?text WHERE { ?m pkg:text ?text }",
    "PREFIX pkg: <https://w3id.org/policykg/ns#> SELECT ?cell WHERE { ?e pkg:responsibleUnitCell ?cell }",
])
def test_csv_results_neutralise_formula_cells(hostile, engine_query):
    _, out = hostile
    rows = query_csv(out, engine_query)
    cells = [cell for row in rows[1:] for cell in row]
    assert cells
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    originals = {str(v) for v in literals(hostile[0].graph)}
    neutralised = [c for c in cells if c.startswith("'") and c[1:] in originals]
    assert neutralised, "expected some formula-like values, neutralised with a leading '"
