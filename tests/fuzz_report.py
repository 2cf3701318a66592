"""Run many fuzzing examples and count the outcomes.

    python -m tests.fuzz_report --examples 10000            # from the repository root
    python -m tests.fuzz_report --examples 500 --seed 7 --build-every 5 --jobs 2

Every example is a recipe from ``random_recipe`` (seeded, so a run can be repeated). Each is
parsed and reconciled; every ``--build-every``-th example goes through the whole build
(parse, reconcile, map, SHACL validation, writing Turtle). Outcomes other than ``graph`` and
``document-error`` are bugs: the first few recipes of each are printed so they can be
replayed with ``--replay 'Recipe(...)'``. Exit status 1 if there was any.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import fuzzing  # noqa: E402

_workdir: Path | None = None


def _init() -> None:
    global _workdir
    _workdir = Path(tempfile.mkdtemp(prefix="policykg-fuzz-"))


def _one(task):
    index, seed, build_every, seconds = task
    recipe = fuzzing.random_recipe(random.Random(f"{seed}:{index}"))
    full = build_every > 0 and index % build_every == 0
    folder = _workdir / str(index % 7)
    folder.mkdir(exist_ok=True)
    result = fuzzing.outcome(fuzzing.recipe_bytes(recipe), folder / "fuzzed-plan.txt", full, seconds)
    return index, full, result.kind, result.detail, str(recipe)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=10000)
    parser.add_argument("--seed", default="0")
    parser.add_argument("--build-every", type=int, default=10,
                        help="every N-th example runs the whole build with SHACL (0: never)")
    parser.add_argument("--jobs", type=int, default=multiprocessing.cpu_count())
    parser.add_argument("--seconds", type=float, default=30.0, help="time bound of one example")
    parser.add_argument("--show", type=int, default=3, help="recipes to print per bad outcome")
    parser.add_argument("--replay", help="run one printed Recipe(...) and show its outcome in full")
    args = parser.parse_args(argv)

    if args.replay:
        recipe = eval(args.replay, {"Recipe": fuzzing.Recipe})  # a recipe this script printed
        _init()
        for full in (False, True):
            result = fuzzing.outcome(fuzzing.recipe_bytes(recipe), _workdir / "fuzzed-plan.txt", full, args.seconds)
            print(f"{'build' if full else 'parse'}: {result.kind}\n{result.detail}\n")
        return 0

    started = time.monotonic()
    counts: Counter = Counter()
    problems: Counter = Counter()
    bad: dict[str, list] = {}
    tasks = [(i, args.seed, args.build_every, args.seconds) for i in range(args.examples)]
    with multiprocessing.get_context("fork").Pool(args.jobs, initializer=_init) as pool:
        for done, (index, full, kind, detail, recipe) in enumerate(
                pool.imap_unordered(_one, tasks, chunksize=4), start=1):
            counts[(kind, "build" if full else "parse")] += 1
            if kind == "document-error":
                problems[_problem_kind(detail)] += 1
            elif kind != "graph":
                bad.setdefault(kind, []).append((index, recipe, detail))
            if done % 500 == 0:
                print(f"  {done} examples, {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)

    elapsed = time.monotonic() - started
    print(f"{args.examples} examples (seed {args.seed!r}, whole build every {args.build_every}), {elapsed:.0f} s")
    for kind in sorted({k for k, _ in counts}):
        parse, build = counts[(kind, "parse")], counts[(kind, "build")]
        print(f"  {kind:28} {parse + build:6}   (parse {parse}, build {build})")
    print("document errors by problem:")
    for problem, n in problems.most_common():
        print(f"  {n:6}  {problem}")
    for kind, cases in sorted(bad.items()):
        print(f"\n{kind}: {len(cases)}")
        for index, recipe, detail in sorted(cases)[: args.show]:
            print(f"  #{index} {recipe}\n    {detail.strip().splitlines()[-1] if detail.strip() else ''}")
    return 1 if bad else 0


def _problem_kind(problem: str) -> str:
    """The problem with its particulars (numbers, quoted text) left out, for counting."""
    import re

    problem = re.sub(r"0x[0-9a-f]+", "0xNN", problem)
    problem = re.sub(r"(?<![A-Za-z-])\d+", "N", problem)
    return re.sub(r":.*", "", problem)[:90] if "not a valid date" in problem else problem[:90]


if __name__ == "__main__":
    sys.exit(main())
