"""Reading plans as they are published: web pages, Word files and PDFs beside plain text, and
Markdown as crawlers keep pages.

:func:`read_document` turns any of them into the reader's :class:`~policykg.text.decode.SourceText`
(paragraphs as lines, table rows as tab-separated cells), so everything after reading is shared.
Published formats give a :class:`~policykg.published.text.PublishedText`, which also knows where
every line and cell came from (:func:`~policykg.published.text.origin_of`).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import DocumentError
from ..text.decode import MAX_SOURCE_BYTES, SourceText, read_source
from .text import Origin, PublishedText, origin_of

__all__ = ["SUFFIXES", "Origin", "PublishedText", "is_document", "origin_of", "read_document", "sniff"]

# The suffixes policykg reads, and the format each names.
SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
            ".docx": "docx", ".pdf": "pdf"}
# Word files and PDFs carry pictures and fonts: they may be larger than a text file of the same plan.
MAX_PUBLISHED_BYTES = 5 * MAX_SOURCE_BYTES
NAMES = {"text": "a text file", "markdown": "a Markdown file", "html": "a web page", "docx": "a Word file (.docx)", "pdf": "a PDF file",
         "doc": "an old binary Word file (.doc) or another OLE2 file", "zip": "a zip archive",
         "binary": "a binary file"}


def is_document(path: Path) -> bool:
    """Whether a file met in a folder is a document to read: a suffix policykg reads, and not one of
    the notes a folder of documents keeps about itself in Markdown (README.md, SOURCES.md: a stem in
    capitals), which would otherwise be taken for a plan."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        return False
    return not (SUFFIXES[suffix] == "markdown" and path.stem.isupper())


def sniff(head: bytes) -> str:
    """What the first bytes of a file say it is: pdf, zip (a .docx is one), doc, html, text or binary."""
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<meta", b"<body", b"<div", b"<p",
                         b"<table", b"<tbody", b"<tr", b"<!--", b"<span", b"<h1", b"<section", b"<article")):
        return "html"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "text"


def read_document(path: str | Path) -> SourceText:
    """Read one plan file of any format policykg takes, chosen by suffix and checked by content."""
    path = Path(path)
    shown = str(path)
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise DocumentError(shown, None, f"policykg does not read {path.suffix or 'files without a suffix'}; "
                                         f"it reads {', '.join(SUFFIXES)}")
    if fmt == "text":
        return read_source(path)
    try:
        size = path.stat().st_size
        if size > MAX_PUBLISHED_BYTES:
            raise DocumentError(shown, None, f"file is {size} bytes, larger than the {MAX_PUBLISHED_BYTES} bytes "
                                             "policykg reads from one document")
        data = path.read_bytes()
    except OSError as err:
        raise DocumentError(shown, None, f"cannot read file: {err.strerror or err}") from None
    if not data.strip():
        raise DocumentError(shown, None, "file is empty")
    found = sniff(data[:2048])
    expected = {"html": ("html", "text"), "markdown": ("text", "html"), "docx": ("zip",), "pdf": ("pdf",)}[fmt]
    if found not in expected:
        raise DocumentError(shown, None, f"named {path.suffix} but it is {NAMES[found]}, not {NAMES[fmt]}")
    if fmt == "markdown":
        from .markdown import read_markdown

        return read_markdown(data, shown)
    if fmt == "html":
        from .html import read_html

        return read_html(data, shown)
    if fmt == "docx":
        from .docx import read_docx

        return read_docx(shown)
    from .pdf import read_pdf

    return read_pdf(shown)
