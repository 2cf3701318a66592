"""The ``policykg`` command: a thin click layer over the library."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import __version__
from ..errors import DocumentsError, GraphLoadError, PolicyKGError
from ..text.decode import visible
from .options import CONTEXT_SETTINGS, graph_option, graph_paths


class _Group(click.Group):
    """The one error handler: policykg's own errors become one ``error:`` line on stderr and the
    error's exit status (2 for input the user can fix, 1 for a failed service or run)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PolicyKGError as err:
            click.echo(f"error: {visible(str(err))}", err=True)
            sys.exit(err.exit_code)


@click.group(cls=_Group, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="policykg")
def cli() -> None:
    """Knowledge graphs of Chinese government implementation plans.

    Example: policykg build sources/ --out graph/
    """


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path())
@click.option("--out", default="graph", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write the graph files to.")
@click.option("--format", "formats", default="turtle,trig", show_default=True,
              help="Comma-separated formats to write: turtle, nt, jsonld, trig.")
@click.option("--namespace", default=None,
              help="Namespace for the data IRIs (default https://w3id.org/policykg/id/).")
@click.option("--registry", "registry_dir", default=None, type=click.Path(file_okay=False),
              help="Folder of unit registries (default ontology/registry/).")
@click.option("--quiet", "-q", is_flag=True, help="Print only the files written.")
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Processes building plans in parallel (default: one per core).")
@click.option("--keep-going", is_flag=True,
              help="Write the graph of the readable documents; exit 2 listing the others.")
@click.option("--report", "report_file", type=click.Path(dir_okay=False),
              help="Also write a JSON report: per document, what was read and what was not.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where documents are built: local processes, or a Dask cluster (pip install 'policykg[dask]').")
@click.option("--scheduler", metavar="ADDRESS",
              help="The Dask scheduler for --executor dask, e.g. tcp://10.0.0.5:8786; its workers must see the sources.")
def build(sources, out, formats, namespace, registry_dir, quiet, workers, keep_going, report_file, executor,
          scheduler):
    """Parse plans into an RDF graph, validate it and write it to OUT.

    SOURCES are plan files (.txt, web pages .html/.htm, Word .docx, PDF) or folders of them
    (default: sources/). Nothing is written unless every document parses and the graph conforms
    to the SHACL shapes; every document that cannot be read is listed. With --keep-going the
    readable ones are written anyway.

    Example: policykg build sources/ --out graph/ --format turtle,nt,jsonld,trig
    """
    from ..rdf.build import build as run_build
    from ..rdf.executors import executor_for
    from ..rdf.mapping import DEFAULT_NAMESPACE
    from ..rdf.registry import DEFAULT_REGISTRY_DIR
    from ..rdf.report import summary

    runner = executor_for(executor, scheduler, workers)
    try:
        result = run_build(
            list(sources) or ["sources"],
            progress=_progress,
            out=out,
            formats=tuple(f.strip() for f in formats.split(",") if f.strip()),
            namespace=namespace or DEFAULT_NAMESPACE,
            registry_dir=registry_dir or DEFAULT_REGISTRY_DIR,
            workers=workers,
            keep_going=keep_going,
            executor=runner,
        )
    finally:
        runner.close()
    if report_file:
        from ..rdf.export import write_atomically
        from ..rdf.report import json_report

        write_atomically({Path(report_file): json_report(result).encode("utf-8")})
    if quiet:
        for path in result.files:
            click.echo(visible(str(path)))
    else:
        click.echo(visible(summary(result)))
    if result.failures:
        raise DocumentsError(result.failures, len(result.failures) + len(result.plans))


def _progress(items, total):
    """A progress bar over many documents on a terminal; nothing otherwise."""
    if total < 2 or not sys.stderr.isatty():
        yield from items
        return
    with click.progressbar(items, length=total, label="building plans", file=sys.stderr) as bar:
        yield from bar


@cli.command()
@click.argument("graph_file", default="graph/policykg.ttl", type=click.Path(dir_okay=False))
def validate(graph_file):
    """Check a built graph against the SHACL shapes in ontology/shapes.ttl.

    A TriG or N-Quads file is checked graph by graph (each plan's graph with the default
    graph). Exits 0 when it conforms, 1 with the report when it does not.

    Example: policykg validate graph/policykg.ttl
    """
    from pathlib import Path

    from ..rdf.shapes import validate_file

    path = Path(graph_file)
    if not path.exists():
        raise GraphLoadError(f"{path}: no such file; run `policykg build` first")
    checked = validate_file(path)
    n = len(checked.graphs)
    graphs = "" if checked.graphs == ["default"] else f", {n} named graph{'s' if n > 1 else ''} checked one by one"
    if checked.conforms:
        click.echo(visible(f"{path}: conforms ({checked.triples} triples{graphs})"))
    else:
        click.echo(visible(checked.report))
        sys.exit(1)


@cli.command()
@graph_option
@click.option("--out", default="views", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write the pages to.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of labels and page text (hover always shows both names).")
@click.option("--plan", default=None, metavar="SLUG",
              help="Draw one plan of a corpus: its slug (as 'policykg query plans' lists), "
                   "document number (文号), title or IRI.")
@click.option("--endpoint", default=None, metavar="URL",
              help="Read the graph from this SPARQL endpoint instead of --graph.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              help="Time limit of each query the views are drawn from, in seconds.")
@click.option("--overview/--every-unit", default=None,
              help="A corpus overview (jurisdictions → units by type and plans; a plan's views on demand) "
                   "or one drawing of every unit. Default: the overview from 2,000 plans.")
def visualize(graph, out, lang, plan, endpoint, timeout, overview):
    """Draw the network views: offline HTML pages, responsibility sheets, CSV/GraphML/GEXF.

    Writes OUT/index.html (counts, most central units, body/annex discrepancies, links),
    one page per network view, one responsibility sheet per unit under OUT/units/, and
    the exports under OUT/data/. The pages load nothing from the network.

    \b
    Example:
      policykg visualize -g graph/ --out views/ --lang zh
      policykg visualize -g corpus-graph/ --plan synthetic-00087 --out views-00087/
      policykg visualize -g corpus-graph/ --overview --out corpus-views/
    """
    from ..views.networks import for_every_unit, load_graph
    from ..views.overview import build_overview, wants_overview
    from ..views.pages import build_views

    if endpoint and plan:
        raise click.UsageError("--plan works on the local graph (--graph), not with --endpoint")
    if endpoint:
        from ..sparql.remote import RemoteEngine

        source = RemoteEngine(endpoint, timeout=timeout)
    else:
        source = load_graph(graph_paths(graph), plan=plan)
        source.timeout = timeout
    if plan is None and wants_overview(source, overview):
        result = build_overview(source, out, lang=lang, graph=None if endpoint else graph_paths(graph))
        c = result.counts
        click.echo(f"{len(result.files)} files written to {result.out}/ ({c['plans']} plans, {c['jurisdictions']} "
                   f"jurisdictions, {c['units']} units); open {result.out / 'index.html'}")
        return
    if plan is None and not endpoint:
        source = for_every_unit(source, graph_paths(graph))
    result = build_views(source, out, lang=lang)
    leave_for_exit(source)
    c = result.counts
    click.echo(f"{len(result.files)} files written to {result.out}/ "
               f"({c['units']} units, {c['n_measures']} measures, {c['discrepancies']} discrepancies); "
               f"open {result.out / 'index.html'}")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--full", is_flag=True, help="Print every text whole (titles, measures, goals).")
def read(files, full):
    """Show how FILES are read: each document's metadata, goals, tasks and measures, with the
    units named for them and the lines they were read from, before building a graph of them.

    \b
    Example:
      policykg read corpus/real/46_xining-housing-demand-measures-2022.html
      policykg read ~/downloaded-plan.docx --full | less
    """
    from ..text.describe import describe
    from ..text.parse import parse_plans

    for path in files:
        for doc in parse_plans(path):
            click.echo(visible(describe(doc, width=None if full else 60)))


@cli.command()
@click.argument("folder", default="corpus/real", type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate(folder, as_json):
    """Score the reader on real documents against units read by hand.

    FOLDER holds documents (.txt, .html, .htm, .docx, .pdf); those named NN_… are scored against
    expected-units.json (one entry per annotation, in document order, with its lead and
    responsible units). Prints, per document, whether it was read or why it was refused, the
    things found carrying units against the annotations, unit recall and precision, and the
    passages that look like assignments but were not read. A folder of documents nobody has
    read by hand gets the last column and the totals: how much of it the reader takes.

    \b
    Example:
      policykg evaluate corpus/real
      policykg evaluate ~/downloaded-plans --json
    """
    from ..corpus.evaluate import as_json as scores_json
    from ..corpus.evaluate import evaluate_corpus, table

    scores = evaluate_corpus(folder)
    click.echo(scores_json(scores) if as_json else visible(table(scores)))


@cli.command()
@click.argument("count", type=click.IntRange(1))
@click.option("--out", required=True, type=click.Path(file_okay=False),
              help="Folder to write the documents to (created if missing).")
@click.option("--seed", default=0, show_default=True, type=int,
              help="Seed: the same seed gives the same bytes.")
def generate(count, out, seed):
    """Write COUNT synthetic implementation plans in the genre's text format.

    Notice head, 指导思想, stages and goals, pilot tasks, work tasks and measures with their
    responsibility annotations, safeguards, and an annexed task table, for counties across a
    province, so a corpus build has many jurisdictions. For benchmarks and tests.

    Example: policykg generate 100 --out /tmp/corpus --seed 7 && policykg build /tmp/corpus --out /tmp/kg
    """
    from ..corpus.synthetic import generate_corpus

    plans = generate_corpus(count, out, seed=seed)
    counties = len({plan.county for plan in plans})
    click.echo(f"wrote {len(plans)} documents from {counties} counties to {out}")


@cli.command()
@click.option("--docs", default=100, show_default=True, type=click.IntRange(1),
              help="Number of synthetic documents to generate and build.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the synthetic corpus.")
@click.option("--query", "queries", multiple=True,
              help="Catalog query to run (repeatable; default: every query without required parameters).")
@click.option("--rdflib-max-triples", default=200_000, show_default=True, type=int,
              help="Run the queries on rdflib only up to this many triples (it takes minutes beyond).")
@click.option("--workers", type=click.IntRange(1), default=None, help="Build processes (default: one per core).")
@click.option("--keep", type=click.Path(file_okay=False), default=None,
              help="Keep the corpus and graph in this folder instead of a temporary one.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--store", "store", is_flag=True,
              help="Also ask questions from the shell on the build's store and on its files, side by side.")
def bench(docs, seed, queries, rdflib_max_triples, workers, keep, as_json, store):
    """Generate DOCS synthetic plans, build them and run the query catalog, side by side.

    Reports the build's time and peak memory (a child process and its workers), and each
    catalog query's time on rdflib's memory store, on policykg's Oxigraph engine and run
    directly on pyoxigraph, with the targets they meet or miss.

    Example: policykg bench --docs 1000 --json > bench.json
    """
    import json

    from ..corpus.bench import bench as run_bench

    figures = run_bench(docs, seed, list(queries) or None, rdflib_max_triples, workers, keep,
                        progress=None if as_json else (lambda m: click.echo(m + " …", err=True)), store=store)
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    m, b = figures["machine"], figures["build"]
    click.echo(f"{m['nproc']} cores, {m['cpu_model']}, load {m['load_average']}; host speed "
               f"{m['host_speed']['cpu_ms_per_plan']} ms of CPU a plan, reference work "
               f"{m['host_speed']['reference_ms']} ms (benchmarks/host_speed.py)")
    click.echo(f"{figures['docs']} documents, {figures['triples']} triples; generated in {figures['generate_seconds']} s")
    click.echo(f"build: {b['seconds']} s ({b['cpu_seconds']} s of CPU), peak {b['peak_pss_mb']} MB (PSS of all "
               f"processes; RSS {b['peak_rss_tree_mb']} MB), largest process {b['peak_rss_largest_process_mb']} MB RSS")
    click.echo(f"load: {figures['load']}")
    click.echo(f"{'query':28} {'rows':>7} {'rdflib s':>9} {'oxigraph s':>10} {'raw s':>8} {'overhead':>8} {'speedup':>8}")
    for name, row in figures["queries"].items():
        if "skipped" in row:
            click.echo(f"{name:28} skipped: {row['skipped']}")
            continue
        rdf = "-" if row["rdflib_seconds"] is None else f"{row['rdflib_seconds']:.3f}"
        speed = row.get("oxigraph_speedup_vs_rdflib")
        click.echo(f"{name:28} {row['rows']:>7} {rdf:>9} {row['oxigraph_seconds']:>10.4f} "
                   f"{row['raw_pyoxigraph_seconds']:>8.4f} {row['overhead_vs_raw']!s:>8} {speed if speed else '-'!s:>8}")
    for target, value in figures["targets"].items():
        click.echo(f"target {target}: {'met' if value['met'] else 'MISSED'} {value}")
    if "store_vs_files" in figures:
        from ..corpus.bench import print_store_vs_files

        print_store_vs_files({**figures["store_vs_files"], "machine": m}, click.echo)


# SPARQL layer: query, queries, serve, push (policykg/query_cli.py)
from .query import register as _register_query_commands  # noqa: E402

_register_query_commands(cli)


# Run as the ``policykg`` program (main()), a command may leave what it made to the end of the
# process instead of freeing it: freeing the in-memory graph of 1,000 plans takes half a second,
# and a process about to exit need not. When something was left, main() ends the process at once,
# its output flushed, instead of letting the interpreter free everything on its way out. Called
# in-process (tests, CliRunner), commands free what they made as usual.
_LEFT_FOR_EXIT: list | None = None


def leave_for_exit(thing) -> None:
    """Keep ``thing`` to the end of the process when that end is near (see main())."""
    if _LEFT_FOR_EXIT is not None:
        _LEFT_FOR_EXIT.append(thing)


def main() -> None:
    global _LEFT_FOR_EXIT
    _LEFT_FOR_EXIT = []
    try:
        cli()
    except SystemExit as done:
        if _LEFT_FOR_EXIT:
            _exit_now(done.code)
        raise


def _exit_now(code) -> None:
    import os

    if code is not None and not isinstance(code, int):  # sys.exit("message") prints and exits 1
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said on it
            pass
    os._exit(code or 0)
