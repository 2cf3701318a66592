"""The parser against what the Gaoqing plan says (read from the document, not the parser)."""

from datetime import date

import pytest

from policykg.errors import DocumentError


def names(mentions):
    return [m.name for m in mentions]


def test_metadata(doc):
    meta = doc.metadata
    assert meta.doc_number == "高政办字〔2022〕21号"
    assert meta.issuer == "高青县人民政府办公室"
    assert meta.issued == date(2022, 6, 8)
    assert meta.title == "高青县城乡融合发展试验区实施方案"
    assert meta.notice_title == "高青县人民政府办公室关于印发《高青县城乡融合发展试验区实施方案》的通知"
    assert meta.recipients == ["各镇人民政府", "各街道办事处", "县政府各部门", "各有关单位"]
    assert meta.release_note == "此件公开发布"
    assert meta.context == "2020年8月，我县入选首批省级城乡融合发展试验区。"
    assert meta.jurisdiction == "高青县"


def test_guiding_ideology_and_principles(doc):
    assert doc.guiding_ideology.startswith("以习近平新时代中国特色社会主义思想为指导")
    assert doc.guiding_ideology.endswith("形成可复制可推广的典型经验和体制机制改革举措。")
    assert [(p.number, p.title) for p in doc.principles] == [
        (1, "坚持先行先试，方向明确"),
        (2, "坚持整体谋划，重点突破"),
        (3, "坚持政府主导，市场运作"),
        (4, "坚持守住底线，积极稳妥"),
    ]
    assert doc.principles[3].text.startswith("正确处理改革、发展、稳定的关系")


def test_stages_and_goals(doc):
    first, second = doc.stages
    assert (first.number, first.start_year, first.end_year) == (1, 2020, 2022)
    assert (second.number, second.start_year, second.end_year) == (2, 2023, 2025)
    assert first.summary == "城乡融合发展体制基本完善，人才、土地、资本、基础设施等要素流通制度基本打通。"
    assert second.summary.startswith("实现城乡生产要素双向自由流动的制度性通道基本打通")
    # 具体内容为 lists four sentences in each stage.
    assert len(first.goals) == 4 and len(second.goals) == 4
    assert first.goals[3].text == "初步建立生态产品价值实现机制。"
    # The goal broken by a blank line (农村产 / 权保护) is one sentence again.
    assert first.goals[2].text == "城乡产业协同发展平台进入运行，农村产权保护交易制度框架基本形成。"


def test_pilot_tasks_and_lead_units(doc):
    assert [(pt.number, pt.title) for pt in doc.pilot_tasks] == [
        (1, "建立城乡有序流动的人口迁移制度"),
        (2, "建立进城落户农民依法自愿有偿转让退出农村权益制度"),
        (3, "搭建城乡产业协同发展平台"),
        (4, "建立生态产品价值实现机制"),
    ]
    assert [names(pt.lead_units) for pt in doc.pilot_tasks] == [
        ["县公安局"],
        ["县自然资源局"],
        ["县农业农村局"],
        ["县自然资源局", "县农业农村局", "市生态环境局高青分局"],
    ]


def test_work_tasks_numbered_1_to_14_under_their_pilot_tasks(doc):
    assert [[wt.number for wt in pt.work_tasks] for pt in doc.pilot_tasks] == [
        [1, 2, 3], [4, 5, 6], [7, 8, 9, 10, 11], [12, 13, 14],
    ]
    work_tasks = {wt.number: wt for wt in doc.work_tasks()}
    assert work_tasks[1].title == "建立城乡统一要素市场，构建要素均衡配置体制"
    assert work_tasks[7].title == "优化城乡融合产业空间格局"
    assert work_tasks[14].title == "创新生态价值产业实现路径"


