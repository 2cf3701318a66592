"""A corpus is not stopped by one document, and the build says what it did not read."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from conftest import ROOT

CORPUS = ROOT / "corpus" / "real"


def _policykg(*args, cwd):
    return subprocess.run([sys.executable, "-m", "policykg", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def _corpus(tmp_path, *keys):
    folder = tmp_path / "docs"
    folder.mkdir()
    for key in keys:
        shutil.copy(next(CORPUS.glob(f"{key}_*.txt")), folder)
    return folder


def test_every_unreadable_document_is_named_and_nothing_is_written(tmp_path):
    folder = _corpus(tmp_path, "04", "25")
    # a second unreadable document: a notice with no plan in it
    (folder / "99_notice.txt").write_text("关于放假的通知\n\n各单位：\n国庆节放假七天。\n", encoding="utf-8")
    proc = _policykg("build", folder, "--out", tmp_path / "out", cwd=tmp_path)
    assert proc.returncode == 2
    assert "2 of 3 documents cannot be read" in proc.stderr
    assert "25_yiwu" in proc.stderr and "99_notice.txt" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_keep_going_writes_the_readable_documents_and_exits_non_zero(tmp_path):
    folder = _corpus(tmp_path, "04", "06", "25")
    report = tmp_path / "report.json"
    proc = _policykg("build", folder, "--out", tmp_path / "out", "--keep-going", "--report", report, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "1 of 3 documents cannot be read" in proc.stderr and "25_yiwu" in proc.stderr
    turtle = (tmp_path / "out" / "policykg.ttl").read_text(encoding="utf-8")
    assert "支持新型农业经营主体高质量发展的若干措施" in turtle  # 06's title
    assert "25-yiwu" not in turtle
    data = json.loads(report.read_text(encoding="utf-8"))
    assert [p["path"].rsplit("/", 1)[1][:2] for p in data["plans"]] == ["04", "06"]
    assert [r["path"].rsplit("/", 1)[1][:2] for r in data["refused"]] == ["25"]


def test_passages_that_look_like_assignments_but_were_not_read_are_listed(tmp_path):
    # 03 (Baotou) line 22 says 各牵头考核单位对…各部门（包括牵头单位自身）承担的…: a bracket naming a
    # role that assigns nothing; its 90 item annotations are all read.
    folder = _corpus(tmp_path, "03")
    report = tmp_path / "report.json"
    proc = _policykg("build", folder, "--out", tmp_path / "out", "--report", report, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "91 passages look like assignments; 1 were not read as one:" in proc.stdout
    assert "line 22: （包括牵头单位自身）" in proc.stdout
    plan = json.loads(report.read_text(encoding="utf-8"))["plans"][0]
    assert plan["assignment_like"] == 91
    assert [(p["line"], p["text"]) for p in plan["unread"]] == [(22, "（包括牵头单位自身）")]


def test_an_annotation_the_reader_cannot_place_is_reported_not_dropped(tmp_path):
    # The Gaoqing plan with one annotation written in a style the reader does not know: the build
    # still succeeds, and names the line of the passage it did not read.
    text = (ROOT / "sources" / "gaoqing-urban-rural-pilot-2022.txt").read_text(encoding="utf-8")
    assert "（责任单位：县委组织部、" in text
    changed = text.replace("（责任单位：县委组织部、", "（由县委组织部会同", 1)
    line = changed[:changed.index("（由县委组织部会同")].count("\n") + 1
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "gaoqing.txt").write_text(changed, encoding="utf-8")
    proc = _policykg("build", folder, "--out", tmp_path / "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert f"line {line}: （由县委组织部会同" in proc.stdout
