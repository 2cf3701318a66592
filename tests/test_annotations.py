"""Responsibility annotations, one style at a time, as the module's docstring lists them.

Each case is a sentence of the genre written here; the expected units, deadlines, points and
positions are what the sentence says (read by a person), and errors name file, line and label.
"""

import re

import pytest

from policykg.errors import DocumentError
from policykg.text.annotations import AnnotationReader, top_level_pieces
from policykg.text.decode import SourceText
from policykg.text.lines import line_paragraph


def read(text, reader=None):
    """The annotations of the last line of ``text`` (earlier lines are other paragraphs)."""
    source = SourceText.from_text("plan.txt", text)
    par = line_paragraph(source, source.lines[-1])
    return par, (reader or AnnotationReader()).find(par)


def summary(text, reader=None):
    par, found = read(text, reader)
    return [([u.name for u in a.leads], [u.name for u in a.units], a.deadline, a.points, par.text[a.start:a.end])
            for a in found]


def test_points_before_and_after_an_annotation_belong_to_it():
    assert summary("完成考核任务（0.5分）（6月底完成，牵头考核单位：市卫健委）") == [
        (["市卫健委"], [], "6月底完成", "0.5分", "（0.5分）（6月底完成，牵头考核单位：市卫健委）")]
    assert summary("完成考核任务（牵头单位：市卫健委）（1分）。") == [
        (["市卫健委"], [], None, "1分", "（牵头单位：市卫健委）（1分）")]
    # points with text between them and the annotation are not its points
    assert summary("完成考核任务（牵头单位：市卫健委），另有要求（1分）。") == [
        (["市卫健委"], [], None, None, "（牵头单位：市卫健委）")]
    assert summary("完成考核任务（1分），另有要求（牵头单位：市卫健委）。") == [
        (["市卫健委"], [], None, None, "（牵头单位：市卫健委）")]


def test_two_annotations_in_one_paragraph_each_keep_their_units():
    assert summary("加强宣传（牵头单位：县委宣传部），开展培训（责任单位：县人社局、县教体局）。") == [
        (["县委宣传部"], [], None, None, "（牵头单位：县委宣传部）"),
        ([], ["县人社局", "县教体局"], None, None, "（责任单位：县人社局、县教体局）")]


def test_a_label_on_its_own_after_the_text():
    par, (a,) = read("加强资金保障。责任单位：市财政局、市商务局")
    assert ([u.name for u in a.units], par.text[a.start:a.end]) == (["市财政局", "市商务局"], "责任单位：市财政局、市商务局")


def test_labels_and_their_roles():
    # 主办 leads, 协办 does not; a deadline label names no unit; spaces inside a label are allowed
    assert summary("加强宣传（主办单位：县公安局；协办单位：县财政局；完成时限：2023年底）") == [
        (["县公安局"], ["县财政局"], "2023年底", None, "（主办单位：县公安局；协办单位：县财政局；完成时限：2023年底）")]
    assert summary("加强宣传（牵 头 单 位：县公安局）")[0][:2] == (["县公安局"], [])
    assert summary("加强宣传（牵头单位：县公安局，配合单位：县财政局）")[0][:2] == (["县公安局"], ["县财政局"])
    # labels set apart by spaces only, and a leader named by person (包保领导：…), which is no unit
    assert summary("加强宣传（包保领导：王五 牵头单位：县公安局　配合单位：县财政局）")[0][:2] == (["县公安局"], ["县财政局"])
    assert summary("加强宣传（牵头领导：王五；责任单位：县财政局）")[0][:2] == ([], ["县财政局"])
    # 牵头： and 配合： without 单位, 主责单位 (leads) and 协同单位
    assert summary("加强宣传（牵头：县公安局；配合：县财政局）")[0][:2] == (["县公安局"], ["县财政局"])
    assert summary("加强宣传（主责单位：县公安局；协同单位：县财政局）")[0][:2] == (["县公安局"], ["县财政局"])


