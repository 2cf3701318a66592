"""Word files (.docx): paragraphs in order, tables with merged cells resolved, text boxes kept.

python-docx opens the package; the text is read from its XML so that nothing Word shows is lost:
runs inside hyperlinks, content controls, smart tags and tracked insertions count, tracked
deletions do not; a soft line break starts a new line. The numbers Word generates for list
paragraphs (一、 （一） 1. ①, from numbering.xml) are written in front of them, since the reader
reads the plan's structure from them. Text boxes anchored in a paragraph follow it as paragraphs
of their own. In a table, a vertically merged cell's continuation is left empty, a cell spanning
several grid columns gives its text to each, and a table inside a cell is read into that cell.
Page headers, footers, footnotes, comments and pictures are not read.
"""

from __future__ import annotations

import zipfile

from ..errors import DocumentError
from .text import PublishedText, TextBuilder, add_table, table_grid

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
}
# A .docx is a zip; beyond this much uncompressed content it is refused rather than inflated.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
_DIGITS = "〇一二三四五六七八九"


def _q(tag: str) -> str:
    prefix, name = tag.split(":")
    return f"{{{NS[prefix]}}}{name}"


def read_docx(path: str) -> PublishedText:
    """The Word file at ``path`` as the reader's text."""
    document = _open(path)
    numbering = _Numbering(document)
    out = TextBuilder()
    body = document.element.body
    counts = {"paragraph": 0, "table": 0}
    for child in body:
        if child.tag == _q("w:p"):
            counts["paragraph"] += 1
            _paragraph(out, child, f"paragraph {counts['paragraph']}", numbering)
        elif child.tag == _q("w:tbl"):
            counts["table"] += 1
            _table(out, child, f"table {counts['table']}", numbering)
        elif child.tag == _q("w:sdt"):  # a content control around body paragraphs and tables
            for inner in child.iterfind("w:sdtContent/*", NS):
                if inner.tag == _q("w:p"):
                    counts["paragraph"] += 1
                    _paragraph(out, inner, f"paragraph {counts['paragraph']}", numbering)
                elif inner.tag == _q("w:tbl"):
                    counts["table"] += 1
                    _table(out, inner, f"table {counts['table']}", numbering)
    if out.empty:
        raise DocumentError(path, None, "the Word file has no text (only pictures or an empty page?)")
    return out.build(path, "docx")


def _open(path: str):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
            if bad is not None:
                raise DocumentError(path, None, f"the Word file is damaged: its part {bad} fails its checksum")
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise DocumentError(path, None, f"the Word file unpacks to {unpacked} bytes, more than the "
                                                f"{MAX_UNPACKED_BYTES} policykg reads")
            if "word/document.xml" not in archive.namelist():
                raise DocumentError(path, None, "a zip file but not a Word document (no word/document.xml)")
    except zipfile.BadZipFile as err:
        raise DocumentError(path, None, f"not a Word file (.docx): the zip archive is broken or truncated ({err})") \
            from None
    except OSError as err:
        raise DocumentError(path, None, f"cannot read file: {err.strerror or err}") from None
    try:
        return docx.Document(path)
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as err:
        raise DocumentError(path, None, f"not a readable Word document: {err}") from None
    except Exception as err:  # lxml's XMLSyntaxError and the like from a damaged part
        raise DocumentError(path, None, f"the Word document's XML is damaged: {err}") from None


def _paragraph(out: TextBuilder, p, where: str, numbering: _Numbering) -> None:
    lines = _runs_text(p)
    label = numbering.label(p)
    if label and lines:
        lines[0] = label + lines[0]
    for i, line in enumerate(lines):
        out.line(line, where if len(lines) == 1 else f"{where}, line {i + 1}")
    for k, box in enumerate(_text_boxes(p), start=1):
        for j, inner in enumerate(box.iterfind("w:p", NS), start=1):
            box_where = f"{where}, text box {k}, paragraph {j}"
            for line in _runs_text(inner):
                out.line(line, box_where)


