"""Parsing a plan's text into the document model.

The parser reads the genre, not one file: a notice head (文号, title, recipients, signature,
date), numbered sections (一、…) recognised by what their titles say, numbered tasks under
them with their responsibility annotations, and an annexed task-division table.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import DocumentError
from .annex import parse_annex
from .annotations import Annotation, AnnotationReader, read_duty, split_names
from .decode import Line, SourceText
from .lines import CHINESE_NUMERAL, Paragraph, logical_lines, paragraphs
from .model import (
    Goal,
    Measure,
    Metadata,
    PilotTask,
    PlanDocument,
    Principle,
    Safeguard,
    Span,
    Stage,
    Task,
    UnitMention,
    WorkTask,
)
from .numerals import CIRCLED, chinese_to_int
from .slugs import slugify

ARTICLE = re.compile(rf"^第([{CHINESE_NUMERAL}]+)条[ \u3000]*")
SECTION_HEADING = re.compile(rf"^([{CHINESE_NUMERAL}]+)、\s*(\S.{{0,40}})$")
SUBHEADING = re.compile(rf"^[（(]([{CHINESE_NUMERAL}]+)[)）]\s*(.*)$", re.S)
STAGE = re.compile(
    r"^(第.{1,3}阶段)?\s*[（(]?\s*(\d{4})\s*年?\s*[—–\-－~～至到]+\s*(\d{4})\s*年?\s*[)）]?\s*[：:]?\s*(.*)$",
    re.S,
)
MEASURE_LABEL = re.compile(r"^(?:落实措施|具体措施|主要措施|工作措施)\s*[：:]\s*")
# 具体措施： closing a paragraph: the numbered items that follow are the measures it announces.
# （一）适用范围：… （二）办理流程：…: an item that is a field of the measure its section describes
# What a heading's title does not keep at its end: its full stop, or the colon that introduces the
# list under it (80: （一）供水配套设施完善： 1. … 2. …)
TITLE_END = "。.：:"
FIELD_LABEL = re.compile(r"\s*[\u4e00-\u9fff、]{2,12}\s*[：:]")
LABEL_AT_END = re.compile(r"(?:落实措施|具体措施|主要措施|工作措施)\s*[：:]\s*$")
GOALS_LABEL = re.compile(r"^具体(?:内容|目标)(?:为|是|包括)?\s*[：:]\s*")
ANNEX_START = re.compile(r"^附件\s*\d*\s*$")
ATTACHMENT_LIST = re.compile(r"^附件\s*\d*\s*[：:]")
DOC_NUMBER = re.compile(r"\S+?[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号")
NUMBER_AFTER_TITLE = re.compile(r"(?:通知|意见|决定|批复|方案|计划|要点|办法|措施|细则)(?=[^〔\[［(（]{1,8}[〔\[［(（]\d{4})")
SIGNED_AT_END = re.compile(
    r"(?<=[。；])([\u4e00-\u9fff]{2,30})(\d{4})年(\d{1,2})月(\d{1,2})日(?:[（(]此件[^)）]*[)）])?$")
GOAL_YEAR = re.compile(r"(?:到|至|截至)\s*(\d{4})\s*年(?:底|末)?[，,]")
BOX = re.compile(r"^专栏\s*\d+(?![\d.．])")
DATE_LINE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
RELEASE_NOTE = re.compile(r"^[（(](此件[^)）]*)[)）]$")
DB_HEADER = re.compile(r"(?:索引号|发布机构|发文字号|成文日期|主题分类)\s*[：:]")
ISSUER_SUFFIX = re.compile(r"(?:办公室|办公厅|人民政府|政府|委员会|联合会|联席会议|领导小组|指挥部|委|厅|局|部|院|中心)$")
# what the genre's documents are called: 实施方案, 行动计划, 工作要点, 实施意见, 考评办法, 若干措施,
# 实施细则, 任务分工
TITLE_ENDINGS = ("方案", "计划", "要点", "意见", "办法", "措施", "细则", "分工", "若干政策")
NOTICE_END = re.compile(r"(?:通知|意见|决定|批复|函|方案|计划|要点|办法|措施|细则|分工)$")
NATIONAL_ISSUERS = ("国务院", "中共中央", "国家")
JURISDICTION = re.compile(r"^([\u4e00-\u9fff]{1,12}?(?:自治县|自治州|县|市|区|旗|州|省))(?:人民政府|政府|委员会|党委|办公室)")
# 湖北省农业农村厅, 安徽省推进…领导小组办公室: a department or body of the place its name opens with
PLACE_PREFIX = re.compile(r"^([\u4e00-\u9fff]{1,7}?(?:自治区|省|市(?!场)))(?=[\u4e00-\u9fff“])")
SELECTION_WORDS = ("入选", "确定为", "列为", "批准", "获批")
BODY_SUFFIX = "(?:领导小组办公室|领导小组|联席会议|指挥部|工作专班|委员会)"
BODY_NAME = re.compile(rf"[\u4e00-\u9fff]+?{BODY_SUFFIX}")
LEADING_VERBS = re.compile(r"^(?:依托|建立|成立|设立|召开|通过|健全|完善|发挥|充分发挥|由|在)+")

KNOWN_SECTIONS = ("指导思想", "基本原则", "工作原则", "总体要求", "工作目标", "试验目标", "主要目标",
                  "发展目标", "主要任务", "重点任务", "试验措施", "工作措施", "保障措施", "组织保障")
RUN_IN_SECTION = re.compile(rf"^[ \u3000\u00a0]*[{CHINESE_NUMERAL}]+、\s*(?:{'|'.join(KNOWN_SECTIONS)})")
MARKERS = (
    ("chinese", re.compile(rf"^[（(]\s*([{CHINESE_NUMERAL}]+)\s*[)）]\s*")),  # （三） and ( 三 ) alike
    # 1. but not 1.5; 3．2020年底前… is item 3
    ("number", re.compile(r"^(\d{1,3})\s*[.．﹒、](?:(?!\d)|(?=\d{4}年))\s*")),
    ("paren", re.compile(r"^[（(]\s*(\d{1,3})\s*[)）]\s*")),
    ("circled", re.compile(f"^([{CIRCLED}])\\s*")),
)

SECTION_KINDS = (
    ("ideology", ("指导思想",)),
    ("principles", ("原则",)),
    ("goals", ("目标",)),
    ("safeguards", ("保障", "组织实施", "工作要求")),
    ("measures", ("措施", "任务", "工作内容", "重点工作", "主要工作")),
    ("duties", ("职责",)),  # 六、职责分工: a paragraph per unit, 市房产局：负责…
)


def parse_plan(path: str | Path) -> PlanDocument:
    """Read one plan file (text, web page, Word or PDF) and parse it: its first document."""
    return parse_plans(path)[0]


def parse_plans(path: str | Path) -> list[PlanDocument]:
    """Read one file and parse every document it holds (a notice may 印发 two)."""
    from ..published import read_document  # the published formats read into this package's text

    return parse_documents(read_document(path))


def parse_source(source: SourceText, slug: str | None = None) -> PlanDocument:
    """Parse decoded text (see :func:`policykg.text.decode.SourceText.from_text`): the first
    document it holds (see :func:`parse_documents`)."""
    return parse_documents(source, slug)[0]


def parse_documents(source: SourceText, slug: str | None = None) -> list[PlanDocument]:
    """Every document the text holds: a notice that 印发 two documents gives both, each from its
    own title to the next (the later ones sign as the notice does, and are slugged -2, -3, …)."""
    slug = slug or slugify(Path(source.path).stem)
    lines = _split_run_in_sections(logical_lines(source))
    headings = _section_headings(lines)
    if not headings:
        # No 一、: the top-level items are the sections (1.简化装修施工许可。… or （一）…).
        lines, headings = _item_headings(lines)
    starts = _document_starts(lines, headings)
    documents = [_parse(source, lines[:starts[0]] if starts else lines, headings, slug)]
    if starts and headings:
        # the notice names them all (《A》和《B》); the first document's own title is above its text
        above = [line.text.strip() for line in lines[:headings[0].index] if line.text.strip()][-3:]
        own = next((text for text in reversed(above) if _is_title(text)), None)
        documents[0].metadata.title = own or documents[0].metadata.title
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        part = lines[start:end]
        documents.append(_parse(source, part, _section_headings(part), f"{slug}-{k + 2}",
                                documents[0].metadata))
    return documents


def _document_starts(lines: list[Line], headings: list[_Heading]) -> list[int]:
    """Where a further document begins: its own title line, after which the sections start again
    at 一、 (支持工业互联网发展若干政策 一、…八、, then 安徽省工业互联网创新发展行动计划 一、…)."""
    starts = []
    for previous, heading in zip(headings, headings[1:]):
        if heading.number != 1 or previous.number < 2:
            continue
        above = [i for i in range(previous.index + 1, heading.index) if lines[i].text.strip()][-3:]
        title = next((i for i in above if _is_title(lines[i].text.strip())), None)
        if title is not None and not any("\t" in line.text or ANNEX_START.match(line.text.strip())
                                         for line in lines[previous.index:title]):
            starts.append(title)
    return starts


def _parse(source: SourceText, lines: list[Line], headings: list[_Heading], slug: str,
           notice: Metadata | None = None) -> PlanDocument:
    """One document in ``lines`` of ``source``; ``notice`` is the metadata of the notice that
    印发 it together with the document before it."""
    headings = [h for h in headings if h.index < len(lines)]
    table_at = next((i for i, line in enumerate(lines) if "\t" in line.text), None)
    if not headings and table_at is None:
        raise DocumentError(
            source.path, 1,
            "not an implementation plan: no numbered sections (一、…), numbered items (1. or （一）) "
            "or task table found",
        )
    # a notice whose tasks are all in its table (a 目录清单) has no sections: its body is the table
    first = headings[0].index if headings else table_at
    annex_start = _annex_start(lines, first)
    body_end = _tail_start(lines, headings[-1].index if headings else first, annex_start)
    headings = [h for h in headings if h.index < body_end]

    metadata = _parse_head(source, lines[:first], lines[body_end:annex_start])
    if notice is not None:
        metadata = dataclasses.replace(notice, title=metadata.title, context=metadata.context)
    if _notice_of_page(source, metadata):
        # the notice title a page declares (its <title>, ArticleTitle) where the text it shows has none
        # of its own: the page starts at the addressees (40), or only repeats the plan's title (43)
        metadata.notice_title = source.title
        metadata.issuer = metadata.issuer or _issuer_of(source.title)
        metadata.jurisdiction = metadata.jurisdiction or _jurisdiction(
            metadata.issuer, metadata.notice_title, metadata.title)
    if metadata.title is None and getattr(source, "title", None):
        # the title the file declares (a page's ArticleTitle): the notice's, or the plan's own
        metadata.notice_title, metadata.title = (_title_from_notice(source.title, [])
                                                 or (None, source.title))
        metadata.issuer = metadata.issuer or _issuer_of(metadata.notice_title)
        metadata.jurisdiction = metadata.jurisdiction or _jurisdiction(
            metadata.issuer, metadata.notice_title, metadata.title)
    sections: dict[str, list[Line]] = {}
    task_sections = _task_sections(source, lines, headings, body_end, sections)
    annex_lines = ([line for line in source.lines if line.number >= lines[annex_start].number]
                   if annex_start < len(lines) else [])
    if annex_lines and not any("\t" in line.text for line in annex_lines):
        # An annex that is a numbered list, not a table (考评指标: 一、… 1．…（6月底完成，牵头考核单位：…）),
        # is read for tasks as the body is.
        rest = lines[annex_start:]
        headings_in_annex = _section_headings(rest)
        task_sections += (_task_sections(source, rest, headings_in_annex, len(rest), {}) if headings_in_annex
                          else _duties_annex(source, rest, len(task_sections) + 1))
        annex_lines = []

    ideology = sections.get("ideology")
    reader = _MeasureReader(source)
    pilot_tasks = reader.read(task_sections)
    if metadata.issued is None and reader.closing is not None:
        # a signature at the end of a text without line breaks (22): …落地见效。国务院办公厅2020年7月15日
        closing = reader.closing
        signed = _signature(source, [(Line(closing.line, closing.span().start, closing.text), closing.text.strip())])
        if signed:
            metadata.issuer, metadata.issued = metadata.issuer or signed[0], signed[1]
    annex = parse_annex(source, annex_lines)
    if not pilot_tasks and not any(row.units or row.lead_units for row in annex):
        raise DocumentError(
            source.path, lines[first].number,
            "not an implementation plan: no tasks found: no section titled 措施/任务 and no "
            "responsibility annotation (（责任单位：…）, （X牵头，Y配合）, …) under any numbered section",
        )
    principles = _parse_numbered(source, sections.get("principles", []), Principle)
    stages = _parse_stages(source, sections.get("goals", []))
    goals = [] if stages else _plan_goals(source, sections.get("goals", []))
    safeguards = _parse_numbered(source, sections.get("safeguards", []), Safeguard)
    for what, items in (("principle", principles), ("stage", stages), ("safeguard", safeguards)):
        _refuse_repeated_numbers(source, what, items)
    return PlanDocument(
        source=source,
        lines=(lines[0].number, lines[-1].number),
        path=source.path,
        slug=slug,
        text=source.text,
        metadata=metadata,
        guiding_ideology="".join(p.text for p in paragraphs(source, ideology)) if ideology else None,
        principles=principles,
        stages=stages,
        pilot_tasks=pilot_tasks,
        tasks=reader.tasks,
        goals=goals,
        safeguards=safeguards,
        annex=annex,
    )


@dataclass
class _Heading:
    """A section's heading: its line's index, number and title."""

    index: int
    number: int
    title: str


def _section_headings(lines: list[Line]) -> list[_Heading]:
    """Every 一、… heading line (a title, not a sentence)."""
    return [
        _Heading(i, chinese_to_int(m.group(1)), m.group(2).strip())
        for i, line in enumerate(lines)
        if (m := SECTION_HEADING.match(line.text.strip())) and not re.search("[。；]", m.group(2).rstrip("。"))
    ]


def _item_headings(lines: list[Line]) -> tuple[list[Line], list[_Heading]]:
    """The top-level numbered items of a document without 一、 sections, as section headings.

    The items are those of the first list style met (1. or （一）) numbered on from 1; an item's
    title is its first sentence (or clause), and the rest of its line becomes the section's text.
    """
    result: list[Line] = []
    headings: list[_Heading] = []
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
            run_in = stop is not None and stop.group(0) in "。；" and _heading_like(title)
            if len(title) > 40:
                title = title[:40] + "…"
            head_len = indent + cut
            headings.append(_Heading(len(result), found[1], title))
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


def _task_sections(source: SourceText, lines: list[Line], headings: list[_Heading], end: int,
                   sections: dict[str, list[Line]]) -> list[_TaskSection]:
    """The sections read for tasks; the others' lines go to ``sections`` by kind (first of each)."""
    found = []
    for k, heading in enumerate(headings):
        stop = headings[k + 1].index if k + 1 < len(headings) else end
        kind = _section_kind(heading.title)
        body = lines[heading.index + 1:stop]
        # A section is read for tasks when its title says so, or when it assigns units to work,
        # whatever it is called (一、支持工业互联网平台建设, 三、保障措施 with annotations).
        if kind == "duties" and _lists_duties(source, body):
            found.append(_TaskSection(lines[heading.index], heading.number, heading.title, body, duties=True))
        elif kind == "measures" or (kind not in ("ideology", "principles") and _assigns_units(source, body)):
            found.append(_TaskSection(lines[heading.index], heading.number, heading.title, body))
        elif kind and kind not in sections:
            sections[kind] = body
    return found