def test_each_annotated_passage_is_one_measure(doc):
    per_task = {wt.number: len(wt.measures) for wt in doc.work_tasks()}
    # Work tasks 4 and 5 have two annotated paragraphs each; 8 has the five items ①–⑤.
    assert per_task == {1: 1, 2: 1, 3: 1, 4: 2, 5: 2, 6: 1, 7: 1, 8: 5, 9: 1, 10: 1, 11: 1, 12: 1, 13: 1, 14: 1}
    assert len(doc.measures()) == 20


def test_measure_responsible_units(doc):
    measures = {m.id: m for m in doc.measures()}
    assert names(measures["1.1"].units) == [
        "县发展改革局", "县科技局", "县公安局", "县人力资源社会保障局", "县自然资源局",
        "县交通运输局", "县卫生健康局", "各镇办",
    ]
    assert names(measures["4.1"].units) == ["县农业农村局", "各镇办"]
    assert names(measures["4.2"].units) == ["县自然资源局", "各镇办"]
    assert names(measures["8.1"].units) == ["县发展改革局", "县自然资源局", "各镇办"]
    assert names(measures["8.4"].units) == [
        "县工业和信息化局", "县农业农村局", "县文化和旅游局", "县市场监督管理局", "市生态环境局高青分局", "各镇办",
    ]
    assert names(measures["13.1"].units) == [
        "县发展改革局", "县自然资源局", "县金融证券服务中心", "市生态环境局高青分局", "中国人民银行高青县支行", "各镇办",
    ]
    # Measure 14's annotation is broken across a blank line (责任单 / 位：) and still reads whole.
    assert names(measures["14.1"].units) == [
        "县发展改革局", "县工业和信息化局", "县自然资源局", "县农业农村局", "县文化旅游局",
        "县卫生健康局", "市生态环境局高青分局", "各镇办",
    ]
    assert all(names(m.units)[-1] == "各镇办" for m in doc.measures())


def test_measure_texts_are_rejoined_and_unlabelled(doc):
    measures = {m.id: m for m in doc.measures()}
    assert measures["1.1"].text.startswith("建设城乡统一开放")  # 落实措施： removed
    assert "制定城乡规划和要素配置的地方标准体系" in measures["1.1"].text  # 要素配 / 置 rejoined
    assert measures["8.1"].text.startswith("特色小镇：")  # ① removed
    assert measures["8.5"].text.startswith("城乡融合经典项目：")
    assert measures["11.1"].text.startswith("建立城乡统一要素市场，构建要素均衡配置体制，推进城乡要素双向合理流动")
    assert "（责任单位" not in measures["14.1"].text


def test_spans_point_at_the_source(doc, gaoqing_text):
    measures = {m.id: m for m in doc.measures()}
    m = measures["4.2"]
    quoted = gaoqing_text[m.span.start:m.span.end]
    assert quoted.startswith("建设农村集体土地确权发证信息化")
    assert quoted.endswith("（责任单位：县自然资源局，各镇办）")
    assert m.span.line == 79 and m.span.end_line == 79
    broken = measures["14.1"]
    assert (broken.span.line, broken.span.end_line) == (141, 143)
    unit = broken.units[0]
    assert gaoqing_text[unit.span.start:unit.span.end] == "县发展改革局"


def test_safeguards_and_bodies(doc):
    assert [(s.number, s.title) for s in doc.safeguards] == [
        (1, "健全组织领导机制"), (2, "建立工作推进机制"), (3, "完善考核评价机制"),
    ]
    assert names(doc.safeguards[0].bodies) == ["高青县城镇化工作领导小组"]
    assert set(names(doc.safeguards[1].bodies)) == {"城乡融合发展联席会议", "县城镇化工作领导小组办公室"}


def test_annex_rows_fill_merged_cells(doc):
    rows = doc.annex
    # Four tables of 9, 7, 9 and 3 data rows under repeated header rows.
    assert len(rows) == 28
    assert rows[0].pilot_task == "建立城乡有序流动的人口迁移制度"
    # The second and third rows leave pilot task, lead, work task and units empty: merged.
    assert rows[1].pilot_task == rows[0].pilot_task
    assert names(rows[2].lead_units) == ["县公安局"]
    assert rows[2].work_task == "建立城乡统一要素市场，构建要素均衡配置体制。"
    assert names(rows[2].units) == names(rows[0].units)
    assert rows[2].text.startswith("坚持全域统筹和城乡等值")
    # The fourth pilot task lists only 县自然资源局 as lead in the annex.
    assert names(rows[-1].lead_units) == ["县自然资源局"]
    assert rows[-1].span.part == "annex" and rows[-1].span.line == 193