def _runs_text(p) -> list[str]:
    """The paragraph's text as Word shows it, split at soft line breaks (text boxes left out)."""
    lines, current = [], []
    for el in p.iter(_q("w:t"), _q("w:tab"), _q("w:br"), _q("w:cr"), _q("w:noBreakHyphen"), _q("w:sym")):
        if _excluded(el, p):
            continue
        if el.tag == _q("w:t"):
            current.append(el.text or "")
        elif el.tag == _q("w:tab"):
            current.append(" ")
        elif el.tag == _q("w:noBreakHyphen"):
            current.append("-")
        elif el.tag in (_q("w:br"), _q("w:cr")):
            lines.append("".join(current))
            current = []
    lines.append("".join(current))
    return [line for line in lines if line.strip()] or []


def _excluded(el, p) -> bool:
    """Inside a deletion, a text box, a fallback copy or a nested paragraph: not this paragraph's text."""
    node = el.getparent()
    while node is not None and node is not p:
        if node.tag in (_q("w:del"), _q("w:txbxContent"), _q("mc:Fallback"), _q("w:p")):
            return True
        node = node.getparent()
    return False


def _text_boxes(p) -> list:
    """Text boxes anchored in paragraph ``p`` (not the VML copy Word keeps as a fallback)."""
    return [box for box in p.iter(_q("w:txbxContent"))
            if not any(a.tag == _q("mc:Fallback") for a in box.iterancestors())
            and next(box.iterancestors(_q("w:p")), None) is p]


def _table(out: TextBuilder, tbl, where: str, numbering: _Numbering) -> None:
    rows = []
    merged: list[tuple[int, int]] = []  # (row, column) of cells continuing a vertical merge
    for r, tr in enumerate(tbl.iterfind("w:tr", NS), start=1):
        cells = []
        column = _grid_before(tr)
        for c, tc in enumerate(tr.iterfind("w:tc", NS), start=1):
            span = _int(tc.find("w:tcPr/w:gridSpan", NS), 1)
            vmerge = tc.find("w:tcPr/w:vMerge", NS)
            if vmerge is not None and vmerge.get(_q("w:val"), "continue") == "continue":
                merged.append((r - 1, column))
                text = ""
            else:
                text = _cell_text(tc, numbering)
            cells.append((text, f"{where}, row {r}, cell {c}", 1, span))
            column += span
        rows.append((_grid_before(tr), cells))
    grid = table_grid([cells for _, cells in rows])
    for (before, _), line in zip(rows, grid):
        line[:0] = [None] * before
    for r, column in merged:  # a merged cell's continuation: empty, as the annex reader takes it
        if column < len(grid[r]):
            grid[r][column] = None
    add_table(out, grid)


def _grid_before(tr) -> int:
    return _int(tr.find("w:trPr/w:gridBefore", NS), 0)


def _int(el, default: int) -> int:
    try:
        return max(0, int(el.get(_q("w:val")))) if el is not None else default
    except (TypeError, ValueError):
        return default


def _cell_text(tc, numbering: _Numbering) -> str:
    """A cell's paragraphs (and any table inside it) on one line, separated by spaces."""
    parts = []
    for child in tc:
        if child.tag == _q("w:p"):
            lines = _runs_text(child)
            label = numbering.label(child)
            parts.extend(([label + lines[0]] + lines[1:]) if label and lines else lines)
            for box in _text_boxes(child):
                parts.extend(line for p in box.iterfind("w:p", NS) for line in _runs_text(p))
        elif child.tag == _q("w:tbl"):
            for tr in child.iterfind("w:tr", NS):
                parts.extend(_cell_text(inner, numbering) for inner in tr.iterfind("w:tc", NS))
    return " ".join(part.strip() for part in parts if part.strip())


