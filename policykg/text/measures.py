"""Tasks and measures: pilot tasks, work tasks and the measures their annotations close, read
section by section (see :class:`MeasureReader`)."""

from __future__ import annotations

import re

from ..errors import DocumentError
from .annotations import DEADLINE_LABEL, Annotation, AnnotationReader, read_duty
from .decode import Line, SourceText
from .lines import Paragraph, paragraphs
from .markers import heading_like, marker
from .model import Measure, PilotTask, Span, Task, WorkTask
from .sections import TaskSection, section_kind

MEASURE_LABEL = re.compile(r"^(?:落实措施|具体措施|主要措施|工作措施)\s*[：:]\s*")
# 具体措施： closing a paragraph: the numbered items that follow are the measures it announces.
# （一）适用范围：… （二）办理流程：…: an item that is a field of the measure its section describes
# What a heading's title does not keep at its end: its full stop, or the colon that introduces the
# list under it (80: （一）供水配套设施完善： 1. … 2. …)
TITLE_END = "。.：:"
FIELD_LABEL = re.compile(r"\s*[\u4e00-\u9fff、]{2,12}\s*[：:]")
LABEL_AT_END = re.compile(r"(?:落实措施|具体措施|主要措施|工作措施)\s*[：:]\s*$")
BOX = re.compile(r"^专栏\s*\d+(?![\d.．])")


