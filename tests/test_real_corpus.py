"""The reader on real documents of the genre (corpus/real/, provenance in its SOURCES.md).

Expected units were read by hand from each document (expected-units.json), never taken from the
parser; the annotation examples below are quoted from those documents.
"""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from policykg.corpus.evaluate import evaluate_corpus
from policykg.text.annotations import AnnotationReader
from policykg.text.decode import SourceText
from policykg.text.lines import line_paragraph

CORPUS = ROOT / "corpus" / "real"

# Documents whose every annotation the reader must carry, with recall ≥ 95 % and precision ≥ 90 %.
MEETS_THE_BAR = ("01", "02", "03", "04", "05", "06", "21", "22", "23")


@pytest.fixture(scope="module")
def scores():
    return {s.name.split("_", 1)[0]: s for s in evaluate_corpus(CORPUS)}


def test_every_corpus_document_is_read_or_refused_with_a_reason(scores):
    documents = [p for p in CORPUS.iterdir() if p.name[:2].isdigit()]
    assert len(scores) == len(documents) >= 16
    for key, s in scores.items():
        assert s.read or s.reason, key


def test_every_document_has_provenance():
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    for path in CORPUS.iterdir():
        if path.name[:2].isdigit():
            assert f"## {path.name}" in sources, path.name


@pytest.mark.parametrize("key", MEETS_THE_BAR)
def test_units_of_real_documents_are_read_as_a_person_reads_them(scores, key):
    s = scores[key]
    assert s.read, s.reason
    assert s.meets_target(), (s.carrying, s.annotations, s.recall, s.precision, s.missed[:5], s.extra[:5])


def test_expected_units_cover_at_least_twelve_documents():
    expected = json.loads((CORPUS / "expected-units.json").read_text(encoding="utf-8"))
    assert len(expected) >= 12


def _annotation(text: str):
    source = SourceText.from_text("example.txt", text)
    found = AnnotationReader().find(line_paragraph(source, source.lines[0]))
    assert len(found) == 1
    a = found[0]
    return [u.name for u in a.leads], [u.name for u in a.units]


@pytest.mark.parametrize("text, leads, units", [
    # 02 (Anhui): role words are not part of a name
    ("推进通关便利化。（合肥海关牵头，省贸促会、省商务厅按职责分工配合）", ["合肥海关"], ["省贸促会", "省商务厅"]),
    # 02: a name that contains 牵头单位 is a unit, not a label
    ("加快产业发展。（省十大新兴产业推进组工作专班牵头单位牵头，省十大新兴产业推进组工作专班成员单位按职责分工配合）",
     ["省十大新兴产业推进组工作专班牵头单位"], ["省十大新兴产业推进组工作专班成员单位"]),
    # 22 (State Council): 等国务院相关部门 is not a name; 及 separates units
    ("优化服务。（住房城乡建设部等国务院相关部门及各地区按职责分工负责）", [], ["住房城乡建设部", "各地区"]),
    # 06 (Hubei): a group with 、 inside stays one unit
    ("加大金融支持。（责任单位：省农业农村厅、省财政厅，各市、州、县人民政府）", [],
     ["省农业农村厅", "省财政厅", "各市、州、县人民政府"]),
    # 05 (Chongqing): labelled lead and responsible, separated by ；
    ("发展农村电商。（牵头单位：市商务委；责任单位：市经济信息委、各区县政府）", ["市商务委"], ["市经济信息委", "各区县政府"]),
])
def test_real_annotation_styles(text, leads, units):
    assert _annotation(text) == (leads, units)


def test_a_task_with_its_own_annotation_and_announced_measures():
    # 21 (State Council): （五）系统梳理…（国务院办公厅牵头，各地区、各部门负责）具体措施：
    # 1．编制公布中央层面设定的行政许可事项清单…  2．2021年6月底前建立健全行政许可设定审查机制…
    from policykg.text.parse import parse_plan

    doc = parse_plan(next(CORPUS.glob("21_*")))
    task = next(pt for pt in doc.pilot_tasks if pt.number == 5)
    assert task.title.startswith("系统梳理现有各层级审批")
    assert [u.name for u in task.lead_units] == ["国务院办公厅"]
    assert [u.name for u in task.responsible_units] == ["各地区", "各部门"]
    measures = [m for wt in task.work_tasks for m in wt.measures]
    # the items 具体措施 announces are measures, their numbers not part of their text
    assert measures[0].text.startswith("编制公布中央层面设定的行政许可事项清单")
    assert measures[1].text.startswith("2021年6月底前建立健全行政许可设定审查机制")
    assert len(measures) == 2


def test_an_annex_list_of_assessed_items_with_deadlines_and_points():
    # 03 (Baotou): the annex 考评指标 is a numbered list, not a table; item 1 ends
    # （5月底取得明显成效并持续推进，牵头考核单位：市审批服务局）, item 19 ends
    # （0.5分）（5月底取得阶段性成效并持续推进，牵头考核单位：市审批服务局）; items run 1．to 90．
    from policykg.text.parse import parse_plan

    doc = parse_plan(next(CORPUS.glob("03_*")))
    measures = doc.measures()
    assert len(measures) == 90
    first = measures[0]
    assert first.deadline == "5月底取得明显成效并持续推进"
    assert [u.name for u in first.leads] == ["市审批服务局"] and first.points is None
    item19 = next(m for m in measures if m.span.line == 59)
    assert (item19.deadline, item19.points) == ("5月底取得阶段性成效并持续推进", "0.5分")
    assert "分）" not in item19.text and "牵头考核单位" not in item19.text
    assert doc.annex == []  # a list of items is not a task-division table


def test_a_provincial_department_is_the_same_unit_in_every_document_of_its_province(tmp_path):
    # 01 and 02 are both issued in Anhui (安徽省人民政府办公厅; 安徽省推进“三地一区”建设领导小组…办公室)
    # and both name 省经济和信息化厅 and 省商务厅; 06 is Hubei's (湖北省农业农村厅).
    from policykg.rdf.build import build

    result = build([next(CORPUS.glob(f"{k}_*")) for k in ("01", "02", "06")], out=None)
    assert [p.jurisdiction for p in result.plans] == ["安徽省", "安徽省", "湖北省"]
    graph = result.graph
    query = """PREFIX pkg: <https://w3id.org/policykg/ns#>
        SELECT DISTINCT ?u WHERE { ?a pkg:assignedUnit ?u ; pkg:statedName "省商务厅"@zh }"""
    units = {str(row[0]) for row in graph.query(query)}
    assert len(units) == 1, units  # one unit, not one per document
    assert next(iter(units)).endswith("/an-hui-sheng/an-hui-sheng-shang-wu-ting")
