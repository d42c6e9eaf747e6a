"""The built graph: parses everywhere, round-trips, is deterministic, and is written atomically."""

from __future__ import annotations

import shutil
import subprocess

import pyoxigraph
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from peacegraph import paths
from peacegraph.build import Inputs, build, output_files
from peacegraph.errors import SeedError, ValidationError

from .conftest import rdflib_graph


def test_output_parses_in_rdflib_and_round_trips(built_dir, real_report):
    data = Graph().parse(built_dir / paths.DATA_FILE_NAME, format="turtle")
    assert isomorphic(data, rdflib_graph(real_report.data))
    full = Graph().parse(built_dir / paths.FULL_FILE_NAME, format="turtle")
    assert isomorphic(full, rdflib_graph(real_report.ontology, real_report.vocabulary, real_report.data))
    ntriples = Graph().parse(built_dir / paths.FULL_NTRIPLES_FILE_NAME, format="nt")
    assert isomorphic(ntriples, full)


def test_output_parses_in_pyoxigraph(built_dir, real_report):
    expected = {
        paths.DATA_FILE_NAME: len(set(real_report.data)),
        paths.FULL_FILE_NAME: real_report.full_size,
    }
    for name, count in expected.items():
        with open(built_dir / name, "rb") as handle:
            triples = list(pyoxigraph.parse(handle, pyoxigraph.RdfFormat.TURTLE))
        assert len(triples) == count


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (Debian raptor2-utils) is not installed; .ci/run installs it")
def test_output_parses_in_rapper(built_dir, real_report):
    for name in (paths.DATA_FILE_NAME, paths.FULL_FILE_NAME):
        done = subprocess.run(["rapper", "-i", "turtle", "-c", str(built_dir / name)], capture_output=True, text=True, check=True)
        count = int(done.stderr.strip().rsplit("returned", 1)[1].split()[0])
        graph = Graph().parse(built_dir / name, format="turtle")
        assert count == len(graph)


def test_second_build_is_byte_identical(mini_seeds, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    build(Inputs.from_seeds(mini_seeds), graph_dir=first, reason=False)
    build(Inputs.from_seeds(mini_seeds), graph_dir=second, reason=False)
    for name in (paths.DATA_FILE_NAME, paths.FULL_FILE_NAME):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_output_files_are_deterministic_for_the_real_seeds(real_report):
    from peacegraph.write.files import content_blocks

    def contents():  # a file piece (the sorted data) compared by what it holds, not by its path
        return {name: None if data is None else b"".join(content_blocks(data)) for name, data in output_files(real_report).items()}

    assert contents() == contents()


def test_committed_graph_is_what_the_build_writes_byte_for_byte(built_dir):
    """The writer's bytes (order, spacing, escapes) are part of its contract: a diff of graph/ must read as the change it is."""
    for name in (paths.DATA_FILE_NAME, paths.FULL_FILE_NAME, paths.FULL_NTRIPLES_FILE_NAME, paths.INFERRED_FILE_NAME):
        assert (built_dir / name).read_bytes() == paths.graph_file(name=name).read_bytes(), f"{name} differs from graph/"


def test_committed_graph_matches_the_seeds(real_report):
    """graph/ in the repository is what the current seeds build (compared as RDF)."""
    committed = Graph().parse(paths.graph_file(name=paths.DATA_FILE_NAME), format="turtle")
    assert isomorphic(committed, rdflib_graph(real_report.data)), "graph/ is stale: run 'peacegraph build' and commit graph/"


def _snapshot(folder):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir() if not p.name.startswith(".")}


def test_failed_load_leaves_graph_untouched(mini_seeds, tmp_path):
    out = tmp_path / "graph"
    build(Inputs.from_seeds(mini_seeds), graph_dir=out, reason=False)
    before = _snapshot(out)
    (mini_seeds / "facts" / "broken.yaml").write_text("facts:\n  - id: x\n    subject: nobody\n", encoding="utf-8")
    with pytest.raises(SeedError):
        build(Inputs.from_seeds(mini_seeds), graph_dir=out, reason=False)
    assert _snapshot(out) == before


def test_failed_validation_leaves_graph_untouched(mini_seeds, tmp_path):
    out = tmp_path / "graph"
    build(Inputs.from_seeds(mini_seeds), graph_dir=out, reason=False)
    before = _snapshot(out)
    # Drop Azerbaijan's signature: the ceasefire then has one signatory, which a shape forbids.
    facts = mini_seeds / "facts" / "m001.yaml"
    text = facts.read_text(encoding="utf-8")
    start = text.index("  - id: m001-azerbaijan-signed")
    end = text.index("  - id: m001-us-brokered")
    facts.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(ValidationError) as raised:
        build(Inputs.from_seeds(mini_seeds), graph_dir=out, reason=False)
    assert "at least two parties" in str(raised.value)
    assert "Test ceasefire" in str(raised.value)  # the entity's label
    assert "entities.yaml:" in str(raised.value)  # and where it is curated
    assert _snapshot(out) == before


def test_write_failure_leaves_old_files_and_no_temporaries(mini_seeds, tmp_path, monkeypatch):
    import errno

    from peacegraph.write import files as output

    out = tmp_path / "graph"
    build(Inputs.from_seeds(mini_seeds), graph_dir=out, reason=False)
    before = _snapshot(out)
    calls = {"n": 0}
    real_write = output._write_file

    def failing_write(path, data):
        calls["n"] += 1
        if calls["n"] == 2:  # the disk fills up after the first file of the new generation
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(path, data)

    monkeypatch.setattr(output, "_write_file", failing_write)
    with pytest.raises(output.GraphWriteError, match="No space left on device; graph/ was left as it was"):
        build(Inputs.from_seeds(mini_seeds), graph_dir=out, reason=False, force=True)
    monkeypatch.setattr(output, "_write_file", real_write)
    assert calls["n"] == 2
    assert _snapshot(out) == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".graph")) == [".graph.lock"]


def test_unchanged_inputs_are_not_rebuilt(mini_seeds, tmp_path):
    out = tmp_path / "graph"
    assert build(Inputs.from_seeds(mini_seeds), graph_dir=out, reason=False) is not None
    before = _snapshot(out)
    assert build(Inputs.from_seeds(mini_seeds), graph_dir=out, reason=False) is None
    assert _snapshot(out) == before
    # A changed input, a changed option, a damaged output file, or --force: built again.
    facts = mini_seeds / "facts" / "m001.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert build(Inputs.from_seeds(mini_seeds), graph_dir=out, reason=False) is not None
    assert build(Inputs.from_seeds(mini_seeds), graph_dir=out, reason=False) is None
    (out / paths.DATA_FILE_NAME).write_text("damaged", encoding="utf-8")
    assert build(Inputs.from_seeds(mini_seeds), graph_dir=out, reason=False) is not None
    assert build(Inputs.from_seeds(mini_seeds), graph_dir=out, reason=False, force=True) is not None


def test_cli_says_when_nothing_was_rebuilt(mini_seeds, tmp_path):
    from click.testing import CliRunner

    from peacegraph.cli import main

    args = ["build", "--seeds", str(mini_seeds), "--graph-dir", str(tmp_path / "g"), "--no-reason"]
    first = CliRunner().invoke(main, args)
    second = CliRunner().invoke(main, args)
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "up to date" not in first.output
    assert "is up to date: its inputs have not changed" in second.output and "--force rebuilds" in second.output
