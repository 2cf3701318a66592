"""Web pages: the article of a government page, its paragraphs and its tables.

The page is decoded in the encoding it declares (``<meta charset>``, ``http-equiv``; GB2312 and GBK
are read as their superset GB18030), or else as UTF-8 or GB18030 like a text file. lxml parses it.
What is not the article is left out: scripts, styles, forms, ``nav``/``header``/``footer``/``aside``
and hidden elements. The article is found by descending from ``<body>`` into the child that holds
nearly all of the text outside links: navigation is mostly links, and site chrome is small beside
a plan. A data table after that child may be the article's annex, so the descent stops above it; a
table before it (the site's metadata table of 索引号 and 发文字号) does not stop it.

Tables that only lay the page out (one column, a table inside, cells holding many paragraphs) are
read as blocks; the others are data tables, one line per row (see :mod:`policykg.published.text`).
"""

from __future__ import annotations

import codecs
import re

from ..errors import DocumentError
from ..text.decode import decode
from ..text.head import DOC_NUMBER
from .text import WIDE_CHARS, PublishedText, TextBuilder, add_table, table_grid

SKIPPED = {
    "head", "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "select", "option", "input", "button", "textarea", "nav", "header", "footer", "aside", "map",
}
SKIPPED_ROLES = {"navigation", "banner", "contentinfo", "search", "menu", "menubar"}
BLOCKS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section",
    "article", "main", "blockquote", "pre", "center", "address", "figure", "figcaption", "caption",
    "hr", "form", "fieldset", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "body", "html",
}
# Hidden by its own markup. (Pages that hide <body> with visibility: hidden until a script shows it
# are read: that is how the gkmlpt open-government platform serves every article.)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.I)
CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "x-gbk", "euc-cn", "csgb2312", "hz-gb-2312"}
# Less text than this outside links, and the page has no article to read.
MIN_ARTICLE_CHARS = 100
# A child holding this share of its parent's text (and no other child holding a data table) is
# where the article is.
ARTICLE_SHARE = 0.9
# A table cell holding this many paragraphs lays the page out rather than holding data.
LAYOUT_CELL_BLOCKS = 8
_SPACE = re.compile(r"[ \t\n\r\f]+")
_WIDE = re.compile(f"[{WIDE_CHARS}\u201c\u201d\u2018\u2019\u2014\u2026]")  # and “”‘’—…, as browsers


def read_html(data: bytes, path: str) -> PublishedText:
    """The article of the page in ``data`` as the reader's text."""
    import lxml.html

    text = _decode(data, path)
    try:
        parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
        root = lxml.html.document_fromstring(text, parser=parser)
    except Exception as err:  # lxml raises ParserError and ValueError on pages it cannot make a tree of
        raise DocumentError(path, None, f"not a readable web page: {err}") from None
    tree = root.getroottree()
    weights: dict = {}
    _weigh(root, weights)
    article = _article(root, weights)
    if weights.get(article, 0) < MIN_ARTICLE_CHARS:
        raise DocumentError(
            path, None,
            f"no article found in the web page: it has {weights.get(root, 0)} characters of text outside "
            f"links and navigation (at least {MIN_ARTICLE_CHARS} are needed)",
        )
    out = TextBuilder()
    _Walker(out, tree).block(article)
    source = out.build(path, "html")
    source.title = _page_title(root)
    source.declared = _declared_fields(root)
    if site := _site_name(root):
        source.declared["site"] = site
    return source


# The labels of a government page's information table (政府信息公开: 索引号, 发文机关, 文号, 成文日期 …),
# which many pages show above the text and outside it (70, 72: the Jiangxi portal).
_FIELD_LABELS = {"doc_number": ("文号", "发文字号", "发文文号"), "written": ("成文日期", "成文时间"),
                 "published": ("发布日期", "发布时间")}
_DATE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_CELL_TAGS = ("td", "th", "li", "span", "p", "div", "dt", "dd", "b", "strong", "label")


def _declared_fields(root) -> dict[str, str]:
    """What the page's information table gives: the 文号, the 成文日期 and the 发布日期, where they are
    labelled as such, in one element (文号：赣府厅发〔2020〕7号) or in the element after the label's;
    the publication date from the page's PubDate meta first."""
    found: dict[str, str] = {}
    for element in root.iter(*_CELL_TAGS):
        text = re.sub(r"[\s\u3000\xa0]", "", element.text_content())
        if len(text) > 60:
            continue
        for key, labels in _FIELD_LABELS.items():
            label = next((lab for lab in labels if text.startswith(lab)), None)
            if key in found or label is None:
                continue
            value = text[len(label):].lstrip(":：")
            if not value and (after := element.getnext()) is not None:
                value = re.sub(r"[\s\u3000\xa0]", "", after.text_content())
            if key == "doc_number" and DOC_NUMBER.fullmatch(value):
                found[key] = value
            elif key in ("written", "published") and (m := _DATE.match(value)):
                found[key] = _iso(m)
    # the PubDate meta government sites carry is the page's own word for it
    for value in root.xpath('//meta[@name="PubDate"]/@content'):
        if m := _DATE.match(value.strip()):
            found["published"] = _iso(m)
            break
    return found


