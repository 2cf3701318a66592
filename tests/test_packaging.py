"""policykg as people install it: a wheel that carries its data, a public API, a tree without binaries."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest
from conftest import GAOQING, ROOT

import policykg

# Nothing this large belongs in the repository (the committed graph is about 0.4 MB).
MAX_TRACKED_BYTES = 2_000_000


def test_public_api_names_resolve():
    expected = {"parse_plan", "load_registry", "reconcile", "PlanInput", "to_graph", "build", "BuildResult",
                "load_engine", "load_catalog", "build_views", "PolicyKGError", "DocumentError"}
    assert expected <= set(policykg.__all__)
    for name in policykg.__all__:
        assert getattr(policykg, name) is not None, name
    assert policykg.parse_plan.__module__ == "policykg.text.parse"
    with pytest.raises(AttributeError):
        policykg.no_such_name  # noqa: B018


def test_import_policykg_loads_no_heavy_library():
    code = "import sys, policykg; print(json.dumps(sorted(m for m in ('rdflib', 'pyoxigraph', 'networkx') if m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


def test_no_large_or_binary_files_are_tracked():
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    offenders = []
    for name in filter(None, names.decode("utf-8").split("\0")):
        path = ROOT / name
        if not path.is_file():
            continue
        if path.stat().st_size > MAX_TRACKED_BYTES or path.suffix in {".whl", ".so", ".zip", ".tar", ".gz", ".exe"}:
            offenders.append(name)
    assert offenders == []


def test_every_module_is_in_the_readme_layout():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    for path in sorted((ROOT / "policykg").rglob("*.py")):
        if path.name in {"__init__.py", "__main__.py"} and path.parent.name != "policykg":
            continue
        if path.name == "__main__.py":
            continue
        folder = path.parent.relative_to(ROOT).as_posix()
        if folder == "policykg":
            named = f"`policykg/{path.name}`" in layout
        else:
            row = next((line for line in layout.splitlines() if f"`{folder}/`" in line), "")
            named = f"`{path.stem}`" in row
        assert named, f"README's layout table does not name {path.relative_to(ROOT)}"


def test_imports_run_down_the_pipeline():
    """text < rdf < sparql < views < corpus/cli: no stage imports a later one."""
    order = ["text", "rdf", "sparql", "views", "corpus", "cli"]
    for stage in order:
        later = order[order.index(stage) + 1:]
        for path in (ROOT / "policykg" / stage).glob("*.py"):
            source = path.read_text(encoding="utf-8")
            for other in later:
                if stage == "views" and other == "corpus":
                    continue
                assert not re.search(rf"from \.\.{other}\b|policykg\.{other}\b", source), \
                    f"{path.relative_to(ROOT)} imports the later stage {other}"
    render = (ROOT / "policykg" / "views" / "render.py").read_text(encoding="utf-8")
    layout = (ROOT / "policykg" / "views" / "layout.py").read_text(encoding="utf-8")
    assert "networks" not in re.findall(r"^from \.(\w+)", render + layout, flags=re.M)


# ---- the wheel, installed outside the checkout

def _site_packages(venv: Path) -> Path:
    return Path(subprocess.run([str(venv / "bin" / "python"), "-c",
                                "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh virtual environment with the wheel installed; the dependencies are borrowed from the
    test environment's site-packages by a .pth line (its editable finder is not processed there)."""
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist),
                    str(ROOT)], check=True, capture_output=True)
    wheels = list(dist.glob("policykg-*.whl"))
    assert len(wheels) == 1
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = _site_packages(venv)
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-deps",
                    "-q", str(wheels[0])], check=True, capture_output=True)
    work = base / "elsewhere"
    (work / "src").mkdir(parents=True)
    shutil.copy(GAOQING, work / "src" / GAOQING.name)
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}"
                                 f"{os.environ.get('PATH', '')}"}
    env.pop("PYTHONPATH", None)
    return venv, work, env, wheels[0]


def _run(installed, *args, check=True):
    venv, work, env, _ = installed
    done = subprocess.run([str(venv / "bin" / "policykg"), *args], cwd=work, env=env, capture_output=True,
                          text=True, timeout=300)
    if check:
        assert done.returncode == 0, f"policykg {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


def test_wheel_carries_the_ontology_queries_and_assets(installed):
    import zipfile

    names = set(zipfile.ZipFile(installed[3]).namelist())
    for needed in ("policykg/ontology/policykg.ttl", "policykg/ontology/shapes.ttl",
                   "policykg/ontology/registry/gaoqing.ttl", "policykg/queries/lead-units.rq",
                   "policykg/views/assets/page.js", "policykg/views/assets/page.css", "policykg/py.typed",
                   "policykg/sparql/assets/query-page.html", "policykg/sparql/assets/query-page.js",
                   "policykg/sparql/assets/query-page.css"):
        assert needed in names, needed


def test_installed_wheel_runs_every_command_from_another_folder(installed):
    venv, work, env, _ = installed
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import policykg; print(policykg.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True).stdout
    assert str(venv) in where and str(ROOT) not in where

    _run(installed, "build", "src", "--out", "g")
    assert (work / "g" / "policykg.ttl").read_bytes() == (ROOT / "graph" / "policykg.ttl").read_bytes()
    assert "conforms" in _run(installed, "validate", "g/policykg.ttl").stdout
    listing = _run(installed, "queries").stdout
    assert "lead-units" in listing and "view-" not in listing
    rows = _run(installed, "query", "lead-units", "-g", "g", "-f", "csv").stdout
    assert "县自然资源局" in rows
    assert "index.html" in _run(installed, "visualize", "-g", "g", "--out", "views").stdout
    assert (work / "views" / "co-responsibility.html").is_file()

    server = subprocess.Popen([str(venv / "bin" / "policykg"), "serve", "-g", "g"], cwd=work, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = server.stdout.readline()
            if not line:
                break
            if line.startswith("SPARQL endpoint:"):
                url = line.split(":", 1)[1].strip()
        assert url, server.stderr.read() if server.poll() is not None else "no endpoint line"
        remote = _run(installed, "query", "lead-units", "--endpoint", url, "-f", "csv").stdout
        assert remote.splitlines()[1:] == rows.splitlines()[1:]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_all_lists_exactly_the_lazy_exports():
    assert set(policykg.__all__) - {"__version__"} == set(policykg._EXPORTS)
