"""Fuzzing: mutated documents of the genre build a graph or give a DocumentError, nothing else.

CI runs a bounded number of examples (about 30 s in all). For 10,000 and a count of every
outcome: ``python -m tests.fuzz_report --examples 10000`` (see tests/fuzz_report.py).
"""

import tempfile
from pathlib import Path

import fuzzing
import pytest
from fuzzing import Recipe
from hypothesis import HealthCheck, example, given, settings

FUZZ_SETTINGS = dict(deadline=None, derandomize=False, print_blob=True,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_folder = Path(tempfile.mkdtemp(prefix="policykg-fuzz-"))


def check(recipe: Recipe, full_build: bool, seconds: float) -> None:
    result = fuzzing.outcome(fuzzing.recipe_bytes(recipe), _folder / "fuzzed-plan.txt", full_build, seconds)
    assert result.ok, f"{recipe}\n{result.kind}: {result.detail}"


# What fuzzing found, kept as examples (each failed before its fix; see FUZZING.md).
FOUND = [
    # pilot task numbers repeating (a second 任务 section) merged two pilot tasks into one IRI
    Recipe(seed=0, ops=(("insert_token", 199114, 645651, 145), ("delete_special", 556095, 289578, 188),
                        ("split", 738311, 650495, 244), ("delete_block", 599575, 1035336, 97),
                        ("cut", 743219, 218758, 220), ("swap", 308681, 323153, 86),
                        ("insert_token", 563402, 977617, 56)), encoding="utf-8", eol="\r"),
    # a plan whose title line was lost: the build wrote a graph without dcterms:title (SHACL)
    Recipe(seed=1, ops=(("swap", 984373, 627113, 243),)),
    # a work task "2." with no title, at the end of a truncated file
    Recipe(seed=1, ops=(("swap", 953308, 66601, 193), ("replace_special", 303433, 114179, 252),
                        ("cut", 955568, 369871, 190), ("truncate", 87804, 580524, 26),
                        ("move", 541873, 358083, 132), ("tabs", 954966, 423633, 225),
                        ("join", 10922, 25485, 125))),
    # an annotation with no text before it and no work task above: IndexError naming the line
    Recipe(seed=2, ops=(("join", 341737, 749872, 111), ("split", 56333, 621771, 32),
                        ("insert_token", 407251, 717578, 149)), encoding="utf-8", eol="mixed"),
    Recipe(seed=1, ops=(("swap", 263265, 983580, 214), ("dup_span", 94374, 318164, 4),
                        ("delete_block", 701248, 447858, 11), ("insert_token", 994073, 655412, 41),
                        ("dup_span", 374694, 338203, 184)), encoding="utf-8-sig"),
    # (seeds 3+ are tests/documents/, merged from main) an endless loop stripping the stop
    # before a measure whose text was empty ("" in "。；" is true)
    Recipe(seed=3, ops=(("dup_span", 897110, 515974, 251), ("move", 47403, 960974, 1),
                        ("join", 654968, 471125, 85), ("swap_brackets", 453996, 143184, 244))),
    # an empty 落实措施： label became a measure with empty text (SHACL)
    Recipe(seed=7, ops=(("dup_span", 1045178, 883084, 61), ("swap", 270534, 112195, 43),
                        ("dup", 26676, 526649, 153), ("replace_special", 751627, 226874, 195))),
    # one unit named twice as lead of one pilot task: one assignment node with two spans (SHACL)
    Recipe(seed=8, ops=(("swap_brackets", 68756, 318022, 91),), eol="\r\n"),
    Recipe(seed=4, ops=(("delete_special", 447790, 790064, 145), ("dup_span", 993888, 672530, 100)), eol="\r\n"),
]


@pytest.mark.parametrize("recipe", FOUND, ids=range(len(FOUND)))
def test_found_cases_now_build_or_give_a_document_error(recipe):
    check(recipe, full_build=True, seconds=30)


@settings(max_examples=1000, **FUZZ_SETTINGS)
@given(fuzzing.recipes())
def test_parse_and_reconcile_mutated_documents(recipe):
    check(recipe, full_build=False, seconds=10)


@settings(max_examples=40, **FUZZ_SETTINGS)
@given(fuzzing.recipes())
@example(Recipe(seed=0, ops=(("truncate", 999, 0, 0),), encoding="gb18030", eol="\r\n"))
@example(Recipe(seed=2, ops=(("dup", 40, 41, 0),), encoding="utf-16", eol="\r"))
def test_whole_build_of_mutated_documents(recipe):
    check(recipe, full_build=True, seconds=30)


def test_unmutated_seeds_build_graphs():
    for seed in range(len(fuzzing.SEEDS)):
        for encoding in fuzzing.ENCODINGS[:5]:  # utf-16-le without a BOM is not a supported input
            result = fuzzing.outcome(fuzzing.recipe_bytes(Recipe(seed, (), encoding, "\r\n")),
                                     _folder / "plan.txt", full_build=False)
            assert result.kind == "graph", (fuzzing.SEEDS[seed].name, encoding, result)


def test_the_time_bound_stops_a_runaway_regex():
    import re

    with pytest.raises(fuzzing.Hang):
        with fuzzing.time_bound(0.2):
            re.match(r"(a+)+b", "a" * 64)


def test_bad_outcomes_are_recognised(monkeypatch):
    """The harness itself: a crash in the parser is classified as a bug, not as success."""
    import policykg.text.parse

    def broken(path):
        raise KeyError("boom")

    monkeypatch.setattr(policykg.text.parse, "parse_plan", broken)
    result = fuzzing.outcome(b"anything", _folder / "plan.txt")
    assert result.kind == "crash:KeyError" and not result.ok
