"""The parts of a plan that are not its tasks: principles, stages and goals, safeguards."""

from __future__ import annotations

import re

from ..errors import DocumentError
from .decode import Line, SourceText
from .lines import Paragraph, paragraphs
from .markers import heading_like
from .model import Goal, Principle, Safeguard, Stage, UnitMention
from .numerals import chinese_to_int
from .sections import SUBHEADING

STAGE = re.compile(
    r"^(第.{1,3}阶段)?\s*[（(]?\s*(\d{4})\s*年?\s*[—–\-－~～至到]+\s*(\d{4})\s*年?\s*[)）]?\s*[：:]?\s*(.*)$",
    re.S,
)
# 启动阶段（2024年4月1日至2024年12月31日）。…, 动员部署阶段（2022年6月）, 总结提升阶段：2024年1月—6月。
# (58; the 实施步骤 of a 工作方案): a named stage dated to the day or month, perhaps open-ended
DATED_STAGE = re.compile(
    r"^([\u4e00-\u9fff]{2,10}阶段)\s*(?:[（(]([^（）()]*?\d{4}\s*年[^（）()]*)[)）]|[：:]\s*(\d{4}\s*年[^，。；]*))"
    r"\s*[。：:，]?\s*(.*)$", re.S)
OPEN_ENDED = re.compile(r"以后|以来|起|开始|持续|长期")
GOALS_LABEL = re.compile(r"^具体(?:内容|目标)(?:为|是|包括)?\s*[：:]\s*")
ORDINAL = re.compile(r"^([一二三四五六七八九十]+)是\s*(.*)$", re.S)  # 一是坚持政府主导。…
ARABIC_ITEM = re.compile(r"^\s*(\d{1,2})[.．、]\s*(\S.*)$", re.S)  # 1.统筹规划，协调推进。… (89)
GOALS_HEADING = re.compile(r"^[（(][一二三四五六七八九十]+[)）]\s*[\u4e00-\u9fff]{0,6}目标\s*[。：:]?\s*")
GOAL_YEAR = re.compile(r"(?:到|至|截至)\s*(\d{4})\s*年(?:底|末)?[，,]")
BODY_SUFFIX = "(?:领导小组办公室|领导小组|联席会议|指挥部|工作专班|委员会)"
BODY_NAME = re.compile(rf"[\u4e00-\u9fff]+?{BODY_SUFFIX}")
LEADING_VERBS = re.compile(r"^(?:依托|建立|成立|设立|召开|通过|健全|完善|发挥|充分发挥|由|在)+")


def parse_numbered(source: SourceText, lines: list[Line], kind):
    """The principles or safeguards of a section: its （一）… items, or 一是… items (58), or, where
    it numbers none and every paragraph opens with a run-in title (55: 坚持党的领导。…), its
    paragraphs in order."""
    pars = paragraphs(source, lines)
    openings = [SUBHEADING.match(par.text) or ORDINAL.match(par.text) or ARABIC_ITEM.match(par.text)
                for par in pars]
    if not any(openings) and pars and all(
            (stop := par.text.find("。")) > 0 and heading_like(par.text[:stop]) for par in pars):
        openings = [None] * len(pars)
        numbered = list(enumerate(pars, start=1))
    else:
        numbered = [(_number(m.group(1)) if m else None, par) for m, par in zip(openings, pars)]
    items = []
    for (number, par), m in zip(numbered, openings):
        if number is None:
            if items:  # a further paragraph of the item above
                items[-1].text += par.text
            continue
        rest = par.slice(m.start(2)) if m else par
        title, _, text = rest.text.partition("。")
        if kind is Safeguard:
            items.append(Safeguard(number, title, text, _named_bodies(rest), par.span()))
        else:
            items.append(Principle(number, title, text, par.span()))
    return items


def _number(numeral: str) -> int:
    return int(numeral) if numeral.isdigit() else chinese_to_int(numeral)


