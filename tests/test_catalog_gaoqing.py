"""Each catalog query on the Gaoqing graph, checked against what the plan itself says.

Expected values are read from sources/gaoqing-urban-rural-pilot-2022.txt by hand, not copied
from query output.
"""

import pytest
from conftest import ROOT

from policykg.sparql.catalog import load_catalog
from policykg.sparql.engines import load_engine

CATALOG = load_catalog()


@pytest.fixture(scope="module")
def run():
    engine = load_engine([ROOT / "graph"], "oxigraph")

    def run_query(name, **params):
        return engine.run(CATALOG.get(name).bind(params), trusted=True).dicts()

    return run_query


def test_lead_units(run):
    rows = run("lead-units")
    leads = lambda n, src: [r["unit"] for r in rows if r["pilot_task"] == str(n) and r["source"] == src]
    # （一）建立城乡有序流动的人口迁移制度（牵头单位：县公安局）, and the annex agrees
    assert leads(1, "body") == ["县公安局"] and leads(1, "annex") == ["县公安局"]
    assert leads(2, "body") == ["县自然资源局"]
    assert leads(3, "body") == ["县农业农村局"]
    # （四）…（牵头单位：县自然资源局、县农业农村局、市生态环境局高青分局）; the annex: only 县自然资源局
    assert leads(4, "body") == ["县自然资源局", "县农业农村局", "市生态环境局高青分局"]
    assert leads(4, "annex") == ["县自然资源局"]
    first = next(r for r in rows if r["pilot_task"] == "1")
    assert first["pilot_task_title"] == "建立城乡有序流动的人口迁移制度"
    assert first["unit_en"] == "County Public Security Bureau"


def test_responsibility(run):
    rows = run("responsibility")
    body_1_1 = [r["unit"] for r in rows if r["measure"] == "1.1" and r["source"] == "body"]
    assert body_1_1 == ["县发展改革局", "县科技局", "县公安局", "县人力资源社会保障局", "县自然资源局",
                        "县交通运输局", "县卫生健康局", "各镇办"]
    # ①特色小镇 (measure 8.1): body 县发展改革局、县自然资源局; annex 县发展改革局、县农业农村局
    body_8_1 = {r["unit"] for r in rows if r["measure"] == "8.1" and r["source"] == "body"}
    annex_8_1 = {r["unit"] for r in rows if r["measure"] == "8.1" and r["source"] == "annex"}
    assert body_8_1 == {"县发展改革局", "县自然资源局", "各镇办"}
    assert annex_8_1 == {"县发展改革局", "县农业农村局", "各镇办"}
    assert all(r["work_task"] == r["measure"].split(".")[0] for r in rows)


def test_co_responsibility(run):
    rows = run("co-responsibility")
    # every one of 县农业农村局's 14 measures also names 各镇办
    assert rows[0] == {"unit_a": "县农业农村局", "unit_b": "各镇办", "shared_measures": "14"}
    no_towns = run("co-responsibility", collectives="exclude")
    assert all("各镇办" not in (r["unit_a"], r["unit_b"]) for r in no_towns)
    top = {frozenset((r["unit_a"], r["unit_b"])) for r in no_towns if r["shared_measures"] == "6"}
    # 1.1 7.1 8.1 8.3 13.1 14.1 and 5.1 6.1 7.1 8.3 12.1 14.1
    assert top == {frozenset({"县发展改革局", "县自然资源局"}), frozenset({"县农业农村局", "县自然资源局"})}
    english = run("co-responsibility", lang="en")
    assert english[0]["unit_a"] == "County Agriculture and Rural Affairs Bureau"


def test_unit_load(run):
    rows = {r["unit"]: r for r in run("unit-load")}
    assert rows["各镇办"]["measures"] == "20"  # every measure names 各镇办
    psb = rows["县公安局"]  # leads pilot task 1; named in 1.1, 2.1 and 11.1
    assert (psb["lead_pilot_tasks"], psb["work_tasks"], psb["measures"]) == ("1", "3", "3")
    assert rows["县自然资源局"]["lead_pilot_tasks"] == "2"


