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


def distinct_slug(text: str) -> str:
    """A slug that no other text gets: :func:`slugify` and a hash of ``text`` itself.

    Pinyin drops tones and characters (县石油局 and 县诗游局 are both ``xian-shi-you-ju``), so
    a name whose slug another name also takes is given this one instead (40 bits of hash).
    """
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    return slugify(text)[: MAX_SLUG - 11].rstrip("-") + "-" + digest
