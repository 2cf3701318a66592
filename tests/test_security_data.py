"""Issue 12, items 7-13: units never merge by slug, validate reads every graph, outputs fail
cleanly, the input limit is what the writers take, push has a deadline, control characters are
refused and bidi controls neutralised on the terminal, and the smaller items."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import GAOQING, ROOT
from rdflib import Graph, Literal, URIRef

from policykg.errors import DocumentError, InputError
from policykg.rdf.build import build

SEED = ROOT / "tests" / "fixtures" / "seeds" / "labelled-with-annex.txt"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
SKOS = "http://www.w3.org/2004/02/skos/core#"
PKG = "https://w3id.org/policykg/ns#"


def cli(*args, cwd=ROOT, timeout=300):
    return subprocess.run([sys.executable, "-m", "policykg", *map(str, args)], capture_output=True,
                          text=True, env=ENV, cwd=cwd, timeout=timeout)


def units_named(graph: Graph, *names: str) -> dict[str, set[str]]:
    """IRI of the unit each name is the prefLabel or altLabel of."""
    found: dict[str, set[str]] = {}
    for name in names:
        for prop in ("prefLabel", "altLabel"):
            for s in graph.subjects(URIRef(SKOS + prop), Literal(name, lang="zh")):
                found.setdefault(name, set()).add(str(s))
    return found


# -- item 7: distinct names never merge --------------------------------------------------------------

HOMOPHONES = {"县公安局": "县石油局", "县科技局": "县诗游局"}  # both xian-shi-you-ju in pinyin


def homophone_plan(folder: Path, name="gaoqing.txt", swap=HOMOPHONES) -> Path:
    text = GAOQING.read_text(encoding="utf-8")
    for old, new in swap.items():
        assert old in text
        text = text.replace(old, new)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def test_two_names_with_one_pinyin_are_two_units(tmp_path):
    result = build([homophone_plan(tmp_path / "src")], out=tmp_path / "g1")
    graph = result.graph
    where = units_named(graph, "县石油局", "县诗游局")
    assert len(where["县石油局"]) == 1 and len(where["县诗游局"]) == 1
    assert where["县石油局"] != where["县诗游局"]
    for iri in where["县石油局"] | where["县诗游局"]:
        assert len(list(graph.objects(URIRef(iri), URIRef(SKOS + "altLabel")))) == 0
        assert len(list(graph.objects(URIRef(iri), URIRef(SKOS + "prefLabel")))) == 1
    # deterministic: the same bytes again
    build([homophone_plan(tmp_path / "src")], out=tmp_path / "g2")
    assert (tmp_path / "g1" / "policykg.ttl").read_bytes() == (tmp_path / "g2" / "policykg.ttl").read_bytes()


def test_homophones_in_two_plans_of_one_county_stay_apart(tmp_path):
    a = homophone_plan(tmp_path / "src", "a-plan.txt", {"县公安局": "县石油局"})
    b = homophone_plan(tmp_path / "src", "b-plan.txt", {"县公安局": "县诗游局"})
    graph = build([a, b], out=None).graph
    where = units_named(graph, "县石油局", "县诗游局")
    assert len(where["县石油局"]) == 1 and where["县石油局"] != where["县诗游局"]


def test_a_new_name_never_takes_a_registered_units_slug():
    from policykg.rdf.registry import Jurisdiction, Unit

    taken = Unit("xian-shi-you-ju", "县石油局", None, "CountyGovernmentDepartment", "x")
    place = Jurisdiction("x", "某县", None, units={"xian-shi-you-ju": taken}, by_name={"县石油局": taken})
    assert place.resolve("县石油局") is taken
    other = place.resolve("县诗游局")
    assert not other.registered and other.slug != "xian-shi-you-ju" and other.slug.startswith("xian-shi-you-ju-")


# -- item 8: validate checks every graph of a TriG ----------------------------------------------------

def test_validate_checks_the_plan_graphs_of_a_trig(tmp_path):
    trig = (ROOT / "graph" / "policykg.trig").read_text(encoding="utf-8")
    title = '\t\tdcterms:title "高青县城乡融合发展试验区实施方案"@zh ;\n'
    assert trig.count(title) == 1
    broken = tmp_path / "broken.trig"
    broken.write_text(trig.replace(title, ""), encoding="utf-8")
    result = cli("validate", broken)
    assert result.returncode == 1, result.stdout
    assert "gaoqing-urban-rural-pilot-2022>" in result.stdout and "title" in result.stdout
    good = cli("validate", ROOT / "graph" / "policykg.trig")
    assert good.returncode == 0 and "conforms" in good.stdout and "1 named graph" in good.stdout


def test_validate_on_a_truncated_file_says_where_in_one_line(tmp_path):
    cut = tmp_path / "cut.ttl"
    data = (ROOT / "graph" / "policykg.ttl").read_bytes()
    # cut inside a string literal, so that wherever the cut falls the file ends in the middle of a term
    cut.write_bytes(data[:data.index(b' "', 50_000) + 3])
    result = cli("validate", cut)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and len(lines[0]) < 400, result.stderr[:500]
    assert lines[0].startswith(f"error: {cut}:") and "end of file" in lines[0].lower()


# -- item 9: outputs that cannot be written -----------------------------------------------------------

def test_out_under_a_file_is_one_error_line(tmp_path):
    (tmp_path / "afile").write_text("x")
    result = cli("build", GAOQING, "--out", tmp_path / "afile" / "graph")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'afile' / 'graph'}: cannot write the outputs there: a file, not a folder, "
        f"is in the way ({tmp_path / 'afile'})"]


@pytest.mark.parametrize("out", ["/proc/policykg-graph", "/proc/self/policykg-graph", "/sys/policykg-graph"])
def test_out_on_a_special_file_system_is_one_error_line(out):
    result = cli("build", GAOQING, "--out", out)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith(f"error: {out}: cannot write")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_out_in_a_read_only_folder_is_one_error_line(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = cli("build", GAOQING, "--out", folder / "graph")
    finally:
        folder.chmod(0o755)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "Permission denied" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_write_that_fails_midway_keeps_every_old_output(tmp_path, monkeypatch):
    from policykg.rdf import export

    out = tmp_path / "graph"
    build([GAOQING], out=out)
    before = {p.name: (p.read_bytes() if p.is_file() else (p / "manifest.json").read_bytes()) for p in out.iterdir()}

    def full_disk(step):
        if step == "file:policykg.ttl":
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "_after_step", full_disk)
    with pytest.raises(InputError, match="No space left on device"):
        build([SEED], out=out)
    assert {p.name: (p.read_bytes() if p.is_file() else (p / "manifest.json").read_bytes()) for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph"]


def test_files_the_build_does_not_write_are_kept(tmp_path):
    out = tmp_path / "graph"
    out.mkdir()
    (out / "README").write_text("mine")
    build([GAOQING], out=out)
    assert (out / "README").read_text() == "mine" and (out / "policykg.ttl").exists()


# -- item 10: every size the input limit admits is written and read back ------------------------------

def test_a_plan_at_the_size_limit_builds_and_loads(tmp_path):
    """One measure of quotes filling the file to the limit: the largest literal, escaped, is
    twice the file; it must go through the Turtle and N-Triples writers and readers."""
    import pyoxigraph as ox

    from policykg.text.decode import MAX_SOURCE_BYTES

    seed = SEED.read_bytes()
    anchor = "落实措施：推动光纤".encode()
    data = seed.replace(anchor, anchor + b'"' * (MAX_SOURCE_BYTES - len(seed)))
    assert len(data) == MAX_SOURCE_BYTES
    source = tmp_path / "at-limit.txt"
    source.write_bytes(data)
    result = cli("build", source, "--out", tmp_path / "graph", "--format", "turtle,nt,trig", "-q")
    assert result.returncode == 0, result.stderr[-500:]
    for name, fmt in (("policykg.ttl", ox.RdfFormat.TURTLE), ("policykg.nt", ox.RdfFormat.N_TRIPLES),
                      ("policykg.trig", ox.RdfFormat.TRIG)):
        longest = max(len(q.object.value) for q in ox.parse(path=str(tmp_path / "graph" / name), format=fmt)
                      if isinstance(q.object, ox.Literal))
        assert longest > MAX_SOURCE_BYTES * 0.99


def test_one_byte_over_the_limit_is_refused_at_once(tmp_path):
    from policykg.text.decode import MAX_SOURCE_BYTES

    source = tmp_path / "over.txt"
    source.write_bytes(b"a" * (MAX_SOURCE_BYTES + 1))
    result = cli("build", source, "--out", tmp_path / "graph")
    assert result.returncode == 2 and "larger than the 8000000 bytes" in result.stderr


# -- item 11: push has an overall deadline --------------------------------------------------------------

def trickling_server():
    """A server that answers one byte every 0.5 s, forever."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)
    stop = threading.Event()

    def serve():
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            conn.settimeout(0.5)
            try:
                for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 100000:
                    if stop.is_set():
                        break
                    try:
                        conn.recv(65536)
                    except OSError:
                        pass
                    conn.sendall(bytes([byte]))
            except OSError:
                pass
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    return sock, stop


