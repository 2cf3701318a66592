"""Parsing a plan's text into the document model.

The parser reads the genre, not one file: a notice head (文号, title, recipients, signature,
date), numbered sections (一、…) recognised by what their titles say, numbered tasks under
them with their responsibility annotations, and an annexed task-division table.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from .annotations import ROLE_LEAD, ROLE_RESPONSIBLE, Annotation, find_annotations
from .annex import parse_annex
from .errors import DocumentError
from .layout import CHINESE_NUMERAL, Paragraph, line_paragraph, paragraphs
from .model import (
    Goal,
    Measure,
    Metadata,
    PilotTask,
    PlanDocument,
    Principle,
    Safeguard,
    Stage,
    UnitMention,
    WorkTask,
)
from .numerals import CIRCLED, chinese_to_int
from .slugs import slugify
from .sources import Line, SourceText, read_source

SECTION_HEADING = re.compile(rf"^([{CHINESE_NUMERAL}]+)、\s*(\S.{{0,30}})$")
SUBHEADING = re.compile(rf"^[（(]([{CHINESE_NUMERAL}]+)[)）]\s*(.*)$", re.S)
WORK_TASK = re.compile(r"^(\d{1,3})\s*[.．﹒、]\s*(.*)$", re.S)
STAGE = re.compile(
    r"^(第.{1,3}阶段)?\s*[（(]?\s*(\d{4})\s*年?\s*[—–\-－~～至到]+\s*(\d{4})\s*年?\s*[)）]?\s*[：:]?\s*(.*)$",
    re.S,
)
MEASURE_LABEL = re.compile(r"^(?:落实措施|具体措施|主要措施|工作措施)\s*[：:]\s*")
GOALS_LABEL = re.compile(r"^具体(?:内容|目标)(?:为|是|包括)?\s*[：:]\s*")
ANNEX_START = re.compile(r"^附件\s*\d*\s*$")
ATTACHMENT_LIST = re.compile(r"^附件\s*\d*\s*[：:]")
DOC_NUMBER = re.compile(r"\S+?[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号")
DATE_LINE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
RELEASE_NOTE = re.compile(r"^[（(](此件[^)）]*)[)）]$")
JURISDICTION = re.compile(r"^(.+?(?:自治县|自治州|县|市|区|旗|州|省))(?:人民政府|政府|委员会|党委|办公室)")
SELECTION_WORDS = ("入选", "确定为", "列为", "批准", "获批")
BODY_SUFFIX = "(?:领导小组办公室|领导小组|联席会议|指挥部|工作专班|委员会)"
BODY_NAME = re.compile(rf"[\u4e00-\u9fff]+?{BODY_SUFFIX}")
LEADING_VERBS = re.compile(r"^(?:依托|建立|成立|设立|召开|通过|健全|完善|发挥|充分发挥|由|在)+")

SECTION_KINDS = (
    ("ideology", ("指导思想",)),
    ("principles", ("原则",)),
    ("goals", ("目标",)),
    ("safeguards", ("保障",)),
    ("measures", ("措施", "任务")),
)


def parse_plan(path: str | Path) -> PlanDocument:
    """Read one plan file and parse it."""
    return parse_source(read_source(path))


def parse_source(source: SourceText, slug: str | None = None) -> PlanDocument:
    """Parse decoded text (see :func:`policykg.sources.SourceText.from_text`)."""
    lines = source.lines
    headings = [
        (i, m) for i, line in enumerate(lines)
        if (m := SECTION_HEADING.match(line.text.strip())) and not _is_sentence(m.group(2))
    ]
    if not headings:
        raise DocumentError(
            source.path, 1,
            "not an implementation plan: no numbered sections (一、指导思想, 二、… ) found",
        )
    first = headings[0][0]
    body_end = _annex_start(lines, first)
    headings = [(i, m) for i, m in headings if i < body_end]

    metadata = _parse_head(source, lines[:first])
    sections: dict[str, list[Line]] = {}
    for k, (i, match) in enumerate(headings):
        end = headings[k + 1][0] if k + 1 < len(headings) else body_end
        kind = _section_kind(match.group(2))
        if kind and kind not in sections:
            sections[kind] = lines[i + 1:end]

    ideology = sections.get("ideology")
    pilot_tasks = _parse_measures(source, sections.get("measures", []))
    annex = parse_annex(source, lines[body_end:])
    if not pilot_tasks:
        raise DocumentError(
            source.path, lines[headings[0][0]].number,
            "not an implementation plan: no pilot tasks （一）… found under a 措施/任务 section",
        )
    return PlanDocument(
        path=source.path,
        slug=slug or slugify(Path(source.path).stem),
        text=source.text,
        metadata=metadata,
        guiding_ideology="".join(p.text for p in paragraphs(source, ideology)) if ideology else None,
        principles=_parse_numbered(source, sections.get("principles", []), Principle),
        stages=_parse_stages(source, sections.get("goals", [])),
        pilot_tasks=pilot_tasks,
        safeguards=_parse_numbered(source, sections.get("safeguards", []), Safeguard),
        annex=annex,
    )


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


def _parse_head(source: SourceText, lines: list[Line]) -> Metadata:
    meta = Metadata()
    texts = [(line, line.text.strip().replace("**", "").strip()) for line in lines]
    texts = [(line, text) for line, text in texts if text]
    number_at = date_at = recipients_at = None
    for k, (line, text) in enumerate(texts):
        if meta.doc_number is None and (m := DOC_NUMBER.fullmatch(text)):
            meta.doc_number, number_at = re.sub(r"\s", "", m.group(0)), k
        elif meta.issued is None and (m := DATE_LINE.match(text)):
            try:
                meta.issued = date(*map(int, m.groups()))
            except ValueError:
                raise DocumentError(source.path, line.number, f"not a valid date: {text}") from None
            date_at = k
        elif meta.release_note is None and (m := RELEASE_NOTE.match(text)):
            meta.release_note = m.group(1)
        elif recipients_at is None and text.endswith(("：", ":")) and not _is_title(text):
            meta.recipients = [r for r in re.split("[，、,；]", text.rstrip("：:")) if r]
            recipients_at = k

    start = number_at + 1 if number_at is not None else 0
    end = recipients_at if recipients_at is not None else len(texts)
    notice = "".join(text for _, text in texts[start:end] if "通知" in "".join(t for _, t in texts[start:end]))
    if notice:
        meta.notice_title = notice
    if date_at is not None and date_at > 0 and not _is_sentence(texts[date_at - 1][1]):
        meta.issuer = texts[date_at - 1][1]
    elif meta.notice_title and "关于" in meta.notice_title:
        meta.issuer = meta.notice_title.split("关于", 1)[0] or None

    after_date = texts[(date_at or 0) + 1:]
    titles = [k for k, (_, text) in enumerate(after_date) if _is_title(text)]
    if titles:
        meta.title = after_date[titles[0]][1]
        preface = after_date[titles[0] + 1:]
    else:
        quoted = re.search("《(.+?)》", meta.notice_title or "")
        meta.title = quoted.group(1) if quoted else None
        preface = [t for t in after_date if not RELEASE_NOTE.match(t[1])]
    sentences = [s + "。" for text in (t for _, t in preface) for s in text.split("。") if s.strip()]
    if sentences:
        chosen = [s for s in sentences if any(w in s for w in SELECTION_WORDS)]
        meta.context = (chosen or sentences)[0]
    if meta.issuer and (m := JURISDICTION.match(meta.issuer)):
        meta.jurisdiction = m.group(1)
    return meta


def _is_title(text: str) -> bool:
    return (
        len(text) <= 60
        and not _is_sentence(text)
        and text.endswith(("方案", "计划", "要点", "意见", "办法"))
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


def _goals(par: Paragraph, already: int) -> list[Goal]:
    goals = []
    for m in re.finditer(r"[^。；]+[。；]?", par.text):
        text = m.group(0).strip()
        if text.strip("。；"):
            goals.append(Goal(already + len(goals) + 1, text, par.span(m.start(), m.end())))
    return goals


# --- pilot tasks, work tasks and measures ------------------------------------------------


def _parse_measures(source: SourceText, lines: list[Line]) -> list[PilotTask]:
    pilot_tasks: list[PilotTask] = []
    pending: Paragraph | None = None  # measure text read but not yet closed by an annotation
    seen_work_tasks: dict[int, int] = {}

    def flush() -> None:
        nonlocal pending
        if pending is not None and pending.text.strip("。；， "):
            add_measure(pending, [], pending.span())
        pending = None

    def add_measure(text: Paragraph, units: list[UnitMention], span) -> None:
        if not pilot_tasks or not pilot_tasks[-1].work_tasks:
            raise DocumentError(source.path, text.line, "measure text before any numbered work task")
        work_task = pilot_tasks[-1].work_tasks[-1]
        body = text.strip()
        if label := MEASURE_LABEL.match(body.text):
            body = body.slice(label.end())
        if body.text[:1] in CIRCLED:
            body = body.slice(1)
        number = len(work_task.measures) + 1
        work_task.measures.append(Measure(work_task.number, number, body.text.strip(), units, span))

    for par in paragraphs(source, lines):
        head = SUBHEADING.match(par.text)
        if head:
            flush()
            annotations = find_annotations(par)
            leads = [u for a in annotations if a.role == ROLE_LEAD for u in a.units]
            title = _without(par.text, annotations, head.start(2)).strip().rstrip("。.")
            pilot_tasks.append(
                PilotTask(chinese_to_int(head.group(1)), title, leads, [], par.span())
            )
            continue
        task = WORK_TASK.match(par.text)
        if task:
            flush()
            if not pilot_tasks:
                raise DocumentError(source.path, par.line, "numbered work task before any pilot task （一）…")
            number = int(task.group(1))
            if number in seen_work_tasks:
                raise DocumentError(
                    source.path, par.line,
                    f"work task number {number} is used twice (first on line {seen_work_tasks[number]})",
                )
            seen_work_tasks[number] = par.line
            label = MEASURE_LABEL.search(par.text)
            heading = par.slice(0, label.start()) if label else par
            title = heading.text[task.start(2):].strip().rstrip("。.")
            pilot_tasks[-1].work_tasks.append(WorkTask(number, title, [], heading.span()))
            if label is None:
                continue
            par = par.slice(label.start())
        pending = par if pending is None else Paragraph(
            pending.text + par.text, pending.offsets + par.offsets, source
        )
        done = 0
        for annotation in find_annotations(pending):
            if annotation.role == ROLE_RESPONSIBLE:
                add_measure(pending.slice(done, annotation.start), annotation.units,
                            pending.span(done, annotation.end))
                done = annotation.end
        pending = pending.slice(done) if pending.text[done:].strip() else None
    flush()
    return pilot_tasks


def _without(text: str, annotations: list[Annotation], start: int) -> str:
    parts, pos = [], start
    for a in annotations:
        parts.append(text[pos:a.start])
        pos = a.end
    parts.append(text[pos:])
    return "".join(parts)