@dataclass
class _TaskSection:
    """A numbered section (一、…) read for tasks: its heading line, number, title and lines."""

    heading: Line
    number: int
    title: str
    lines: list[Line]
    duties: bool = False  # paragraphs that open with the units whose duty they are


def _lists_duties(source: SourceText, lines: list[Line]) -> bool:
    return any(read_duty(par) for par in paragraphs(source, lines))


def _duties_annex(source: SourceText, lines: list[Line], number: int) -> list[_TaskSection]:
    """An annex of duties without numbered sections (附件：…领导小组组成人员及工作职责, then a
    paragraph per unit, 市委宣传部负责…): one section of duties titled by the annex."""
    title_at = next((i for i, line in enumerate(lines[:4]) if "职责" in line.text), None)
    if title_at is None or not _lists_duties(source, lines[title_at + 1:]):
        return []
    title = ATTACHMENT_LIST.sub("", lines[title_at].text.strip()).strip()
    return [_TaskSection(lines[title_at], number, title, lines[title_at + 1:], duties=True)]


def _assigns_units(source: SourceText, lines: list[Line]) -> bool:
    reader = AnnotationReader()
    try:
        return any(a.units or a.leads for par in paragraphs(source, lines) for a in reader.find(par))
    except DocumentError:
        return True  # a broken annotation: reading the section for tasks reports it with its line


