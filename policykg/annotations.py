"""Responsibility annotations and unit lists: （牵头单位：…）, （责任单位：…）, 、 ， ；-separated names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import DocumentError
from .layout import Paragraph
from .model import UnitMention

ROLE_LEAD = "牵头单位"
ROLE_RESPONSIBLE = "责任单位"

# The opening of an annotation; whitespace may sit anywhere inside the label after layout
# breaks are rejoined (e.g. 责任单 / 位：).
OPENING = re.compile(r"[（(]\s*(牵\s*头\s*单\s*位|责\s*任\s*单\s*位)\s*[：:]")
UNIT_SEPARATORS = re.compile(r"[、，；,;]")


@dataclass
class Annotation:
    role: str  # ROLE_LEAD or ROLE_RESPONSIBLE
    start: int  # index of the opening bracket in the paragraph text
    end: int  # index just past the closing bracket
    units: list[UnitMention]


def find_annotations(par: Paragraph) -> list[Annotation]:
    """Every responsibility annotation in the paragraph, in order.

    An annotation whose bracket never closes, or that runs into a sentence end before
    closing, is an error naming the line where it opened.
    """
    found = []
    for opening in OPENING.finditer(par.text):
        role = re.sub(r"\s", "", opening.group(1))
        close = _closing(par.text, opening.end())
        if close is None:
            raise DocumentError(
                par.source.path, par.source.line_of(par.offsets[opening.start()]),
                f"{role} annotation is not closed",
            )
        units = split_units(par, opening.end(), close)
        if not units:
            raise DocumentError(
                par.source.path, par.source.line_of(par.offsets[opening.start()]),
                f"{role} annotation names no unit",
            )
        found.append(Annotation(role, opening.start(), close + 1, units))
    return found


def _closing(text: str, start: int) -> int | None:
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            if depth == 0:
                return i
            depth -= 1
        elif ch in "。":
            return None
    return None


def split_units(par: Paragraph, start: int, end: int) -> list[UnitMention]:
    """The unit names in ``par.text[start:end]``, split on 、 ， ； (and ASCII , ;)."""
    mentions = []
    pos = start
    for piece in UNIT_SEPARATORS.split(par.text[start:end]) + [None]:
        if piece is None:
            break
        stripped = re.sub(r"\s+", "", piece)
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            mentions.append(UnitMention(stripped, par.span(pos + lead, pos + len(piece))))
        pos += len(piece) + 1
    return mentions