def test_a_labels_units_set_apart_by_spaces_or_slashes():
    assert summary("加强宣传（责任单位：县公安局 县财政局　县审计局）")[0][:2] == ([], ["县公安局", "县财政局", "县审计局"])
    assert summary("加强宣传（责任部门：县公安局/县财政局）")[0][:2] == ([], ["县公安局", "县财政局"])
    # a national body's local office written with a space stays one unit
    assert summary("加强宣传（责任单位：国家税务总局 高青县税务局）")[0][:2] == ([], ["国家税务总局高青县税务局"])
    # where the list has 、 a space is no separator: what the unit does follows it
    assert summary("加强宣传（责任单位：县公安局、县发改局 在政务中心设立窗口）")[0][:2] == ([], ["县公安局", "县发改局"])


def test_a_unit_marked_as_lead_in_its_list():
    # 县发改局（牵头）: the lead among the units a label or a verb names; the mark is not in its name or span
    par, (a,) = read("推进改革。（责任单位：县发改局（牵头）、县财政局）")
    assert ([u.name for u in a.leads], [u.name for u in a.units]) == (["县发改局"], ["县财政局"])
    assert par.text[a.leads[0].span.start:a.leads[0].span.end] == "县发改局"
    assert summary("推进改革。（县发改局〔牵头〕、县财政局、县审计局负责）")[0][:2] == (["县发改局"], ["县财政局", "县审计局"])
    # other names in brackets stay other names
    assert summary("推进改革。（责任单位：区委宣传部（区文明办））")[0][:2] == ([], ["区委宣传部"])


def test_inline_verbs():
    assert summary("加强宣传（县公安局牵头，县财政局、县科技局配合）")[0][:2] == (["县公安局"], ["县财政局", "县科技局"])
    assert summary("加强宣传（由县公安局负责）")[0][:2] == ([], ["县公安局"])


def test_the_first_listed_unit_leads_after_the_note_says_so():
    reader = AnnotationReader()
    assert summary("加强宣传（县公安局、县财政局等负责。列第一位者为牵头单位）", reader)[0][:2] == (
        ["县公安局"], ["县财政局"])
    assert summary("开展培训（县人社局、县教体局负责）", reader)[0][:2] == (["县人社局"], ["县教体局"])
    assert summary("开展培训（县人社局、县教体局负责）")[0][:2] == ([], ["县人社局", "县教体局"])


def test_units_carried_into_every_later_annotation():
    reader = AnnotationReader()
    first = summary("加强宣传（县委宣传部负责。以下均需各区政府负责，不再列出）", reader)
    assert first[0][:2] == ([], ["县委宣传部", "各区政府"])
    assert summary("开展培训（县人社局负责）", reader)[0][:2] == ([], ["县人社局", "各区政府"])
    # a later annotation that names the carried unit itself does not name it twice
    assert summary("开展培训（县人社局、各区政府负责）", reader)[0][:2] == ([], ["县人社局", "各区政府"])


def test_other_names_members_and_shared_prefixes():
    par, (a,) = read("加强宣传（区委宣传部（区文明办、区政府新闻办）负责）")
    assert [(u.name, u.aliases) for u in a.units] == [("区委宣传部", ("区文明办", "区政府新闻办"))]
    assert summary("加强宣传（责任单位：县委组织部及其成员单位）")[0][1] == ["县委组织部", "县委组织部成员单位"]
    assert summary("加强宣传（责任单位：省公安厅、发展改革委、住房城乡建设厅）")[0][1] == [
        "省公安厅", "省发展改革委", "省住房城乡建设厅"]
    assert summary("加强宣传（责任单位：省公安厅、市商务局）")[0][1] == ["省公安厅", "市商务局"]
    assert summary("加强宣传（责任单位：各市、州、县人民政府）")[0][1] == ["各市、州、县人民政府"]


def test_each_unit_mention_points_at_its_name_in_the_source():
    text = "第一行。\n加强宣传（牵头单位：县公安局；责任单位：县财政局、 县科技局）"
    source = SourceText.from_text("plan.txt", text)
    _, (a,) = read(text)
    for u in a.all_units:
        assert source.text[u.span.start:u.span.end] == u.name and (u.span.line, u.span.end_line) == (2, 2)


