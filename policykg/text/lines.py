"""Undoing layout artifacts: rejoining lines into the paragraphs the author wrote.

Text copied out of PDFs and web pages breaks sentences, even annotations, with blank lines.
A line continues into the next non-blank line unless it ends a sentence or the next line
starts a new structural element (a numbered heading, a 落实措施 label, a table row). Each
paragraph keeps, for every character, its offset in the decoded source text, so any slice of
it maps back to an exact source span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .decode import Line, SourceText
from .model import BODY, Span
from .numerals import CIRCLED

# Characters that may end a paragraph. A closing bracket ends one only when it closes an
# annotation or a heading, which the caller decides; here it counts as an ending.
SENTENCE_END = "。！？；：）)!?;:"

# Lines that always start a new paragraph.
CHINESE_NUMERAL = "一二三四五六七八九十"
STRUCTURE_START = re.compile(
    rf"""^(?:
        [{CHINESE_NUMERAL}]+、                        # 一、 top-level heading
      | [（(]\s*[{CHINESE_NUMERAL}]+\s*[)）]           # （一） second level
      | \d{{1,3}}\s*[.．﹒、]                          # 1. 1． 1﹒ 1、
      | [（(]\s*\d{{1,3}}\s*[)）]                      # （1）
      | [{CIRCLED}]
      | (?:落实措施|具体内容为|具体措施|主要措施)[：:]
      | (?:牵头|责任|配合)(?:单位|部门)(?:及承办(?:科室|单位)(?:[（(]单位[）)])?)?[：:]  # 责任单位：X alone
      | 附件
    )""",
    re.VERBOSE,
)
NUMBERED = re.compile(
    rf"^(?:[{CHINESE_NUMERAL}]+、|[（(]\s*[{CHINESE_NUMERAL}]+\s*[)）]|\d{{1,3}}\s*[.．﹒、]|[（(]\s*\d{{1,3}}\s*[)）]|附件)"
)
WHITESPACE = " \t\u3000\u00a0\ufeff\u2002\u2003\u2009"  # em and en spaces indent some pages (45)
# 责任单位：市财政局 on a line of its own: an annotation without brackets, complete in its line
LABEL_LINE = re.compile(r"^(?:牵头|责任|配合)(?:单位|部门)[：:][^。]*$")


def is_bare_heading(text: str) -> bool:
    """A numbered heading with no sentence in it, such as 一、指导思想: it never runs on."""
    return bool(NUMBERED.match(text)) and len(text) <= 40 and not re.search("[，。；,;]", text)


@dataclass
class Paragraph:
    text: str
    offsets: list[int]  # source offset of each character of text
    source: SourceText
    part: str = BODY

    @property
    def line(self) -> int:
        return self.source.line_of(self.offsets[0])

    def span(self, start: int = 0, end: int | None = None) -> Span:
        """The source span of ``text[start:end]`` (whitespace at its edges left out)."""
        end = len(self.text) if end is None else end
        while start < end and self.text[start] in WHITESPACE:
            start += 1
        while end > start and self.text[end - 1] in WHITESPACE:
            end -= 1
        if start >= end:
            start, end = max(0, min(start, len(self.text) - 1)), max(1, min(start, len(self.text) - 1) + 1)
        first, last = self.offsets[start], self.offsets[end - 1]
        return Span(first, last + 1, self.source.line_of(first), self.source.line_of(last), self.part)

    def slice(self, start: int, end: int | None = None) -> "Paragraph":
        end = len(self.text) if end is None else end
        return Paragraph(self.text[start:end], self.offsets[start:end], self.source, self.part)

    def strip(self) -> "Paragraph":
        start, end = 0, len(self.text)
        while start < end and self.text[start] in WHITESPACE:
            start += 1
        while end > start and self.text[end - 1] in WHITESPACE:
            end -= 1
        return self.slice(start, end)


def line_paragraph(source: SourceText, line: Line) -> Paragraph:
    """One line as a paragraph, surrounding whitespace left out."""
    return Paragraph(line.text, list(range(line.start, line.start + len(line.text))), source).strip()


# Where one physical line holds several paragraphs: runs of ideographic spaces (the
# indentation of the next paragraph), and headings run straight on after a sentence end.
IDEOGRAPHIC_BREAK = re.compile("\u3000{2,}")
RUN_IN_HEADING = re.compile(
    rf"(?<=[。；！？：）])\s*(?=(?:[{CHINESE_NUMERAL}]+、|[（(][{CHINESE_NUMERAL}]+[)）]|\d{{1,3}}\s*[.．﹒](?!\d)|[（(]\d{{1,3}}[)）]|[{CIRCLED}]"""
    # …负责）3．2020年底前…: an item opening with a year, not a decimal number
    rf"""|\d{{1,3}}\s*[.．﹒](?=\d{{4}}年)))"""
)


