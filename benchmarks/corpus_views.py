"""Benchmark: `policykg visualize` of a whole corpus, phase by phase.

Usage: python benchmarks/corpus_views.py GRAPH_DIR [--out DIR] [--lang zh] [--store] [--overview] [--json]

GRAPH_DIR is a folder `policykg build` wrote, e.g. after
`policykg generate 1000 --out /tmp/c1k && policykg build /tmp/c1k --out /tmp/g1k`.
Opens the graph as `policykg visualize` does (every unit: the graph read into memory, in shards
side by side when the corpus is big, see policykg/views/shards.py; --store: the view queries on the
build's store instead), writes the views folder and prints wall and CPU
seconds of each phase (opening, the view queries, the networks with their metrics and layouts,
pages, exports, sheets, index, waiting for the tasks' half a child process makes meanwhile), the
total, the CPU seconds of child processes, the files written and the peak RSS. --overview times
the corpus overview instead (on the store). Wall time on a shared machine varies with its load
(the load average is printed): CPU seconds say what the work costs. The phases' CPU seconds are
this process's; the child's are the "children" line (its wall time shows as the wait).
"""

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policykg.corpus.bench import machine  # noqa: E402
from policykg.sparql.engines import load_engine  # noqa: E402
from policykg.views.networks import for_every_unit  # noqa: E402
from policykg.views.overview import build_overview  # noqa: E402
from policykg.views.pages import Phases, build_views  # noqa: E402
from policykg.views.shards import Shards  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("graph", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--lang", default="zh")
    ap.add_argument("--store", action="store_true", help="run the view queries on the build's store")
    ap.add_argument("--overview", action="store_true", help="time the corpus overview")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="policykg-corpus-views-"))
    phases = Phases()
    wall, cpu = time.perf_counter(), time.process_time()
    with phases("open the graph"):
        engine = load_engine([args.graph])
        if not (args.store or args.overview):
            engine = for_every_unit(engine, [args.graph])
    if args.overview:
        with phases("overview (queries and pages)"):
            result = build_overview(engine, out, lang=args.lang, graph=[str(args.graph)])
    else:
        result = build_views(engine, out, lang=args.lang, phases=phases)  # as the command: not freed
    total = (time.perf_counter() - wall, time.process_time() - cpu)
    figures = {
        "graph": str(args.graph), "store": getattr(engine, "opened", None) is not None,
        "shards": len(engine) if isinstance(engine, Shards) else 0,
        "phases": {k: {"wall_s": round(w, 2), "cpu_s": round(c, 2)} for k, (w, c) in phases.seconds.items()},
        "total": {"wall_s": round(total[0], 2), "cpu_s": round(total[1], 2)},
        "children_cpu_s": round(sum(getattr(resource.getrusage(resource.RUSAGE_CHILDREN), f)
                                    for f in ("ru_utime", "ru_stime")), 2),
        "files": len(result.files), "counts": result.counts,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load_average": os.getloadavg()[0], "machine": machine(), "out": str(out),
    }
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    print(f"{'phase':40} {'wall s':>8} {'cpu s':>8}")
    for k, v in figures["phases"].items():
        print(f"{k:40} {v['wall_s']:8.2f} {v['cpu_s']:8.2f}")
    print(f"{'total':40} {figures['total']['wall_s']:8.2f} {figures['total']['cpu_s']:8.2f}")
    print(f"{'children (CPU)':40} {'':8} {figures['children_cpu_s']:8.2f}")
    print(f"{figures['files']} files in {out}; store: {figures['store']}; shards: {figures['shards']}; peak RSS {figures['peak_rss_mb']} MB; "
          f"load average {figures['load_average']:.1f}")


if __name__ == "__main__":
    main()