def test_nested_brackets_stay_inside_one_piece():
    text = "各市、县〔市、区〕政府，各对口协同发展区县（自治县，以下简称区县）政府"
    assert [text[a:b] for a, b in top_level_pieces(text, re.compile("[、，]"))] == [
        "各市", "县〔市、区〕政府", "各对口协同发展区县（自治县，以下简称区县）政府"]


@pytest.mark.parametrize("text, line, problem", [
    ("第一行。\n加强宣传（牵 头 单 位：县公安局", 2, "牵头单位 annotation is not closed"),
    ("第一行。\n加强宣传（责任单位：县公安局。开展培训。", 2, "责任单位 annotation is not closed"),
    ("第一行。\n第二行。\n加强宣传（责任单位：）", 3, "责任单位 annotation names no unit"),
])
def test_errors_name_the_file_the_line_and_the_label(text, line, problem):
    with pytest.raises(DocumentError) as err:
        read(text)
    assert (err.value.path, err.value.line, err.value.problem) == ("plan.txt", line, problem)


def test_points_belong_across_spaces_and_punctuation_only():
    assert summary("完成考核任务（牵头单位：市卫健委）。（1分）")[0][3] == "1分"  # only 。 between
    assert summary("完成考核任务（牵头单位：市卫健委）X（1分）")[0][3] is None
    assert summary("完成考核任务（1分）、（牵头单位：市卫健委）")[0][3] is None
    assert summary("完成考核任务（1分）\t（牵头单位：市卫健委）")[0][3] is None  # a tab is not a space here


def test_a_label_right_after_an_annotation_is_a_second_one():
    assert summary("加强宣传（牵头单位：县公安局）责任单位：县财政局") == [
        (["县公安局"], [], None, None, "（牵头单位：县公安局）"), ([], ["县财政局"], None, None, "责任单位：县财政局")]


@pytest.mark.parametrize("note", ["下同", "以下同", "不再列出", "列第一位者为牵头单位", "6月底完成"])
def test_clauses_that_name_no_unit_are_skipped_and_the_list_goes_on(note):
    leads, units = summary(f"加强宣传（县科技局负责，{note}，，县公安局、县财政局负责）")[0][:2]
    assert leads + units == ["县科技局", "县公安局", "县财政局"]


def test_clauses_without_a_verb_join_the_next_unit_list():
    # （A，B，C负责）: A and B have no verb of their own; C's 负责 covers them all
    assert summary("加强宣传（县公安局，县科技局，县财政局负责）")[0][:2] == ([], ["县公安局", "县科技局", "县财政局"])


def test_spans_of_other_names_members_and_leading_words():
    text = "加强宣传（区委宣传部（文明办）、县财政局负责；由县委组织部及其成员单位配合）"
    source = SourceText.from_text("plan.txt", text)
    _, (a,) = read(text)
    written = [(u.name, u.aliases, source.text[u.span.start:u.span.end]) for u in a.units]
    assert written == [("区委宣传部", ("文明办",), "区委宣传部（文明办）"), ("县财政局", (), "县财政局"),
                       ("县委组织部", (), "由县委组织部及其成员单位"), ("县委组织部成员单位", (), "由县委组织部及其成员单位")]


def test_a_bracket_that_names_no_unit_stays_part_of_the_name():
    assert summary("加强宣传（县人民政府（含开发区）负责）")[0][1] == ["县人民政府（含开发区）"]


def test_a_latin_letter_in_a_name_is_text():
    assert summary("加强宣传（责任单位：县X光检测中心、县财政局）")[0][1] == ["县X光检测中心", "县财政局"]


def test_a_sentence_that_ends_inside_a_labelled_bracket_leaves_it_unclosed():
    with pytest.raises(DocumentError) as err:
        read("第一行。\n加强宣传（责任单位：县公安局。开展培训）")
    assert (err.value.line, err.value.problem) == (2, "责任单位 annotation is not closed")


def test_brackets_inside_brackets():
    text = "县人民政府（含开发区（园区）、街道）、县公安局"
    assert [text[a:b] for a, b in top_level_pieces(text, re.compile("[、，]"))] == [
        "县人民政府（含开发区（园区）、街道）", "县公安局"]


def test_points_before_an_annotation_with_text_between_are_not_its_points():
    assert summary("完成考核任务（1分）X（牵头单位：市卫健委）")[0][3] is None