@pytest.mark.parametrize("mark", ["1.", "1．", "1﹒", "1、"])
def test_work_task_numbering_styles(mark, tmp_path):
    from policykg.text.parse import parse_plan

    text = (
        "一、指导思想\n\n以此为指导。\n\n二、主要任务\n\n（一）建立测试制度（牵头单位：县公安局）\n\n"
        f"{mark} 建立测试平台。\n\n落实措施：建设测试平台。（责任单位：县公安局、县科技局，各镇办）\n"
    )
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    doc = parse_plan(path)
    assert doc.work_tasks()[0].number == 1
    assert names(doc.measures()[0].units) == ["县公安局", "县科技局", "各镇办"]


def _plan(tmp_path, tasks: str):
    from policykg.text.parse import parse_plan

    path = tmp_path / "plan.txt"
    path.write_text("关于推进测试工作的实施方案\n\n一、指导思想\n\n以此为指导。\n\n二、主要措施\n\n" + tasks, encoding="utf-8")
    return parse_plan(path)


def test_a_field_section_needs_only_one_field_before_the_units(tmp_path):
    # the shape of 80's sections (（一）适用范围：… （二）办理流程：… （三）责任单位及承办科室：X，Y。), with
    # one field: still one measure of the section, not a task titled by its field
    doc = _plan(tmp_path, "三、优化测试流程。\n\n（一）适用范围：全县测试项目。\n\n（二）责任单位：县公安局、县科技局。\n")
    [measure] = doc.measures()
    assert names(measure.units) == ["县公安局", "县科技局"]
    assert measure.text.startswith("（一）适用范围：全县测试项目。")
    assert not any(pt.title.startswith("适用范围") for pt in doc.pilot_tasks)
    # the section is the task: its heading's number, level and title (without the full stop)
    task = next(pt for pt in doc.pilot_tasks if pt.number == 3)
    assert (task.title, task.level, task.path) == ("优化测试流程", 1, "3")


def test_a_section_with_an_item_that_is_no_field_is_a_list_of_tasks(tmp_path):
    # （二） opens with a sentence, not a label and colon: the items are tasks, the last item's
    # units the section's (as in 80's 五、 … （四）责任单位：A、B、C。)
    doc = _plan(tmp_path, "三、优化测试流程\n\n（一）适用范围：全县测试项目。\n\n（二）加大测试支持力度。每年安排专项资金。\n\n"
                          "（三）责任单位：县公安局、县科技局。\n")
    section = next(t for t in doc.tasks if t.title == "优化测试流程")
    assert names(section.responsible_units) == ["县公安局", "县科技局"]
    assert [pt.number for pt in doc.pilot_tasks if pt.parent == section.key] == [1, 2]


@pytest.mark.parametrize("closing", ["（三）\u00a0责任单位：县公安局、县科技局。",  # a page's &nbsp; (80 has them)
                                     "（三）（责任单位：县公安局、县科技局）。",
                                     "（三）（责任单位：县公安局、县科技局）；"])
def test_an_item_naming_units_may_space_and_bracket_them(tmp_path, closing):
    doc = _plan(tmp_path, "三、优化测试流程\n\n（一）加大测试支持力度。\n\n（二）完善测试平台。\n\n" + closing + "\n")
    section = next(t for t in doc.tasks if t.title == "优化测试流程")
    assert names(section.responsible_units) == ["县公安局", "县科技局"]
    assert [pt.number for pt in doc.pilot_tasks if pt.parent == section.key] == [1, 2]


