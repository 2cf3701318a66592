"""The genre's other layouts, each in a small document written for the purpose (tests/documents/).

Expectations are what each document says."""


from conftest import ROOT

DOCS = ROOT / "tests" / "documents"


def parse(name):
    from policykg.text.parse import parse_plan

    return parse_plan(DOCS / name)


def names(mentions):
    return [m.name for m in mentions]


def measures(doc):
    return {m.id: m for m in doc.measures()}


def test_inline_verb_annotations_each_attach_to_their_own_sentence():
    doc = parse("inline-annotations.txt")
    ms = measures(doc)
    assert [pt.title for pt in doc.pilot_tasks] == ["夯实数字基础设施", "提升乡村治理数字化水平"]
    assert names(doc.pilot_tasks[0].lead_units) == ["县工业和信息化局"]  # （…牵头） on the heading
    # Two sentences in work task 1, each with its own bracket: two measures.
    assert ms["1.1"].text == "实施农村宽带提速工程，推动5G网络向行政村延伸"
    assert names(ms["1.1"].leads) == ["县工业和信息化局"]
    assert names(ms["1.1"].units) == ["县工业和信息化局", "县发展改革局", "各镇办"]
    assert ms["1.2"].text == "完善农村物流配送网点" and names(ms["1.2"].units) == ["县商务局"]
    # （牵头单位：X；责任单位：Y、Z，各镇办）
    assert names(ms["2.1"].leads) == ["县农业农村局"]
    assert names(ms["2.1"].units) == ["县农业农村局", "县科技局", "县大数据中心", "各镇办"]
    # （X牵头，Y、Z按职责分工负责）
    assert names(ms["3.1"].leads) == ["县委政法委"]
    assert names(ms["3.1"].units) == ["县委政法委", "县公安局", "县民政局"]
    # 1．, 2．, 3﹒ and （4） number one running list.
    assert [wt.number for wt in doc.work_tasks()] == [1, 2, 3, 4]
    assert ms["4.1"].leads == [] and names(ms["4.1"].units) == ["县文化和旅游局"]
    assert doc.annex == []


def test_national_style_first_listed_unit_leads_from_the_note_on():
    doc = parse("national-style.txt")
    meta = doc.metadata
    assert meta.doc_number == "国办发〔2021〕9号"
    assert meta.issuer == "国务院办公厅" and str(meta.issued) == "2021-05-10"  # signed at the end
    assert meta.jurisdiction == "全国"
    assert meta.recipients == ["各省、自治区、直辖市人民政府", "国务院各部委", "各直属机构"]
    ms = measures(doc)
    assert names(ms["1.1"].leads) == ["公安部"]
    assert names(ms["2.1"].leads) == ["人力资源社会保障部"]  # the note holds for the rest (下同)
    assert names(ms["3.1"].leads) == ["自然资源部"]
    # 各市、州、县人民政府 is one unit; so is 各省、自治区、直辖市人民政府.
    assert names(ms["3.2"].units) == ["各省、自治区、直辖市人民政府"]
    assert names(ms["4.1"].units) == ["各市、州、县人民政府"]
    # A working group and its member units.
    assert names(ms["4.2"].units) == ["乡村振兴工作领导小组", "乡村振兴工作领导小组成员单位"]
    # The closing signature is not a measure.
    assert len(doc.measures()) == 6


def test_assessment_style_deadline_lead_and_points():
    doc = parse("assessment-style.txt")
    meta = doc.metadata
    assert meta.doc_number == "高政办字〔2023〕12号"  # read from the database header line
    assert meta.title == "高青县2023年优化营商环境重点工作考核方案"
    assert [pt.title for pt in doc.pilot_tasks] == ["提升政务服务效能", "强化要素保障"]
    first, second = doc.pilot_tasks[0].work_tasks
    m = first.measures[0]
    assert (m.deadline, m.points) == ("6月底完成", "0.5分")
    assert names(m.leads) == ["县行政审批服务局", "县市场监督管理局"]
    assert second.measures[0].points == "1分"
    # Work task numbering starts again under the second pilot task: keys stay unique.
    keys = [wt.key for wt in doc.work_tasks()]
    assert len(set(keys)) == len(keys) == 3
    assert doc.pilot_tasks[1].work_tasks[0].measures[0].deadline == "年底前完成"


