"""The build command and the entry script the user named."""

import re
import subprocess
import sys

from click.testing import CliRunner
from conftest import GAOQING, ROOT

from policykg.cli.main import cli


def test_build_graph_py_is_policykg_build(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    subprocess.run([sys.executable, "build_graph.py", str(GAOQING), "--out", str(a), "-q"], cwd=ROOT, check=True)
    subprocess.run([sys.executable, "-m", "policykg", "build", str(GAOQING), "--out", str(b), "-q"], cwd=ROOT, check=True)
    assert sorted(p.name for p in a.iterdir()) == ["policykg.trig", "policykg.ttl", "store"]
    for name in ("policykg.trig", "policykg.ttl"):
        assert (a / name).read_bytes() == (b / name).read_bytes()


def test_build_prints_the_summary(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(GAOQING), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "20 measures" in out and "4 pilot tasks" in out and "14 work tasks" in out
    assert "lead-units: pilot task 4" in out
    assert "县住房和城乡建设局" in out  # a unit-name variant the annex uses
    assert f"wrote {tmp_path / 'policykg.ttl'}" in out


def test_validate_command(tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["build", str(GAOQING), "--out", str(tmp_path), "-q"]).exit_code == 0
    ok = runner.invoke(cli, ["validate", str(tmp_path / "policykg.ttl")])
    assert ok.exit_code == 0 and "conforms" in ok.output
    broken = tmp_path / "broken.ttl"
    text = (tmp_path / "policykg.ttl").read_text(encoding="utf-8")
    broken.write_text(text.replace("pkg:startYear 2020", "pkg:startYear 2099"), encoding="utf-8")
    bad = runner.invoke(cli, ["validate", str(broken)])
    assert bad.exit_code == 1 and "LessThanOrEquals" in bad.output
    missing = runner.invoke(cli, ["validate", str(tmp_path / "nope.ttl")])
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_unknown_format_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(GAOQING), "--out", str(tmp_path), "--format", "rdfxml"])
    assert result.exit_code == 2 and "unknown format 'rdfxml'" in result.output


def test_written_files_have_the_usual_mode(tmp_path):
    import os
    import stat

    old = os.umask(0o022)
    try:
        assert CliRunner().invoke(cli, ["build", str(GAOQING), "--out", str(tmp_path), "-q"]).exit_code == 0
    finally:
        os.umask(old)
    for path in tmp_path.iterdir():  # not mkstemp's private 0600 (nor mkdtemp's 0700: the store)
        assert stat.S_IMODE(path.stat().st_mode) == (0o755 if path.is_dir() else 0o644), path


def test_every_command_takes_dash_h():
    for name in sorted(cli.commands):
        result = CliRunner().invoke(cli, [name, "-h"])
        assert result.exit_code == 0 and "Usage:" in result.output, name
    assert "Usage:" in CliRunner().invoke(cli, ["-h"]).output


def test_a_missing_registry_folder_is_an_input_error(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(GAOQING), "--registry", str(tmp_path / "no-such"),
                                      "--out", str(tmp_path / "g")])
    assert result.exit_code == 2 and "no such registry folder" in result.output
    assert not (tmp_path / "g").exists()


def test_a_dead_endpoint_fails_every_command_the_same_way(tmp_path):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}/query"
    runs = {
        "query": ["query", "lead-units", "--endpoint", url, "--timeout", "5"],
        "visualize": ["visualize", "--endpoint", url, "--out", str(tmp_path / "v")],
    }
    codes = {}
    for name, args in runs.items():
        result = CliRunner().invoke(cli, args)
        assert "cannot reach the SPARQL endpoint" in result.output, name
        codes[name] = result.exit_code
    assert codes == {"query": 1, "visualize": 1}


def test_graph_option_has_one_name_and_push_names_its_target_apart():
    for name in ("query", "serve", "push", "visualize"):
        opts = {o for p in cli.commands[name].params for o in p.opts}
        assert {"-g", "--graph"} <= opts, name
    push_opts = {o for p in cli.commands["push"].params for o in p.opts}
    assert "--graph-iri" in push_opts and "--from" not in push_opts


def test_visualize_leaves_the_graph_to_the_end_of_the_program(tmp_path):
    """Run as the program, `visualize` does not free the in-memory graph (half a second at 1,000
    plans): the process ends at once after its output is flushed, so the interpreter's exit
    handlers do not run; a command that fails exits the usual way, with its status."""
    graph = tmp_path / "graph"
    assert CliRunner().invoke(cli, ["build", str(GAOQING), "--out", str(graph), "-q"]).exit_code == 0
    program = ("import atexit, sys; atexit.register(lambda: print('exit handlers ran')); "
               "from policykg.cli import main; sys.argv = ['policykg'] + sys.argv[1:]; main()")

    def run(*args):
        return subprocess.run([sys.executable, "-c", program, *args], cwd=ROOT, capture_output=True, text=True)

    done = run("visualize", "--graph", str(graph), "--out", str(tmp_path / "views"))
    assert done.returncode == 0, done.stderr
    assert "files written to" in done.stdout and "exit handlers ran" not in done.stdout
    assert (tmp_path / "views" / "index.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    failed = run("visualize", "--graph", str(tmp_path / "nothing"), "--out", str(tmp_path / "v2"))
    assert failed.returncode == 2 and "error:" in failed.stderr and "exit handlers ran" in failed.stdout


def test_read_shows_how_a_document_is_read_before_building(tmp_path):
    # the Gaoqing plan: 高青县 (文号 高政办字〔2022〕21号), 4 pilot tasks, 20
    # measures; work task 1's first measure names 县公安局 responsible
    result = CliRunner().invoke(cli, ["read", str(GAOQING)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "高青县" in out and "4 pilot tasks, 14 work tasks, 20 measures" in out
    assert "stage 1 " in out and "goal 1: " in out
    assert " … " in out  # long texts shortened
    full = CliRunner().invoke(cli, ["read", "--full", str(GAOQING)]).output
    assert " … " not in full and len(full) > len(out)
    assert not (tmp_path / "graph").exists()


def test_read_says_which_measures_are_their_tasks_work():
    # 53: the items of 二、优化住房信贷政策 name no units; the bank is named for the section after them.
    # Gaoqing's measures all name their own.
    doc = next((ROOT / "corpus" / "real").glob("53_*"))
    out = CliRunner().invoke(cli, ["read", str(doc)]).output
    assert re.search(r"measure 2-1\.1  \(no units of its own: its task's\)", out)
    assert "no units" not in CliRunner().invoke(cli, ["read", str(GAOQING)]).output


def test_read_names_the_file_and_line_of_a_document_it_cannot_read(tmp_path):
    bad = tmp_path / "notice.txt"
    bad.write_text("关于做好测试工作的通知\n\n各单位：\n\n一、总体要求\n\n认真做好测试。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["read", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:" in result.output and "not an implementation plan" in result.output