def _refuse_repeated_numbers(source: SourceText, what: str, items) -> None:
    """Items of one list are named by their numbers; two with one number would merge."""
    first: dict[int, int] = {}
    for item in items:
        if item.number in first:
            raise DocumentError(source.path, item.span.line,
                                f"{what} number {item.number} is used twice (first on line {first[item.number]})")
        first[item.number] = item.span.line


# 一、优化国有土地供应。合理确定…: a numbered title sentence running into its text
RUN_IN_TITLE = re.compile(rf"^[ \u3000\u00a0]*[{CHINESE_NUMERAL}]+、[^。；：:（(]{{2,40}}。(?=.)")


def _split_run_in_sections(lines: list[Line]) -> list[Line]:
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


def _is_sentence(text: str) -> bool:
    return bool(re.search("[，。；]", text))


def _section_kind(title: str) -> str | None:
    for kind, words in SECTION_KINDS:
        if any(word in title for word in words):
            return kind
    return None


def _annex_start(lines: list[Line], after: int) -> int:
    """Index of the first line after the body: the attachment list or the annex itself."""
    for i in range(after, len(lines)):
        text = lines[i].text.strip().strip("*")
        if ANNEX_START.match(text) or ATTACHMENT_LIST.match(text) or "\t" in lines[i].text:
            return i
    return len(lines)


# --- the notice head -------------------------------------------------------------------


