"""Shared fixtures: the mini seed set, and the real seeds built once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from peacegraph import paths

TESTS = Path(__file__).parent
MINI = TESTS / "fixtures" / "mini"


def pytest_collection_modifyitems(config, items):
    # Long runs are opt-in: PEACEGRAPH_SLOW=1 or an explicit -m selecting them.
    if os.environ.get("PEACEGRAPH_SLOW") == "1" or "slow" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="slow: set PEACEGRAPH_SLOW=1 to run")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def mini_seeds(tmp_path: Path) -> Path:
    """A writable copy of the mini seed set (documents/ and facts/)."""
    target = tmp_path / "seeds"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture(scope="session")
def schema():
    from peacegraph.load.schema import load_schema

    return load_schema()


@pytest.fixture(scope="session")
def real_report():
    """check() on the repository's own seeds, with reasoning."""
    from peacegraph.build import check

    return check(infer=True)


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory, real_report) -> Path:
    """graph/ files for the repository's seeds, written to a temporary folder."""
    from peacegraph.build import output_files
    from peacegraph.write.files import write_files

    folder = tmp_path_factory.mktemp("graph")
    write_files(output_files(real_report), folder)
    return folder


@pytest.fixture(scope="session")
def repo_paths():
    return paths


def rdflib_graph(*parts):
    """pyoxigraph triples (a build's report.data, report.ontology ...) as one rdflib graph, for comparisons."""
    import pyoxigraph
    from rdflib import Graph

    return Graph().parse(data=pyoxigraph.serialize([t for part in parts for t in part], format=pyoxigraph.RdfFormat.N_TRIPLES), format="nt")
