"""PDFs with a text layer: lines in reading order, ruled tables as rows (pdfplumber).

Each page's tables are found from their ruling lines (pdfplumber's default strategy); the text
outside them is read line by line, top to bottom, and the tables take their place among the lines
by their top edge. Lines join into paragraphs by where they sit: a line that reaches the right edge
runs on into a next line that starts at the left margin, across a page break too, while a new
paragraph is indented (首行缩进) and a heading or a paragraph's last line stops short; a sentence
may end at the end of a wrapped line without ending its paragraph. A cell's wrapped lines are joined without a space (Chinese text wraps
anywhere); a cell that a merged cell covers is empty. Lines that are only a page number
(``- 3 -``, ``— 3 —``, ``第3页``) are left out, and so are running headers and footers: a line that
is the first (or last) line of at least half the pages, and of three or more, with the same text
(``重庆市人民政府办公厅行政规范性文件`` atop every page), which would otherwise land inside the
paragraph that crosses the page break. A PDF without text (a scan) is refused: policykg
does not OCR. A PDF that needs a password is refused; one that is only protected against editing
or printing opens without one and is read.
"""

from __future__ import annotations

import re
from collections import Counter

from ..errors import DocumentError
from ..text.lines import NUMBERED
from .text import WIDE, PublishedText, TextBuilder, add_table

PAGE_NUMBER = re.compile(r"^[\s\-—－–一]*(?:第\s*)?\d{1,4}\s*(?:页|/\s*\d{1,4})?[\s\-—－–一]*$")
MIN_TEXT_CHARS = 20  # fewer characters of text in the whole file: a scan
RUNNING_MIN_PAGES = 3  # a line repeated at a page edge fewer times is not a running header or footer
MIN_FULL_LINES = 3  # lines that fill the measure before a PDF's text is taken to wrap


def read_pdf(path: str) -> PublishedText:
    """The PDF at ``path`` as the reader's text."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(path)
    except PdfminerException as err:
        cause = err.args[0] if err.args else err
        if isinstance(cause, PDFPasswordIncorrect):
            raise DocumentError(path, None, "the PDF is encrypted and needs a password to open") from None
        raise DocumentError(path, None, f"not a readable PDF: {cause or type(cause).__name__}") from None
    except Exception as err:  # pdfminer raises many kinds on damaged files
        raise DocumentError(path, None, f"not a readable PDF: {err or type(err).__name__}") from None
    out = TextBuilder()
    chars = 0
    pages_items: list[list[tuple[int, object]]] = []
    with pdf:
        try:
            for page in pdf.pages:
                chars += sum(1 for c in page.chars if c.get("text", "").strip())
                pages_items.append(_page_items(page))
        except PdfminerException as err:
            raise DocumentError(path, None, f"the PDF is damaged: {err}") from None
        except Exception as err:  # a damaged content stream
            raise DocumentError(path, None, f"the PDF is damaged: {err or type(err).__name__}") from None
        pages = len(pdf.pages)
    _drop_running_lines(pages_items)
    margins = _margins(pages_items)
    paragraph: list[str] = []
    where = ""
    last = None  # the text line before, while a paragraph is open
    for number, items in enumerate(pages_items, start=1):
        for kind, item in items:
            if kind == 0 and last is not None and margins and _runs_on(last, item, margins):
                paragraph.append(item["text"])
                last = item
                continue
            if paragraph:
                out.line(_joined(paragraph), where)
                paragraph, last = [], None
            if kind == 0:
                paragraph, last = [item["text"]], item
                where = f"page {number}, x {item['x0']:.1f}, y {item['top']:.1f}"
            else:
                _table(out, item, number)
    if paragraph:
        out.line(_joined(paragraph), where)
    if chars < MIN_TEXT_CHARS:
        raise DocumentError(
            path, None,
            f"the PDF has no text layer ({chars} characters on {pages} pages): a scanned PDF? "
            "policykg does not OCR; use the text, Word or web version of the document",
        )
    return out.build(path, "pdf")


def _page_items(page) -> list[tuple[int, object]]:
    """The page's text lines (kind 0) and tables (kind 1) from top to bottom, page numbers left out."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside) if boxes else page
    items: list[tuple[float, int, object]] = []
    for line in text_page.extract_text_lines(return_chars=False):
        items.append((line["top"], 0, line))
    for table in tables:
        items.append((table.bbox[1], 1, table))
    items.sort(key=lambda item: (item[0], item[1]))
    return [(kind, item) for _, kind, item in items if kind == 1 or not PAGE_NUMBER.match(item["text"])]