def test_headings_run_straight_into_text():
    doc = parse("run-in-headings.txt")
    assert doc.guiding_ideology == "以改善农村人居环境为目标，补齐农村基础设施短板。"
    assert [pt.title for pt in doc.pilot_tasks] == ["推进农村厕所革命", "加强生活垃圾治理"]
    assert [wt.title for wt in doc.work_tasks()] == [
        "完善改厕后续管护", "推进粪污资源化利用", "健全收运处置体系", "开展村庄清洁行动"]
    ms = doc.measures()
    assert [m.text for m in ms][:2] == ["建立农村改厕管护长效机制。", "推动厕所粪污就地就近消纳。"]
    # A unit without its level prefix, and a name containing 牵头单位.
    assert names(ms[3].units) == ["农业农村局", "牵头单位联络员", "各镇办"]
    assert [s.title for s in doc.safeguards] == ["强化组织领导"]
    assert names(doc.safeguards[0].bodies) == ["县农村人居环境整治工作专班"]
    assert doc.metadata.issuer == "高青县人民政府办公室"


def test_sub_lists_numbering_across_sections_and_an_annex_without_work_tasks():
    doc = parse("numbering-runs-on.txt")
    assert [pt.number for pt in doc.pilot_tasks] == [1, 2]  # in two task sections
    assert [wt.number for wt in doc.work_tasks()] == [1, 2, 3]  # running on across sections
    ms = measures(doc)
    assert set(ms) == {"1.1", "1.2", "2.1", "3.1"}  # ① and ② are measures of work task 1
    assert names(ms["1.2"].units) == ["县工业和信息化局", "县商务局"]
    assert [s.start_year for s in doc.stages] == [2023]
    assert len(doc.annex) == 4
    assert doc.annex[1].pilot_task == "壮大特色产业"  # merged cell
    assert names(doc.annex[3].units) == ["县委组织部", "县人力资源和社会保障局"]


def test_mixed_line_endings_parse_like_lf(tmp_path):
    lf = parse("inline-annotations.txt")
    mixed = parse("mixed-line-endings.txt")
    assert [(m.id, m.text, names(m.units)) for m in mixed.measures()] == [
        (m.id, m.text, names(m.units)) for m in lf.measures()]
    assert [m.span for m in mixed.measures()] == [m.span for m in lf.measures()]


def test_units_without_level_prefix_resolve_to_the_county_unit():
    from policykg.rdf.registry import load_registry

    gaoqing = load_registry().for_name("高青县")
    assert gaoqing.resolve("农业农村局").slug == gaoqing.resolve("县农业农村局").slug
    assert gaoqing.resolve("高青县公安局").slug == "public-security-bureau"
    assert not gaoqing.resolve("牵头单位联络员").registered


def test_corpus_build_named_graphs_and_jurisdiction_scoped_units(tmp_path):
    from rdflib import Dataset, URIRef

    from policykg.rdf.build import build

    result = build([DOCS, ROOT / "sources"], out=tmp_path, formats=("turtle", "trig"))
    dataset = Dataset().parse(tmp_path / "policykg.trig", format="trig")
    names_ = {str(g.identifier) for g in dataset.graphs() if len(g)}
    ns = "https://w3id.org/policykg/id/plan/"
    assert {ns + "gaoqing/gaoqing-urban-rural-pilot-2022", ns + "gaoqing/inline-annotations",
            ns + "quan-guo/national-style"} <= names_
    g = result.graph
    skos = "http://www.w3.org/2004/02/skos/core#prefLabel"
    agri = [str(s) for s in g.subjects(URIRef(skos), None) if "agriculture-rural-affairs-bureau" in str(s)]
    # The Gaoqing plans share their county's units; the national plan's units are its own.
    assert agri == ["https://w3id.org/policykg/id/unit/gaoqing/agriculture-rural-affairs-bureau"]
    national = {str(s) for s in g.subjects() if str(s).startswith("https://w3id.org/policykg/id/unit/quan-guo/")}
    assert "https://w3id.org/policykg/id/unit/quan-guo/gong-an-bu" in national
    # The plan with no issuer takes the jurisdiction its title names.
    assert (URIRef(ns + "gaoqing/numbering-runs-on"), None, None) in g
