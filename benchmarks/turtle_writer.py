"""Benchmark: each plan's Turtle written by policykg.rdf.turtle (Python) and by pyoxigraph (N-Triples
parsed, then written as Turtle), on the same plans, in turns, in one process.

Usage: python benchmarks/turtle_writer.py SOURCES [--count 300] [--rounds 3]

Reads, maps and sorts the first COUNT plans of SOURCES as the build does, then times each writer
over all of them, ROUNDS times in turn, and checks that both wrote the same bytes. CPU ms a plan.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policykg.published import read_document  # noqa: E402
from policykg.rdf.build import TURTLE_PREFIXES, collect_sources  # noqa: E402
from policykg.rdf.export import turtle_fragment  # noqa: E402
from policykg.rdf.mapping import PlanInput, plan_triples  # noqa: E402
from policykg.rdf.reconcile import reconcile  # noqa: E402
from policykg.rdf.registry import load_registry  # noqa: E402
from policykg.rdf.terms import nt_lines  # noqa: E402
from policykg.rdf.turtle import TurtleWriter  # noqa: E402
from policykg.text.parse import parse_documents  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sources", type=Path)
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    registry = load_registry()
    plans = []  # (triples, N-Triples lines), each in the order the build writes them
    for path in collect_sources([args.sources])[:args.count]:
        for doc in parse_documents(read_document(path)):
            place = registry.for_name(doc.metadata.jurisdiction)
            pairs = sorted(nt_lines(plan_triples(PlanInput(doc, place, reconcile(doc, place.resolve)))).items(),
                           key=lambda item: item[1])
            plans.append(([t for t, _ in pairs], [line for _, line in pairs]))
    writer = TurtleWriter(TURTLE_PREFIXES)
    for _ in range(args.rounds):
        cpu = time.process_time()
        by_pyoxigraph = [turtle_fragment(lines, TURTLE_PREFIXES) for _, lines in plans]
        pyoxigraph_ms = (time.process_time() - cpu) / len(plans) * 1000
        cpu = time.process_time()
        by_python = [writer.fragment(triples) for triples, _ in plans]
        python_ms = (time.process_time() - cpu) / len(plans) * 1000
        same = by_python == by_pyoxigraph
        print(f"{len(plans)} plans: pyoxigraph {pyoxigraph_ms:.2f} ms a plan, Python {python_ms:.2f} ms a plan; "
              f"same bytes: {same}")
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()