def _margins(pages: list[list[tuple[int, object]]]) -> tuple[float, float, float] | None:
    """(left margin, right edge, character width) of the body text: the commonest left edge, the
    commonest right edge of lines starting there, and the width of one character on such lines."""
    lines = [item for items in pages for kind, item in items if kind == 0 and item["text"].strip()]
    if not lines:
        return None
    left = Counter(round(line["x0"]) for line in lines).most_common(1)[0][0]
    body = [line for line in lines if abs(line["x0"] - left) < 2]
    widths = sorted((line["x1"] - line["x0"]) / len(line["text"]) for line in body if len(line["text"]) >= 10)
    if not widths:
        return None
    char = widths[len(widths) // 2]
    right = Counter(round(line["x1"]) for line in body).most_common(1)[0][0]
    full = sum(1 for line in body if line["x1"] >= right - 1.5 * char)
    if full < MIN_FULL_LINES or full < 0.2 * len(body):
        return None  # no justified text that wraps: every line stands alone
    return left, right, char


def _runs_on(before, line, margins: tuple[float, float, float]) -> bool:
    """Whether ``line`` continues the paragraph of the line ``before`` it: that line reaches the right
    edge and this one starts at the left margin (a new paragraph is indented, a heading or the last
    line of a paragraph stops short). A wrapped line may end in 。 anywhere in a paragraph."""
    left, right, char = margins
    return (before["x1"] >= right - 1.5 * char and abs(line["x0"] - left) < 0.5 * char
            and not NUMBERED.match(line["text"].lstrip()))


def _joined(lines: list[str]) -> str:
    """Lines of one paragraph as one: no space where Chinese text wraps, one between Latin words."""
    text = lines[0]
    for line in lines[1:]:
        wide = WIDE.match(text[-1:] or " ") or WIDE.match(line[:1] or " ")
        text += line if wide else " " + line
    return text



def _drop_running_lines(pages: list[list[tuple[int, object]]]) -> None:
    """Remove, in place, running headers and footers: the same text as a page's first or last line
    on at least half the pages and on ``RUNNING_MIN_PAGES`` or more (peeled again while another
    repeated line shows under a header or above a footer)."""
    needed = max(RUNNING_MIN_PAGES, (len(pages) + 1) // 2)
    for edge in (0, -1):
        while True:
            texts = Counter(_key(items[edge][1]) for items in pages if items and items[edge][0] == 0)
            running = {text for text, n in texts.items() if n >= needed and text}
            if not running:
                break
            for items in pages:
                if items and items[edge][0] == 0 and _key(items[edge][1]) in running:
                    items.pop(edge)


def _key(line) -> str:
    return "".join(line["text"].split())


def _table(out: TextBuilder, table, number: int) -> None:
    grid = []
    for r, (row, texts) in enumerate(zip(table.rows, table.extract()), start=1):
        line = []
        for c, (cell, text) in enumerate(zip(row.cells, texts), start=1):
            if cell is None or text is None:
                line.append(None)
            else:
                where = f"page {number}, table at y {table.bbox[1]:.1f}, row {r}, cell {c}"
                line.append(("".join(text.split("\n")), where))
        grid.append(line)
    add_table(out, grid)
