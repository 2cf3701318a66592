"""Parsing a plan's text into the document model.

The parser reads the genre, not one file: a notice head (文号, title, recipients, signature,
date; :mod:`.head`), numbered sections (一、…) recognised by what their titles say
(:mod:`.sections`), numbered tasks under them with their responsibility annotations
(:mod:`.measures`), principles, stages, goals and safeguards (:mod:`.parts`), and an annexed
task-division table (:mod:`.annex`). This module puts them together, document by document.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import DocumentError
from .annex import parse_annex
from .decode import Line, SourceText
from .head import is_title, read_metadata, sign_from_closing, tail_start
from .lines import logical_lines, paragraphs
from .markers import marker
from .measures import MeasureReader
from .model import Metadata, PlanDocument, Principle, Safeguard
from .parts import parse_numbered, parse_stages, plan_goals
from .sections import (
    ANNEX_START,
    Heading,
    annex_start,
    duties_annex,
    item_headings,
    section_headings,
    split_run_in_sections,
    task_sections,
)
from .slugs import slugify

__all__ = ["marker", "parse_documents", "parse_plan", "parse_plans", "parse_source"]


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
    lines = split_run_in_sections(logical_lines(source))
    headings = section_headings(lines)
    if not headings:
        # No 一、: the top-level items are the sections (1.简化装修施工许可。… or （一）…).
        lines, headings = item_headings(lines)
    starts = _document_starts(lines, headings)
    documents = [_parse(source, lines[:starts[0]] if starts else lines, headings, slug)]
    if starts and headings:
        # the notice names them all (《A》和《B》); the first document's own title is above its text
        above = [line.text.strip() for line in lines[:headings[0].index] if line.text.strip()][-3:]
        own = next((text for text in reversed(above) if is_title(text)), None)
        documents[0].metadata.title = own or documents[0].metadata.title
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        part = lines[start:end]
        documents.append(_parse(source, part, section_headings(part), f"{slug}-{k + 2}",
                                documents[0].metadata))
    return documents


PART = re.compile(r"^第[一二三四五六七八九十]+部分")


def _document_starts(lines: list[Line], headings: list[Heading]) -> list[int]:
    """Where a further document begins: its own title line, after which the sections start again
    at 一、 (支持工业互联网发展若干政策 一、…八、, then 安徽省工业互联网创新发展行动计划 一、…)."""
    starts = []
    for previous, heading in zip(headings, headings[1:]):
        if heading.number != 1 or previous.number < 2:
            continue
        above = [i for i in range(previous.index + 1, heading.index) if lines[i].text.strip()][-3:]
        # not 第三部分 保障措施, a part of this document whose sections number from 一、 again
        title = next((i for i in above if is_title(lines[i].text.strip()) and not PART.match(lines[i].text.strip())), None)
        if title is not None and not any("\t" in line.text or ANNEX_START.match(line.text.strip())
                                         for line in lines[previous.index:title]):
            starts.append(title)
    return starts


def _parse(source: SourceText, lines: list[Line], headings: list[Heading], slug: str,
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
    annex_at = annex_start(lines, first)
    body_end = tail_start(lines, headings[-1].index if headings else first, annex_at)
    headings = [h for h in headings if h.index < body_end]

    metadata = read_metadata(source, lines[:first], lines[body_end:annex_at], notice)
    sections: dict[str, list[Line]] = {}
    for_tasks = task_sections(source, lines, headings, body_end, sections)
    annex_lines = ([line for line in source.lines if line.number >= lines[annex_at].number]
                   if annex_at < len(lines) else [])
    if annex_lines and not any("\t" in line.text for line in annex_lines):
        # An annex that is a numbered list, not a table (考评指标: 一、… 1．…（6月底完成，牵头考核单位：…）),
        # is read for tasks as the body is.
        rest = lines[annex_at:]
        headings_in_annex = section_headings(rest)
        for_tasks += (task_sections(source, rest, headings_in_annex, len(rest), {}) if headings_in_annex
                          else duties_annex(source, rest, len(for_tasks) + 1))
        annex_lines = []

    ideology = sections.get("ideology")
    reader = MeasureReader(source)
    pilot_tasks = reader.read(for_tasks)
    sign_from_closing(metadata, source, reader.closing)
    annex = parse_annex(source, annex_lines)
    if not pilot_tasks and not any(row.units or row.lead_units for row in annex):
        raise DocumentError(
            source.path, lines[first].number,
            "not an implementation plan: no tasks found: no section titled 措施/任务 and no "
            "responsibility annotation (（责任单位：…）, （X牵头，Y配合）, …) under any numbered section",
        )
    principles = parse_numbered(source, sections.get("principles", []), Principle)
    # stages set out in the goals section hold the goals (Gaoqing); a section of steps (五、推进计划)
    # leaves the goals section the plan's own goals (58)
    stages = parse_stages(source, sections.get("goals", []))
    goals = [] if stages else plan_goals(source, sections.get("goals", []))
    stages = stages or parse_stages(source, sections.get("stages", []))
    safeguards = parse_numbered(source, sections.get("safeguards", []), Safeguard)
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


def _refuse_repeated_numbers(source: SourceText, what: str, items) -> None:
    """Items of one list are named by their numbers; two with one number would merge."""
    first: dict[int, int] = {}
    for item in items:
        if item.number in first:
            raise DocumentError(source.path, item.span.line,
                                f"{what} number {item.number} is used twice (first on line {first[item.number]})")
        first[item.number] = item.span.line
