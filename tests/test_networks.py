"""Networks built from the view-*.rq query rows, their metrics and exports."""

from __future__ import annotations

import csv
import io

import networkx as nx
import pytest

from policykg.resources import QUERIES_DIR
from policykg.views import networks as nw

ID = "https://w3id.org/policykg/id/"
U = ID + "unit/mini/"


@pytest.fixture(scope="module")
def mini(mini_graph):
    return nw.ViewData.fetch(mini_graph)


def by_name(g: nx.Graph, name: str) -> str:
    (node,) = [n for n, a in g.nodes(data=True) if a.get("label_zh") == name]
    return node


def test_view_queries_load_in_the_catalog():
    from policykg.sparql.catalog import load_query

    for path in sorted(QUERIES_DIR.glob("view-*.rq")):
        q = load_query(path)
        assert q.name == path.stem


def test_missing_query_is_a_clear_error(mini_graph):
    with pytest.raises(nw.ViewQueryError, match="no query named 'view-nope'"):
        nw.run_select("view-nope", mini_graph)


def test_co_responsibility_weights_count_shared_measures(mini):
    g = nw.co_responsibility_network(mini)
    assert g[U + "agri"][U + "towns"]["weight"] == 3  # measures 2.1, 3.1, 3.2
    assert g[U + "land"][U + "towns"]["weight"] == 2  # 1.1, 3.1
    assert g.nodes[U + "towns"]["measures"] == 4
    assert g.nodes[U + "police"]["leads"] == 1
    assert g[U + "agri"][U + "towns"]["filters"] == {ID + "plan/mini/pilot-task/1": 1, ID + "plan/mini/pilot-task/2": 2}
    assert set(g.nodes) == {U + s for s in ("agri", "land", "police", "org-dept", "towns", "xss")}


def test_annex_rows_instead_of_body_measures(mini):
    g = nw.co_responsibility_network(mini, part="annex")
    # annex rows 1 and 2 both copy measure 1.1 and both name 县公安局 and 各镇办: one shared measure
    assert g[U + "police"][U + "towns"]["weight"] == 1
    assert g.nodes[U + "police"]["measures"] == 1
    assert U + "land" not in g  # the annex does not name it
    assert U + "org-dept" in g and g.nodes[U + "org-dept"]["leads"] == 1  # annex lead


def test_leave_out_collective_units(mini):
    g = nw.co_responsibility_network(mini, include_collective=False)
    assert U + "towns" not in g
    assert g[U + "agri"][U + "land"]["weight"] == 1


def test_unit_task_tells_lead_from_responsible(mini):
    g = nw.unit_task_network(mini)
    pt1, wt2 = ID + "plan/mini/pilot-task/1", ID + "plan/mini/work-task/2"
    assert g[U + "police"][pt1]["kind"] == "lead"
    assert g[U + "org-dept"][wt2]["kind"] == "responsible"
    assert g[ID + "plan/mini/work-task/3"][U + "agri"]["weight"] == 2
    assert g[wt2][pt1]["kind"] == "part-of"


def test_structure_goes_plan_to_units(mini):
    g = nw.structure_network(mini)
    plan = ID + "plan/mini"
    path = nx.shortest_path(g, plan, U + "xss")
    assert [g.nodes[n]["kind"] for n in path] == ["plan", "pilot-task", "work-task", "measure", "unit"]
    xs = {k: {g.nodes[n]["x"] for n in g if g.nodes[n]["kind"] == k} for k in nw._LEVELS}
    assert all(len(v) == 1 for v in xs.values())  # one column per level
    assert sorted(xs, key=lambda k: min(xs[k])) == list(nw._LEVELS)


def test_metrics(mini):
    g = nw.co_responsibility_network(mini)
    m = nw.add_unit_metrics(g)
    assert set(m[U + "towns"]) == set(nw.METRICS)
    assert m[U + "towns"]["degree"] == 5
    assert m[U + "towns"]["weighted_degree"] == 8
    assert max(m, key=lambda u: m[u]["betweenness"]) == U + "towns"
    assert m == nw.unit_metrics(nw.co_responsibility_network(mini))  # seeded, deterministic
    assert {r[1] for r in g.nodes[U + "agri"]["info"]} >= {"partners (degree)", "betweenness", "community"}