def test_other_names_follow_only_a_name_that_reads_as_a_unit():
    # 区委宣传部（区文明办）: a unit and its other name; 县应急管理 is not a unit's name (no 局, 办, 委…)
    assert summary("加强宣传（县应急管理（县应急管理局）负责）")[0][1] == ["县应急管理（县应急管理局）"]


# Duties written as paragraphs that open with their units (57, 58 of corpus/real)

def _duty(text: str):
    from policykg.text.annotations import read_duty
    from policykg.text.decode import SourceText
    from policykg.text.lines import line_paragraph

    source = SourceText.from_text("duties.txt", text)
    found = read_duty(line_paragraph(source, source.lines[0]))
    return None if found is None else ([u.name for u in found.leads], [u.name for u in found.units])


def test_paragraphs_of_duties_open_with_their_units():
    # 58, 六、职责分工: UNIT：duty; 负责牵头 leads
    assert _duty("市房产局：负责牵头城镇房屋安全管理三项制度组织实施。") == (["市房产局"], [])
    assert _duty("市委宣传部：负责广泛宣传推行城镇房屋安全管理三项制度的重要意义。") == ([], ["市委宣传部"])
    assert _duty("市自然资源局：按照市政府议定的工作方案，由市自然资源局及各区、县（市）政府负责在经营性用地…") == (
        [], ["市自然资源局"])
    # 58: 市 written once for the run, 等其他行业部门 is no unit; 城市管理… names no place, 法院 is the city's
    assert _duty("市发展改革委、审计局、城市管理行政执法局、法院、检察院等其他行业部门根据“三管三必须”要求，"
                 "按照有关责任分工，负责督促落实公共建筑的房屋定期体检。") == (
        [], ["市发展改革委", "市审计局", "市城市管理行政执法局", "市法院", "市检察院"])
    # 57, the annex of duties: UNIT负责…, no colon
    assert _duty("白银银保监分局负责对商业银行预售资金监管的操作风险和合规性进行监督检查。") == ([], ["白银银保监分局"])
    assert _duty("领导小组负责总体任务部署、重要事项决策，研究解决重大问题。") == ([], ["领导小组"])
    # a person, a member list and a sentence that names no unit first are no duties
    assert _duty("组长：张延保  市委副书记、市长") is None
    assert _duty("成员：杨成谋  市政府副秘书长、办公室副主任") is None
    assert _duty("各单位要高度重视，负责同志亲自抓。") is None
    # units followed by 等…部门 are a duty only if they are made responsible before the sentence ends
    assert _duty("市财政局、市税务局等部门研究制定办法。负责人另行通知。") is None


def test_a_duty_led_without_负责_and_the_place_of_its_units():
    from policykg.text.annotations import read_duty
    from policykg.text.decode import SourceText
    from policykg.text.lines import line_paragraph

    def read(text):
        source = SourceText.from_text("duties.txt", text)
        return read_duty(line_paragraph(source, source.lines[0]))

    # X牵头… with no 负责 in its sentence is a duty X leads
    assert [u.name for u in read("市财政局牵头制定资金管理办法。").leads] == ["市财政局"]
    # every name of a run must be a unit's: a person before a bureau makes it no duty
    assert read("张三、市财政局负责资金拨付。") is None
    # the annotation sits where the units are named, the colon included
    text = "市委宣传部：负责广泛宣传。"
    duty = read(text)
    assert (duty.start, duty.end) == (0, text.index("：") + 1)
    bare = read("市委宣传部负责对媒体报道进行引导。")
    assert (bare.start, bare.end) == (0, len("市委宣传部"))


def test_a_label_line_that_starts_the_paragraph_is_read():
    # 50 (Fuzhou): 责任单位：市国土局、市土地发展中心 on a line of its own, the label its first character
    from policykg.text.annotations import AnnotationReader
    from policykg.text.decode import SourceText
    from policykg.text.lines import line_paragraph

    source = SourceText.from_text("x.txt", "责任单位：市国土局、市土地发展中心\n")
    found = AnnotationReader().find(line_paragraph(source, source.lines[0]))
    assert [[u.name for u in a.units] for a in found] == [["市国土局", "市土地发展中心"]]
