"""Readable ASCII slugs for IRIs: from ASCII text as is, from Chinese through pinyin."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=1 << 16)  # pinyin is slow; a corpus names the same units again and again
def slugify(text: str) -> str:
    """``"高青县 公安局"`` -> ``"gao-qing-xian-gong-an-ju"``; ``"Gaoqing_Plan"`` -> ``"gaoqing-plan"``."""
    if not text.isascii():
        from pypinyin import lazy_pinyin  # imported here: large dictionary, only for non-ASCII

        text = "-".join(lazy_pinyin(text, errors=lambda chars: [f"u{ord(c):04x}" for c in chars]))
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "x"
