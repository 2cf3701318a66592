"""How fast this machine is right now: the CPU time one process takes to build each of the first
plans of a corpus (read, parse, reconcile, map, check the shapes, write the Turtle), in ms a plan.

Usage: python benchmarks/host_speed.py SOURCES [--count 300]

A shared virtual machine's speed moves with its host's load, which `uptime` inside it does not
show: the same 10,000-document build took 143 s and, an hour later with nothing else running in
the machine, 194 s. Run this before and after a timing to say which host the timing had (10 ms a
plan on the development machine at its fastest, 14–20 ms when slowed). `policykg bench` reports it.

The figure a plan moves with the code as well (session 11's Turtle writer took about 2 ms off it), so
beside it is the CPU time of a fixed piece of work that uses nothing of policykg ("reference work",
`policykg.corpus.bench.reference_ms`): that one compares hosts across versions of the code.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policykg.corpus.bench import host_speed  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sources", type=Path)
    ap.add_argument("--count", type=int, default=300)
    args = ap.parse_args()
    speed = host_speed(args.sources, args.count)
    print(f"{speed['cpu_ms_per_plan']} ms of CPU a plan ({speed['plans']} plans); "
          f"reference work {speed['reference_ms']} ms")


if __name__ == "__main__":
    main()