class _Numbering:
    """The numbers Word shows in front of list paragraphs, counted in document order."""

    def __init__(self, document) -> None:
        self.levels: dict[tuple[str, int], dict] = {}  # (numId, ilvl) -> format, text, start
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, list[int | None]] = {}  # abstractNum id -> current value per level
        self.styles: dict[str, tuple[str | None, int | None, str | None]] = {}  # style id -> numId, ilvl, basedOn
        self._read(document)

    def _read(self, document) -> None:
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            root = None
        if root is not None:
            abstracts = {a.get(_q("w:abstractNumId")): a for a in root.iterfind("w:abstractNum", NS)}
            for num in root.iterfind("w:num", NS):
                num_id = num.get(_q("w:numId"))
                ref = num.find("w:abstractNumId", NS)
                abstract = abstracts.get(ref.get(_q("w:val")) if ref is not None else None)
                if abstract is None:
                    continue
                self.abstract_of[num_id] = abstract.get(_q("w:abstractNumId"))
                overrides = {o.get(_q("w:ilvl")): o for o in num.iterfind("w:lvlOverride", NS)}
                for lvl in abstract.iterfind("w:lvl", NS):
                    ilvl = lvl.get(_q("w:ilvl"))
                    override = overrides.get(ilvl)
                    start = _int(lvl.find("w:start", NS), 1)
                    if override is not None and override.find("w:startOverride", NS) is not None:
                        start = _int(override.find("w:startOverride", NS), start)
                    fmt = lvl.find("w:numFmt", NS)
                    text = lvl.find("w:lvlText", NS)
                    self.levels[(num_id, int(ilvl or 0))] = {
                        "format": fmt.get(_q("w:val")) if fmt is not None else "decimal",
                        "text": text.get(_q("w:val")) if text is not None else "",
                        "start": start,
                    }
        try:
            styles = document.styles.element
        except (KeyError, AttributeError):
            return
        for style in styles.iterfind("w:style", NS):
            num = style.find("w:pPr/w:numPr", NS)
            based = style.find("w:basedOn", NS)
            num_id = num.find("w:numId", NS) if num is not None else None
            ilvl = num.find("w:ilvl", NS) if num is not None else None
            self.styles[style.get(_q("w:styleId"))] = (
                num_id.get(_q("w:val")) if num_id is not None else None,
                _int(ilvl, 0) if ilvl is not None else None,
                based.get(_q("w:val")) if based is not None else None,
            )

    def _num_pr(self, p) -> tuple[str | None, int]:
        num = p.find("w:pPr/w:numPr", NS)
        num_id = ilvl = None
        if num is not None:
            found = num.find("w:numId", NS)
            num_id = found.get(_q("w:val")) if found is not None else None
            level = num.find("w:ilvl", NS)
            ilvl = _int(level, 0) if level is not None else None
        style = p.find("w:pPr/w:pStyle", NS)
        style_id = style.get(_q("w:val")) if style is not None else None
        seen = set()
        while style_id and style_id not in seen and (num_id is None or ilvl is None):
            seen.add(style_id)
            s_num, s_ilvl, based = self.styles.get(style_id, (None, None, None))
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_ilvl
            style_id = based
        return num_id, ilvl or 0

    def label(self, p) -> str:
        """The number Word shows before paragraph ``p`` (and counts it), or ""."""
        num_id, ilvl = self._num_pr(p)
        if not num_id or num_id == "0" or (num_id, ilvl) not in self.levels:
            return ""
        key = self.abstract_of[num_id]
        counters = self.counters.setdefault(key, [None] * 9)
        level = self.levels[(num_id, ilvl)]
        counters[ilvl] = level["start"] if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, len(counters)):
            counters[deeper] = None
        if level["format"] in ("bullet", "none"):
            return ""
        text = level["text"]
        for k in range(ilvl + 1):
            value = counters[k] if counters[k] is not None else self.levels.get((num_id, k), {}).get("start", 1)
            fmt = self.levels.get((num_id, k), {}).get("format", "decimal")
            text = text.replace(f"%{k + 1}", _format(value, fmt))
        return text


def _format(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional",
               "taiwaneseCounting", "taiwaneseCountingThousand"):
        return _chinese(n)
    if fmt in ("ideographDigital", "taiwaneseDigital"):
        return "".join(_DIGITS[int(d)] for d in str(n))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt in ("upperLetter", "lowerLetter") and n >= 1:
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 1 <= n < 4000:
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(n)


def _chinese(n: int) -> str:
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return str(n)


def _roman(n: int) -> str:
    out = []
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                       (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)
