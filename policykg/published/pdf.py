"""PDFs with a text layer: lines in reading order, ruled tables as rows (pdfplumber).

Each page's tables are found from their ruling lines (pdfplumber's default strategy); the text
outside them is read line by line, top to bottom, and the tables take their place among the lines
by their top edge. A cell's wrapped lines are joined without a space (Chinese text wraps
anywhere); a cell that a merged cell covers is empty. Lines that are only a page number
(``- 3 -``, ``— 3 —``, ``第3页``) are left out. A PDF without text (a scan) is refused: policykg
does not OCR. A PDF that needs a password is refused; one that is only protected against editing
or printing opens without one and is read.
"""

from __future__ import annotations

import re

from ..errors import DocumentError
from .text import PublishedText, TextBuilder, add_table

PAGE_NUMBER = re.compile(r"^[\s\-—－–一]*(?:第\s*)?\d{1,4}\s*(?:页|/\s*\d{1,4})?[\s\-—－–一]*$")
MIN_TEXT_CHARS = 20  # fewer characters of text in the whole file: a scan


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
    with pdf:
        try:
            for number, page in enumerate(pdf.pages, start=1):
                chars += sum(1 for c in page.chars if c.get("text", "").strip())
                _page(out, page, number)
        except PdfminerException as err:
            raise DocumentError(path, None, f"the PDF is damaged: {err}") from None
        except Exception as err:  # a damaged content stream
            raise DocumentError(path, None, f"the PDF is damaged: {err or type(err).__name__}") from None
        pages = len(pdf.pages)
    if chars < MIN_TEXT_CHARS:
        raise DocumentError(
            path, None,
            f"the PDF has no text layer ({chars} characters on {pages} pages): a scanned PDF? "
            "policykg does not OCR; use the text, Word or web version of the document",
        )
    return out.build(path, "pdf")


def _page(out: TextBuilder, page, number: int) -> None:
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
    for top, kind, item in items:
        if kind == 0:
            text = item["text"]
            if PAGE_NUMBER.match(text):
                continue
            out.line(text, f"page {number}, x {item['x0']:.1f}, y {top:.1f}")
        else:
            _table(out, item, number)


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