def test_an_item_with_more_than_units_is_a_task(tmp_path):
    # （三） says what is to be done before naming who: a task of its own with its units
    doc = _plan(tmp_path, "三、优化测试流程\n\n（一）加大测试支持力度。\n\n（二）完善测试平台。\n\n"
                          "（三）开展测试评估（责任单位：县公安局、县科技局）。\n")
    section = next(t for t in doc.tasks if t.title == "优化测试流程")
    assert section.responsible_units == []
    third = next(pt for pt in doc.pilot_tasks if pt.number == 3)
    [measure] = [m for wt in third.work_tasks for m in wt.measures]  # it has no items: its own measure
    assert names(measure.units) == ["县公安局", "县科技局"] and measure.text == "开展测试评估"
    [work] = third.work_tasks  # no heading of its own: the task's number and place
    assert (work.number, work.level, work.path) == (1, third.level, third.path)


def test_duties_are_cut_where_a_line_opens_with_units_and_keep_no_item_marker(tmp_path):
    # as 57's 领导小组 duty runs on from the member list above it, two duty lines join into one
    # paragraph when the first does not end a sentence; each is still a duty of its own
    doc = _plan(tmp_path, "（一）建设测试平台（责任单位：县公安局）\n\n三、职责分工\n\n（一）县公安局负责测试平台建设，\n"
                          "县科技局负责测试评估。\n\n（二）县财政局：负责保障测试经费。\n")
    duties = next(pt for pt in doc.pilot_tasks if pt.title == "职责分工")
    measures = [m for wt in duties.work_tasks for m in wt.measures]
    assert [(m.text, names(m.units)) for m in measures] == [
        ("县公安局负责测试平台建设，", ["县公安局"]), ("县科技局负责测试评估。", ["县科技局"]),
        ("县财政局：负责保障测试经费。", ["县财政局"])]



def _measures_plan(tmp_path, sections: str):
    from policykg.text.parse import parse_plan

    path = tmp_path / "plan.txt"
    path.write_text("测试县关于推进测试工作的若干措施\n\n" + sections, encoding="utf-8")
    return parse_plan(path)


def test_the_text_after_the_last_item_closes_the_plan_and_is_no_measure(tmp_path):
    # 46 (Xining): 十五、…（责任单位：…） then 以上政策措施自印发之日起施行…: the plan's closing sentence
    doc = _measures_plan(tmp_path, "一、建设测试平台\n\n完善测试设施，扩大测试范围。（责任单位：县公安局）\n\n"
                                   "二、开展测试培训\n\n每年培训测试人员。（责任单位：县科技局）\n\n以上措施自印发之日起施行。\n")
    assert [m.text for m in doc.measures()] == ["完善测试设施，扩大测试范围。", "每年培训测试人员。"]


def test_closing_text_stays_a_measure_where_the_plan_assigns_nothing(tmp_path):
    # with no annotation anywhere, nothing says where the last item ends
    doc = _measures_plan(tmp_path, "一、主要任务\n\n1. 建设测试平台。\n\n2. 开展测试培训。\n\n以上措施自印发之日起施行。\n")
    assert [m.text for m in doc.measures()] == ["以上措施自印发之日起施行。"]


def test_a_signature_after_the_last_item_dates_the_plan_and_is_no_measure(tmp_path):
    # 42 (Beijing): （十九）…（责任单位：…） / 北京市人民政府办公厅 / 2025年6月11日 / （此件公开发布）
    doc = _measures_plan(tmp_path, "一、建设测试平台\n\n完善测试设施。（责任单位：县公安局）\n\n"
                                   "测试县人民政府办公室\n测试县科学技术委员会\n2023年5月6日\n（此件公开发布）\n")
    assert [m.text for m in doc.measures()] == ["完善测试设施。"]
    assert doc.metadata.issued == date(2023, 5, 6)
    assert doc.metadata.issuer == "测试县人民政府办公室"  # the first signs for all
    assert doc.metadata.release_note == "此件公开发布"


