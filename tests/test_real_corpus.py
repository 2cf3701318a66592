"""The reader on real documents of the genre (corpus/real/, provenance in its SOURCES.md).

Expected units were read by hand from each document (expected-units.json), never taken from the
parser; the annotation examples below are quoted from those documents.
"""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from policykg.corpus.evaluate import evaluate_corpus
from policykg.text.annotations import AnnotationReader
from policykg.text.decode import SourceText
from policykg.text.lines import line_paragraph

CORPUS = ROOT / "corpus" / "real"

# Documents whose every annotation the reader must carry, with recall ≥ 95 % and precision ≥ 90 %.
MEETS_THE_BAR = ("01", "02", "04", "05", "22", "23", "09", "38", "39")  # 09, 38, 39: web pages


@pytest.fixture(scope="module")
def scores():
    return {s.name.split("_", 1)[0]: s for s in evaluate_corpus(CORPUS)}


def test_every_corpus_document_is_read_or_refused_with_a_reason(scores):
    documents = [p for p in CORPUS.iterdir() if p.name[:2].isdigit()]
    assert len(scores) == len(documents) >= 16
    for key, s in scores.items():
        assert s.read or s.reason, key


def test_every_document_has_provenance():
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    for path in CORPUS.iterdir():
        if path.name[:2].isdigit():
            assert f"## {path.name}" in sources, path.name


@pytest.mark.parametrize("key", MEETS_THE_BAR)
def test_units_of_real_documents_are_read_as_a_person_reads_them(scores, key):
    s = scores[key]
    assert s.read, s.reason
    assert s.meets_target(), (s.carrying, s.annotations, s.recall, s.precision, s.missed[:5], s.extra[:5])


def test_expected_units_cover_at_least_twelve_documents():
    expected = json.loads((CORPUS / "expected-units.json").read_text(encoding="utf-8"))
    assert len(expected) >= 12


def _annotation(text: str):
    source = SourceText.from_text("example.txt", text)
    found = AnnotationReader().find(line_paragraph(source, source.lines[0]))
    assert len(found) == 1
    a = found[0]
    return [u.name for u in a.leads], [u.name for u in a.units]


@pytest.mark.parametrize("text, leads, units", [
    # 02 (Anhui): role words are not part of a name
    ("推进通关便利化。（合肥海关牵头，省贸促会、省商务厅按职责分工配合）", ["合肥海关"], ["省贸促会", "省商务厅"]),
    # 02: a name that contains 牵头单位 is a unit, not a label
    ("加快产业发展。（省十大新兴产业推进组工作专班牵头单位牵头，省十大新兴产业推进组工作专班成员单位按职责分工配合）",
     ["省十大新兴产业推进组工作专班牵头单位"], ["省十大新兴产业推进组工作专班成员单位"]),
    # 22 (State Council): 等国务院相关部门 is not a name; 及 separates units
    ("优化服务。（住房城乡建设部等国务院相关部门及各地区按职责分工负责）", [], ["住房城乡建设部", "各地区"]),
    # 06 (Hubei): a group with 、 inside stays one unit
    ("加大金融支持。（责任单位：省农业农村厅、省财政厅，各市、州、县人民政府）", [],
     ["省农业农村厅", "省财政厅", "各市、州、县人民政府"]),
    # 05 (Chongqing): labelled lead and responsible, separated by ；
    ("发展农村电商。（牵头单位：市商务委；责任单位：市经济信息委、各区县政府）", ["市商务委"], ["市经济信息委", "各区县政府"]),
])
def test_real_annotation_styles(text, leads, units):
    assert _annotation(text) == (leads, units)