def _named_bodies(par: Paragraph) -> list[UnitMention]:
    """Coordinating bodies a safeguard names: leading groups, their offices, joint conferences."""
    found: list[UnitMention] = []
    for clause in re.finditer(r"[^，。；：“”、]+", par.text):
        for m in BODY_NAME.finditer(clause.group(0)):
            name = m.group(0)
            verbs = LEADING_VERBS.match(name)
            skip = verbs.end() if verbs else 0
            name = name[skip:]
            if len(name) > len(re.sub(BODY_SUFFIX, "", name)) and len(name) >= 6:
                start = clause.start() + m.start() + skip
                if name not in {b.name for b in found}:
                    found.append(UnitMention(name, par.span(start, start + len(name))))
    return found


def parse_stages(source: SourceText, lines: list[Line]) -> list[Stage]:
    stages: list[Stage] = []
    for par in paragraphs(source, lines):
        head = SUBHEADING.match(par.text)
        stage = _stage(head.group(2)) if head else None
        if stage:
            name, start, end, rest = stage
            number = chinese_to_int(head.group(1))
            if end is not None and int(end) < int(start):
                raise DocumentError(source.path, par.line, f"stage ends ({end}) before it starts ({start})")
            stages.append(Stage(number, name or f"第{head.group(1)}阶段", int(start),
                                int(end) if end is not None else None, rest.strip(), [], par.span()))
            continue
        if not stages:
            continue
        label = GOALS_LABEL.match(par.text)
        if label:
            stages[-1].goals.extend(_goals(par.slice(label.end()), len(stages[-1].goals)))
        elif stages[-1].goals:
            stages[-1].goals.extend(_goals(par, len(stages[-1].goals)))
        else:
            stages[-1].summary += par.text
    return stages


def _stage(text: str) -> tuple[str | None, str, str | None, str] | None:
    """``(name, start year, end year or None, rest)`` of the stage a （N） paragraph opens, if it
    opens one: 第一阶段（2020—2022年）：…, or a stage dated by day or month (58)."""
    if m := STAGE.match(text):
        return m.groups()
    if not (m := DATED_STAGE.match(text)):
        return None
    name, bracketed, after_colon, rest = m.groups()
    period = bracketed or after_colon
    years = re.findall(r"(\d{4})\s*年", period)
    end = years[-1] if len(years) > 1 else (None if OPEN_ENDED.search(period) else years[0])
    return name, years[0], end, rest


def plan_goals(source: SourceText, lines: list[Line]) -> list[Goal]:
    """The goals of a goals section that has no stages (一、工作目标): a goal a paragraph, with the
    year it names (到2025年); a —— paragraph under 到2025年，… is for that year too, and a heading
    that is no sentence (（一）布局一批前沿方向，技术创新实现新引领) opens the goal below it."""
    goals: list[Goal] = []
    heading: Paragraph | None = None
    for par in paragraphs(source, lines):
        if (label := GOALS_HEADING.match(par.text)) is not None:
            # （三）发展目标。到2025年，… under 一、总体要求: the subsection's own heading, no goal
            par = par.slice(label.end()).strip()
            if not par.text:
                continue
        if SUBHEADING.match(par.text) and not re.search("[。；]", par.text):
            heading = par
            continue
        # a goal under the one above: —— or （一）… after 到2025年，…
        under = heading is not None or par.text.strip().startswith(("——", "--")) or bool(SUBHEADING.match(par.text))
        if heading is not None:
            par, heading = Paragraph(heading.text + par.text, heading.offsets + par.offsets, source), None
        text = par.text.strip()
        years = {int(y) for y in GOAL_YEAR.findall(text)}
        if years:  # a paragraph of targets for several years (60: 到2023年… 到2025年… 到2035年…) is for none
            year = years.pop() if len(years) == 1 else None
        elif goals and under:
            year = goals[-1].year
        else:
            year = None
        goals.append(Goal(len(goals) + 1, text, par.span(), year))
    if heading is not None:
        goals.append(Goal(len(goals) + 1, heading.text.strip(), heading.span()))
    return goals


def _goals(par: Paragraph, already: int) -> list[Goal]:
    goals = []
    for m in re.finditer(r"[^。；]+[。；]?", par.text):
        text = m.group(0).strip()
        if text.strip("。；"):
            goals.append(Goal(already + len(goals) + 1, text, par.span(m.start(), m.end())))
    return goals