@pytest.mark.parametrize("signing", ["测试县联席会议办公室（代章）\n", "测试县联席会议办公室\n（代章）\n",
                                     "测试县联席会议办公室\n（盖章）\n"])
def test_the_mark_of_a_seal_is_not_part_of_the_signature(tmp_path, signing):
    # 51 (Anhui): 省完善促进消费体制机制厅际联席会议（代章） / 2022年1月26日; 61 (Chongqing):
    # 重庆市减轻企业负担联席会议办公室 / （代章） / 2024年11月27日
    doc = _measures_plan(tmp_path, "一、建设测试平台\n\n完善测试设施。（责任单位：县公安局）\n\n" + signing + "2023年5月6日\n")
    assert [m.text for m in doc.measures()] == ["完善测试设施。"]
    assert (doc.metadata.issuer, doc.metadata.issued) == ("测试县联席会议办公室", date(2023, 5, 6))


def test_a_line_naming_units_above_a_date_is_not_a_signature(tmp_path):
    # 49's style, 责任单位：X on its own line after the item: the last item's units, not its signers
    doc = _measures_plan(tmp_path, "一、建设测试平台\n\n完善测试设施。\n责任单位：县公安局\n2023年5月6日\n")
    [measure] = doc.measures()
    assert names(measure.units) == ["县公安局"]
    assert doc.metadata.issued == date(2023, 5, 6)


def test_a_first_sentence_that_is_no_heading_stays_in_the_measure(tmp_path):
    # 03 (Baotou): 1．除涉密…的事项外，各级政务服务事项全部开通全程网办。完成适老化改造，…。（…牵头考核单位：…）:
    # the item has no title; its first sentence is what is to be done
    doc = _measures_plan(tmp_path, "一、主要任务\n\n（一）推进测试\n\n"
                                   "1．除涉密事项外，各级测试事项全部开通网办。完成适老化改造。（责任单位：县公安局）\n\n"
                                   "2．加强组织领导。每年召开测试会议。（责任单位：县科技局）\n")
    first, second = doc.measures()
    assert first.text == "除涉密事项外，各级测试事项全部开通网办。完成适老化改造。"
    assert doc.work_tasks()[0].title == "除涉密事项外，各级测试事项全部开通网办"
    # a run-in title heads its item and is not the measure's
    assert (doc.work_tasks()[1].title, second.text) == ("加强组织领导", "每年召开测试会议。")


def test_a_task_whose_first_sentence_is_no_heading_keeps_it_in_its_measure(tmp_path):
    # 71 (Jiangxi): （一）引导政府性融资担保机构加大…支持力度，简化业务流程，…。…（责任单位：…）
    doc = _measures_plan(tmp_path, "一、主要任务\n\n（一）引导测试机构加大支持力度，简化测试流程。对受影响企业降低费率。"
                                   "（责任单位：县公安局）\n\n（二）加强组织领导。每年召开测试会议。（责任单位：县科技局）\n")
    first, second = doc.measures()
    assert first.text == "引导测试机构加大支持力度，简化测试流程。对受影响企业降低费率。"
    assert second.text == "每年召开测试会议。"


def test_an_items_name_is_cut_at_a_clause_outside_brackets_or_shortened_with_an_ellipsis(tmp_path):
    # 08 (State Council): 一、对…成效明显的省（区、市），…; 75 (Luzhou): 第十二条 优化商业用房（含办公、仓储等，…）
    doc = _measures_plan(tmp_path,
                         "一、对测试工作成效明显的市（地、州、盟），给予奖励。（县公安局负责）\n\n"
                         "二、对财政预算执行、提高收入质量、盘活存量资金、国库库款管理、推进财政资金统筹使用成效明显的县，"
                         "给予奖励。（县财政局负责）\n")
    assert [pt.title for pt in doc.pilot_tasks] == [
        "对测试工作成效明显的市（地、州、盟）",
        "对财政预算执行、提高收入质量、盘活存量资金、国库库款管理、推进财政资金统筹使用成…"]
    assert doc.measures()[1].text.startswith("对财政预算执行、")


