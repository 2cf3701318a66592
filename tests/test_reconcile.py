"""Body/annex alignment and discrepancies, stated from reading both parts of the plan."""


def by_kind(rec, kind):
    return {d.subject: d for d in rec.discrepancies if d.kind == kind}


def test_every_annex_row_aligns_to_the_measure_it_copies(rec):
    aligned = [a.measure.id for a in rec.alignments]
    # Measure 1.1 is split over rows 1-3, 2.1 over 4-6, 3.1 over 7-9, 6.1 over 14-16.
    assert aligned[:9] == ["1.1"] * 3 + ["2.1"] * 3 + ["3.1"] * 3
    assert aligned[9:16] == ["4.1", "4.2", "5.1", "5.2", "6.1", "6.1", "6.1"]
    assert aligned[16:25] == ["7.1", "8.1", "8.2", "8.3", "8.4", "8.5", "9.1", "10.1", "11.1"]
    assert aligned[25:] == ["12.1", "13.1", "14.1"]


def test_alignment_is_by_text_not_position(doc, place):
    import copy

    from policykg.rdf.reconcile import reconcile

    shuffled = copy.deepcopy(doc)
    shuffled.annex.reverse()
    aligned = {a.row.text[:12]: a.measure.id for a in reconcile(shuffled, place.resolve).alignments}
    assert aligned["构筑城乡空间融合发展格局"] == "7.1"
    assert aligned["建设农村集体土地确权发证"] == "4.2"


def test_lead_unit_discrepancy_of_pilot_task_4(rec):
    d = by_kind(rec, "lead-units")[("pilot-task", "4")]
    assert d.body_value == "县自然资源局、县农业农村局、市生态环境局高青分局"
    assert d.annex_value == "县自然资源局"
    assert len(by_kind(rec, "lead-units")) == 1


def test_responsible_unit_discrepancies(rec):
    found = by_kind(rec, "responsible-units")
    # Rows 14 and 15 of the annex leave 县农业农村局 out of measure 6's first two parts.
    assert found[("measure", "6.1")].annex_value == "县自然资源局、各镇办"
    assert found[("measure", "6.1")].rows == [14, 15]
    # ①特色小镇: the body names 县自然资源局, the annex 县农业农村局.
    assert found[("measure", "8.1")].body_value == "县发展改革局、县自然资源局、各镇办"
    assert found[("measure", "8.1")].annex_value == "县发展改革局、县农业农村局、各镇办"
    assert set(found) == {("measure", "6.1"), ("measure", "8.1")}


def test_measures_placed_under_other_work_tasks(rec):
    found = by_kind(rec, "work-task")
    # The annex shifts the second measure of work task 4 and both measures of work task 5 down
    # one work task.
    assert set(found) == {("measure", "4.2"), ("measure", "5.1"), ("measure", "5.2")}
    assert found[("measure", "4.2")].annex_value.startswith("确定转让退出机制与完善奖补政策")


def test_unit_name_variants(rec):
    found = by_kind(rec, "unit-name")
    housing = found[("unit", "housing-urban-rural-development-bureau")]
    assert (housing.body_value, housing.annex_value) == ("县住房城乡建设局", "县住房和城乡建设局")
    finance = found[("unit", "finance-securities-service-center")]
    assert (finance.body_value, finance.annex_value) == ("县金融证券服务中心", "县金融证券发展服务中心")


def test_title_wording_ignores_trailing_punctuation(rec):
    found = by_kind(rec, "title-text")
    # Work task 10 loses 的 in the annex (风险的防范 -> 风险防范) and is reported. The annex cells of
    # work tasks 1-6, 8 and 11 end in a 。 that the titles read from their headings do not keep
    # (a heading's title stops before its 。): only trailing punctuation differs, not reported.
    assert ("work-task", "10") in found
    for key in ("1", "2", "3", "4", "5", "6", "8", "11"):
        assert ("work-task", key) not in found
    assert {subject for subject in found if subject[0] == "work-task"} == {("work-task", "10")}


def test_measure_wording_differences(rec):
    found = by_kind(rec, "measure-text")
    assert "折算转算" in found[("measure", "12.1")].body_value
    assert "折算核算" in found[("measure", "12.1")].annex_value
    assert "正面负面清单" in found[("measure", "13.1")].body_value
    assert "服务体系项目建设" in found[("measure", "8.2")].annex_value
    # Rows that copy the body exactly (e.g. measure 7) are not reported.
    assert ("measure", "7.1") not in found
    assert ("measure", "1.1") not in found