def _parse_head(source: SourceText, lines: list[Line], tail: list[Line]) -> Metadata:
    """The notice head before the first section, and a signature and date after the body."""
    meta = Metadata()
    texts = [(line, line.text.strip().replace("**", "").strip()) for line in lines]
    texts = [(line, text) for line, text in texts if text]
    recipients_at = None
    for k, (_line, text) in enumerate(texts):
        if meta.doc_number is None and (number := _doc_number(text)):
            meta.doc_number = number
        elif meta.release_note is None and (m := RELEASE_NOTE.match(text)):
            meta.release_note = m.group(1)
        elif recipients_at is None and text.endswith(("：", ":")) and not _is_title(text) and len(text) > 2:
            meta.recipients = split_names(text.rstrip("：:"))
            recipients_at = k

    closing = [(line, line.text.strip()) for line in tail if line.text.strip()]
    signed = _signature(source, texts) or _signature(source, closing)
    if meta.release_note is None and (m := next(filter(None, (RELEASE_NOTE.match(t) for _, t in closing)), None)):
        meta.release_note = m.group(1)
    if signed:
        meta.issuer, meta.issued = signed

    notice_at = next((k for k, (_, text) in enumerate(texts)
                      if ("关于" in re.sub("《[^》]*》", "", text) or PRINTING_LINE.search(text))
                      and not DB_HEADER.search(text)), None)
    if notice_at is not None:
        start = notice_at
        if start > 0 and ISSUER_SUFFIX.search(texts[start - 1][1]) and not _is_sentence(texts[start - 1][1]):
            start -= 1  # the issuing body on its own line above 关于…
        end = notice_at
        while end < len(texts) - 1 and not NOTICE_END.search(_before_number(texts[end][1])) \
                and not PRINTING_LINE.search(texts[end][1]):
            end += 1
        meta.notice_title = "".join(text for _, text in texts[start:end]) + _before_number(texts[end][1])
        meta.issuer = meta.issuer or _issuer_of(meta.notice_title)

    quoted = re.search("《(.+?)》", meta.notice_title or "")
    standalone = [k for k, (_, text) in enumerate(texts)
                  if _is_title(text) and (notice_at is None or k > notice_at)]
    if quoted:
        meta.title = quoted.group(1)
    elif meta.notice_title and _is_title(meta.notice_title):
        meta.title = meta.notice_title
    elif standalone:
        k = standalone[0]
        meta.title = texts[k][1]
        if k > 0 and _title_fragment(texts[k - 1][1]) and len(texts[k - 1][1] + meta.title) <= 60:
            meta.title = texts[k - 1][1] + meta.title  # a title broken over two lines
    if meta.title is None:
        meta.notice_title, meta.title = _title_from_notice(meta.notice_title, texts) or (meta.notice_title, None)
    if standalone:
        preface = texts[standalone[-1] + 1:]
    else:
        preface = texts[(recipients_at if recipients_at is not None else len(texts)) + 1:]
    sentences = [s + "。" for _, text in preface if not DATE_LINE.match(text) and not RELEASE_NOTE.match(text)
                 for s in text.split("。") if s.strip()]
    if sentences:
        chosen = [s for s in sentences if any(w in s for w in SELECTION_WORDS)]
        meta.context = (chosen or sentences)[0]
    meta.jurisdiction = _jurisdiction(meta.issuer, meta.notice_title, meta.title)
    return meta


# 国家税务总局重庆市税务局: a national body's local branch belongs to its place
LOCAL_BRANCH = re.compile(r"^国家[\u4e00-\u9fff]{1,8}?总局([\u4e00-\u9fff]{1,7}?(?:自治区|省|市))")


def _jurisdiction(*names: str | None) -> str | None:
    """The place of the first of ``names`` (issuer, notice title, title) that names one: 湖北省农业农村厅 →
    湖北省; an issuer that says only its level (省政府办公厅) leaves the place to the titles."""
    for name in names:
        if not name:
            continue
        if m := LOCAL_BRANCH.match(name):
            return m.group(1)
        if name.startswith(NATIONAL_ISSUERS):
            return "全国"
        if m := JURISDICTION.match(name) or PLACE_PREFIX.match(name):
            if len(m.group(1)) > 1 and m.group(1) not in ("省", "市", "县", "区"):
                return m.group(1)
    return None


def _notice_of_page(source: SourceText, metadata: Metadata) -> bool:
    """Whether the page declares the notice that prints the plan while the text gives none."""
    page = getattr(source, "title", None)
    if not page or not metadata.title or not page.endswith("通知") or "印发" not in page:
        return False
    notice = metadata.notice_title
    if notice and notice != metadata.title and "关于" in notice and NOTICE_END.search(notice) and len(notice) <= 100:
        return False
    def bare(text: str) -> str:  # 70 prints 关于…发展的若干措施 as 印发关于…发展若干措施的通知
        return re.sub("[《》的]|关于", "", text)

    return bare(metadata.title) in bare(page)


def _issuer_of(notice_title: str | None) -> str | None:
    """北京市人民政府办公厅 of 北京市人民政府办公厅关于…的通知."""
    before = re.sub("(?:印发|转发)$", "", (notice_title or "").split("关于", 1)[0])
    if "关于" in (notice_title or "") and ISSUER_SUFFIX.search(before) and not re.search(r"[，。；：:、]", before):
        return before
    return None


def _title_fragment(text: str) -> bool:
    """西宁市关于支持刚性和改善性住房需求 above 的若干措施: the first line of a title broken in two."""
    return (len(text) <= 40 and not re.search(r"[，。；：:、（()）]", text) and not DOC_NUMBER.search(text)
            and not DATE_LINE.match(text) and not NOTICE_END.search(text))


NOTICE_TITLE = re.compile(
    r"[^\s，。；：:、“”《》]{0,40}关于[^，。；：:\s]{2,100}?"
    r"(?:的通知|实施方案|工作方案|行动方案|行动计划|实施意见|指导意见|若干措施|若干意见|意见|办法|要点)"
)


PRINTING_NOTICE = re.compile(r"[^\s，。；：:、“”《》]{0,40}关于印发([^，。；：:\s]{2,100}?)的通知")
# 北京市商务局等9部门印发《关于…若干措施》的通知: a notice title without 关于 of its own; Shanghai's
# 上海市人民政府办公厅印发《关于…若干意见》 has no 的通知 either
PRINTING_LINE = re.compile(r"^[^，。；：:]{2,40}印发《[^》]+》(?:的通知)?$")


def _title_from_notice(notice: str | None, texts) -> tuple[str, str] | None:
    """``(notice title, plan title)`` where no line is a title: the text names itself in a
    关于… clause (a notice that runs on into its text, or a PKULaw head). A notice that
    印发 a plan gives the plan's title; any other 关于… document is its own title."""
    candidates = ([notice] if notice else []) + [t for _, t in texts]
    for pattern in (PRINTING_NOTICE, NOTICE_TITLE):
        for text in candidates:
            for m in pattern.finditer(text):
                if text[:m.start()].count("《") > text[:m.start()].count("》"):
                    continue  # a document the text cites, not its own title
                found = m.group(0)
                printed = PRINTING_NOTICE.fullmatch(found)
                return found, printed.group(1) if printed else found
    return None


