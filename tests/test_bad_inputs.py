"""Every kind of curator mistake gives its file:line message, all in one run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from peacegraph.errors import SeedError
from peacegraph.load.loader import load_curation

from .conftest import MINI, TESTS

CASES = sorted(p for p in (TESTS / "bad_inputs").iterdir() if p.is_dir())


def test_there_are_cases():
    assert len(CASES) >= 20


def _seed_dir(case: Path, tmp_path: Path) -> tuple[Path, Path]:
    facts = tmp_path / "facts"
    facts.mkdir()
    shutil.copy(MINI / "facts" / "entities.yaml", facts / "entities.yaml")
    shutil.copy(case / "facts.yaml", facts / "facts.yaml")
    documents = case / "documents" if (case / "documents").is_dir() else MINI / "documents"
    return facts, documents / "documents.yaml"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_reports_file_line_and_message(case: Path, tmp_path: Path, schema):
    facts, documents = _seed_dir(case, tmp_path)
    with pytest.raises(SeedError) as raised:
        load_curation(facts, documents, schema)
    reported = [str(p) for p in raised.value.problems]
    for expected in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
        if expected.strip():
            assert any(expected in line for line in reported), f"expected {expected!r} among:\n" + "\n".join(reported)


def test_all_problems_are_reported_in_one_run(tmp_path: Path, schema):
    facts, documents = _seed_dir(TESTS / "bad_inputs" / "many-problems-at-once", tmp_path)
    with pytest.raises(SeedError) as raised:
        load_curation(facts, documents, schema)
    assert len(raised.value.problems) == 2


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_through_the_cli_exits_2_without_traceback(case: Path, tmp_path: Path):
    from click.testing import CliRunner

    from peacegraph.cli import main

    facts, documents = _seed_dir(case, tmp_path)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.move(str(facts), seeds / "facts")
    shutil.copytree(documents.parent, seeds / "documents")
    result = CliRunner().invoke(main, ["check", "--seeds", str(seeds), "--no-reason"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    first = (case / "expected.txt").read_text(encoding="utf-8").splitlines()[0]
    assert first in result.output
