"""The document model: what the parser reads from a plan, with where it read it.

Plain dataclasses: parsing fills them, mapping turns them into RDF. Nothing here knows RDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

BODY = "body"
ANNEX = "annex"


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of the decoded source text, on lines line..end_line."""

    start: int
    end: int
    line: int
    end_line: int
    part: str = BODY


@dataclass(frozen=True)
class UnitMention:
    """A unit's name exactly as the document writes it, and where."""

    name: str
    span: Span
    aliases: tuple[str, ...] = ()  # other names the document gives in brackets: 区委宣传部（区文明办）
    marked_lead: bool = False  # written as the lead among its list: 县发改局（牵头）


@dataclass
class Metadata:
    doc_number: str | None = None  # 文号
    issuer: str | None = None  # the issuing body, as signed (the first, where several sign)
    co_issuers: list[str] = field(default_factory=list)  # the bodies that sign with it, in order
    issued: date | None = None  # signed (成文日期)
    published: date | None = None  # the day the web page carrying it was published (发布日期), if it says
    notice_title: str | None = None
    title: str | None = None  # the plan's own title
    recipients: list[str] = field(default_factory=list)
    release_note: str | None = None
    context: str | None = None  # the sentence giving the plan's occasion
    jurisdiction: str | None = None  # e.g. 高青县, read from the issuer's name


@dataclass
class Principle:
    number: int
    title: str
    text: str
    span: Span


@dataclass
class Goal:
    number: int
    text: str
    span: Span
    year: int | None = None  # the year it is set for (到2025年), where the plan's own goals say so


@dataclass
class Stage:
    number: int
    name: str  # e.g. 第一阶段
    start_year: int
    end_year: int | None  # None: open-ended (（2026年1月1日以后持续开展此项工作）)
    summary: str
    goals: list[Goal]
    span: Span


@dataclass
class Measure:
    work_task: str  # the key of its work task
    number: int  # position within the work task, from 1
    text: str
    units: list[UnitMention]  # every unit the annotation names, leads first
    span: Span
    leads: list[UnitMention] = field(default_factory=list)  # those named as leading
    deadline: str | None = None  # e.g. 6月底完成
    points: str | None = None  # e.g. 0.5分, in assessment-style plans

    @property
    def id(self) -> str:
        return f"{self.work_task}.{self.number}"


@dataclass
class Task:
    """A numbered heading that groups tasks: 一、支持工业互联网平台建设 above its （一）…（三）.

    Pilot tasks and work tasks are the two named levels of the genre (试验任务 and its 工作任务); a
    document with a further level above them has these. ``level`` is the heading's depth in the
    document (一、 is 1) and ``path`` the numbers of the headings down to it, as "1.2.3".
    """

    number: int
    title: str
    span: Span
    level: int = 1
    path: str = ""
    key: str = ""  # unique in the document
    # units an annotation after the section's items names for the whole section
    lead_units: list[UnitMention] = field(default_factory=list)
    responsible_units: list[UnitMention] = field(default_factory=list)

    def __post_init__(self):
        self.path = self.path or str(self.number)
        self.key = self.key or self.path


@dataclass
class WorkTask:
    number: int
    title: str
    measures: list[Measure]
    span: Span
    key: str = ""  # unique in the document: the number, or pilot-task.number where numbering restarts
    level: int = 0  # depth of its heading in the document (一、 is 1); 0: not known
    path: str = ""  # the numbers of its headings, as "3.1.2"
    implicit: bool = False  # no heading of its own: the text of a pilot task that carries an annotation

    def __post_init__(self):
        self.key = self.key or str(self.number)


@dataclass
class PilotTask:
    number: int
    title: str
    lead_units: list[UnitMention]
    work_tasks: list[WorkTask]
    span: Span
    key: str = ""  # unique in the document: the number, or section.number where numbering restarts
    # the other units the task's own annotation names: （X牵头，Y、Z按职责分工负责） on a task
    responsible_units: list[UnitMention] = field(default_factory=list)
    level: int = 0  # depth of its heading in the document (一、 is 1); 0: not known
    path: str = ""  # the numbers of its headings, as "3.1"
    parent: str | None = None  # key of the Task it belongs to, if the document has that level

    def __post_init__(self):
        self.key = self.key or str(self.number)


@dataclass
class Safeguard:
    number: int
    title: str
    text: str
    bodies: list[UnitMention]
    span: Span


@dataclass
class AnnexRow:
    """A data row of the task-division table, merged (empty) cells filled from above."""

    row: int  # 1-based among data rows
    pilot_task: str
    lead_units: list[UnitMention]
    work_task: str
    text: str
    units: list[UnitMention]
    span: Span
    deadline: str | None = None  # the 完成时限 cell


@dataclass
class PlanDocument:
    path: str
    slug: str  # ASCII name from the file name, used in IRIs
    text: str  # the decoded text all spans point into
    metadata: Metadata
    guiding_ideology: str | None
    principles: list[Principle]
    stages: list[Stage]
    pilot_tasks: list[PilotTask]
    safeguards: list[Safeguard]
    annex: list[AnnexRow]
    tasks: list[Task] = field(default_factory=list)  # headings above the pilot tasks, where there are any
    goals: list[Goal] = field(default_factory=list)  # the plan's goals where they are not by stage (工作目标)
    # the text it was read from: a published file's text knows where each offset was in the original
    source: object = field(default=None, repr=False, compare=False)
    lines: tuple[int, int] | None = None  # its first and last line, where a file holds several documents

    def work_tasks(self) -> list[WorkTask]:
        return [wt for pt in self.pilot_tasks for wt in pt.work_tasks]

    def measures(self) -> list[Measure]:
        return [m for wt in self.work_tasks() for m in wt.measures]

    def assigning_task(self, pilot_task: PilotTask) -> PilotTask | Task | None:
        """The nearest task above ``pilot_task``'s measures that names units for itself as a whole:
        the pilot task, or the section task it belongs to (53: （责任部门：X） after a section's items).
        Its units are responsible for those of its measures that name none of their own."""
        section = next((t for t in self.tasks if t.key == pilot_task.parent), None) if pilot_task.parent else None
        return next((t for t in (pilot_task, section) if t is not None and (t.lead_units or t.responsible_units)), None)