def test_no_unmatched_rows_or_measures(rec):
    assert by_kind(rec, "unmatched") == {}


def test_goals_linked_to_the_pilot_tasks_they_name(rec):
    links = {(link.stage, link.goal, link.pilot_task) for link in rec.goal_links}
    assert links == {(1, 1, "1"), (1, 2, "2"), (1, 3, "3"), (1, 4, "4"), (2, 1, "1"), (2, 3, "3")}


def test_changes_rendering():
    from policykg.rdf.reconcile import changes

    assert changes("甲乙丙丁", "甲乙戊丁") == "甲乙[-丙][+戊]丁"


def test_discrepancies_are_listed_kind_by_kind_in_the_reports_order(rec):
    # the report's order: units first, then placement, names, wording, and what is unmatched
    order = ["lead-units", "responsible-units", "work-task", "unit-name", "title-text", "measure-text", "unmatched"]
    kinds = [d.kind for d in rec.discrepancies]
    assert kinds == sorted(kinds, key=order.index)
    assert list(dict.fromkeys(kinds)) == order[:6]  # the plan has all but unmatched


def test_normalize_drops_spaces_a_leading_list_marker_and_trailing_punctuation():
    from policykg.rdf.reconcile import normalize

    assert normalize(" ①特色 小镇。") == "特色小镇"
    assert normalize("⑤建立健全机制；\n") == "建立健全机制"


def test_discrepancies_describe_themselves_with_the_annex_rows(rec):
    found = by_kind(rec, "responsible-units")
    assert found[("measure", "6.1")].describe() == "responsible-units: measure 6.1 (annex rows 14, 15)"
    lead = by_kind(rec, "lead-units")[("pilot-task", "4")]
    # the three annex rows of pilot task 4 (rows 26-28: measures 12.1, 13.1, 14.1) each name only 县自然资源局
    assert lead.describe() == "lead-units: pilot task 4 (annex rows 26, 27, 28)"
    housing = by_kind(rec, "unit-name")[("unit", "housing-urban-rural-development-bureau")]
    assert housing.describe().startswith("unit-name: unit housing-urban-rural-development-bureau (annex row")
    assert by_kind(rec, "title-text")[("work-task", "10")].describe().startswith("title-text: work task 10 (annex row ")


def test_discrepancies_of_a_kind_are_in_the_plans_order_not_the_alphabets(rec):
    subjects = [d.subject for d in rec.discrepancies if d.kind == "measure-text"]
    # 8.2 comes before 12.1 and 13.1 in the plan (as text, "12.1" < "8.2")
    assert subjects.index(("measure", "8.2")) < subjects.index(("measure", "12.1")) < subjects.index(("measure", "13.1"))


def test_changes_keeps_short_context_and_shortens_long_context():
    from policykg.rdf.reconcile import changes

    twelve = "一二三四五六七八九十百千"
    assert changes(twelve + "丙", twelve + "丁") == twelve + "[-丙][+丁]"
    assert changes(twelve + "万丙", twelve + "万丁") == "一二三四五六…八九十百千万[-丙][+丁]"
    assert changes("甲乙", "甲乙丙") == "甲乙[+丙]" and changes("甲乙丙", "甲乙") == "甲乙[-丙]"
    # only what changed is marked, however long and repetitive the text
    assert changes("的" * 300, "的" * 299) == "的的的的的的…的的的的的的[-的]"


def test_the_body_excerpt_runs_from_the_first_to_the_last_match_and_its_closing_punctuation():
    from policykg.rdf.reconcile import _aligned_excerpt

    body = "完善农村产权交易体系。建设县级农村产权交易中心，健全交易规则。推进电子化交易。"
    assert _aligned_excerpt(body, "建设县级农村产权交易中心，完善交易规则") == "建设县级农村产权交易中心，健全交易规则。"
    assert _aligned_excerpt(body, "毫不相干的内容") == body  # nothing in common: the whole measure
    # three matching runs: up to the end of the last (四 is no punctuation, so it stops there)
    assert _aligned_excerpt("甲乙丙丁一。戊己庚辛二。壬癸子丑三。寅卯辰巳午四。", "戊己庚辛壬癸子丑寅卯辰巳午") == \
        "戊己庚辛二。壬癸子丑三。寅卯辰巳午"
    # a long text of one repeated character still matches (no character counts as noise)
    assert _aligned_excerpt("序。" + "的" * 300, "的" * 300) == "的" * 300