def test_a_section_of_work_content_is_read_for_tasks_with_its_run_in_titles(tmp_path):
    # 57, 58: 三、工作内容 （一）城镇房屋定期体检制度 1.体检范围和对象。城镇房屋定期体检范围暂定为…, no annotation
    doc = _measures_plan(tmp_path, "一、工作内容\n\n（一）测试体检制度\n\n1.体检范围和对象。体检范围暂定为公共建筑。\n\n"
                                   "2.体检内容和指标，按照导则执行\n")
    [task] = doc.pilot_tasks
    assert task.title == "测试体检制度"
    assert [wt.title for wt in task.work_tasks] == ["体检范围和对象", "体检内容和指标，按照导则执行"]
    assert [m.text for m in doc.measures()] == ["体检范围暂定为公共建筑。"]


def test_lists_inside_lists_inside_a_work_task_are_its_text(tmp_path):
    # 58: 1.新建房屋工程质量保险 （1）…（3）保险责任…：①…②… （4）…, then 2.既有房屋安全保险; and
    # 2.建立房屋养老金账户 （1）公共账户 ①…②… （2）个人账户
    doc = _measures_plan(tmp_path, "一、工作内容\n\n（一）测试保险制度\n\n1.新建测试保险\n\n（1）投保范围。新建住宅应投保。\n\n"
                                   "（2）保险责任。分两个阶段：\n\n①前10年责任期。由潜在缺陷保险承担。\n\n"
                                   "②其后至25年。保障倒塌风险。\n\n（3）保险费率。根据实际确定。\n\n2.既有测试保险\n\n"
                                   "（1）投保范围。逐步纳入。\n")
    [task] = doc.pilot_tasks
    assert [wt.title for wt in task.work_tasks] == ["新建测试保险", "既有测试保险"]


def test_a_goals_section_without_stages_gives_the_plans_goals_with_their_years(tmp_path):
    # 39 (Chongqing): 一、工作目标 …到2025年，…。 ——市场机制基本健全。… ——标准体系初步完善。… 到2030年，…
    doc = _measures_plan(tmp_path, "一、工作目标\n\n按照测试原则，全面推广测试。到2025年，建成测试体系。\n\n"
                                   "——市场机制基本健全。实现分时电价。\n\n到2030年，基本建成测试城市。\n\n"
                                   "二、重点任务\n\n（一）建设测试平台。（责任单位：县公安局）\n")
    assert [(g.number, g.year, g.text[:6]) for g in doc.goals] == [
        (1, 2025, "按照测试原则"), (2, 2025, "——市场机制"), (3, 2030, "到2030年")]
    assert doc.stages == []


@pytest.mark.parametrize("header", ["序号\t工作任务\t牵头单位\t责任单位\t完成时限",
                                    "序号\t重点任务\t具体任务\t牵头单位\t配合单位\t完成时限"])
def test_a_task_table_whose_only_text_is_the_task(tmp_path, header):
    # a county's 任务分工表 often gives each row's task and no separate 具体措施 column; or calls the
    # text 具体任务 beside a 重点任务 column
    row = "1\t建设测试平台\t县发改局\t县财政局\t2022年底" if header.count("\t") == 4 else \
        "1\t平台建设\t建设测试平台\t县发改局\t县财政局\t2022年底"
    doc = _measures_plan(tmp_path, "一、重点任务\n\n（一）建设测试平台。（牵头单位：县发改局；责任单位：县财政局）\n\n"
                                   f"附件\n\n测试县重点任务分工表\n\n{header}\n{row}\n")
    [entry] = doc.annex
    assert (entry.text, [u.name for u in entry.lead_units], [u.name for u in entry.units], entry.deadline) == (
        "建设测试平台", ["县发改局"], ["县财政局"], "2022年底")