# 一、持续提升投资建设便利度（一）优化…: a section title runs straight into its first subheading.
TITLE_THEN_SUBHEADING = re.compile(
    rf"(?:^|(?<=[。；！？）]))\s*[{CHINESE_NUMERAL}]+、[^。；：（()）]{{2,40}}(?=[（(][{CHINESE_NUMERAL}]+[)）])"
)


# 05, a text without line breaks: …营造良好的创新创业氛围。重庆市人民政府   2019年6月28日   （此件公开发布）:
# the signing body, the date and the release note, spaced apart after the last sentence
SIGNATURE_RUN = re.compile(
    r"(?<=[。；])([\u4e00-\u9fff]{2,30}?)[ \u3000\u00a0]{2,}(\d{4}年\d{1,2}月\d{1,2}日)"
    r"(?:[ \u3000\u00a0]{2,}([（(]此件[^)）]*[)）]))?[ \u3000\u00a0]*$")


def logical_lines(source: SourceText, lines: list[Line] | None = None) -> list[Line]:
    """The lines of ``source`` with run-together paragraphs split apart (offsets kept)."""
    result: list[Line] = []
    for line in source.lines if lines is None else lines:
        if "\t" in line.text:  # table rows keep their layout
            result.append(line)
            continue
        cuts = {0, len(line.text)}
        cuts.update(m.start() for m in IDEOGRAPHIC_BREAK.finditer(line.text) if m.start() > 0)
        cuts.update(m.end() for m in RUN_IN_HEADING.finditer(line.text))
        cuts.update(m.end() for m in TITLE_THEN_SUBHEADING.finditer(line.text))
        cuts.update(m.start(g) for m in SIGNATURE_RUN.finditer(line.text) for g in (1, 2, 3) if m.start(g) >= 0)
        bounds = sorted(cuts)
        for start, end in zip(bounds, bounds[1:]):
            result.append(Line(line.number, line.start + start, line.text[start:end]))
        if len(bounds) == 1:
            result.append(line)
    return result


def continues(text: str) -> bool:
    """Whether a line ending like ``text`` runs on into the next line."""
    text = text.rstrip(WHITESPACE)
    if not text:
        return False
    if text.count("（") + text.count("(") > text.count("）") + text.count(")"):
        return True  # a bracket is still open: an annotation broken across lines
    return text[-1] not in SENTENCE_END


def paragraphs(source: SourceText, lines: list[Line]) -> list[Paragraph]:
    """Join ``lines`` into paragraphs, rejoining sentences broken by layout."""
    result: list[Paragraph] = []
    current: Paragraph | None = None
    for line in lines:
        piece = line_paragraph(source, line)
        if not piece.text:
            continue
        if (
            current is not None
            and continues(current.text)
            and not is_bare_heading(current.text)
            and not LABEL_LINE.match(current.text)
            and not STRUCTURE_START.match(piece.text)
        ):
            current = Paragraph(
                current.text + piece.text, current.offsets + piece.offsets, source
            )
            result[-1] = current
        else:
            current = piece
            result.append(current)
    return result
