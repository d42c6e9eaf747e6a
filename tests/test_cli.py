"""The CLI, in process: exit codes 0 / 1 / 2 and what it prints."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from peacegraph.cli import main

from .conftest import TESTS


def test_check_passes_on_the_mini_seeds(mini_seeds):
    result = CliRunner().invoke(main, ["check", "--seeds", str(mini_seeds), "--no-reason"])
    assert result.exit_code == 0, result.output
    assert "PASS load: 1 documents, 8 entities, 8 facts" in result.output
    assert "PASS shacl: 0 violations" in result.output
    assert "SKIP reasoning" in result.output


def test_build_writes_and_answers_a_question(mini_seeds, tmp_path):
    out = tmp_path / "graph"
    result = CliRunner().invoke(main, ["build", "--seeds", str(mini_seeds), "--graph-dir", str(out), "--no-reason"])
    assert result.exit_code == 0, result.output
    assert (out / "peacegraph.ttl").is_file() and (out / "peacegraph-data.ttl").is_file()
    assert "Canned question 'agreement-roles'" in result.output
    assert "United States" in result.output and "broker" in result.output
    assert "time: load" in result.output and "pg:Ceasefire" in result.output


def test_bad_seeds_exit_2_with_file_and_line(mini_seeds):
    shutil.copy(TESTS / "bad_inputs" / "unknown-entity" / "facts.yaml", mini_seeds / "facts" / "bad.yaml")
    result = CliRunner().invoke(main, ["check", "--seeds", str(mini_seeds), "--no-reason"])
    assert result.exit_code == 2
    assert "bad.yaml:5: unknown entity id 'test-ceasfire'" in result.output
    assert "Traceback" not in result.output


def test_validation_failure_exits_1(mini_seeds, tmp_path):
    entities = mini_seeds / "facts" / "entities.yaml"
    entities.write_text(
        entities.read_text(encoding="utf-8") + "  - id: lonely-post\n    type: Post\n    label: Lonely post\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["check", "--seeds", str(mini_seeds), "--no-reason"])
    assert result.exit_code == 1, result.output
    assert "FAIL shacl: 1 violation(s)" in result.output
    assert "Lonely post" in result.output and "entities.yaml:" in result.output


def test_unknown_question_is_a_usage_error(built_dir):
    result = CliRunner().invoke(main, ["query", "no-such-question", "--graph-dir", str(built_dir)])
    assert result.exit_code == 2
    assert "no canned question named 'no-such-question'" in result.output


def test_query_lists_questions():
    result = CliRunner().invoke(main, ["query"])
    assert result.exit_code == 0
    assert "agreement-roles:" in result.output


def test_python_dash_m_works():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "peacegraph", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and "peacegraph" in done.stdout


def test_a_reader_that_stops_reading_gets_no_error_message():
    # `peacegraph sparql ... | head` printed "error: Broken pipe" when head had what it wanted.
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "peacegraph", "sparql", "SELECT * WHERE { ?s ?p ?o }", "--format", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout.readline()
    process.stdout.close()  # as head does after its lines; the answer (megabytes) is far past the pipe's buffer
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0, stderr
    assert stderr == ""
