"""A plan's numbered sections (一、…): finding their headings, what each is for (tasks,
principles, goals, safeguards, duties), and where the body ends and the annex begins."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import DocumentError
from .annotations import AnnotationReader, read_duty
from .decode import Line, SourceText
from .lines import CHINESE_NUMERAL, paragraphs
from .markers import heading_like, marker
from .numerals import chinese_to_int

ARTICLE = re.compile(rf"^第([{CHINESE_NUMERAL}]+)条[ \u3000]*")
SECTION_HEADING = re.compile(rf"^([{CHINESE_NUMERAL}]+)、\s*(\S.{{0,40}})$")
SUBHEADING = re.compile(rf"^[（(]([{CHINESE_NUMERAL}]+)[)）]\s*(.*)$", re.S)
ANNEX_START = re.compile(r"^附件\s*\d*\s*$")
ATTACHMENT_LIST = re.compile(r"^附件\s*\d*\s*[：:]")
KNOWN_SECTIONS = ("指导思想", "基本原则", "工作原则", "总体要求", "工作目标", "试验目标", "主要目标",
                  "发展目标", "主要任务", "重点任务", "试验措施", "工作措施", "保障措施", "组织保障")
RUN_IN_SECTION = re.compile(rf"^[ \u3000\u00a0]*[{CHINESE_NUMERAL}]+、\s*(?:{'|'.join(KNOWN_SECTIONS)})")
SECTION_KINDS = (
    ("ideology", ("指导思想",)),
    ("principles", ("原则",)),
    ("goals", ("目标",)),
    ("stages", ("步骤", "进度安排", "时间安排", "阶段安排", "推进安排", "推进计划", "进度计划")),  # 五、实施步骤: the plan's stages
    ("safeguards", ("保障", "组织实施", "工作要求")),
    ("measures", ("措施", "任务", "工作内容", "重点工作", "主要工作")),
    ("duties", ("职责",)),  # 六、职责分工: a paragraph per unit, 市房产局：负责…
)


@dataclass
class Heading:
    """A section's heading: its line's index, number and title."""

    index: int
    number: int
    title: str


def section_headings(lines: list[Line]) -> list[Heading]:
    """Every 一、… heading line (a title, not a sentence)."""
    return [
        Heading(i, chinese_to_int(m.group(1)), m.group(2).strip())
        for i, line in enumerate(lines)
        if (m := SECTION_HEADING.match(line.text.strip())) and not re.search("[。；]", m.group(2).rstrip("。"))
    ]


def item_headings(lines: list[Line]) -> tuple[list[Line], list[Heading]]:
    """The top-level numbered items of a document without 一、 sections, as section headings.

    The items are those of the first list style met (1. or （一）) numbered on from 1; an item's
    title is its first sentence (or clause), and the rest of its line becomes the section's text.
    """
    result: list[Line] = []
    headings: list[Heading] = []
    style = None
    for line in lines:
        text = line.text.lstrip(" \u3000\u2002\u00a0")
        found = marker(text) or _section_marker(text)
        if found and found[0] in ("number", "chinese", "section", "article") and (style is None and found[1] == 1 or
                                                             found[0] == style and found[1] == len(headings) + 1):
            style = found[0]
            indent = len(line.text) - len(text)
            stop = _clause_stop(text, found[2])
            cut = stop.end() if stop and stop.group(0) in "。；" else stop.start() if stop else len(text)
            title = text[found[2]:cut].strip().rstrip("。；")
            if not title:
                result.append(line)
                continue
            # a run-in title (加强组织领导。…) heads its item; any other first sentence or clause
            # names the item, shortened, and stays in the item's text
            run_in = stop is not None and stop.group(0) in "。；" and heading_like(title)
            if len(title) > 40:
                title = title[:40] + "…"
            head_len = indent + cut
            headings.append(Heading(len(result), found[1], title))
            result.append(Line(line.number, line.start, line.text[:head_len]))
            if line.text[head_len:].strip():
                rest = head_len if run_in else indent + found[2]
                result.append(Line(line.number, line.start + rest, line.text[rest:]))
            continue
        result.append(line)
    return result, headings


def _clause_stop(text: str, start: int) -> re.Match | None:
    """The first 。；，, from ``start`` that is not inside brackets (优化商业用房（含办公、仓储等，下同）)."""
    depth = 0
    for m in re.compile("[（(]|[)）]|[。；，,]").finditer(text, start):
        if m.group(0) in "（(":
            depth += 1
        elif m.group(0) in ")）":
            depth = max(depth - 1, 0)
        elif depth == 0:
            return m
    return None


def _section_marker(text: str) -> tuple[str, int, int] | None:
    """一、 opening a long item (一、对深化商事制度改革成效显著…，优先纳入…（X负责）), or an article
    第一条 of measures written as articles (第七条 取消按揭贷款保证金。…(牵头单位:市财政局))."""
    if m := re.match(rf"^([{CHINESE_NUMERAL}]+)、", text):
        return ("section", chinese_to_int(m.group(1)), m.end())
    if m := ARTICLE.match(text):
        return ("article", chinese_to_int(m.group(1)), m.end())
    return None


def task_sections(source: SourceText, lines: list[Line], headings: list[Heading], end: int,
                   sections: dict[str, list[Line]]) -> list[TaskSection]:
    """The sections read for tasks; the others' lines go to ``sections`` by kind (first of each)."""
    found = []
    for k, heading in enumerate(headings):
        stop = headings[k + 1].index if k + 1 < len(headings) else end
        kind = section_kind(heading.title)
        body = lines[heading.index + 1:stop]
        # A section is read for tasks when its title says so, or when it assigns units to work,
        # whatever it is called (一、支持工业互联网平台建设, 三、保障措施 with annotations).
        if kind == "duties" and _lists_duties(source, body):
            found.append(TaskSection(lines[heading.index], heading.number, heading.title, body, duties=True))
        elif kind == "measures" or (kind not in ("ideology", "principles") and _assigns_units(source, body)):
            found.append(TaskSection(lines[heading.index], heading.number, heading.title, body))
        elif kind and kind not in sections:
            sections[kind] = body
        elif kind is None:
            # 一、总体要求 / 总体思路 holding （一）指导思想 （二）基本原则 （三）发展目标。到2025年，…
            for sub_kind in ("ideology", "principles", "goals"):
                if sub_kind not in sections and (sub := _subsection(body, sub_kind)):
                    sections[sub_kind] = sub
    return found


