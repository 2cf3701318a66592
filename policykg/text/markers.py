"""List markers: which numbering an item opens with (（一） 1. （1） ①), and run-in titles."""

from __future__ import annotations

import re

from .lines import CHINESE_NUMERAL
from .numerals import CIRCLED, chinese_to_int

MARKERS = (
    ("chinese", re.compile(rf"^[（(]\s*([{CHINESE_NUMERAL}]+)\s*[)）]\s*")),  # （三） and ( 三 ) alike
    # 1. but not 1.5; 3．2020年底前… is item 3
    ("number", re.compile(r"^(\d{1,3})\s*[.．﹒、](?:(?!\d)|(?=\d{4}年))\s*")),
    ("paren", re.compile(r"^[（(]\s*(\d{1,3})\s*[)）]\s*")),
    ("circled", re.compile(f"^([{CIRCLED}])\\s*")),
)


def marker(text: str) -> tuple[str, int, int] | None:
    """``(style, value, end)`` of the list marker ``text`` starts with, if any."""
    for style, pattern in MARKERS:
        m = pattern.match(text)
        if m:
            raw = m.group(1)
            value = (CIRCLED.index(raw) + 1 if style == "circled"
                     else chinese_to_int(raw) if style == "chinese" else int(raw))
            return (style, value, m.end()) if value >= 1 else None  # lists count from 1
    return None


def heading_like(title: str) -> bool:
    """A run-in title (加强组织领导。…), not a first sentence that says what to do (采取全市统一建设方式，
    …): short, with no clause in it."""
    bare = re.sub(r"[（(][^（()）]*[)）]", "", title).strip()  # 75: 优化商业用房（含办公、仓储等，…）实体分割、合并
    return len(bare) <= 30 and not re.search("[，,；;：:]", bare)
