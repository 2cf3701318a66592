"""Unit lists: which characters separate names, and that a list never yields an empty name.

The rule stated in ``policykg.text.annotations.name_pieces``: names are written in a list with
、 ， ； (and ASCII , ;). A doubled separator (县公安局、、县科技局) is a typing slip, not a unit.
"""

import pytest

from policykg.text.annotations import AnnotationReader, split_names, split_units
from policykg.text.decode import SourceText
from policykg.text.lines import line_paragraph


def paragraph(text):
    source = SourceText.from_text("example.txt", text)
    return line_paragraph(source, source.lines[0])


def units_in(text):
    """The unit names of the one annotation in ``text``: (leads, others)."""
    (found,) = AnnotationReader().find(paragraph(text))
    return [u.name for u in found.leads], [u.name for u in found.units]


@pytest.mark.parametrize("separator", ["、", "，", "；", ",", ";"])
def test_each_separator_splits_a_list(separator):
    text = f"县公安局{separator}县科技局{separator}各镇办"
    assert split_names(text) == ["县公安局", "县科技局", "各镇办"]
    assert [u.name for u in split_units(paragraph(text), 0, len(text))] == ["县公安局", "县科技局", "各镇办"]


@pytest.mark.parametrize("separator", ["、", "，", ","])
def test_a_labelled_annotation_splits_on_the_separator(separator):
    # （责任单位：…） with the list written with each separator that stays inside one statement
    assert units_in(f"推进工作。（责任单位：县公安局{separator}县科技局）") == ([], ["县公安局", "县科技局"])


@pytest.mark.parametrize("separator", ["；", ";"])
def test_a_semicolon_separates_the_lead_from_the_others(separator):
    # （牵头单位：X；责任单位：Y、Z）: both, separated by ； (the module's docstring), or ASCII ;
    assert units_in(f"推进工作。（牵头单位：县公安局{separator}责任单位：县科技局、县财政局）") == (
        ["县公安局"], ["县科技局", "县财政局"])


@pytest.mark.parametrize("text", ["县公安局、、县科技局", "县公安局，，县科技局", "、县公安局、县科技局、", "县公安局、 、县科技局"])
def test_empty_names_are_dropped(text):
    assert split_names(text) == ["县公安局", "县科技局"]
    assert [u.name for u in split_units(paragraph(text), 0, len(text))] == ["县公安局", "县科技局"]
    assert units_in(f"推进工作。（责任单位：{text}）") == ([], ["县公安局", "县科技局"])


def test_spaces_inside_a_name_are_not_part_of_it():
    assert split_names("县 公安局、县科技局") == ["县公安局", "县科技局"]
    assert units_in("推进工作。（责任单位：县 公安局、县科技局）") == ([], ["县公安局", "县科技局"])


def test_a_level_written_once_joins_the_name_it_belongs_to():
    # 各市、州、县人民政府 is one name, wherever it stands in the list
    assert split_names("县公安局、各市、州、县人民政府、县科技局") == ["县公安局", "各市、州、县人民政府", "县科技局"]


def test_words_for_how_a_unit_takes_part_are_not_its_name():
    assert units_in("推进工作。（责任单位：团县委等，县财政局等有关部门）") == ([], ["团县委", "县财政局"])


def test_a_level_prefix_is_shared_along_a_run_of_bare_departments_only():
    # 省公安厅、发展改革委 is 省公安厅、省发展改革委; after a ， a new run starts
    assert units_in("推进工作。（责任单位：省公安厅、发展改革委、住房城乡建设厅，商务厅）") == (
        [], ["省公安厅", "省发展改革委", "省住房城乡建设厅", "商务厅"])


def test_a_table_cell_separates_names_with_spaces_too():
    text = "县公安局 县科技局　各镇办"
    assert [u.name for u in split_units(paragraph(text), 0, len(text), spaces=True)] == ["县公安局", "县科技局", "各镇办"]
    assert split_names("县 公 安 局、县科技局") == ["县公安局", "县科技局"]  # in the body a space is no separator
    assert split_names("各市、 州、县人民政府") == ["各市、州、县人民政府"]