def _iso(m: re.Match) -> str:
    """YYYY-MM-DD of a _DATE match (2022年5月6日, 2022-05-06 16:17, 2022/5/6)."""
    return "-".join((m.group(1), m.group(2).zfill(2), m.group(3).zfill(2)))


# the end of a government body's or site's name: 沈阳市房产局, 邯郸市成安县人民政府, …门户网站
_SITE_END = re.compile(r"(?:人民政府|政府|局|委员会|委|办公室|办公厅|厅|中心|网站|门户|网)$")


def _site_name(root) -> str | None:
    """The name of the site that published the page: its SiteName meta (which government sites
    carry), else the last part of a <title> written 标题_栏目_网站 or 标题-栏目-网站 that reads as a
    body's or a site's name (48: 邯郸市成安县人民政府-政府信息公开指南)."""
    values = root.xpath('//meta[@name="SiteName"]/@content')
    titles = [] if values else root.xpath("//title/text()")
    parts = [re.sub(r"\s+", "", p) for p in re.split("[_|｜-]", titles[0])] if titles else []
    if len(parts) > 1:
        # the site closes the title (标题_栏目_网站), or opens the title of its own page (48)
        values = [p for p in parts[1:] if _SITE_END.search(p)][-1:] or [p for p in parts[:1] if _SITE_END.search(p)]
    site = re.sub(r"\s+", "", values[0]) if values else ""
    return site or None


def _page_title(root) -> str | None:
    """The title a government page declares: its ArticleTitle meta, or its <title> before the site's
    name (标题_栏目_网站). A [已废止] mark is not part of it."""
    values = root.xpath('//meta[@name="ArticleTitle"]/@content') or [
        re.split(r"[_|]| - ", t)[0] for t in root.xpath("//title/text()")]
    title = re.sub(r"^\s*[\[【][^\]】]*[\]】]\s*", "", values[0]).strip() if values else ""
    return title or None


def _decode(data: bytes, path: str) -> str:
    """The page's text, in the encoding it declares, else UTF-8 or GB18030."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data, path)
    declared = _declared_charset(data)
    if declared in GB_FAMILY:
        declared = "gb18030"
    if declared:
        try:
            codecs.lookup(declared)
        except LookupError:
            declared = None
    if declared and declared not in ("utf-8", "utf8"):
        try:
            return data.decode(declared)
        except UnicodeDecodeError as err:
            raise DocumentError(
                path, data.count(b"\n", 0, err.start) + 1,
                f"the page declares charset {declared} but byte {err.start} (0x{data[err.start]:02x}) is not "
                f"valid {declared}",
            ) from None
    return decode(data, path)


def _declared_charset(data: bytes) -> str | None:
    """The charset the page's ``<meta>`` elements declare (read from the first 8 KB, as browsers do)."""
    import lxml.html

    head = data[:8192]
    try:
        # Latin-1 maps every byte to one character: the ASCII markup reads the same in any encoding.
        root = lxml.html.document_fromstring(head.decode("latin-1"))
    except Exception:  # not even a tree: no declaration to honour
        return None
    for meta in root.iter("meta"):
        if meta.get("charset"):
            return meta.get("charset").strip().lower()
        if (meta.get("http-equiv") or "").lower() == "content-type":
            found = CHARSET.search(meta.get("content") or "")
            if found:
                return found.group(1).lower()
    return None


def _skipped(el) -> bool:
    if not isinstance(el.tag, str):  # comments and entities
        return True
    if el.tag in ("html", "body"):
        return False
    return (el.tag in SKIPPED or (el.get("role") or "").lower() in SKIPPED_ROLES
            or el.get("hidden") is not None or bool(HIDDEN_STYLE.search(el.get("style") or "")))


def _weigh(el, weights: dict, in_link: bool = False) -> int:
    """Characters of text outside links and skipped elements under ``el`` (kept in ``weights``)."""
    if _skipped(el):
        return 0
    in_link = in_link or el.tag == "a"
    total = 0 if in_link else _chars(el.text)
    for child in el:
        if isinstance(child.tag, str):
            total += _weigh(child, weights, in_link)
        total += 0 if in_link else _chars(child.tail)
    weights[el] = total
    return total


