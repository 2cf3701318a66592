"""Readable ASCII slugs for IRIs: from ASCII text as is, from Chinese through pinyin."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

# Slugs become IRI segments and file names (views/units/<jurisdiction>-<slug>.html); file
# names stop at 255 bytes. A longer slug keeps its start and ends in a hash of the whole.
MAX_SLUG = 100


@lru_cache(maxsize=1 << 16)  # pinyin is slow; a corpus names the same units again and again
def slugify(text: str) -> str:
    """``"高青县 公安局"`` -> ``"gao-qing-xian-gong-an-ju"``; ``"Gaoqing_Plan"`` -> ``"gaoqing-plan"``."""
    if not text.isascii():
        from pypinyin import lazy_pinyin  # imported here: large dictionary, only for non-ASCII

        text = "-".join(lazy_pinyin(text, errors=lambda chars: [f"u{ord(c):04x}" for c in chars]))
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        digest = hashlib.sha256(slug.encode("ascii")).hexdigest()[:10]
        slug = slug[: MAX_SLUG - 11].rstrip("-") + "-" + digest
    return slug or "x"