def test_csv_neutralises_formulas():
    assert nw.csv_cell("=1+1") == "'=1+1"
    assert nw.csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert nw.csv_cell("-2") == "'-2" and nw.csv_cell("+x") == "'+x"
    assert nw.csv_cell("县公安局") == "县公安局" and nw.csv_cell(3) == 3
    # OWASP's list of formula starts also has tab and carriage return
    assert nw.csv_cell("\t=1+1") == "'\t=1+1" and nw.csv_cell("\r=1+1") == "'\r=1+1"
    assert nw.csv_cell("1=1") == "1=1"


def test_metrics_csv(mini, tmp_path):
    g = nw.co_responsibility_network(mini)
    nw.add_unit_metrics(g)
    g.nodes[U + "land"]["label_en"] = "=HYPERLINK(\"x\")"
    path = nw.write_metrics_csv(g, tmp_path / "m.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0]["name_zh"] == "各镇办"  # most central first
    assert next(r for r in rows if r["name_zh"] == "县自然资源局")["name_en"].startswith("'=")


def test_graphml_and_gexf_round_trip_and_are_deterministic(mini, tmp_path):
    g = nw.co_responsibility_network(mini)
    nw.add_unit_metrics(g)
    for write, read in ((nw.write_graphml, nx.read_graphml), (nw.write_gexf, nx.read_gexf)):
        a = write(g, tmp_path / f"a.{write.__name__}")
        b = write(g, tmp_path / f"b.{write.__name__}")
        assert a.read_bytes() == b.read_bytes()
        h = read(a)
        assert h.number_of_nodes() == g.number_of_nodes()
        assert h.number_of_edges() == g.number_of_edges()


# ---- the Gaoqing plan: facts read from sources/gaoqing-urban-rural-pilot-2022.txt


@pytest.fixture(scope="module")
def gaoqing(gaoqing_graph):
    return nw.ViewData.fetch(gaoqing_graph)


def test_gaoqing_units(gaoqing):
    # 20 distinct units are named in the body's 责任单位 notes (县文化和旅游局 also written 县文化旅游局)
    g = nw.co_responsibility_network(gaoqing)
    assert g.number_of_nodes() == 20
    names = {a["label_zh"] for _, a in g.nodes(data=True)}
    assert {"县农业农村局", "各镇办", "县水利局", "中国人民银行高青县支行", "县金融证券服务中心"} <= names


def test_gaoqing_agriculture_bureau_and_towns_share_14_measures(gaoqing):
    # 各镇办 closes every one of the 20 body notes; 县农业农村局 is in 14 of them
    # (measures of work tasks 3, 4, 5, 5, 6, 7, 8②-⑤, 9, 10, 13, 14)
    g = nw.co_responsibility_network(gaoqing)
    agri, towns = by_name(g, "县农业农村局"), by_name(g, "各镇办")
    assert g.nodes[towns]["measures"] == 20
    assert g.nodes[agri]["measures"] == 14
    assert g[agri][towns]["weight"] == 14
    land = by_name(g, "县自然资源局")
    assert g[agri][land]["weight"] == 6  # work tasks 5 (2nd), 6, 7, 8③, 12, 14
    assert g.nodes[towns]["collective"]


def test_gaoqing_leads(gaoqing):
    # 牵头单位: task 1 县公安局, 2 县自然资源局, 3 县农业农村局, 4 县自然资源局、县农业农村局、市生态环境局高青分局
    g = nw.co_responsibility_network(gaoqing)
    leads = {a["label_zh"]: a["leads"] for _, a in g.nodes(data=True) if a["leads"]}
    assert leads == {"县公安局": 1, "县自然资源局": 2, "县农业农村局": 2, "市生态环境局高青分局": 1}


def test_gaoqing_without_collective(gaoqing):
    g = nw.co_responsibility_network(gaoqing, include_collective=False)
    assert g.number_of_nodes() == 19
    assert "各镇办" not in {a["label_zh"] for _, a in g.nodes(data=True)}