def _doc_number(text: str) -> str | None:
    """The 文号 a head line gives: 皖政办秘〔2021〕82号 alone or in brackets under the title, after a
    page's label (发文字号：), or after the notice's title on its line (21: …的通知国办发〔2020〕43号;
    05: …的意见渝府发〔2019〕17号各区县…)."""
    bare = text.strip("（()）")
    if not (m := DOC_NUMBER.search(bare)):
        return None
    number = re.sub(r"\s", "", re.split("[：:]", m.group(0))[-1])
    title = _before_number(number)
    if title != number:
        return None if title.startswith(("根据", "按照", "依据")) else number[len(title):]
    return number if DOC_NUMBER.fullmatch(bare) or DB_HEADER.search(text) else None


def _before_number(text: str) -> str:
    """A notice's title without the 文号 that follows it on its line (21: …的通知国办发〔2020〕43号)."""
    after_title = next(reversed(list(NUMBER_AFTER_TITLE.finditer(text))), None)
    return text[:after_title.end()] if after_title and "关于" in text[:after_title.end()] else text


def _signature(source: SourceText, texts) -> tuple[str | None, date] | None:
    """``(issuer, date)`` from a date line and the body signing above it."""
    for k, (line, text) in enumerate(texts):
        if m := DATE_LINE.match(text):
            try:
                issued = date(*map(int, m.groups()))
            except ValueError:
                raise DocumentError(source.path, line.number, f"not a valid date: {text}") from None
            # the bodies signing above it, one a line (or several on a line): the first signs for all
            top = k
            while top > 0 and ISSUER_SUFFIX.search(texts[top - 1][1]) and not _is_sentence(texts[top - 1][1]):
                top -= 1
            issuer = re.split(r"\s{2,}|\s*\u00a0\s*", texts[top][1])[0] if top < k else None
            return issuer, issued
    for line, text in texts:  # a text without line breaks (21, 22): …落地见效。国务院办公厅2020年7月15日（此件公开发布）
        if (m := SIGNED_AT_END.search(text)) and ISSUER_SUFFIX.search(m.group(1)):
            try:
                return m.group(1), date(*map(int, m.groups()[1:]))
            except ValueError:
                raise DocumentError(source.path, line.number, f"not a valid date: {m.group(0)}") from None
    return None


def _tail_start(lines: list[Line], after: int, end: int) -> int:
    """Where the closing signature begins: at the first line after the body's last section
    heading ``after`` that holds a date alone (2023年11月13日), or at the bodies signing on the
    lines above it; else ``end``. What follows it (（此件公开发布）, a page's links) is not the
    body either."""
    for i in range(after + 1, end):
        if DATE_LINE.match(lines[i].text.strip()):
            top = i
            while top - 1 > after and _signs(lines[top - 1].text.strip()):
                top -= 1
            return top
    return end


def _signs(text: str) -> bool:
    """A line that is a body's name, as signed above a date (not 责任单位：X局)."""
    return bool(ISSUER_SUFFIX.search(text)) and not _is_sentence(text) and not re.search("[：:]", text)


def _is_title(text: str) -> bool:
    return (
        len(text) <= 60
        and not _is_sentence(text)
        # …实施方案（2023-2025年）: a period in brackets after the name
        and re.sub(r"[（(][^（()）]{0,20}[)）]$", "", text).endswith(TITLE_ENDINGS)
    )


# --- principles and safeguards ---------------------------------------------------------


def _parse_numbered(source: SourceText, lines: list[Line], kind):
    items = []
    for par in paragraphs(source, lines):
        m = SUBHEADING.match(par.text)
        if not m:
            if items:  # a further paragraph of the item above
                items[-1].text += par.text
            continue
        number = chinese_to_int(m.group(1))
        rest = par.slice(m.start(2))
        title, _, text = rest.text.partition("。")
        if kind is Safeguard:
            items.append(Safeguard(number, title, text, _named_bodies(rest), par.span()))
        else:
            items.append(Principle(number, title, text, par.span()))
    return items


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


# --- stages and goals --------------------------------------------------------------------


def _parse_stages(source: SourceText, lines: list[Line]) -> list[Stage]:
    stages: list[Stage] = []
    for par in paragraphs(source, lines):
        head = SUBHEADING.match(par.text)
        stage = STAGE.match(head.group(2)) if head else None
        if stage:
            name, start, end, rest = stage.groups()
            number = chinese_to_int(head.group(1))
            if int(end) < int(start):
                raise DocumentError(source.path, par.line, f"stage ends ({end}) before it starts ({start})")
            stages.append(Stage(number, name or f"第{head.group(1)}阶段", int(start), int(end),
                                rest.strip(), [], par.span()))
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


def _plan_goals(source: SourceText, lines: list[Line]) -> list[Goal]:
    """The goals of a goals section that has no stages (一、工作目标): a goal a paragraph, with the
    year it names (到2025年); a —— paragraph under 到2025年，… is for that year too, and a heading
    that is no sentence (（一）布局一批前沿方向，技术创新实现新引领) opens the goal below it."""
    goals: list[Goal] = []
    heading: Paragraph | None = None
    for par in paragraphs(source, lines):
        if SUBHEADING.match(par.text) and not re.search("[。；]", par.text):
            heading = par
            continue
        # a goal under the one above: —— or （一）… after 到2025年，…
        under = heading is not None or par.text.strip().startswith("——") or bool(SUBHEADING.match(par.text))
        if heading is not None:
            par, heading = Paragraph(heading.text + par.text, heading.offsets + par.offsets, source), None
        text = par.text.strip()
        year = GOAL_YEAR.search(text)
        if year:
            year = int(year.group(1))
        elif goals and under:
            year = goals[-1].year
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


# --- pilot tasks, work tasks and measures ------------------------------------------------


def marker(text: str) -> tuple[str, int, int] | None:
    """``(style, value, end)`` of the list marker ``text`` starts with, if any."""
    for style, pattern in MARKERS:
        m = pattern.match(text)
        if m:
            raw = m.group(1)
            value = (CIRCLED.index(raw) + 1 if style == "circled"
                     else chinese_to_int(raw) if style == "chinese" else int(raw))
            return (style, value, m.end()) if value >= 1 else None  # lists count from 1
    return None