def test_labels_a_line_each_under_an_item_are_one_annotation_of_its_measure(tmp_path):
    # 牵头单位：X, 责任单位：Y and 完成时限：Z, each on a line of its own under the item's text; the
    # second label was refused as "responsibility annotation with no measure text before it"
    doc = _measures_plan(tmp_path, "一、重点任务\n\n（一）建设测试平台。完善测试设施。\n牵头单位：县发改局\n"
                                   "责任单位：县财政局、县审计局\n完成时限：2022年12月底\n\n"
                                   "（二）开展测试培训。每年培训测试人员。\n牵头单位：县人社局\n责任单位：各镇（街道）\n")
    assert [(m.text, [u.name for u in m.leads], [u.name for u in m.units], m.deadline) for m in doc.measures()] == [
        ("完善测试设施。", ["县发改局"], ["县发改局", "县财政局", "县审计局"], "2022年12月底"),
        ("每年培训测试人员。", ["县人社局"], ["县人社局", "各镇（街道）"], None)]
    # an item that is all title, its units on the line below, is its own work
    doc = _measures_plan(tmp_path, "一、重点任务\n\n（一）建设测试平台\n牵头单位：县发改局\n\n1.完善测试设施。\n"
                                   "责任单位：县财政局、县审计局\n\n2.扩大测试范围。\n责任单位：县科技局\n")
    assert [u.name for u in doc.pilot_tasks[0].lead_units] == ["县发改局"]
    assert [(m.text, [u.name for u in m.units], m.span.line, m.span.end_line) for m in doc.measures()] == [
        ("完善测试设施", ["县财政局", "县审计局"], 8, 9), ("扩大测试范围", ["县科技局"], 11, 12)]
    # an annotation with no text and no item before it is still refused, with its line
    with pytest.raises(DocumentError, match=r"plan.txt:7: responsibility annotation with no measure text"):
        _measures_plan(tmp_path, "一、重点任务\n\n（一）建设测试平台\n\n（责任单位：县财政局）\n\n"
                                 "（二）开展培训。培训人员。（责任单位：县人社局）\n")


def test_an_items_heading_annotation_names_the_units_of_the_text_below_it(tmp_path):
    # 1.完善测试设施（责任单位：X） and the item's text on the lines below: one measure, the text's, of
    # X; also for the plan's last item, whose text is no closing
    doc = _measures_plan(tmp_path, "一、重点任务\n\n（一）建设测试平台\n\n1.完善测试设施（责任单位：县财政局）\n"
                                   "加快建设测试设施，扩大覆盖范围。\n\n2.扩大测试范围（责任单位：县科技局）\n逐步推广到全县。\n")
    assert [(m.text, [u.name for u in m.units], m.span.line, m.span.end_line) for m in doc.measures()] == [
        ("加快建设测试设施，扩大覆盖范围。", ["县财政局"], 7, 8), ("逐步推广到全县。", ["县科技局"], 10, 11)]


def test_parts_whose_sections_number_again_from_one_are_one_document(tmp_path):
    # 第一部分 总体要求 / 第二部分 重点任务 一、… 二、… / 第三部分 保障措施 一、…: the part's title above
    # 一、 again is no second document's title (the plan was refused: "no tasks found")
    doc = _measures_plan(tmp_path, "第一部分 总体要求\n\n以习近平新时代中国特色社会主义思想为指导。\n\n"
                                   "第二部分 重点任务\n\n一、建设测试平台\n\n1.完善测试设施。（牵头单位：县发改局）\n\n"
                                   "二、开展测试培训\n\n1.每年培训测试人员。（责任单位：县人社局）\n\n"
                                   "第三部分 保障措施\n\n一、加强组织领导。成立领导小组。\n")
    assert [m.text for m in doc.measures()] == ["完善测试设施。", "每年培训测试人员。"]