def _chars(text: str | None) -> int:
    return len("".join(text.split())) if text else 0


def _has_data_table(el) -> bool:
    return any(_is_data_table(t) for t in el.iter("table"))


def _article(root, weights: dict):
    """The element holding the article: descend while one child holds nearly all the text."""
    body = root.find("body")
    node = body if body is not None else root
    while True:
        children = [c for c in node if isinstance(c.tag, str) and not _skipped(c)]
        total = weights.get(node, 0)
        if not children or total == 0:
            return node
        best = max(children, key=lambda c: weights.get(c, 0))
        # A data table after the article's text may be its annex: keep it. One before it is the
        # site's table of the document's metadata (索引号, 发文字号, …).
        after = children[children.index(best) + 1:]
        if weights.get(best, 0) < ARTICLE_SHARE * total or any(_has_data_table(c) for c in after):
            return node
        tables = [t for t in best.iter("table") if _is_data_table(t)]
        if tables and max(weights.get(t, 0) for t in tables) >= ARTICLE_SHARE * weights.get(best, 0):
            return node  # an article that is mostly its table (a catalogue): keep the text around it
        node = best


def _rows(table) -> list:
    """The table's own rows (not those of tables inside its cells), in document order."""
    rows = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(tr for tr in child if tr.tag == "tr")
    return rows


def _cells(tr) -> list:
    return [c for c in tr if c.tag in ("td", "th")]


def _is_data_table(table) -> bool:
    """Whether ``table`` holds data (rows of cells) rather than laying out the page."""
    rows = _rows(table)
    if max((len(_cells(tr)) for tr in rows), default=0) < 2:
        return False
    for tr in rows:
        for cell in _cells(tr):
            if cell.find(".//table") is not None:
                return False
            if sum(1 for e in cell.iter("p", "div", "br") if e is not cell) >= LAYOUT_CELL_BLOCKS \
                    and len(cell.text_content()) > 1000:
                return False
    return True


def _span(cell, name: str, limit: int) -> int:
    try:
        value = int((cell.get(name) or "1").strip())
    except ValueError:
        return 1
    return max(1, min(value, limit))


class _Walker:
    """Writes an element's text as lines: one per block, data tables one line per row."""

    def __init__(self, out: TextBuilder, tree) -> None:
        self.out = out
        self.tree = tree
        self.pieces: list[str] = []
        self.blocks: list = []  # the enclosing block elements; a line's origin is the innermost

    def flush(self) -> None:
        if self.pieces:
            self.out.line(_collapse("".join(self.pieces)), self.tree.getpath(self.blocks[-1]))
        self.pieces = []

    def text(self, text: str | None) -> None:
        if text:
            self.pieces.append(text)

    def block(self, el) -> None:
        self.flush()
        self.blocks.append(el)
        self.text(el.text)
        for child in el:
            self.node(child)
            self.text(child.tail)
        self.flush()
        self.blocks.pop()

    def node(self, el) -> None:
        if _skipped(el):
            return
        if el.tag == "br":
            self.flush()
        elif el.tag == "table" and _is_data_table(el):
            self.flush()
            self.table(el)
        elif el.tag in BLOCKS:
            self.block(el)
        else:
            self.text(el.text)
            for child in el:
                self.node(child)
                self.text(child.tail)

    def table(self, table) -> None:
        rows = []
        for tr in _rows(table):
            rows.append([(_cell_text(cell), self.tree.getpath(cell), _span(cell, "rowspan", 65534),
                          _span(cell, "colspan", 1000)) for cell in _cells(tr)])
        add_table(self.out, table_grid(rows))


def _cell_text(cell) -> str:
    """A cell's text on one line: its paragraphs and line breaks become spaces."""
    parts: list[str] = []

    def walk(el) -> None:
        if _skipped(el):
            return
        block = el.tag in BLOCKS or el.tag == "br"
        if block:
            parts.append("\n")
        parts.append(el.text or "")
        for child in el:
            walk(child)
            parts.append(child.tail or "")
        if block:
            parts.append("\n")

    walk(cell)
    lines = [_collapse(piece) for piece in "".join(parts).split("\n")]
    return " ".join(line for line in lines if line)


def _collapse(text: str) -> str:
    """HTML white space as a browser shows it: runs become one space, and a line break between two
    Chinese characters disappears (CSS Text: segment breaks between wide characters are removed)."""

    def one(m: re.Match) -> str:
        before, after = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
        if "\n" in m.group() and _WIDE.match(before or " ") and _WIDE.match(after or " "):
            return ""
        return " "

    return _SPACE.sub(one, text).strip(" ")