class _MeasureReader:
    """Reads pilot tasks （一）, their numbered work tasks and the measures under them.

    Work tasks may be numbered 1. 1． 1﹒ 1、 （1） or ①, mixed within one list, running on
    across pilot tasks or starting again at 1. A marker that starts again at 1 inside a work
    task opens a sub-list (the ①–⑤ items of one work task), whose items are measure text.
    """

    def __init__(self, source: SourceText):
        self.source = source
        self.annotations = AnnotationReader()
        self.pilot_tasks: list[PilotTask] = []
        self.pending: Paragraph | None = None  # measure text not yet closed by an annotation
        self.sub_list: tuple[str, int] | None = None  # (style, next value) of an open sub-list
        self.nested: set[str] = set()  # styles of the items read as text under the current work task
        self.in_box = False  # in a 专栏 box between items
        self.last_work_task = 0
        self.work_task_style: str | None = None
        self.tasks: list[Task] = []  # sections above pilot tasks
        self.groups: dict[int, Task] = {}  # id of a pilot task: the section task it belongs to
        self.group: Task | None = None  # the section task being read
        self.closing: Paragraph | None = None  # the plan's closing text after its last item

    def read(self, sections: list[_TaskSection]) -> list[PilotTask]:
        for index, section in enumerate(sections, start=1):
            pars = list(paragraphs(self.source, section.lines))
            first = len(self.pilot_tasks)
            number = section.number
            group = self.group = None
            if section.duties:
                self._duties(section, pars)
                self._place(self.pilot_tasks[first:], number, None)
                continue
            if (closing := self._field_list(pars)) is not None:
                self._fields(section, pars[:-1], closing)
                self._place(self.pilot_tasks[first:], number, None)
                continue
            if not any((found := marker(par.text)) and found[0] == "chinese" for par in pars):
                # No （一） under this section: the section itself is the task its items belong to
                # (一、支持工业互联网平台建设 → 1﹒…, or a flat list 一、…十二、 of measures).
                self._flush()
                self._section_task(section)
            elif _section_kind(section.title) != "measures":
                # 一、支持工业互联网平台建设 above its （一）…: a task of its own. A section that only
                # says its items are the tasks (三、主要任务) is not one.
                group = self.group = Task(number, section.title.rstrip(TITLE_END), _line_span(section.heading))
                self.tasks.append(group)
            self.in_box = False
            for par in pars:
                self._paragraph(par, index)
            if index == len(sections):
                self._closing()
            self._flush()
            self._place(self.pilot_tasks[first:], number, group)
        self._unique_keys()
        return self.pilot_tasks

    def _field_list(self, pars: list[Paragraph]) -> Annotation | None:
        """The closing item's annotation when the section's （一）… items are fields of one measure
        (80: （一）适用范围：… （二）办理流程：… （三）责任单位及承办科室：X，Y。), else None: every
        item but the last opens with a short label and a colon, and the last only names units."""
        items = [(par, found) for par in pars if (found := marker(par.text)) and found[0] == "chinese"]
        if len(items) < 2 or items[-1][0] is not pars[-1]:
            return None
        if not all(FIELD_LABEL.match(par.text, found[2]) for par, found in items[:-1]):
            return None
        return self._assignment_item(*items[-1])

    def _fields(self, section: _TaskSection, pars: list[Paragraph], closing: Annotation) -> None:
        """A section of fields: the section is the task, its fields one measure the closing item's
        units are responsible for."""
        self._flush()
        self._section_task(section)
        self._implicit_work_task()
        text = Paragraph("".join(p.text for p in pars), [o for p in pars for o in p.offsets], self.source)
        self._add_measure(text, closing, text.span())

    def _duties(self, section: _TaskSection, pars: list[Paragraph]) -> None:
        """A section of duties is a task; each paragraph that opens with units is a measure they
        are responsible for (or lead); the others (组长：张三) are not measures."""
        self._flush()
        self._section_task(section)
        for par in pars:
            for piece in _duty_pieces(par):
                self._add_measure(piece, read_duty(piece), piece.span())

    def _place(self, pilot_tasks: list[PilotTask], section: int, group: Task | None) -> None:
        """Heading levels and number paths of the tasks one section holds."""
        for pt in pilot_tasks:
            if pt.responsible_units and not pt.work_tasks:
                self._own_measure(pt)
            if pt.level != 1:  # not the section itself (_section_task)
                pt.level, pt.path = 2, f"{section}.{pt.number}"
            if group is not None:
                self.groups[id(pt)] = group
            for wt in pt.work_tasks:
                if wt.implicit:  # the task's own text: the same heading
                    wt.level, wt.path = pt.level, pt.path
                else:
                    wt.level, wt.path = pt.level + 1, f"{pt.path}.{wt.number}"

    def _own_measure(self, pt: PilotTask) -> None:
        """A task with no items under it whose annotation names units responsible for it is the
        work itself (55: （一）放宽外商投资建设工程设计企业外籍技术人员的限制（负责部门：A、B、C；…）):
        its text becomes its one measure, with those units, as the views and questions count
        measures; the units it leads stay the task's."""
        work_task = _own_work_task(pt)
        units, pt.responsible_units = pt.responsible_units, []
        work_task.measures.append(Measure(work_task.key, 1, pt.title, units, pt.span))

    def _paragraph(self, par: Paragraph, section: int) -> None:
        found = marker(par.text)
        style = found[0] if found else None
        if BOX.match(par.text):
            # 专栏1  工业互联网网络互联互通工程 and its text, set between items (01): a box of projects
            # beside the items, no measure of the item above it; it ends at the next numbered item
            self._flush()
            self.in_box = True
            return
        if self.in_box and not found:
            return
        self.in_box = False
        if found and (assignment := self._assignment_item(par, found)):
            self._flush()
            self._assign_list(assignment, style, par)
            return
        if style == "chinese":
            self.sub_list, self.nested = None, set()
            self._flush()
            self._pilot_task(par, found)
        elif style in ("number", "paren", "circled") and self._is_work_task(found):
            self._flush()
            self._work_task(par, found)
        else:
            if found:
                self.nested.add(found[0])
            if found and (self.sub_list is None or self.sub_list[0] == "label"):
                self.sub_list = (found[0], found[1] + 1)
            elif found and self.sub_list and found[0] == self.sub_list[0]:
                self.sub_list = (self.sub_list[0], found[1] + 1)
            self._text(par)

    def _assignment_item(self, par: Paragraph, found) -> Annotation | None:
        """The annotation of an item that only names units (（四）责任单位：X、Y。 after the
        section's （一）–（三）, 4. 责任单位：X after the task's 1.–3.), else None."""
        annotations = [a for a in self.annotations.find(par) if a.units or a.leads]
        if len(annotations) != 1 or par.text[found[2]:annotations[0].start].strip() \
                or par.text[annotations[0].end:].strip().strip("。；"):
            return None
        return annotations[0]

    def _assign_list(self, annotation: Annotation, style: str, par: Paragraph) -> None:
        """An item naming units assigns the list it closes: a section's （一）… items, the section
        (read as a task above them); a task's 1. … items, that task."""
        if style == "chinese" and self.group is not None:
            _assign(self.group, annotation)
            return
        if not self.pilot_tasks:
            raise DocumentError(self.source.path, par.line, "responsibility annotation before any numbered task")
        _assign(self.pilot_tasks[-1], annotation)

    def _is_work_task(self, found: tuple[str, int, int]) -> bool:
        style, value, _ = found
        if self.sub_list and self.sub_list[0] == "label" and value == 1:
            return False  # the first item the label announces
        if not self.pilot_tasks:
            return True
        current = self.pilot_tasks[-1]
        if not current.work_tasks:
            return True  # the first numbered item under a pilot task
        if self.sub_list and style == self.sub_list[0] and value == self.sub_list[1]:
            return False
        if style != self.work_task_style and style in self.nested:
            return False  # 58: ② of a ①② list inside item (3) of a (1)–(5) list inside work task 1.
        if value == self.last_work_task + 1:
            return True
        if value == 1 and style != self.work_task_style:
            return False  # a sub-list starts
        return not (self.sub_list and value == self.sub_list[1] and style != self.work_task_style)

    def _pilot_task(self, par: Paragraph, found) -> None:
        annotations = self.annotations.find(par)
        first_stop = par.text.find("。", found[2])
        announced = annotations and MEASURE_LABEL.match(par.text[annotations[0].end:].lstrip())
        if announced and par.text[annotations[0].end:].strip() != announced.group(0).strip():
            # 21: （二十三）…。（X牵头，Y负责）具体措施：2021年3月底前…（X牵头，…）: the task is
            # assigned by its own annotation; its measure follows the label
            title = par.text[found[2]:annotations[0].start].strip().rstrip(TITLE_END)
            _require_title(self.source, par, "pilot task", title)
            first = annotations[0]
            self.pilot_tasks.append(PilotTask(found[1], title, list(first.leads), [], par.slice(0, first.end).span(),
                                              responsible_units=list(first.responsible)))
            self.sub_list = None
            self._implicit_work_task()
            self._text(par.slice(first.end))
            return
        if annotations and 0 <= first_stop < annotations[0].start - 1 and not announced:
            # （一）加快某某。text…（牵头单位：X；责任单位：Y）: the first sentence is the title,
            # the rest a measure of the task's own, with every unit its annotation names. A task
            # that announces its measures (21: （二）…。…。（X牵头，Y负责）具体措施：) is assigned
            # by its annotation as a whole, as a one-sentence task is.
            title = par.text[found[2]:first_stop].strip()
            _require_title(self.source, par, "pilot task", title)
            self.pilot_tasks.append(PilotTask(found[1], title, [], [], par.slice(0, first_stop + 1).span()))
            self.sub_list = None
            self._implicit_work_task()
            # a sentence that is no heading (71: 引导…机构加大…支持力度，简化业务流程，…) is the measure's too
            self._text(par.slice(first_stop + 1 if _heading_like(title) else found[2]))
            return
        leads = [u for a in annotations for u in a.leads]
        others = [u for a in annotations for u in a.responsible]
        title = _without(par.text, annotations, found[2]).strip()
        label = LABEL_AT_END.search(title)
        title = title[:label.start()].strip() if label else title
        title = title.rstrip(TITLE_END)
        _require_title(self.source, par, "pilot task", title)
        self.pilot_tasks.append(PilotTask(found[1], title, leads, [], par.span(), responsible_units=others))
        self.sub_list = ("label", 1) if label else None

    def _section_task(self, section: _TaskSection) -> None:
        number = section.number
        title = section.title.rstrip(TITLE_END)
        self.pilot_tasks.append(PilotTask(number, title, [], [], _line_span(section.heading), level=1,
                                          path=str(number)))
        self.sub_list = None
        self.last_work_task = 0

    def _implicit_work_task(self) -> WorkTask:
        """The single work item of a task whose own text carries the annotation."""
        self.last_work_task = 1
        return _own_work_task(self.pilot_tasks[-1])

    def _work_task(self, par: Paragraph, found) -> None:
        if not self.pilot_tasks:
            raise DocumentError(self.source.path, par.line, "numbered work task before any pilot task （一）…")
        number = found[1]
        pilot_task = self.pilot_tasks[-1]
        for wt in pilot_task.work_tasks:
            if wt.number == number:
                raise DocumentError(
                    self.source.path, par.line,
                    f"work task number {number} is used twice (first on line {wt.span.line})",
                )
        label = MEASURE_LABEL.search(par.text)
        annotations = [a for a in self.annotations.find(par) if a.units or a.leads]
        if label:
            heading, rest = par.slice(0, label.start()), par.slice(label.start())
        elif annotations:
            # 1. 推进某某工作。具体内容……（A、B等负责）: the first sentence is the title, the
            # whole item is the measure.
            first_stop = par.text.find("。", found[2])
            cut = min(first_stop + 1 if first_stop >= 0 else len(par.text), annotations[0].start)
            heading = par.slice(0, cut)
            # The title alone is the measure when the annotation follows it directly, and so is a
            # first sentence that is no heading (03: 1．采取全市统一建设方式，…。建设统一资源库，…).
            more = par.text[cut:annotations[0].start].strip(" 　。")
            rest = par.slice(cut) if more and _heading_like(par.text[found[2]:cut].rstrip("。")) else par
        elif (stop := par.text.find("。", found[2])) >= 0 and par.text[stop + 1:].strip() \
                and _heading_like(par.text[found[2]:stop]):
            # 1.体检范围和对象。城镇房屋定期体检范围暂定为…: a run-in title, then what is to be done
            heading, rest = par.slice(0, stop + 1), par.slice(stop + 1)
        else:
            heading, rest = par, None
        title = heading.text[found[2]:].strip().rstrip(TITLE_END)
        _require_title(self.source, par, f"work task {number}", title)
        pilot_task.work_tasks.append(WorkTask(number, title, [], heading.span()))
        self.last_work_task = number
        self.work_task_style = found[0]
        self.sub_list, self.nested = None, set()
        if rest is not None:
            if rest is par:
                rest = par.slice(found[2])
            self._text(rest)

    def _text(self, par: Paragraph) -> None:
        self.pending = par if self.pending is None else Paragraph(
            self.pending.text + par.text, self.pending.offsets + par.offsets, self.source
        )
        done = 0
        for annotation in self.annotations.find(self.pending):
            self._add_measure(self.pending.slice(done, annotation.start), annotation,
                              self.pending.span(done, annotation.end))
            done = annotation.end
        rest = self.pending.text[done:]
        self.pending = self.pending.slice(done) if rest.strip(" 　。；，") else None
        if self.pending is not None and LABEL_AT_END.search(self.pending.text):
            self.sub_list = ("label", 1)

    def _closing(self) -> None:
        """Text after the last item of a plan that assigns its items, with no annotation and no
        number of its own, closes the plan (本措施自印发之日起施行…, 各地区要…, a page's links
        where no signature ends the body): it is no measure."""
        if self.pending is not None and self._assigns():
            self.closing, self.pending = self.pending, None

    def _assigns(self) -> bool:
        return any(m.units for pt in self.pilot_tasks for wt in pt.work_tasks for m in wt.measures) \
            or any(t.lead_units or t.responsible_units for t in [*self.pilot_tasks, *self.tasks])

    def _flush(self) -> None:
        if self.pending is not None and self.pending.text.strip("。；， 　"):
            self._add_measure(self.pending, None, self.pending.span())
        self.pending = None

    def _add_measure(self, text: Paragraph, annotation, span) -> None:
        if not self.pilot_tasks:
            raise DocumentError(self.source.path, span.line, "measure text before any numbered task")
        if not self.pilot_tasks[-1].work_tasks:
            if annotation is None:
                return  # text of a task before its first numbered item
            if not annotation.units and text.text.strip(" 　。；，,;") == "":
                # （一）某某任务（牵头单位：X）: the annotation names who leads the task
                self.pilot_tasks[-1].lead_units.extend(annotation.leads)
                return
            if text.text.strip(" 　。；，,;") == "" and self.group is not None:
                # 二、… （一）… （二）… （责任部门：X）: one annotation after the section's items
                # assigns the section
                _assign(self.group, annotation)
                return
            self._implicit_work_task()
        work_task = self.pilot_tasks[-1].work_tasks[-1]
        body = text.strip()
        while body.text and body.text[0] in "。；，,;":  # the stop after the previous measure's annotation
            body = body.slice(1).strip()
        labelled = False
        if label := MEASURE_LABEL.match(body.text):
            body, labelled = body.slice(label.end()), True
        found = marker(body.text)
        if found and (labelled or found[0] in ("circled", "paren")
                      or (self.sub_list and found[0] == self.sub_list[0])):
            body = body.slice(found[2])
        if not body.text.strip(" 　。；，,;"):  # a measure is its text: none, no measure
            if annotation is None:
                return  # a bare 落实措施： label
            raise DocumentError(self.source.path, span.line,
                                "responsibility annotation with no measure text before it")
        units = annotation.all_units if annotation else []
        measure = Measure(
            work_task.key, len(work_task.measures) + 1, body.text.strip(" 　"), units, span,
            leads=list(annotation.leads) if annotation else [],
            deadline=annotation.deadline if annotation else None,
            points=annotation.points if annotation else None,
        )
        work_task.measures.append(measure)

    def _unique_keys(self) -> None:
        """Keys for IRIs: the document's numbers, qualified where numbering starts again."""
        # Where pilot task numbers repeat, every pilot task is keyed by its position: keying
        # only the repeated ones so would collide with the numbers kept (1, 2, 1 → 1, 2, 3).
        pilot_numbers = [pt.number for pt in self.pilot_tasks]
        restarts = len(set(pilot_numbers)) < len(pilot_numbers)
        for k, pt in enumerate(self.pilot_tasks, start=1):
            pt.key = str(k) if restarts else str(pt.number)
        task_numbers = [t.number for t in self.tasks]
        restarts = len(set(task_numbers)) < len(task_numbers)
        for k, task in enumerate(self.tasks, start=1):
            task.key = str(k) if restarts else str(task.number)
        for pt in self.pilot_tasks:
            pt.parent = self.groups[id(pt)].key if id(pt) in self.groups else None
        work_numbers = [wt.number for pt in self.pilot_tasks for wt in pt.work_tasks]
        restarts = len(work_numbers) != len(set(work_numbers))
        for pt in self.pilot_tasks:
            for wt in pt.work_tasks:
                wt.key = f"{pt.key}-{wt.number}" if restarts else str(wt.number)
                for m in wt.measures:
                    m.work_task = wt.key


