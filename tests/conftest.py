import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GAOQING = ROOT / "sources" / "gaoqing-urban-rural-pilot-2022.txt"


@pytest.fixture(scope="session")
def gaoqing_text() -> str:
    return GAOQING.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def doc():
    from policykg.parse import parse_plan

    return parse_plan(GAOQING)


@pytest.fixture(scope="session")
def place(doc):
    from policykg.registry import load_registry

    return load_registry().for_name(doc.metadata.jurisdiction)


@pytest.fixture(scope="session")
def rec(doc, place):
    from policykg.reconcile import reconcile

    return reconcile(doc, place.resolve)


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    from policykg.build import build

    out = tmp_path_factory.mktemp("graph")
    return build([GAOQING], out=out, formats=("turtle", "nt", "jsonld", "trig"))


@pytest.fixture
def source_copy(tmp_path, gaoqing_text):
    """A writable copy of the Gaoqing plan: (folder, file)."""
    folder = tmp_path / "sources"
    folder.mkdir()
    path = folder / GAOQING.name
    shutil.copy(GAOQING, path)
    return folder, path
