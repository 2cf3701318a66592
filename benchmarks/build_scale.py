"""The build of a corpus already on disk: wall time, CPU time and peak memory of its whole
process tree, the build's own stage timings, and (with --compare) whether its Turtle and TriG
are the same bytes as another build's.

Usage: python benchmarks/build_scale.py SOURCES --out DIR [--workers N]
           [--executor dask --scheduler ADDRESS] [--compare OTHER_GRAPH_DIR] [--json]

e.g. `policykg generate 10000 --out /data/c10k` then
`python benchmarks/build_scale.py /data/c10k --out /data/g10k`. The build runs as a child process
(`policykg.rdf.build.build`, as `policykg build` calls it); its peak memory is the largest sum
of PSS (and of RSS) over the process and its workers, sampled every 50 ms from /proc. Before and after, the
host's speed (`policykg.corpus.bench.host_speed`: CPU ms a plan in one process), since this
machine's speed moves with its host's load.
"""

import argparse
import filecmp
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policykg.corpus.bench import host_speed, machine, run_build  # noqa: E402

GRAPH_FILES = ("policykg.ttl", "policykg.trig")


def peaks_by_phase(build: dict) -> dict:
    """The largest PSS sampled in each phase of the build: the plans, the files, the store."""
    stages = build["stages"]
    plans_end = stages.get("plans-first-pass", 0) + stages["plans"] + stages["shared-check"] + stages["merge"]
    files_end = plans_end + sum(v for k, v in stages.items() if k.startswith("write:") and k != "write:store"
                                 and not k.startswith("cpu:"))
    bounds = {"start-up and plans": plans_end, "files": files_end, "store": float("inf")}
    peaks = dict.fromkeys(bounds, 0)
    for second, pss in build["pss_mb_by_second"]:
        phase = next(name for name, end in bounds.items() if second <= end + 1)
        peaks[phase] = max(peaks[phase], pss)
    return peaks


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sources", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--workers", type=int)
    ap.add_argument("--executor", default="local", choices=("local", "dask"))
    ap.add_argument("--scheduler")
    ap.add_argument("--compare", type=Path, help="a graph folder whose Turtle and TriG should be the same bytes")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    figures = {"machine": {**machine(), "host_speed": host_speed(args.sources)}, "command": " ".join(sys.argv)}
    figures["build"] = run_build(args.sources, args.out, args.workers, args.executor, args.scheduler)
    figures["machine"]["load_average_after"] = machine()["load_average"]
    figures["machine"]["host_speed_after"] = host_speed(args.sources)
    if args.compare:
        figures["same_bytes_as"] = {name: filecmp.cmp(args.out / name, args.compare / name, shallow=False)
                                    for name in GRAPH_FILES}
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    m, b = figures["machine"], figures["build"]
    print(f"{m['nproc']} cores, {m['cpu_model']}, load {m['load_average']} before, {m['load_average_after']} after")
    print(f"host speed (benchmarks/host_speed.py): {m['host_speed']['cpu_ms_per_plan']} ms of CPU a plan before, "
          f"{m['host_speed_after']['cpu_ms_per_plan']} after; reference work {m['host_speed']['reference_ms']} ms "
          f"before, {m['host_speed_after']['reference_ms']} after")
    print(f"{b['plans']} plans, {b['triples']} triples")
    print(f"build: {b['seconds']} s wall, {b['cpu_seconds']} s CPU (all processes)")
    print(f"peak memory of the process tree: {b['peak_pss_mb']} MB PSS, {b['peak_rss_tree_mb']} MB RSS; "
          f"largest process {b['peak_rss_largest_process_mb']} MB RSS")
    print("peak PSS by phase (MB, phases from the stage timings, to a second or two): "
          + ", ".join(f"{k} {v}" for k, v in peaks_by_phase(b).items()))
    print("stages (s): " + ", ".join(f"{k} {v}" for k, v in b["stages"].items()))
    print("files: " + ", ".join(f"{k} {v}" for k, v in b["files"].items()))
    if args.compare:
        print("same bytes as " + str(args.compare) + ": " + ", ".join(f"{k} {v}" for k, v in figures["same_bytes_as"].items()))


if __name__ == "__main__":
    main()
