"""Responsibility annotations and unit lists.

The genre writes who does what in brackets after the sentence it concerns, in several styles:

    （牵头单位：县公安局）                       labelled lead
    （责任单位：县发展改革局、县科技局，各镇办）   labelled responsible
    （牵头单位：X；责任单位：Y、Z，各区县政府）    both, separated by ；
    （X牵头，Y、Z配合）  （X负责）  （X牵头，Y按职责分工负责）   inline verbs
    （6月底完成，牵头考核单位：A、B）             a deadline beside the lead
    （A、B、C等负责）                            national style; after the note
                                                 列第一位者为牵头单位 the first unit leads
    （0.5分）                                     points, kept with the annotation before it
    …开展研究。（市科委、市经济信息化委）           a bare list of units after a sentence (88):
                                                 the units responsible, as if labelled so

Brackets that say none of this (（试行）, （2020—2022年）) are ordinary text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import DocumentError
from .lines import Paragraph
from .model import UnitMention

# 牵头单位, 牵头考核单位, 牵头责任单位, 主办单位 (leads); 责任单位, 责任部门, 负责部门, 配合单位,
# 配合部门, 参与单位, 协办单位, 推进单位, 实施单位 (responsible)
# 责任单位及承办科室（单位）: the unit and its office that handles the matter, both responsible
ROLE_LABEL = (r"(?:(?:牵\s*头\s*(?:考\s*核\s*|责\s*任\s*)?|主\s*办\s*|主\s*责\s*|责\s*任\s*|负\s*责\s*|配\s*合\s*|"
              r"参\s*与\s*|协\s*办\s*|协\s*同\s*|推\s*进\s*|实\s*施\s*)(?:单\s*位|部\s*门)|(?:牵\s*头|配\s*合)(?=\s*[：:]))"
              r"(?:\s*及\s*承\s*办\s*(?:科\s*室|单\s*位)(?:\s*[（(]\s*单\s*位\s*[）)])?)?")
LABEL = re.compile(rf"^\s*({ROLE_LABEL})\s*[：:]")
LABEL_ANYWHERE = re.compile(r"(牵\s*头\s*(?:考\s*核\s*)?单\s*位|责\s*任\s*单\s*位)\s*[：:]")
# （牵头单位：X；完成时限：2023年底） and （负责部门：X；适用范围：Y）: labels that name no unit
DEADLINE_LABEL = re.compile(r"^\s*(?:完成时限|完成时间|时间节点|时限要求|时限)\s*[：:]\s*")
OTHER_LABEL = re.compile(r"^\s*(?:适用范围|实施范围|考核方式|备注)\s*[：:]")
# Where one bracket holds several statements: ；, 。 (…等负责。列第一位者为牵头单位), or a ， or spaces
# before the next label (（牵头单位：X，配合单位：Y）, （牵头单位：X 配合单位：Y）)
SEGMENT_BREAK = re.compile(
    rf"[；;。]|(?:[，,]|\s+)(?=\s*(?:{ROLE_LABEL}|完成时限|完成时间|时间节点|时限要求|时限|适用范围)\s*[：:])"
)
OPENING, CLOSING = "（(〔[", "）)〕]"
UNBRACKETED = re.compile(rf"(?={ROLE_LABEL}\s*[：:])[^。]+(?=。?\s*$)")
LEAD_VERB = re.compile(r"^(.+?)(?:牵头(?:负责|落实|实施|承办)?)$")
RESPONSIBLE_VERB = re.compile(
    r"^(.+?)(等)?(?:按职责分工负责|按职责负责|按照职责分工负责|分工负责|分别负责|共同负责|负责落实|具体负责|负责|落实|配合|参与|协助|协同"
    r"|具体承办|承办|协办)$"
)
# When, not who: a clause opening with a date (6月底完成, 5月底取得阶段性成效并持续推进, 2021年底前…,
# 11月取得明显成效) or an open-ended schedule (持续推进, 按进度推进, 长期坚持).
DEADLINE = re.compile(
    r"^(?:(?:\d{4}\s*年)?\d{1,2}\s*月份?(?:底|上旬|中旬|下旬)?前?|\d{4}\s*年(?:底|内)?前?|年底前|年内)"
    r"[^、，；]*?(?:完成|启动|出台|建成|成效|推进|实施|见效|到位)$"
    r"|^(?:长期坚持|持续(?:推进|实施|优化|开展)|按进度推进|\d{4}\s*年底前.*)$"
)
POINTS = re.compile(r"^\s*\d+(?:\.\d+)?\s*分\s*$")
# A name that ends as units' names end: 市科委, 市市场监管局, 上海金融监管局, 相关区, 各有关单位 (a bare
# bracket of such names after a sentence is an annotation). Not 试行, 草案, 2021—2023年, nor a
# clause saying who does what (由县委组织部会同县人社局: a style the reader does not know, reported).
UNIT_LIKE = re.compile(
    r"^(?!以下|简称|含|包括|即|详见|见|如|其中|由|请)(?!.*(?:会同|牵头|负责|配合|协助|参与|落实))"
    r"(?!.*(?:试验|示范|开发|保税|实验|功能|片|园|地)区$)"  # a zone where a measure applies, not who does it
    r"[^\s，。；：:、“”\d]{2,30}?"
    r"(?:委|局|厅|办|部|署|院|会|中心|政府|区|县|镇|街道|集团|公司|银行|分行|支行|联|协|站|队|处|室|单位|部门|企业|机构|海关)$")
BARE_LIST_BREAK = re.compile("[、，,]")
LEAD_MARK = re.compile(r"\s*[（(〔\[]\s*牵\s*头\s*[）)〕\]]\s*$")  # 县发改局（牵头）
SENTENCE_END = "。；;！!"
# 列第一位者为牵头单位 (07), 列第一的为牵头单位 (81), and the other ways of saying it
FIRST_LISTED_LEADS = re.compile(
    r"(?:列|排)(?:在|名)?(?:第一位?|首位)(?:的?单位|者|的)?为牵头(?:单位|部门)|第一个?(?:单位|部门)为牵头(?:单位|部门)")
# 各省级人民政府, 各有关部门和单位: a group of units, which the first-listed rule does not make a
# lead (07: （各有关部门和单位，各省级人民政府按职责分工负责） under 列第一位者为牵头单位，下同)
GROUP = re.compile(r"^(?:各|有关|相关|其他)")
LEADING_WORDS = re.compile(r"^(?:由|请)")
# 和 separates units only before a group or a level prefix (市民政局和有关区县政府, 市计划生育协会和市托育
# 联席会议其他成员单位): it is inside many names (住房和城乡建设部)
UNIT_SEPARATORS = re.compile(r"[、，；,;/／]|及(?!其)|和(?=有关|相关|各|(?:省|市(?!场)|区|县)[\u4e00-\u9fff])")
# Words that say how a unit takes part, not what it is called: 省教育厅按职责分工(配合),
# 体育总局等国务院相关部门, 邮政局等部门和企业.
ROLE_TAIL = re.compile(r"(?:按照?职责分工|按照?职责|分别|具体|共同|会同(?:有关|相关|其他)(?:部门|单位)?)(?:负责|配合|落实|参与)?$")
# （…，以下简称有关部门和单位）: a short name for the list, not a unit
SHORT_NAME = re.compile(r"^(?:以下简称|以下统称|下称)")
# （…按职责分工负责。以下均需各区政府、北京经济技术开发区管委会负责，不再列出）: units that every
# later annotation of the document names without writing them
CARRIED = re.compile(r"^\s*以下(?!同)(?:均|都|各项)?(?:需|由|请)?")
NOT_LISTED = re.compile(r"^不再(?:一一)?列(?:出|明)$")
# 省公安厅、发展改革委 is 省公安厅、省发展改革委: a level prefix written once for a 、-run of
# departments (44: 各区商务部门、城管执法部门)
# (74: 省局行政审批处、登记注册局 — a bureau's own divisions, 省局 written once)
SHARED_PREFIX = re.compile(r"^(?:[省市区县]局|各区|各市|各县|省|市(?!场)|区|县)(?=[\u4e00-\u9fff])")
# 法院, 检察院: the level's court and procuratorate (58: 市…、审计局、法院、检察院)
DEPARTMENT = re.compile(r"(?:厅|局|委|办|处|科|部门|委员会|中心|社|法院|检察院)$")
PROVINCES = ("北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|"
             "海南|四川|贵州|云南|陕西|甘肃|青海|内蒙古|广西|西藏|宁夏|新疆")
# names that carry their own level or place: 省…, 各…, 国家…, 安徽证监局, 象州公路养护中心
NO_PREFIX_NEEDED = re.compile(
    rf"^(?:省|市(?!场)|区|县|各|国家|国务院|中国|中央|全国|共青团|团|有关|相关|其他|本级|{PROVINCES})"
    r"|^.{1,3}?(?:[省州县区旗]|(?<!城)市(?!场))"  # 城市管理局 names no place
)
ETC_TAIL = re.compile(
    r"等(?:国务院|中央|[省市县区]直?)?(?:相关|有关|其他)?(?:部门|单位|企业|机构)?(?:[和及](?:部门|单位|企业|机构))?$"
)
# 浦东新区等相关区政府 (78): the government of 浦东新区 and of other districts not named; the 政府
# belongs to the district named
OTHER_GOVERNMENTS = re.compile(r"^(.{2,12}?(?:新区|[区县市旗]))等(?:相关|有关|其他)?[区县市旗]?级?((?:人民)?政府)$")
# A piece of a unit list that names only an administrative level (市, 州, 各县) is part of a
# name that itself contains 、, such as 各市、州、县人民政府.
LEVEL_ONLY = re.compile(r"^(?:各|有关|相关)?(?:设区的?)?(?:省|市|州|盟|县|区|旗|乡|镇|街道|自治区|自治州|自治县|直辖市|市辖区)$")
MEMBERS = re.compile(r"^(.+?)及其成员单位$")
# 区委宣传部（区文明办、区政府新闻办）: a unit followed by its other names in brackets. Each other
# name must read as a unit's (各镇（街道）and 区县（自治县，以下简称区县）政府 are one name each).
TRAILING_NAMES = re.compile(r"^(.{2,}?)[（(]([^（()）]+)[)）]$")
UNIT_ENDINGS = "办|室|局|委|部|厅|院|会|中心|公司|政府|处|组|队|所|站|社|馆|行|团|署|办公室"
UNIT_ENDING = re.compile(rf"(?:{UNIT_ENDINGS})$")


# A paragraph of a section of duties (六、职责分工) that opens with the units whose duty it is:
# 市房产局：负责牵头… (58), 市委宣传部负责对… (57), 市发展改革委、国资委、…、检察院等其他行业部门
# 根据…负责督促… (58). The names stop at ：, at 负责/牵头, or at 等…部门.
DUTY_NAMES = re.compile(r"[ \u3000]*([\u4e00-\u9fff（）()、]{2,}?)(?:([：:])|(等[\u4e00-\u9fff]{0,8}?(?:部门|单位))|(?=负责|牵头))")
DUTY_LEADS = re.compile(r"^\s*(?:负责)?牵头")


@dataclass
class Annotation:
    start: int  # index of the opening bracket in the paragraph text
    end: int  # index just past the closing bracket (or past a points bracket that follows)
    leads: list[UnitMention] = field(default_factory=list)
    units: list[UnitMention] = field(default_factory=list)  # responsible / cooperating units
    deadline: str | None = None
    points: str | None = None

    @property
    def all_units(self) -> list[UnitMention]:
        return self.leads + self.responsible

    @property
    def responsible(self) -> list[UnitMention]:
        """The units it names that it does not also name as leads."""
        return [u for u in self.units if u.name not in {lead.name for lead in self.leads}]


@dataclass
class AnnotationReader:
    """Reads annotations through one document, remembering the first-listed-leads note."""

    first_listed_leads: bool = False
    carried: list[UnitMention] = field(default_factory=list)  # named by every later annotation

    def find(self, par: Paragraph) -> list[Annotation]:
        """Every responsibility annotation in ``par``, in order."""
        found: list[Annotation] = []
        points: tuple[int, int, str] | None = None  # a （0.5分） bracket waiting for the annotation after it
        for start, close in _brackets(par):
            content = par.text[start + 1:close]
            if POINTS.match(content):
                if found and not par.text[found[-1].end:start].strip(" 　。；，"):
                    found[-1].points = content.strip()
                    found[-1].end = close + 1
                else:
                    points = (start, close + 1, content.strip())
                continue
            annotation = self._read(par, start, close)
            if annotation is None and self._bare_list(par, start, close):
                annotation = Annotation(start, close + 1)
                self._responsible(annotation, self._units(par, start + 1, close))
            if annotation is not None:
                if points and not par.text[points[1]:start].strip(" 　"):
                    # （0.5分）（6月底完成，牵头考核单位：市卫健委）: the points belong to it
                    annotation.start, annotation.points = points[0], points[2]
                found.append(annotation)
            points = None
        # 责任单位：市财政局(。) as a line of its own after the text, with no brackets
        tail = UNBRACKETED.search(par.text, found[-1].end if found else 0)
        if tail:
            annotation = self._read(par, tail.start() - 1, tail.end())
            if annotation is not None:
                annotation.start, annotation.end = tail.start(), len(par.text)
                found.append(annotation)
        return found

    def _read(self, par: Paragraph, start: int, close: int) -> Annotation | None:
        """The annotation in ``par.text[start + 1:close]`` (``start`` and ``close`` its brackets)."""
        annotation = Annotation(start, close + 1)
        content = par.text[start + 1:close]
        if FIRST_LISTED_LEADS.search(content):
            self.first_listed_leads = True
        carried_before = list(self.carried)
        for seg_start, seg_end in top_level_pieces(content, SEGMENT_BREAK):
            self._segment(par, start + 1 + seg_start, content[seg_start:seg_end], annotation)
        if annotation.leads or annotation.units:
            named = {u.name for u in annotation.all_units}
            annotation.units.extend(u for u in carried_before if u.name not in named)
        if not annotation.leads and not annotation.units:
            if LABEL_ANYWHERE.search(content):
                raise DocumentError(par.source.path, par.source.line_of(par.offsets[start]),
                                    f"{LABEL_ANYWHERE.search(content).group(1)} annotation names no unit")
            return None
        return annotation

    @staticmethod
    def _bare_list(par: Paragraph, start: int, close: int) -> bool:
        """Whether the bracket at ``start``–``close`` holds nothing but unit names and ends its line
        after a sentence (88: …生物利用度。（市科委）)."""
        before = par.text[:start].rstrip(" 　")
        end = close + 1
        while end < len(par.text) and par.text[end] in " 　。；":
            end += 1
        ends_line = end == len(par.text) or par.source.line_of(par.offsets[end]) != par.source.line_of(par.offsets[close])
        if not before or before[-1] not in SENTENCE_END or not ends_line:
            return False
        content = par.text[start + 1:close]
        pieces = [content[a:b].strip() for a, b in top_level_pieces(content, BARE_LIST_BREAK)]
        return bool(pieces) and all(UNIT_LIKE.match(piece) for piece in pieces)

    def _segment(self, par: Paragraph, pos: int, segment: str, annotation: Annotation) -> None:
        if deadline := DEADLINE_LABEL.match(segment):
            annotation.deadline = segment[deadline.end():].strip() or None
            return
        if OTHER_LABEL.match(segment):
            return
        if (rule := CARRIED.match(segment)) and rule.end():
            later = Annotation(0, 0)
            self._segment(par, pos + rule.end(), segment[rule.end():], later)
            named = {u.name for u in annotation.all_units}
            self.carried = later.all_units
            annotation.units.extend(u for u in later.all_units if u.name not in named)
            return
        label = LABEL.match(segment)
        if label:
            name = re.sub(r"\s", "", label.group(1))
            # a label's list may set its units apart by spaces alone (责任单位：县发改局 县财政局); where it
            # has 、 or ， a space is inside a name or before what a unit does (市发改委 在…设立窗口)
            listed = segment[label.end():]
            units = split_units(par, pos + label.end(), pos + len(segment), spaces=not re.search("[、，,]", listed))
            if name.startswith(("牵头", "主办", "主责")):  # 牵头单位, 牵头考核单位, 牵头责任单位, 主责单位, 牵头：
                annotation.leads.extend(units)
            else:
                annotation.leads.extend(u for u in units if u.marked_lead)
                annotation.units.extend(u for u in units if not u.marked_lead)
            return
        pending = None  # start of clauses not understood yet: they join the next unit list
        for piece_start, piece_end in top_level_pieces(segment, CLAUSE_BREAK):
            clause = segment[piece_start:piece_end]
            clause_start = pos + piece_start
            text = clause.strip()
            if not text:
                continue
            text_start = clause_start + len(clause) - len(clause.lstrip())
            if LABEL.match(text):  # （6月底完成，牵头考核单位：A、B）: the label runs to the segment's end
                self._segment(par, text_start, segment[text_start - pos:], annotation)
                return
            if FIRST_LISTED_LEADS.search(text) or text in ("下同", "以下同") or NOT_LISTED.match(text):
                pending = None
                continue
            if DEADLINE.match(text):
                annotation.deadline = text
                pending = None
                continue
            lead = LEAD_VERB.match(text)
            responsible = None if lead else RESPONSIBLE_VERB.match(text)
            if not (lead or responsible):
                pending = text_start if pending is None else pending
                continue
            names = (lead or responsible).group(1)
            begin = pending if pending is not None else text_start
            units = self._units(par, begin, text_start + len(names))
            pending = None
            if lead:
                annotation.leads.extend(units)
                continue
            self._responsible(annotation, units)

    def _responsible(self, annotation: Annotation, units: list[UnitMention]) -> None:
        """``units`` named as responsible; the first the lead where the document said so (列第一位者为
        牵头单位) and the annotation names no lead."""
        annotation.leads.extend(u for u in units if u.marked_lead)
        units = [u for u in units if not u.marked_lead]
        if self.first_listed_leads and units and not annotation.leads and not GROUP.match(units[0].name):
            annotation.leads.append(units[0])
            units = units[1:]
        annotation.units.extend(units)

    @staticmethod
    def _units(par: Paragraph, begin: int, end: int) -> list[UnitMention]:
        units = split_units(par, begin, end)
        return [
            UnitMention(LEADING_WORDS.sub("", u.name), u.span) if LEADING_WORDS.match(u.name) else u
            for u in units
        ]


CLAUSE_BREAK = re.compile("[，,]")


def top_level_pieces(text: str, separator: re.Pattern) -> list[tuple[int, int]]:
    """``(start, end)`` of the pieces of ``text`` between separators outside nested brackets:
    各对口协同发展区县（自治县，以下简称区县）政府 and 各市、县〔市、区〕政府 stay whole."""
    pieces, start, depth, pos = [], 0, 0, 0
    while pos < len(text):
        ch = text[pos]
        if ch in OPENING:
            depth += 1
        elif ch in CLOSING and depth:
            depth -= 1
        elif depth == 0 and (m := separator.match(text, pos)):
            pieces.append((start, pos))
            start = pos = m.end()
            continue
        pos += 1
    pieces.append((start, len(text)))
    return pieces


def _brackets(par: Paragraph):
    """``(open, close)`` index pairs of the outermost brackets in ``par``.

    A bracket that opens a labelled annotation and never closes is an error naming its line;
    other unclosed brackets are left as text.
    """
    text = par.text
    depth, opened = 0, None
    for i, ch in enumerate(text):
        if ch in "（(〔":
            if depth == 0:
                opened = i
            depth += 1
        elif ch in "）)〕" and depth:
            depth -= 1
            if depth == 0:
                yield opened, i
        elif ch == "。" and depth and LABEL_ANYWHERE.search(text[opened:i]):
            break  # a sentence ended inside an annotation: it was never closed
    if depth and LABEL_ANYWHERE.search(text[opened:]):
        role = re.sub(r"\s", "", LABEL_ANYWHERE.search(text[opened:]).group(1))
        raise DocumentError(par.source.path, par.source.line_of(par.offsets[opened]),
                            f"{role} annotation is not closed")


SPACED_SEPARATORS = re.compile(rf"{UNIT_SEPARATORS.pattern}|\s+")


def name_pieces(text: str, spaces: bool = False) -> list[tuple[int, int]]:
    """``(start, end)`` of each name in a list written with 、 ， ； (and ASCII , ;).

    Pieces naming only an administrative level join the next piece: 各市、州、县人民政府
    is one name.
    """
    pieces: list[tuple[int, int]] = []
    joins_next = False
    for start, end in top_level_pieces(text, SPACED_SEPARATORS if spaces else UNIT_SEPARATORS):
        if pieces and joins_next:
            pieces[-1] = (pieces[-1][0], end)
        else:
            pieces.append((start, end))
        joins_next = bool(LEVEL_ONLY.match(re.sub(r"\s", "", text[start:end]))) or (
            spaces and _wrapped(text[pieces[-1][0]:end], text, end))
    return pieces


def _wrapped(name: str, text: str, end: int) -> bool:
    """Whether a name in a table cell runs on after a space: a narrow cell wraps 市规划自然资源局 over
    two paragraphs (61), which the page's cell text joins with a space. A piece that ends as no unit
    does, and is not a group (有关企业), runs on; a 、 or ， after it ends it."""
    after = text[end:end + 1]
    if after.isspace() and re.match(r"\s*(?:国家|中国|国网)", name):
        return True  # 国家税务总局 高青县税务局: a national body's local office, spaced
    return bool(name) and after.isspace() and not UNIT_ENDING.search(name) and not GROUP.match(name)


def _without_role_words(name: str) -> str:
    if shared := OTHER_GOVERNMENTS.match(name):
        return shared.group(1) + shared.group(2)
    while len(name) > 2:
        bare = ETC_TAIL.sub("", ROLE_TAIL.sub("", name))
        if not bare or bare == name:
            break
        name = bare
    return name


def split_names(text: str) -> list[str]:
    return [n for start, end in name_pieces(text) if (n := re.sub(r"\s", "", text[start:end]))]


def _shared_prefixes(text: str, pieces: list[tuple[int, int, str]]) -> list[str]:
    """The level prefix each piece takes from the first of its 、-run: 省公安厅、发展改革委 and
    省发展改革委、住房城乡建设厅、商务厅. Only where every later department of the run is written
    bare; a run that mixes 省财政厅、地方金融监管局 is taken as written."""
    runs: list[list[int]] = []
    for k, (start, _, _) in enumerate(pieces):
        if runs and start > 0 and text[start - 1] == "、":
            runs[-1].append(k)
        else:
            runs.append([k])
    shared = [""] * len(pieces)
    for run in runs:
        head = SHARED_PREFIX.match(pieces[run[0]][2])
        rest = [pieces[k][2] for k in run[1:]]
        if head and rest and all(DEPARTMENT.search(n) and not NO_PREFIX_NEEDED.match(n) for n in rest):
            for k in run[1:]:
                shared[k] = head.group(0)
    return shared


# 责任单位及承办科室：市住房城乡建设局，市政务服务中心…综合窗口收件、受理、初审、发证 (80): what the
# units do written into the list. A name ends before the work it is given (…窗口|收件, 市发改委|在…设立
# 专门窗口受理, 人防窗口|负责收件); a piece that is only work (受理, 出具《…》) names no unit.
WORK = "收件|受理|初审|审查|审核|备案|发证|出具|发放|反馈|设立|负责|承办|协办"
WORK_ONLY = re.compile(rf"^(?:{WORK})")
NAME_BEFORE_WORK = re.compile(rf"^(.+?(?:{UNIT_ENDINGS}|窗口|科))(?:在[^、，]*?)?(?:{WORK})")


def _before_work(name: str) -> str | None:
    """``name`` without the work written after it; None when it is only work."""
    if WORK_ONLY.match(name):
        return None
    named = NAME_BEFORE_WORK.match(name)
    return named.group(1) if named else name


def split_units(par: Paragraph, start: int, end: int, spaces: bool = False) -> list[UnitMention]:
    """The unit mentions in ``par.text[start:end]`` (see :func:`name_pieces`).

    ``X及其成员单位`` is two units: X and X成员单位.
    """
    mentions = []
    pieces = [(s, e, _without_role_words(re.sub(r"\s", "", par.text[start + s:start + e])))
              for s, e in name_pieces(par.text[start:end], spaces)]
    shared = _shared_prefixes(par.text[start:end], pieces)
    for (piece_start, piece_end, name), prefix in zip(pieces, shared):
        if not name or SHORT_NAME.match(name) or not re.search(r"[\u4e00-\u9fffA-Za-z]", name) or name == "无":
            continue  # a table's 无 or / for none
        name = _before_work(name)
        if name is None:
            continue
        name = prefix + name
        marked = LEAD_MARK.search(par.text[start + piece_start:start + piece_end])
        if marked:  # 县发改局（牵头）、县财政局: the lead among the units listed
            name = LEAD_MARK.sub("", name)
            piece_end = piece_start + marked.start()
        span = par.span(start + piece_start, start + piece_end)
        members = MEMBERS.match(name)
        if (other := TRAILING_NAMES.match(name)) and UNIT_ENDING.search(other.group(1)):
            aliases = [a for a in re.split("[、，,]", other.group(2)) if a]
            if aliases and all(len(a) >= 3 and UNIT_ENDING.search(a) for a in aliases):
                mentions.append(UnitMention(other.group(1), span, tuple(aliases)))
                continue
        if members:
            mentions.append(UnitMention(members.group(1), span))
            mentions.append(UnitMention(members.group(1) + "成员单位", span))
        else:
            mentions.append(UnitMention(name, span, marked_lead=bool(marked)))
    return mentions


def read_duty(par: Paragraph) -> Annotation | None:
    """The units a paragraph of duties opens with, as an annotation of that paragraph; None when
    it does not open with units (组长：张三 names a person, 各单位要… is no duty).

    The units are responsible; they lead where the duty starts with (负责)牵头."""
    opening = DUTY_NAMES.match(par.text)
    if not opening:
        return None
    names_end = opening.end(1)
    rest = par.text[opening.end():]
    if not opening.group(2) and "负责" not in rest.partition("。")[0] and not rest.startswith("牵头"):
        return None
    pieces = [p for p in re.split("[、]", opening.group(1)) if p]
    if not pieces or not all(UNIT_ENDING.search(p) or LEVEL_ONLY.match(p) for p in pieces):
        return None
    units = split_units(par, opening.start(1), names_end)
    if not units:
        return None
    annotation = Annotation(opening.start(1), opening.end())
    if DUTY_LEADS.match(rest):
        annotation.leads = units
    else:
        annotation.units = units
    return annotation
