"""Reconciling the body of a plan with its annexed table, and linking goals to pilot tasks.

Each annex row is aligned to the body measure whose text it matches best (fuzzy substring
matching, never row position); its work task and pilot task cells to the body titles they
match best. Every disagreement becomes a :class:`Discrepancy`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..text.model import AnnexRow, Measure, PilotTask, PlanDocument, UnitMention, WorkTask
from ..text.numerals import CIRCLED
from .registry import Unit

MIN_MEASURE_SCORE = 60.0  # below this an annex row matches no body measure
MIN_TITLE_SCORE = 50.0
MIN_GOAL_SCORE = 90.0
TRAILING = "。；，、.;,:：!！?？ "
TASK_VERBS = re.compile(r"^(?:建立健全|建立|搭建|构建|健全|完善|建设|推进|推动|实施|加强|创新|打造)")

# Kinds in the order the report lists them; the values are the skos:notation in the ontology.
KINDS = ("lead-units", "responsible-units", "work-task", "unit-name", "title-text", "measure-text", "unmatched")


@dataclass
class Alignment:
    row: AnnexRow
    measure: Measure | None
    score: float
    work_task: WorkTask | None  # the body work task the row's 工作任务 cell names
    pilot_task: PilotTask | None  # the body pilot task the row's 试验任务 cell names


@dataclass
class Discrepancy:
    kind: str  # one of KINDS
    subject: tuple[str, str]  # ("pilot-task", "4"), ("work-task", "10"), ("measure", "4.2"), ("unit", slug)
    body_value: str
    annex_value: str
    rows: list[int] = field(default_factory=list)  # annex rows making the claim

    def describe(self) -> str:
        label = {"pilot-task": "pilot task", "work-task": "work task", "measure": "measure",
                 "unit": "unit", "annex-entry": "annex row"}[self.subject[0]]
        where = f"annex row{'s' if len(self.rows) > 1 else ''} {', '.join(map(str, self.rows))}" if self.rows else ""
        return f"{self.kind}: {label} {self.subject[1]}" + (f" ({where})" if where else "")


@dataclass
class GoalLink:
    stage: int
    goal: int
    pilot_task: str  # the key of the pilot task
    score: float


@dataclass
class Reconciliation:
    alignments: list[Alignment]
    discrepancies: list[Discrepancy]
    goal_links: list[GoalLink]


def normalize(text: str) -> str:
    """Text for comparison: no whitespace, no leading list marker, no trailing punctuation."""
    text = re.sub(r"\s+", "", text)
    text = text.lstrip(CIRCLED)
    return text.rstrip(TRAILING)


def reconcile(doc: PlanDocument, resolve: Callable[[str], Unit]) -> Reconciliation:
    """Align ``doc``'s annex with its body and list their disagreements.

    ``resolve`` maps a unit name as written to its unit, so that two spellings of one unit
    count as the same unit (and as a unit-name discrepancy, not a different unit).
    """
    measures = doc.measures()
    work_tasks = doc.work_tasks()
    alignments = [_align(row, measures, work_tasks, doc.pilot_tasks) for row in doc.annex]
    found: dict[tuple, Discrepancy] = {}

    def note(kind, subject, body_value, annex_value, row):
        key = (kind, subject, body_value, annex_value)
        item = found.setdefault(key, Discrepancy(kind, subject, body_value, annex_value))
        if row is not None and row not in item.rows:
            item.rows.append(row)

    work_task_of = {wt.key: wt for wt in work_tasks}
    for a in alignments:
        row = a.row.row
        if a.pilot_task is not None:
            pt = a.pilot_task
            subject = ("pilot-task", pt.key)
            if normalize(pt.title) != normalize(a.row.pilot_task):
                note("title-text", subject, pt.title, a.row.pilot_task, row)
            if a.row.lead_units:
                _compare_units(note, "lead-units", subject, pt.lead_units, a.row.lead_units, resolve, row)
        if a.measure is None:
            note("unmatched", ("annex-entry", str(row)), "", a.row.text, row)
            continue
        m = a.measure
        subject = ("measure", m.id)
        body_wt = work_task_of[m.work_task]
        if a.work_task is not None and a.work_task is not body_wt:
            note("work-task", subject, f"{body_wt.number}. {body_wt.title}", a.row.work_task, row)
        elif a.work_task is not None and normalize(body_wt.title) != normalize(a.row.work_task):
            note("title-text", ("work-task", body_wt.key), body_wt.title, a.row.work_task, row)
        _compare_units(note, "responsible-units", subject, m.units, a.row.units, resolve, row)
        body_text, annex_text = normalize(m.text), normalize(a.row.text)
        if annex_text not in body_text:
            note("measure-text", subject, _aligned_excerpt(m.text, a.row.text), a.row.text, row)

    aligned = {a.measure.id for a in alignments if a.measure is not None}
    if doc.annex:
        for m in measures:
            if m.id not in aligned:
                note("unmatched", ("measure", m.id), m.text, "", None)

    order = {kind: k for k, kind in enumerate(KINDS)}
    discrepancies = sorted(
        found.values(),
        key=lambda d: (order[d.kind], _subject_key(d.subject), d.rows, d.body_value, d.annex_value),
    )
    return Reconciliation(alignments, discrepancies, link_goals(doc))


def _align(row: AnnexRow, measures: list[Measure], work_tasks: list[WorkTask],
           pilot_tasks: list[PilotTask]) -> Alignment:
    work_task, _ = _best_title(row.work_task, work_tasks)
    pilot_task, _ = _best_title(row.pilot_task, pilot_tasks)
    text = normalize(row.text)
    best, best_key = None, None
    for index, m in enumerate(measures):
        score = fuzz.partial_ratio(text, normalize(m.text))
        # Ties go to a measure under the work task the row names, then to the earlier one.
        key = (score, work_task is not None and m.work_task == work_task.key, -index)
        if best_key is None or key > best_key:
            best, best_key = m, key
    score = best_key[0] if best_key else 0.0
    if score < MIN_MEASURE_SCORE:
        best = None
    return Alignment(row, best, round(score, 1), work_task, pilot_task)


def _best_title(cell: str, tasks):
    if not cell:
        return None, 0.0
    scored = [(fuzz.ratio(normalize(cell), normalize(t.title)), -k, t) for k, t in enumerate(tasks)]
    if not scored:
        return None, 0.0
    score, _, task = max(scored, key=lambda s: (s[0], s[1]))
    return (task, score) if score >= MIN_TITLE_SCORE else (None, score)


def _compare_units(note, kind, subject, body: list[UnitMention], annex: list[UnitMention], resolve, row):
    body_units = {resolve(u.name).slug: u.name for u in body}
    annex_units = {resolve(u.name).slug: u.name for u in annex}
    if set(body_units) != set(annex_units):
        note(kind, subject, "、".join(u.name for u in body), "、".join(u.name for u in annex), row)
    for slug in sorted(set(body_units) & set(annex_units)):
        if body_units[slug] != annex_units[slug]:
            note("unit-name", ("unit", slug), body_units[slug], annex_units[slug], row)


def _aligned_excerpt(body: str, annex: str) -> str:
    """The stretch of ``body`` that ``annex`` corresponds to, from its first to its last match."""
    matcher = difflib.SequenceMatcher(a=body, b=annex, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size >= 4]
    if not blocks:
        return body
    start, end = blocks[0].a, blocks[-1].a + blocks[-1].size
    while end < len(body) and body[end] in TRAILING:
        end += 1
    return body[start:end]


def _subject_key(subject: tuple[str, str]):
    kind, value = subject
    parts = tuple(int(p) if p.isdigit() else 0 for p in value.split("."))
    return (kind, parts, value)


def changes(body: str, annex: str) -> str:
    """A short rendering of how ``annex`` differs from ``body``: ``…前文[-删去][+加上]后文…``."""
    matcher = difflib.SequenceMatcher(a=body, b=annex, autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segment = body[i1:i2]
            out.append(segment if len(segment) <= 12 else f"{segment[:6]}…{segment[-6:]}")
        else:
            if i2 > i1:
                out.append(f"[-{body[i1:i2]}]")
            if j2 > j1:
                out.append(f"[+{annex[j1:j2]}]")
    return "".join(out)


def link_goals(doc: PlanDocument) -> list[GoalLink]:
    """Goals that name a pilot task: the task's title, less its leading verb, is in the goal."""
    links = []
    for stage in doc.stages:
        for goal in stage.goals:
            text = normalize(goal.text)
            for pt in doc.pilot_tasks:
                core = TASK_VERBS.sub("", normalize(pt.title))
                score = 100.0 if core in text else fuzz.partial_ratio(core, text)
                if score >= MIN_GOAL_SCORE:
                    links.append(GoalLink(stage.number, goal.number, pt.key, round(score, 1)))
    return links
