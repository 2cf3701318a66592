"""How fast this machine is right now: the CPU time one process takes to build each of the first
plans of a corpus (read, parse, reconcile, map, check the shapes, write the Turtle), in ms a plan.

Usage: python benchmarks/host_speed.py SOURCES [--count 300]

A shared virtual machine's speed moves with its host's load, which `uptime` inside it does not
show: the same 10,000-document build took 143 s and, an hour later with nothing else running in
the machine, 194 s. Run this before and after a timing to say which host the timing had (10 ms a
plan on the development machine at its fastest, 14–20 ms when slowed).
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policykg.rdf.build import _build_plans, collect_sources  # noqa: E402
from policykg.rdf.mapping import DEFAULT_NAMESPACE  # noqa: E402
from policykg.rdf.registry import DEFAULT_REGISTRY_DIR, load_registry  # noqa: E402
from policykg.rdf.shapes import Shapes  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sources", type=Path)
    ap.add_argument("--count", type=int, default=300)
    args = ap.parse_args()
    registry, shapes = load_registry(DEFAULT_REGISTRY_DIR), Shapes.load()
    paths = collect_sources([args.sources])[:args.count]
    _build_plans(paths[0], registry, DEFAULT_NAMESPACE, shapes)  # imports and first-use caches
    cpu = time.process_time()
    for path in paths:
        _build_plans(path, registry, DEFAULT_NAMESPACE, shapes)
    print(f"{(time.process_time() - cpu) / len(paths) * 1000:.1f} ms of CPU a plan ({len(paths)} plans)")


if __name__ == "__main__":
    main()
