"""Chinese numerals as used in headings: 一 … 九十九."""

from __future__ import annotations

DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_to_int(text: str) -> int:
    """``"十四"`` -> 14, ``"二十"`` -> 20, ``"七"`` -> 7."""
    if not text:
        raise ValueError("empty numeral")
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[ones] if ones else 0)
    value = 0
    for ch in text:
        value = value * 10 + DIGITS[ch]
    return value