def test_discrepancies(run):
    rows = run("discrepancies")
    lead = [r for r in rows if r["kind"] == "lead-units"]
    assert lead == [{"kind": "lead-units", "subject": "pilot task 4",
                     "body_value": "县自然资源局、县农业农村局、市生态环境局高青分局",
                     "annex_value": "县自然资源局"}]
    names = {(r["body_value"], r["annex_value"]) for r in rows if r["kind"] == "unit-name"}
    assert ("县住房城乡建设局", "县住房和城乡建设局") in names
    assert ("县金融证券服务中心", "县金融证券发展服务中心") in names
    assert any(r["subject"] == "measure 8.1" and "县农业农村局" in r["annex_value"]
               for r in rows if r["kind"] == "responsible-units")


def test_measures_of_unit_by_any_name(run):
    ids = lambda rows: [r["measure"] for r in rows]
    assert ids(run("measures-of-unit", unit="县公安局")) == ["1.1", "2.1", "11.1"]
    assert ids(run("measures-of-unit", unit="county public security bureau")) == ["1.1", "2.1", "11.1"]
    # the annex's variant name finds the same unit
    assert "13.1" in ids(run("measures-of-unit", unit="县金融证券发展服务中心"))


def test_search(run):
    rows = run("search", keyword="水资源税")
    assert [r["measure"] for r in rows] == ["12.1"] and "水资源税改革试点" in rows[0]["text"]
    assert run("search", keyword='"}') == []


def test_stage_goals(run):
    rows = run("stage-goals")
    years = {(r["stage"], r["start_year"], r["end_year"]) for r in rows}
    assert years == {("1", "2020", "2022"), ("2", "2023", "2025")}
    migration = [r for r in rows if r["stage"] == "1" and "人口迁移制度" in r["goal"]]
    assert migration and migration[0]["pilot_task"] == "1"


def test_lone_department(run):
    rows = run("lone-department")
    # 4.1 县农业农村局，各镇办; 4.2 县自然资源局，各镇办; 5.2 and ②农业园区 县农业农村局，各镇办
    assert [(r["measure"], r["unit"]) for r in rows] == [
        ("4.1", "县农业农村局"), ("4.2", "县自然资源局"), ("5.2", "县农业农村局"), ("8.2", "县农业农村局")]


def test_annex_only_claims(run):
    rows = run("annex-only-claims")
    assert {(r["measure"], r["unit"]) for r in rows} == {("8.1", "县农业农村局")}


def test_lead_engagement(run):
    rows = {(r["pilot_task"], r["unit"]): r for r in run("lead-engagement")}
    # pilot task 1 has measures 1.1, 2.1, 3.1; 县公安局 is named in 1.1 and 2.1
    assert (rows[("1", "县公安局")]["task_measures"], rows[("1", "县公安局")]["shared_measures"]) == ("3", "2")


def test_cross_task_pairs_and_partners(run):
    pairs = run("cross-task-pairs", min_tasks="3")
    assert all(int(r["pilot_tasks"]) >= 3 for r in pairs) and pairs
    partners = {r["partner"]: r["shared_measures"] for r in run("unit-partners", unit="县公安局")}
    assert partners["县人力资源社会保障局"] == "3"  # 1.1, 2.1, 11.1


def test_pilot_task_breadth(run):
    rows = {r["pilot_task"]: r for r in run("pilot-task-breadth")}
    # pilot task 2: work tasks 4, 5, 6; its units: 县自然资源局, 县农业农村局, 各镇办
    assert (rows["2"]["work_tasks"], rows["2"]["units"]) == ("3", "3")
    assert rows["3"]["measures"] == "9"  # 7, ①–⑤ of 8, 9, 10, 11
