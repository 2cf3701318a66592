"""Body/annex alignment and discrepancies on small plans made here, one rule at a time.

The rules are the ones ``policykg.rdf.reconcile`` states: a row goes to the body measure whose
text it matches best, by text, never by position; ties go to a measure under the work task the
row names, then to the earlier measure; a row that matches no measure well, and a measure no row
names, are reported as unmatched; a title cell that names no title names nothing; wording that
differs beyond trailing punctuation is reported.
"""

from types import SimpleNamespace

from policykg.rdf.reconcile import reconcile
from policykg.text.model import AnnexRow, Measure, Metadata, PilotTask, PlanDocument, Span, WorkTask

SPAN = Span(0, 1, 1, 1)
EMPLOYMENT = "建立城乡统一的人力资源市场，健全完善城乡劳动者平等就业制度，保障进城务工人员享受平等的就业机会。"
LAND = "建立土地确权登记数字化平台，实现农村承包地、宅基地确权登记信息共享。"
PILOT = "建立城乡有序流动的人口迁移制度"
TITLES = ["建立城乡统一要素市场", "有序推动农业转移人口市民化"]


def resolve(name):
    return SimpleNamespace(slug=name)


def plan(measures_by_work_task, rows):
    """A plan with one pilot task, work tasks 1, 2, … holding the given measure texts, and the
    annex rows given as (pilot task cell, work task cell, measure cell)."""
    work_tasks = [
        WorkTask(n, TITLES[n - 1], [Measure(str(n), k, text, [], SPAN) for k, text in enumerate(texts, 1)],
                 SPAN, key=str(n))
        for n, texts in enumerate(measures_by_work_task, 1)
    ]
    annex = [AnnexRow(k, pilot, [], work_task, text, [], SPAN) for k, (pilot, work_task, text) in enumerate(rows, 1)]
    return PlanDocument("x.txt", "x", "", Metadata(), None, [], [], [PilotTask(1, PILOT, [], work_tasks, SPAN)],
                        [], annex)


def aligned(doc):
    return [a.measure.id if a.measure else None for a in reconcile(doc, resolve).alignments]


def found(doc):
    return [(d.kind, d.subject) for d in reconcile(doc, resolve).discrepancies]


def test_a_tie_goes_to_the_measure_under_the_work_task_the_row_names():
    # the same measure text under work tasks 1 and 2: the row's 工作任务 cell decides
    doc = plan([[EMPLOYMENT], [EMPLOYMENT]], [(PILOT, TITLES[1], EMPLOYMENT), (PILOT, TITLES[0], EMPLOYMENT)])
    assert aligned(doc) == ["2.1", "1.1"]
    assert found(doc) == []


def test_otherwise_a_tie_goes_to_the_earlier_measure():
    doc = plan([[EMPLOYMENT], [EMPLOYMENT]], [(PILOT, "", EMPLOYMENT)])
    assert aligned(doc) == ["1.1"]
    assert found(doc) == [("unmatched", ("measure", "2.1"))]


def test_a_row_that_shortens_a_measure_aligns_to_it_and_is_reported_as_rewording():
    # the row drops 完善 and the last clause: still measure 1.1, its wording reported
    short = "建立城乡统一的人力资源市场，健全城乡劳动者平等就业制度。"
    doc = plan([[EMPLOYMENT, LAND]], [(PILOT, TITLES[0], short), (PILOT, TITLES[0], LAND)])
    assert aligned(doc) == ["1.1", "1.2"]
    assert found(doc) == [("measure-text", ("measure", "1.1"))]


def test_a_row_about_something_no_measure_says_is_unmatched_and_so_is_the_measure():
    other = "推进农村生活污水治理，改善农村人居环境。"
    doc = plan([[EMPLOYMENT, LAND]], [(PILOT, TITLES[0], EMPLOYMENT), (PILOT, TITLES[0], other)])
    assert aligned(doc) == ["1.1", None]
    assert found(doc) == [("unmatched", ("annex-entry", "2")), ("unmatched", ("measure", "1.2"))]
    rec = reconcile(doc, resolve)
    row = next(d for d in rec.discrepancies if d.subject == ("annex-entry", "2"))
    assert (row.annex_value, row.rows) == (other, [2])
    measure = next(d for d in rec.discrepancies if d.subject == ("measure", "1.2"))
    assert (measure.body_value, measure.rows) == (LAND, [])


def test_a_plan_without_annex_reports_no_measure_as_unmatched():
    assert found(plan([[EMPLOYMENT, LAND]], [])) == []


def test_title_cells_that_name_no_title_name_nothing():
    doc = plan([[EMPLOYMENT]], [("其他事项", "其他事项", EMPLOYMENT)])
    (alignment,) = reconcile(doc, resolve).alignments
    assert (alignment.measure.id, alignment.work_task, alignment.pilot_task) == ("1.1", None, None)
    assert found(doc) == []


def test_pilot_task_title_wording_is_reported_and_trailing_punctuation_is_not():
    reworded = "建立城乡有序流动的人口迁徙制度"  # 迁移 -> 迁徙
    doc = plan([[EMPLOYMENT], [LAND]], [(reworded, TITLES[0], EMPLOYMENT), (PILOT + "。", TITLES[1] + "；", LAND)])
    rec = reconcile(doc, resolve)
    assert found(doc) == [("title-text", ("pilot-task", "1"))]
    (d,) = rec.discrepancies
    assert (d.body_value, d.annex_value, d.rows) == (PILOT, reworded, [1])


def test_work_task_title_wording_is_reported():
    doc = plan([[EMPLOYMENT]], [(PILOT, "建立城乡统一的要素市场", EMPLOYMENT)])
    assert found(doc) == [("title-text", ("work-task", "1"))]


def test_a_row_under_another_work_task_is_reported():
    doc = plan([[EMPLOYMENT], [LAND]], [(PILOT, TITLES[1], EMPLOYMENT), (PILOT, TITLES[1], LAND)])
    assert aligned(doc) == ["1.1", "2.1"]
    assert found(doc) == [("work-task", ("measure", "1.1"))]


def test_a_goal_names_a_pilot_task_when_it_holds_its_title_less_the_leading_verb():
    from policykg.rdf.reconcile import link_goals
    from policykg.text.model import Goal, Stage

    goals = [
        "到2025年，城乡有序流动的人口迁移制度基本建立",  # the title less 建立: named
        "城乡有序流动的人口迁徙制度基本建立",  # one character differs (迁徙): still named
        "城乡人口有序流动机制基本形成",  # shares words only: not named
        "农村人口有序流动",
    ]
    doc = plan([[EMPLOYMENT]], [])
    doc.stages = [Stage(1, "第一阶段", 2023, 2025, "", [Goal(k, g, SPAN) for k, g in enumerate(goals, 1)], SPAN)]
    links = [(link.goal, link.pilot_task, link.score) for link in link_goals(doc)]
    assert [(goal, task) for goal, task, _ in links] == [(1, "1"), (2, "1")]
    assert links[0][2] == 100.0 and 90 <= links[1][2] < 100
