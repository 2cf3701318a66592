"""The annexed task-division table (任务分工表).

Rows are tab-separated under a header row that may repeat (once per printed page). An empty
cell continues the cell above it, as a merged cell does. A row broken over several lines by
layout is rejoined while it has fewer cells than the header. The columns may come in any order
and go by several names (牵头单位 or 牵头部门, 具体措施 or 主要内容, …). A table whose header names
no text and unit columns (an indicator table, a layout table) assigns nothing: it is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import DocumentError
from .annotations import split_units
from .decode import Line, SourceText
from .lines import Paragraph
from .model import ANNEX, AnnexRow, UnitMention

# Which header names mean which column. The first matching name wins.
COLUMNS = {
    "pilot_task": ("试验任务", "重点任务", "主要任务", "任务", "政策类别"),
    "lead": ("牵头单位", "牵头部门", "牵头责任单位"),
    "work_task": ("工作任务", "工作内容", "工作事项", "任务事项"),
    "text": ("具体措施", "主要措施", "工作措施", "落实措施", "具体内容", "主要内容", "服务内容", "政策措施",
             "政策内容", "任务内容", "措施内容", "具体任务", "工作举措", "主要举措", "具体举措", "推进措施",
             "实施内容"),
    "responsible": ("责任单位", "责任部门", "配合单位", "配合部门", "推进单位", "负责部门", "责任主体"),
    "deadline": ("完成时限", "完成时间", "时间节点", "时限要求", "完成期限"),
}
REQUIRED = ("text",)  # and a lead or responsible column
UNIT_ROLES = ("lead", "responsible")


@dataclass
class _Header:
    columns: dict[str, int]
    width: int
    line: int


def _header(cells: list[str], line: int) -> _Header | None:
    names = [re.sub(r"\s", "", c) for c in cells]
    columns: dict[str, int] = {}
    for role, options in COLUMNS.items():
        for option in options:
            if option in names and names.index(option) not in columns.values():
                columns[role] = names.index(option)
                break
    # 政策措施主要内容, 牵头单位（部门）: a header that says more than the usual name, where no
    # column is named exactly so
    for role, options in COLUMNS.items():
        if role in columns or role == "pilot_task":
            continue
        found = next((k for k, name in enumerate(names) if k not in columns.values() and len(name) <= 12
                      and any(option in name for option in options if len(option) >= 4)), None)
        if found is not None:
            columns[role] = found
    if "text" not in columns:
        # 序号 工作任务 牵头单位 责任单位 完成时限: the task is all the table says, so it is the text
        for role in ("work_task", "pilot_task"):
            if role in columns:
                columns["text"] = columns.pop(role)
                break
    if all(role in columns for role in REQUIRED) and any(role in columns for role in UNIT_ROLES):
        return _Header(columns, len(cells), line)
    return None


def parse_annex(source: SourceText, lines: list[Line]) -> list[AnnexRow]:
    """Every data row of the annex table in ``lines`` (empty if there is no table)."""
    rows: list[AnnexRow] = []
    header: _Header | None = None
    above: dict[str, tuple[str, list[UnitMention]]] = {}
    pending: Paragraph | None = None

    for line in lines:
        raw = line.text.rstrip(" \u3000")
        if not raw.strip():
            continue
        piece = Paragraph(raw, list(range(line.start, line.start + len(raw))), source, ANNEX)
        continued = pending is not None
        if continued:
            piece = Paragraph(pending.text + piece.text, pending.offsets + piece.offsets, source, ANNEX)
            pending = None
        cells = piece.text.split("\t")
        if not continued and len(cells) > 1 and (found := _header(cells, line.number)):
            header = found
            continue
        if header is None:
            continue  # the annex's title lines, and the rows of a table that assigns nothing
        if not continued and "\t" not in raw and len(cells) < header.width and header.width > 2 and rows \
                and _ends_table(raw):
            header = None  # a note after the table (注：…, 【打印】): the table has ended
            continue
        if len(cells) < header.width:
            pending = piece  # a row broken over lines: read on
            continue
        if len(cells) > header.width:
            raise DocumentError(
                source.path, piece.line,
                f"table row has {len(cells)} cells, the header on line {header.line} has {header.width}",
            )
        rows.append(_row(piece, cells, header, above, len(rows) + 1))
    if pending is not None:
        cells = pending.text.split("\t")
        raise DocumentError(
            source.path, pending.line,
            f"table row has {len(cells)} cells, the header on line {header.line} has {header.width}",
        )
    return rows


def _row(piece: Paragraph, cells: list[str], header: _Header, above: dict, number: int) -> AnnexRow:
    starts, pos = [], 0
    for cell in cells:
        starts.append(pos)
        pos += len(cell) + 1
    values: dict[str, tuple[str, list[UnitMention]]] = {}
    for role, index in header.columns.items():
        cell = cells[index]
        if cell.strip():
            units = []
            if role in UNIT_ROLES:
                # a cell's lines (县民政局<br>各镇办) are separate units
                units = split_units(piece, starts[index], starts[index] + len(cell), spaces=True)
            values[role] = (cell.strip(), units)
            above[role] = values[role]
        elif role in above:
            values[role] = above[role]
        elif role not in ("text",):
            values[role] = ("", [])  # nothing said, and nothing above to continue
        else:
            raise DocumentError(
                piece.source.path, piece.line,
                f"empty {_name(header, role)} cell with no cell above it to continue",
            )
    return AnnexRow(
        row=number,
        pilot_task=values.get("pilot_task", ("", []))[0],
        lead_units=values.get("lead", ("", []))[1],
        work_task=values.get("work_task", ("", []))[0],
        text=values["text"][0],
        units=values.get("responsible", ("", []))[1],
        span=piece.span(),
        deadline=values.get("deadline", ("", []))[0] or None,
    )


def _ends_table(text: str) -> bool:
    """A line without cells under a table: a note or a page's link, not a row's continuation."""
    return bool(re.match(r"^\s*(?:注|备注|说明|附件|【|\[|打印|关闭)", text))


def _name(header: _Header, role: str) -> str:
    return COLUMNS[role][0]
