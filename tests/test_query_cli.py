"""The query, queries, serve and push commands: output, exit codes, messages."""

import json
import signal
import subprocess
import sys
import time

from click.testing import CliRunner
from conftest import ROOT

from policykg.cli.main import cli
from policykg.sparql.server import free_port


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_query_formats():
    res = invoke("query", "lead-units", "-g", str(ROOT / "graph"), "--format", "json")
    assert res.exit_code == 0
    data = json.loads(res.output)
    assert data["head"]["vars"] == ["pilot_task", "pilot_task_title", "unit", "unit_en", "source"]
    csv_out = invoke("query", "lead-units", "-g", str(ROOT / "graph"), "-f", "csv").output
    assert csv_out.splitlines()[1].startswith("1,建立城乡有序流动的人口迁移制度,县公安局,")
    table = invoke("query", "lead-units", "-g", str(ROOT / "graph")).output
    assert "县公安局" in table and table.rstrip().endswith("(10 rows)")


def test_lang_option_picks_english_names():
    res = invoke("query", "co-responsibility", "-g", str(ROOT / "graph"), "--lang", "en", "-f", "csv")
    assert res.output.splitlines()[1].startswith("County Agriculture and Rural Affairs Bureau,")


def test_user_errors_exit_2_with_a_message():
    res = invoke("query", "no-such-query", "-g", str(ROOT / "graph"))
    assert res.exit_code == 2 and "lead-units" in res.output
    res = invoke("query", "measures-of-unit", "-g", str(ROOT / "graph"))
    assert res.exit_code == 2 and "needs parameter 'unit'" in res.output
    res = invoke("query", "-e", "SELECT * WHERE {\n ?s ?p }", "-g", str(ROOT / "graph"))
    assert res.exit_code == 2 and "-e:2:" in res.output and "syntax error" in res.output
    res = invoke("query", "-e", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
                 "-g", str(ROOT / "graph"))
    assert res.exit_code == 2 and "SERVICE" in res.output


def test_unreachable_endpoint_without_traceback():
    port = free_port()
    proc = subprocess.run([sys.executable, "-m", "policykg", "query", "lead-units", "--endpoint",
                           f"http://127.0.0.1:{port}/query"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 1
    assert f"127.0.0.1:{port}" in proc.stderr and "Traceback" not in proc.stderr


def test_queries_lists_the_catalog():
    res = invoke("queries")
    assert res.exit_code == 0 and "lead-units" in res.output and "试验任务的牵头单位" in res.output
    detail = invoke("queries", "search").output
    assert "keyword" in detail and "columns: work_task, measure, text" in detail


def test_serve_prints_the_address_and_stops_on_ctrl_c():
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "policykg", "serve", "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()
        assert first.strip() == f"SPARQL endpoint: http://127.0.0.1:{port}/query"
        res = invoke("query", "lead-units", "--endpoint", f"http://127.0.0.1:{port}/query", "-f", "csv")
        assert "县公安局" in res.output
        proc.send_signal(signal.SIGINT)
        # Ctrl-C is how `serve -h` says to stop it: a normal end, exit status 0
        # ("done" in the README's exit-status table); wait() raises if it does not stop in 30 s.
        assert proc.wait(30) == 0, proc.stderr.read()
        assert "Traceback" not in proc.stderr.read()
        time.sleep(0.2)
        res = CliRunner().invoke(cli, ["query", "-e", "ASK {}", "--endpoint",
                                       f"http://127.0.0.1:{port}/query"])
        assert res.exit_code == 1  # the server is gone with it
    finally:
        if proc.poll() is None:
            proc.kill()


def test_ctrl_c_stops_serve_started_in_the_background_with_sigint_ignored():
    # A shell without job control starts background jobs with SIGINT ignored, and Python keeps
    # an inherited SIG_IGN: serve then could not be stopped with Ctrl-C (the test suite run in
    # the background hung on the test above).
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "policykg", "serve", "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        assert proc.stdout.readline().startswith("SPARQL endpoint:")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_a_unit_the_graph_does_not_have_is_said_with_close_names():
    # issue 14: -p unit=… with a name the plan does not use printed "(0 rows)" and nothing else,
    # which reads as "the bureau has no measures"
    res = invoke("query", "measures-of-unit", "-g", str(ROOT / "graph"), "-p", "unit=县公安")
    assert res.exit_code == 0 and "(0 rows)" in res.stdout
    assert "the graph has no unit named '县公安'" in res.stderr
    assert "close names: 县公安局" in res.stderr  # the plan's 县公安局 is the nearest
    english = invoke("query", "unit-partners", "-g", str(ROOT / "graph"), "-p", "unit=Public Security")
    assert "no unit named 'Public Security'" in english.stderr
    assert "County Public Security Bureau" in english.stderr


def test_a_unit_the_graph_has_gets_no_such_note():
    # 县公安局 leads pilot task 1 of the plan; its English name matches without regard to case
    for name in ("县公安局", "county public security bureau"):
        res = invoke("query", "measures-of-unit", "-g", str(ROOT / "graph"), "-p", f"unit={name}")
        assert res.exit_code == 0 and "no unit named" not in res.stderr


def test_lang_on_a_query_without_a_choice_of_language_is_said_to_be_ignored():
    res = invoke("query", "discrepancies", "-g", str(ROOT / "graph"), "--lang", "en", "-f", "csv")
    assert res.exit_code == 0
    assert "--lang en is ignored: discrepancies has no choice of label language" in res.stderr
    chosen = invoke("query", "co-responsibility", "-g", str(ROOT / "graph"), "--lang", "en", "-f", "csv")
    assert "ignored" not in chosen.stderr
    ad_hoc = invoke("query", "-g", str(ROOT / "graph"), "--lang", "en", "-e", "ASK { ?s ?p ?o }")
    assert "--lang en is ignored: the query does not use $lang" in ad_hoc.stderr
