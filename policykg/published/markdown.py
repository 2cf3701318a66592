"""Plans saved as Markdown, as crawlers and reading tools keep government pages.

A crawler that stores a page as Markdown marks its headings ``**一、提升科技服务供给质量**``,
its metadata ``**发布日期**: 2025-05-27`` and its tables with pipes; the emphasis would hide the
numbering from the reader. The file is parsed with markdown-it-py (CommonMark, with tables), and each
heading and paragraph becomes one line of its text without the markup, each table row one line of
tab-separated cells; soft line breaks inside a paragraph join as a browser shows them. Every line's
origin is the line of the file it starts on (``line 12``; a cell adds ``cell 2``). Raw HTML blocks
are kept as their text; images and link targets are left out.
"""

from __future__ import annotations

import re

from ..text.decode import decode
from .text import WIDE, PublishedText, TextBuilder

_TAG = re.compile(r"<[^>]*>")


def read_markdown(data: bytes, path: str) -> PublishedText:
    from markdown_it import MarkdownIt

    text = decode(data, path)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    out = TextBuilder()
    row: list[tuple[str, str]] | None = None
    where = "line 1"
    for token in tokens:
        if token.map is not None:
            where = f"line {token.map[0] + 1}"
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            out.row(row)
            row = None
        elif token.type == "inline":
            content = _inline_text(token.children or [])
            if row is not None:
                row.append((content, f"{where}, cell {len(row) + 1}"))
            else:
                out.line(content, where)
        elif token.type in ("html_block", "code_block", "fence"):
            for k, line in enumerate(token.content.splitlines()):
                out.line(_TAG.sub("", line) if token.type == "html_block" else line,
                         f"line {token.map[0] + 1 + k}" if token.map else where)
    return out.build(path, "markdown")


def _inline_text(children) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or (
                child.type == "html_inline" and child.content.lower().startswith("<br")):
            # a break between two wide characters disappears (CSS Text), as on the page
            before = next((p[-1] for p in reversed(parts) if p), " ")
            parts.append("" if WIDE.match(before) else " ")
    return "".join(parts)