def test_push_stops_at_its_timeout_against_a_trickling_server():
    sock, stop = trickling_server()
    try:
        started = time.monotonic()
        result = cli("push", "--endpoint", f"http://127.0.0.1:{sock.getsockname()[1]}/store",
                     "-g", ROOT / "graph", "--timeout", "2", timeout=60)
        took = time.monotonic() - started
    finally:
        stop.set()
        sock.close()
    assert result.returncode == 1
    assert "did not finish within 2 s" in result.stderr and "--timeout" in result.stderr
    assert took < 10


# -- item 12: control characters in input, bidi controls on the terminal --------------------------------

@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\x9b", "\x1c"])
def test_control_characters_in_a_document_are_an_input_error_with_the_line(tmp_path, char):
    from policykg.text.parse import parse_plan

    lines = SEED.read_text(encoding="utf-8").split("\n")
    lines[7] = lines[7][:3] + char * 5 + lines[7][3:]
    source = tmp_path / "plan.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DocumentError) as err:
        parse_plan(source)
    assert err.value.line == 8 and f"U+{ord(char):04X}" in err.value.problem


def test_a_line_of_nul_bytes_is_refused_by_the_build(tmp_path):
    text = SEED.read_bytes()
    source = tmp_path / "plan.txt"
    source.write_bytes(text.replace("落实措施：推动光纤".encode(), b"\x00" * 40 + b"\n" + "落实措施：推动光纤".encode()))
    result = cli("build", source, "--out", tmp_path / "graph")
    assert result.returncode == 2 and "control character U+0000" in result.stderr
    assert not (tmp_path / "graph").exists()