@pytest.mark.parametrize("cell", ["无", "/", "—", "以下简称有关部门"])
def test_cells_that_name_no_unit(cell):
    text = f"县公安局、{cell}"
    assert [u.name for u in split_units(paragraph(text), 0, len(text))] == ["县公安局"]


def test_latin_names_are_names():
    text = "县公安局、IBM、ibm"
    assert [u.name for u in split_units(paragraph(text), 0, len(text))] == ["县公安局", "IBM", "ibm"]


def test_role_words_after_short_and_listed_names():
    assert units_in("推进工作。（责任单位：县委等，县公安局、县财政局按职责分工配合）") == (
        [], ["县委", "县公安局", "县财政局"])


def test_a_prefixed_name_in_the_run_stops_the_sharing():
    assert units_in("推进工作。（责任单位：省公安厅、市商务局、发展改革委）") == ([], ["省公安厅", "市商务局", "发展改革委"])


def test_a_note_that_says_the_same_below_is_not_a_rule_that_carries_units():
    # （以下同，X负责）: 以下同 ("the same below") is a note, not 以下均需X负责 (a unit named 同 came out)
    source = SourceText.from_text("example.txt", "推进。（以下同，县公安局负责）")
    (found,) = AnnotationReader().find(line_paragraph(source, source.lines[0]))
    assert [u.name for u in found.all_units] == ["县公安局"]


def test_in_the_body_a_space_inside_a_name_is_no_separator():
    text = "县公安 局、县科技局"
    assert [u.name for u in split_units(paragraph(text), 0, len(text))] == ["县公安局", "县科技局"]
    # a line broken after a character names end with (办) is still one name in the body
    text = "县政府办 公室、县科技局"
    assert [u.name for u in split_units(paragraph(text), 0, len(text))] == ["县政府办公室", "县科技局"]


def test_a_name_wrapped_in_a_narrow_table_cell_is_one_name():
    # 61: <td><p>市规划自然</p><p>资源局</p></td>, whose cell text is 市规划自然 资源局
    from policykg.text.annotations import name_pieces

    def names(cell):
        return [cell[a:b].strip() for a, b in name_pieces(cell, spaces=True)]

    assert names("市规划自然 资源局") == ["市规划自然 资源局"]
    # units one per paragraph stay apart, and so does a group before a unit
    assert names("市财政局 市税务局") == ["市财政局", "市税务局"]
    assert names("有关企业 市财政局") == ["有关企业", "市财政局"]
    # a 、 ends a name whatever it looks like
    assert names("市规划自然、资源局") == ["市规划自然", "资源局"]


def test_other_governments_after_a_named_district_leave_its_government():
    # 78 (Shanghai): （责任单位：市科委、市财政局、临港新片区管委会、浦东新区等相关区政府）
    from policykg.text.annotations import AnnotationReader
    from policykg.text.decode import SourceText
    from policykg.text.lines import line_paragraph

    def units(text):
        source = SourceText.from_text("x.txt", text)
        return [u.name for u in AnnotationReader().find(line_paragraph(source, source.lines[0]))[0].units]

    assert units("支持研发。（责任单位：市科委、浦东新区等相关区政府）") == ["市科委", "浦东新区政府"]
    assert units("支持研发。（责任单位：黄浦区等有关区人民政府）") == ["黄浦区人民政府"]
    # a government named whole is left as it is
    assert units("支持研发。（责任单位：浦东新区政府）") == ["浦东新区政府"]


@pytest.mark.parametrize("text, names", [
    # 及 joins two units ("and"); 及其 does not (县委组织部及其成员单位 is read as members, elsewhere)
    ("县公安局及县科技局", ["县公安局", "县科技局"]),
    # 和 joins units only before a group or a level prefix (the comment on UNIT_SEPARATORS: 市民政局和有关区县政府)
    ("市民政局和有关区县政府", ["市民政局", "有关区县政府"]),
    ("县财政局和各镇办", ["县财政局", "各镇办"]),
    # …and not inside a name: 住房和城乡建设局 is one unit
    ("县住房和城乡建设局", ["县住房和城乡建设局"]),
])
def test_and_words_that_join_units(text, names):
    assert split_names(text) == names