def test_a_section_of_steps_gives_the_plans_stages_dated_by_day_or_month(tmp_path):
    # 58 (Shenyang): 五、推进计划 （一）启动阶段（2024年4月1日至2024年12月31日）。… （三）提升阶段（2026年1月1日
    # 以后持续开展此项工作）; the 实施步骤 of a 工作方案 also write （一）动员部署阶段（2022年6月）, a stage
    # over two years, or the period after a colon
    doc = _measures_plan(tmp_path, "一、工作目标\n\n到2025年，建成测试体系。\n\n"
                                   "二、重点任务\n\n（一）建设测试平台。（责任单位：县公安局）\n\n"
                                   "三、实施步骤\n\n（一）动员部署阶段（2022年6月）。制定方案。\n\n"
                                   "（二）组织实施阶段（2022年7月—2023年12月）。全面推开。\n\n"
                                   "（三）总结提升阶段：2024年1月—6月。总结经验。\n\n"
                                   "（四）巩固阶段（2024年7月1日以后持续开展）。长期坚持。\n")
    assert [(s.number, s.name, s.start_year, s.end_year, s.summary) for s in doc.stages] == [
        (1, "动员部署阶段", 2022, 2022, "制定方案。"), (2, "组织实施阶段", 2022, 2023, "全面推开。"),
        (3, "总结提升阶段", 2024, 2024, "总结经验。"), (4, "巩固阶段", 2024, None, "长期坚持。")]
    # the goals section stays the plan's own goals
    assert [(g.year, g.text) for g in doc.goals] == [(2025, "到2025年，建成测试体系。")]


def test_a_dated_item_that_is_no_stage_is_not_read_as_one(tmp_path):
    # a step whose heading names no 阶段 is no stage; nor is a 实施步骤 item without a year
    doc = _measures_plan(tmp_path, "一、重点任务\n\n（一）建设测试平台。（责任单位：县公安局）\n\n"
                                   "二、实施步骤\n\n（一）制定方案（2022年6月）。\n\n（二）动员部署阶段。全面动员。\n")
    assert doc.stages == []


def test_every_body_that_signs_is_an_issuer_the_first_signing_for_all(tmp_path):
    # 53 (Shenyang): 沈阳市房产局  沈阳市自然资源局 / 国家税务总局沈阳市税务局 … / 2023年9月3日; 39 (Chongqing):
    # 重庆市经济和信息化委员会重庆市发展和改革委员会 on one line where the page lost the break
    doc = _measures_plan(tmp_path, "一、建设测试平台\n\n完善测试设施。（责任单位：县公安局）\n\n"
                                   "测试市房产局  测试市自然资源局\n国家税务总局测试市税务局\n"
                                   "测试市经济和信息化委员会测试市人民政府妇女儿童工作委员会办公室\n2023年9月3日\n")
    assert doc.metadata.issuer == "测试市房产局"
    assert doc.metadata.co_issuers == ["测试市自然资源局", "国家税务总局测试市税务局", "测试市经济和信息化委员会",
                                       "测试市人民政府妇女儿童工作委员会办公室"]


def test_an_annotation_alone_after_a_sections_items_names_units_for_the_section_or_its_last_item(tmp_path):
    # 53: （一）…。 （二）…。 （责任部门：X） — none of the items names units: X is named for the section;
    # 49: （一）…。 责任单位：A / （二）…。 责任单位：B — each item's own
    doc = _measures_plan(tmp_path, "一、主要任务\n\n二、优化测试政策\n\n（一）认房不认贷。居民家庭购房享受首套利率。\n\n"
                                   "（二）降低首付比例。首套首付不低于20%。\n\n（责任部门：县人民银行）\n\n"
                                   "三、加大测试支持\n\n（一）调整贷款额度。提高最高额度。\n\n（责任部门：县公积金中心）\n\n"
                                   "（二）加大信贷支持。引导银行降低利率。\n\n（责任部门：县金融办）\n")
    [section2, section3] = doc.tasks
    assert names(section2.responsible_units) == ["县人民银行"]
    assert [m.units for m in doc.measures()[:2]] == [[], []]
    assert section3.responsible_units == []
    assert [names(m.units) for m in doc.measures()[2:]] == [["县公积金中心"], ["县金融办"]]
