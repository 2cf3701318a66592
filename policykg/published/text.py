"""The text a published document becomes, and where each piece of it came from.

Every format is laid out the way the reader takes text: one paragraph per line, and each table
row as one line of tab-separated cells. A cell that continues a merged cell from the row above
(``rowspan``, Word's vertical merge) is left empty, which is how the annex reader knows a merged
cell; a cell spread over several columns (``colspan``, Word's grid span) gives its text to each of
them. A row that is one cell across the whole table (a caption, a group heading) is a plain line.

Beside the text, an origin table maps every line and cell back to the original: an element path
in a web page, a paragraph or table cell in a Word file, a page and position in a PDF.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..text.decode import SourceText

# Chinese and full-width characters: a line break between two of them is no space (CSS Text's segment
# break rule), which is how a page, a PDF's wrapped lines and Markdown's soft breaks read.
WIDE_CHARS = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
WIDE = re.compile(f"[{WIDE_CHARS}]")

# Inside a line or a cell, tabs and line ends would change the layout the reader relies on.
_LAYOUT = re.compile(r"[\t\r\n\v\f\u2028\u2029]+")


@dataclass(frozen=True)
class Origin:
    """Where the characters ``start``–``end`` of the extracted text are in the original.

    ``where`` names the place in the document's own terms (``/html/body/div[2]/p[3]``,
    ``paragraph 12``, ``table 1, row 3, cell 2``, ``page 2, x 90.0, y 144.2``); the character
    at ``start`` is the first character of that place's text as extracted.
    """

    start: int
    end: int
    where: str


@dataclass
class PublishedText(SourceText):
    """A published document as the reader's text, with the origin of every line and cell."""

    format: str = "text"  # html, docx or pdf
    origins: list[Origin] = field(default_factory=list, repr=False)
    title: str | None = None  # what the file says its title is (a page's ArticleTitle), if anything
    # what a page's information table says of the document outside its text: "doc_number" (文号),
    # "written" (成文日期, as YYYY-MM-DD), "published" (发布日期, the page's); and "site", the name
    # of the site that published it
    declared: dict[str, str] = field(default_factory=dict)

    def origin_at(self, offset: int) -> tuple[Origin, int] | None:
        """The origin holding character ``offset`` and the offset within it (None between them)."""
        starts = [o.start for o in self.origins]
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and offset < self.origins[i].end:
            return self.origins[i], offset - self.origins[i].start
        return None


def origin_of(source: SourceText, start: int, end: int | None = None) -> str | None:
    """Where the span ``start``–``end`` of ``source`` is in the original document, in words.

    ``None`` for plain text files (their offsets are the original). For a span in one place:
    ``/html/body/div[2]/p[3], characters 5–17``; a span across places names its first and last.
    """
    if not isinstance(source, PublishedText):
        return None
    first = source.origin_at(start)
    last = source.origin_at(max(start, (end if end is not None else start + 1) - 1))
    if first is None or last is None:
        return None
    (o1, at1), (o2, at2) = first, last
    if o1 == o2:
        return f"{o1.where}, characters {at1 + 1}–{at2 + 1}"
    return f"{o1.where}, character {at1 + 1} – {o2.where}, character {at2 + 1}"


def clean(text: str) -> str:
    """One line's or cell's text: no tabs or line ends inside, no spaces at the ends."""
    return _LAYOUT.sub(" ", text).strip(" ")


class TextBuilder:
    """Collects lines and table rows with their origins, then makes the PublishedText."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._origins: list[Origin] = []
        self._length = 0

    def line(self, text: str, where: str) -> None:
        """A paragraph (skipped when it has no text)."""
        text = clean(text)
        if text:
            self._add([(text, where)])

    def row(self, cells: list[tuple[str, str]]) -> None:
        """A table row: (text, where) per grid column, in order."""
        cells = [(clean(text), where) for text, where in cells]
        if any(text for text, _ in cells):
            self._add(cells)

    def _add(self, cells: list[tuple[str, str]]) -> None:
        if self._parts:
            self._parts.append("\n")
            self._length += 1
        for i, (text, where) in enumerate(cells):
            if i:
                self._parts.append("\t")
                self._length += 1
            if text:
                self._origins.append(Origin(self._length, self._length + len(text), where))
            self._parts.append(text)
            self._length += len(text)

    @property
    def empty(self) -> bool:
        return not self._parts

    def build(self, path: str, fmt: str) -> PublishedText:
        text = "".join(self._parts)
        base = SourceText.from_text(path, text)
        assert base.text == text  # no line ends were normalised: offsets stay the origins' offsets
        return PublishedText(path, text, base.lines, format=fmt, origins=list(self._origins))


def table_grid(rows: list[list[tuple[str, str, int, int]]]) -> list[list[tuple[str, str] | None]]:
    """Lay out table rows of (text, where, rowspan, colspan) cells on a grid.

    The result has one entry per grid column of each row: the cell's (text, where) where the cell
    starts and in the columns it spans, None where a cell from a row above continues.
    """
    grid: list[list[tuple[str, str] | None]] = []
    below: dict[tuple[int, int], bool] = {}  # (row, column) covered by a cell from above
    for r, cells in enumerate(rows):
        line: list[tuple[str, str] | None] = []
        c = 0
        for text, where, rowspan, colspan in cells:
            while below.pop((r, c), False):
                line.append(None)
                c += 1
            for k in range(colspan):
                line.append((text, where))
                for down in range(1, rowspan):
                    below[(r + down, c + k)] = True
            c += colspan
        while below.pop((r, c), False):
            line.append(None)
            c += 1
        grid.append(line)
    return grid


def add_table(out: TextBuilder, grid: list[list[tuple[str, str] | None]]) -> None:
    """Write a laid-out table: one line per row, padded to the table's width."""
    width = max((len(line) for line in grid), default=0)
    for line in grid:
        starts = [cell for cell in line if cell is not None]
        if width > 1 and len(line) == width and starts and all(cell == starts[0] for cell in starts) \
                and line.count(None) == 0:
            out.line(starts[0][0], starts[0][1])  # one cell across the table: a caption or group title
            continue
        cells = [("", "") if cell is None else cell for cell in line]
        cells += [("", "")] * (width - len(cells))
        out.row(cells)