def _own_work_task(pilot_task: PilotTask) -> WorkTask:
    """The task's own text as its single work item (same title and span), added to it."""
    work_task = WorkTask(1, pilot_task.title, [], pilot_task.span, implicit=True)
    pilot_task.work_tasks.append(work_task)
    return work_task


def _assign(task: Task, annotation: Annotation) -> None:
    """The units ``annotation`` names, as the leads and responsible units of ``task``."""
    task.lead_units.extend(annotation.leads)
    task.responsible_units.extend(annotation.responsible)


def _duty_pieces(par: Paragraph) -> list[Paragraph]:
    """The duties in a paragraph, each from a line that opens with units (after its item marker,
    （一）市交通运输局负责…) to the next such line. Lines join into one paragraph while a line does
    not end a sentence, so 成员：…副局长 runs into the 领导小组负责… after it (57)."""
    opens = []
    for k in range(len(par.text)):
        if k and par.source.line_of(par.offsets[k]) == par.source.line_of(par.offsets[k - 1]):
            continue
        found = marker(par.text[k:])
        start = k + (found[2] if found else 0)
        if read_duty(par.slice(start)) is not None:
            opens.append(start)
    ends = [*opens[1:], len(par.text)]
    return [par.slice(start, end) for start, end in zip(opens, ends)]


def _line_span(line: Line) -> Span:
    return Span(line.start, line.start + len(line.text), line.number, line.number)


def _heading_like(title: str) -> bool:
    """A run-in title (加强组织领导。…), not a first sentence that says what to do (采取全市统一建设方式，
    …): short, with no clause in it."""
    return len(title.strip()) <= 30 and not re.search("[，,；;：:]", title)


def _require_title(source: SourceText, par: Paragraph, what: str, title: str) -> None:
    if not title.strip(" 　，。；："):
        raise DocumentError(source.path, par.line, f"{what} has no title: {par.text[:40]}")


def _without(text: str, annotations: list, start: int) -> str:
    parts, pos = [], start
    for a in annotations:
        parts.append(text[pos:a.start])
        pos = a.end
    parts.append(text[pos:])
    return "".join(parts)