class MeasureReader:
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
        self.section_start = 0  # the first pilot task of the section being read
        self.last_work_task = 0
        self.work_task_style: str | None = None
        self.tasks: list[Task] = []  # sections above pilot tasks
        self.groups: dict[int, Task] = {}  # id of a pilot task: the section task it belongs to
        self.group: Task | None = None  # the section task being read
        self.closing: Paragraph | None = None  # the plan's closing text after its last item

    def read(self, sections: list[TaskSection]) -> list[PilotTask]:
        for index, section in enumerate(sections, start=1):
            pars = list(paragraphs(self.source, section.lines))
            first = self.section_start = len(self.pilot_tasks)
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
            elif section_kind(section.title) != "measures":
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

    def _fields(self, section: TaskSection, pars: list[Paragraph], closing: Annotation) -> None:
        """A section of fields: the section is the task, its fields one measure the closing item's
        units are responsible for."""
        self._flush()
        self._section_task(section)
        self._implicit_work_task()
        text = Paragraph("".join(p.text for p in pars), [o for p in pars for o in p.offsets], self.source)
        self._add_measure(text, closing, text.span())

    def _duties(self, section: TaskSection, pars: list[Paragraph]) -> None:
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
            # a task with nothing under it that names units, or that is a sentence, not a heading (53:
            # （三）个人转让自用五年以上…的所得，暂免征收个人所得税。), is the work itself
            if not pt.work_tasks and (pt.responsible_units or (pt.level != 1 and not heading_like(pt.title))):
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
        """A task with no items under it is the work itself when its annotation names units
        responsible for it (55: （一）放宽外商投资建设工程设计企业外籍技术人员的限制（负责部门：A、B、C；…）) or
        its text is a sentence: its text becomes its one measure, with those units, as the views
        and questions count measures; the units it leads stay the task's."""
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
        if not found and self.group is not None and (closing := self._list_annotation(par)):
            # 53: 二、… （一）认房不认贷。… （二）…。 then （责任部门：X） on its own: none of the items names
            # units of its own, so the annotation after them names X for the section, not item （二）
            self._flush()
            _assign(self.group, closing)
            return
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

    def _list_annotation(self, par: Paragraph) -> Annotation | None:
        """A paragraph that is one annotation and nothing else, after two or more items of the
        section being read none of which names units of its own; else None (after one item, or
        after items with their own, it is the last item's: 49 writes 责任单位：X under each)."""
        annotations = [a for a in self.annotations.find(par) if a.units or a.leads]
        if len(annotations) != 1 or par.text[:annotations[0].start].strip() or par.text[annotations[0].end:].strip(" 　。；"):
            return None
        items = self.pilot_tasks[self.section_start:]
        if len(items) < 2 or any(pt.lead_units or pt.responsible_units or any(m.units for wt in pt.work_tasks for m in wt.measures)
                            for pt in items):
            return None
        return annotations[0]

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
        # （一）加快某某。text…（牵头单位：X；责任单位：Y）: the first sentence is the title, the rest a
        # measure of the task's own, with every unit its annotation names (a task that announces its
        # measures, 21: （二）…。…。（X牵头，Y负责）具体措施：, is assigned by its annotation as a whole, as a
        # one-sentence task is). Without an annotation, （一）认房不认贷。居民家庭…: the rest is a measure
        # naming no units (53, 80: one annotation after a section's items names them for the section),
        # unless the item announces a list (80: …下列情形应会商审定： 1. … 2. …).
        annotated = annotations and 0 <= first_stop < annotations[0].start - 1 and not announced
        unassigned = not annotations and first_stop >= 0 and par.text[first_stop + 1:].strip() \
            and not LABEL_AT_END.search(par.text) and not par.text.rstrip().endswith(("：", ":"))
        if annotated or unassigned:
            title = par.text[found[2]:first_stop].strip()
            _require_title(self.source, par, "pilot task", title)
            self.pilot_tasks.append(PilotTask(found[1], title, [], [], par.slice(0, first_stop + 1).span()))
            self.sub_list = None
            self._implicit_work_task()
            # a first sentence that is no heading (71: 引导…机构加大…支持力度，简化业务流程，…) stays in
            # the measure
            self._text(par.slice(first_stop + 1 if heading_like(title) else found[2]))
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

    def _section_task(self, section: TaskSection) -> None:
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
            rest = par.slice(cut) if more and heading_like(par.text[found[2]:cut].rstrip("。")) else par
        elif (stop := par.text.find("。", found[2])) >= 0 and par.text[stop + 1:].strip() \
                and (heading_like(par.text[found[2]:stop]) or not par.text.rstrip().endswith(("：", ":"))):
            # 1.体检范围和对象。城镇房屋定期体检范围暂定为…: a run-in title, then what is to be done; a
            # first sentence that is no heading names the item and stays in its text (57: 2.全面加强…)
            heading = par.slice(0, stop + 1)
            rest = par.slice(stop + 1) if heading_like(par.text[found[2]:stop]) else par
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
        last = self._last_measure()
        if self.pending is None and last is not None and last.deadline is None \
                and (label := DEADLINE_LABEL.match(par.text)) and 2 <= len(par.text[label.end():].strip(" 　。；")) <= 40:
            last.deadline = par.text[label.end():].strip(" 　。；")  # 完成时限：2022年12月底, a line under the item's units
            return
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

    def _current_work_task(self) -> WorkTask | None:
        return self.pilot_tasks[-1].work_tasks[-1] if self.pilot_tasks and self.pilot_tasks[-1].work_tasks else None

    def _last_measure(self) -> Measure | None:
        work_task = self._current_work_task()
        return work_task.measures[-1] if work_task and work_task.measures else None

    def _closing(self) -> None:
        """Text after the last item of a plan that assigns its items, with no annotation and no
        number of its own, closes the plan (本措施自印发之日起施行…, 各地区要…, a page's links
        where no signature ends the body): it is no measure."""
        if self.pending is not None and self._assigns() and not self._heading_measure():
            self.closing, self.pending = self.pending, None

    def _assigns(self) -> bool:
        return any(m.units for pt in self.pilot_tasks for wt in pt.work_tasks for m in wt.measures) \
            or any(t.lead_units or t.responsible_units for t in [*self.pilot_tasks, *self.tasks])

    def _flush(self) -> None:
        if self.pending is not None and self.pending.text.strip("。；， 　"):
            if heading := self._heading_measure():
                # 1.完善测试设施（责任单位：X） then its text below: the heading's units are the text's
                span = self.pending.span()
                heading.text = self.pending.text.strip(" 　")
                heading.span = Span(heading.span.start, span.end, heading.span.line, span.end_line, span.part)
            else:
                self._add_measure(self.pending, None, self.pending.span())
        self.pending = None

    def _heading_measure(self) -> Measure | None:
        """The measure of the current item when it is only the item's heading and its annotation
        (1.完善测试设施（责任单位：X）), so that the text below it is the measure's text."""
        work_task = self._current_work_task()
        if work_task is not None and len(work_task.measures) == 1 and work_task.measures[0].units and not work_task.implicit \
                and work_task.measures[0].text == work_task.title:
            return work_task.measures[0]
        return None

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
            if work_task.measures:
                # 牵头单位：X / 责任单位：Y, a line each under the item: one annotation of its measure
                _extend(work_task.measures[-1], annotation)
                return
            if work_task.implicit or not work_task.title:
                raise DocumentError(self.source.path, span.line,
                                    "responsibility annotation with no measure text before it")
            # 1.完善测试设施。 / 责任单位：X: an item that is all title, its units on the line below; the
            # item is its own work, from its heading to the units
            text = work_task.title
            span = Span(work_task.span.start, span.end, work_task.span.line, span.end_line, span.part)
        else:
            text = body.text.strip(" 　")
        units = annotation.all_units if annotation else []
        measure = Measure(
            work_task.key, len(work_task.measures) + 1, text, units, span,
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


def _extend(measure: Measure, annotation: Annotation) -> None:
    """``measure``'s annotation continued by ``annotation`` (a label on the next line)."""
    named = {u.name for u in measure.units}
    leads = measure.leads + [u for u in annotation.leads if u.name not in named]
    others = [u for u in measure.units if u.name not in {lead.name for lead in leads}]
    others += [u for u in annotation.responsible if u.name not in named]
    measure.leads, measure.units = leads, leads + others
    measure.deadline = measure.deadline or annotation.deadline

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