@pytest.mark.parametrize("char", ["\t", "\x0b", "\x0c", "\x85", "\u2028"])
def test_tab_and_line_ends_are_not_control_characters(tmp_path, char):
    from policykg.text.decode import SourceText

    SourceText.from_text("x.txt", f"a{char}b")


RLO_UNIT = "县\u202e局理管"


@pytest.fixture(scope="module")
def bidi_graph(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bidi")
    text = SEED.read_text(encoding="utf-8").replace("县大数据中心", RLO_UNIT)
    (folder / "plan.txt").write_text(text, encoding="utf-8")
    result = cli("build", folder / "plan.txt", "--out", folder / "graph")
    assert result.returncode == 0, result.stderr
    return folder, result.stdout


def test_the_build_summary_shows_bidi_controls_visibly(bidi_graph):
    _, summary = bidi_graph
    assert "\u202e" not in summary and "县<U+202E>局理管" in summary


def test_query_table_shows_bidi_and_escape_characters_visibly(bidi_graph, tmp_path):
    folder, _ = bidi_graph
    extra = tmp_path / "extra.ttl"
    extra.write_text('<urn:x> <urn:p> "\\u001B[31mred\\u001B[0m \\u2066x" .\n', encoding="utf-8")
    query = "SELECT ?o WHERE { { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?o } UNION { ?s <urn:p> ?o } }"
    for engine in ("oxigraph", "rdflib"):
        result = cli("query", "-e", query, "-g", folder / "graph", "-g", extra, "--engine", engine)
        assert result.returncode == 0, result.stderr
        assert "\u202e" not in result.stdout and "\x1b" not in result.stdout and "\u2066" not in result.stdout
        assert "县<U+202E>局理管" in result.stdout and "<U+001B>[31mred" in result.stdout
    # machine formats written to a file keep the data as it is
    csv = cli("query", "-e", query, "-g", folder / "graph", "-f", "csv")
    assert RLO_UNIT in csv.stdout


def test_error_messages_show_bidi_controls_visibly(tmp_path):
    result = cli("build", tmp_path / "plan\u202etxt.exe")
    assert result.returncode == 2 and "\u202e" not in result.stderr and "<U+202E>" in result.stderr


# -- item 13: the smaller ones ---------------------------------------------------------------------------

@pytest.mark.parametrize("namespace", ["not an iri", "https://example.org/id", "example.org/id/", "https://x/<a>/"])
def test_a_bad_namespace_is_one_error_line(tmp_path, namespace):
    result = cli("build", GAOQING, "--out", tmp_path / "graph", "--namespace", namespace)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: --namespace {namespace!r} is not an IRI")
    assert not (tmp_path / "graph").exists()


def test_workers_are_no_more_than_the_work(tmp_path, monkeypatch):
    import multiprocessing

    from policykg.corpus.synthetic import generate_corpus

    generate_corpus(12, tmp_path / "corpus", seed=3)
    started = []
    real = multiprocessing.get_context

    def spy(method=None):
        context = real(method)

        class Counting(type(context)):
            def Pool(self, processes=None, *args, **kwargs):  # noqa: N802 - multiprocessing's name
                started.append(processes)
                return super().Pool(processes, *args, **kwargs)

        return Counting()

    monkeypatch.setattr(multiprocessing, "get_context", spy)
    build([tmp_path / "corpus"], out=None, workers=100)
    assert started == [3]  # 12 documents, 4 to a worker


def test_visualize_has_the_timeout_its_message_advises(tmp_path):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)  # accepts connections and never answers
    try:
        started = time.monotonic()
        result = cli("visualize", "--endpoint", f"http://127.0.0.1:{sock.getsockname()[1]}/query",
                     "--out", tmp_path / "views", "--timeout", "1", timeout=60)
        took = time.monotonic() - started
    finally:
        sock.close()
    assert result.returncode == 1 and "--timeout" in result.stderr
    assert took < 15
    assert "--timeout" in cli("visualize", "--help").stdout