def _subsection(lines: list[Line], kind: str) -> list[Line]:
    """The lines of a （N）… subsection of ``kind`` of a section with no kind of its own (总体要求):
    for goals with its heading line first (（三）发展目标。到2025年，… may run on), for the others
    without it; none if it has no such subsection."""
    at = next((i for i, line in enumerate(lines) if (m := SUBHEADING.match(line.text.strip()))
               and section_kind(re.split("[。：:]", m.group(2), maxsplit=1)[0]) == kind), None)
    if at is None:
        return []
    end = next((i for i in range(at + 1, len(lines)) if SUBHEADING.match(lines[i].text.strip())), len(lines))
    return lines[at:end] if kind == "goals" else lines[at + 1:end]


@dataclass
class TaskSection:
    """A numbered section (一、…) read for tasks: its heading line, number, title and lines."""

    heading: Line
    number: int
    title: str
    lines: list[Line]
    duties: bool = False  # paragraphs that open with the units whose duty they are


def _lists_duties(source: SourceText, lines: list[Line]) -> bool:
    return any(read_duty(par) for par in paragraphs(source, lines))


def duties_annex(source: SourceText, lines: list[Line], number: int) -> list[TaskSection]:
    """An annex of duties without numbered sections (附件：…领导小组组成人员及工作职责, then a
    paragraph per unit, 市委宣传部负责…): one section of duties titled by the annex."""
    title_at = next((i for i, line in enumerate(lines[:4]) if "职责" in line.text), None)
    if title_at is None or not _lists_duties(source, lines[title_at + 1:]):
        return []
    title = ATTACHMENT_LIST.sub("", lines[title_at].text.strip()).strip()
    return [TaskSection(lines[title_at], number, title, lines[title_at + 1:], duties=True)]


def _assigns_units(source: SourceText, lines: list[Line]) -> bool:
    reader = AnnotationReader()
    try:
        return any(a.units or a.leads for par in paragraphs(source, lines) for a in reader.find(par))
    except DocumentError:
        return True  # a broken annotation: reading the section for tasks reports it with its line


# 一、优化国有土地供应。合理确定…: a numbered title sentence running into its text
RUN_IN_TITLE = re.compile(rf"^[ \u3000\u00a0]*[{CHINESE_NUMERAL}]+、[^。；：:（(]{{2,40}}。(?=.)")


def split_run_in_sections(lines: list[Line]) -> list[Line]:
    """一、指导思想以习近平…, 一、优化国有土地供应。合理确定…: a section title running straight into
    its text."""
    result = []
    for line in lines:
        m = RUN_IN_SECTION.match(line.text) or RUN_IN_TITLE.match(line.text)
        if m and len(line.text) > m.end() + 1:
            result.append(Line(line.number, line.start, line.text[:m.end()]))
            result.append(Line(line.number, line.start + m.end(), line.text[m.end():]))
        else:
            result.append(line)
    return result


def section_kind(title: str) -> str | None:
    for kind, words in SECTION_KINDS:
        if any(word in title for word in words):
            return kind
    return None


def annex_start(lines: list[Line], after: int) -> int:
    """Index of the first line after the body: the attachment list or the annex itself."""
    for i in range(after, len(lines)):
        text = lines[i].text.strip().strip("*")
        if ANNEX_START.match(text) or ATTACHMENT_LIST.match(text) or "\t" in lines[i].text:
            return i
    return len(lines)
