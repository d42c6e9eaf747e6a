"""Property-based fuzzing of the loader: random and mutated fact files build or fail cleanly.

The loader must either return a curation or raise SeedError with file:line
problems; any other exception is a crash a curator would see as a traceback.
CI runs 150 examples per property; PEACEGRAPH_SLOW=1 runs the long campaign
(3,000 per property).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peacegraph.errors import SeedError
from peacegraph.load.loader import FACT_KEYS, load_curation
from peacegraph.load.schema import load_schema

from .conftest import MINI

LONG = os.environ.get("PEACEGRAPH_SLOW") == "1"
EXAMPLES = 3000 if LONG else 150
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

BASE = (MINI / "facts" / "m001.yaml").read_text(encoding="utf-8")
ENTITIES = (MINI / "facts" / "entities.yaml").read_text(encoding="utf-8")
SCHEMA = load_schema()

ids = st.sampled_from(
    ["armenia", "azerbaijan", "united-states", "test-ceasefire", "nikol-pashinyan", "washington-dc", "nobody", "", "Armenia", "x y"]
)
relations = st.sampled_from(
    ["signatoryOf", "brokerOf", "holdsPost", "postIn", "status", "welcomes", "date", "numberDisplaced", "nope", "location"]
)
dates = st.one_of(st.sampled_from(["2024", "2024-03", "2024-03-04", "2023-02-30", "2024-13", "0999", "March", ""]), st.text(max_size=12))
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
keys = st.sampled_from(sorted(FACT_KEYS) + ["sourse", "qualifier", "quote "])


def _scalar(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@st.composite
def fact_records(draw):
    record = {
        "id": draw(st.one_of(st.just(f"fz-{draw(st.integers(0, 5))}"), texts)),
        "subject": draw(ids),
        "relation": draw(relations),
        draw(st.sampled_from(["object", "value"])): draw(st.one_of(ids, texts)),
        "source": draw(st.sampled_from(["m001", "m002", ""])),
        "quote": draw(
            st.one_of(
                st.sampled_from(["Armenia and Azerbaijan signed a ceasefire", "brokered by the United States", "Armenia", "“historic”"]),
                texts,
            )
        ),
    }
    for _ in range(draw(st.integers(0, 3))):
        record[draw(keys)] = draw(st.one_of(dates, texts))
    if draw(st.booleans()):
        record["qualifiers"] = {draw(st.sampled_from(["quotation", "durationYears", "exclusive", "atPlace", "bogus"])): draw(texts)}
    return record


def _dump(records: list[dict]) -> str:
    lines = ["facts:"]
    for record in records:
        first = True
        for key, value in record.items():
            prefix = "  - " if first else "    "
            first = False
            if isinstance(value, dict):
                lines.append(f"{prefix}{key}:")
                lines += [f"      {k}: {_scalar(v)}" for k, v in value.items()]
            else:
                lines.append(f"{prefix}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def _load(tmp_path: Path, facts_text: str, entities_text: str = ENTITIES):
    folder = tmp_path / "facts"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    (folder / "entities.yaml").write_text(entities_text, encoding="utf-8")
    (folder / "fuzz.yaml").write_text(facts_text, encoding="utf-8")
    try:
        load_curation(folder, MINI / "documents" / "documents.yaml", SCHEMA)
    except SeedError as err:
        assert err.problems, "SeedError without problems"
        for problem in err.problems:
            assert problem.file and problem.line >= 0 and problem.message
            assert str(problem).startswith(problem.file)


@SETTINGS
@given(records=st.lists(fact_records(), max_size=4))
def test_random_fact_files_load_or_fail_cleanly(tmp_path, records):
    _load(tmp_path, _dump(records))


@SETTINGS
@given(data=st.data())
def test_mutated_fact_files_load_or_fail_cleanly(tmp_path, data):
    text = BASE
    for _ in range(data.draw(st.integers(1, 6))):
        where = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["insert", "delete", "duplicate-line"]))
        if action == "insert":
            text = (
                text[:where]
                + data.draw(st.sampled_from([":", "-", " ", "\n", "  ", '"', "'", "[", "{", "#", "\t", "é", "\x00", "&a", "*a", "!!int "]))
                + text[where:]
            )
        elif action == "delete":
            text = text[:where] + text[where + data.draw(st.integers(1, 10)) :]
        else:
            lines = text.splitlines(keepends=True)
            if lines:
                i = data.draw(st.integers(0, len(lines) - 1))
                lines.insert(i, lines[i])
                text = "".join(lines)
    _load(tmp_path, text)


@SETTINGS
@given(data=st.binary(max_size=200))
def test_arbitrary_bytes_fail_cleanly(tmp_path, data):
    folder = tmp_path / "facts"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    (folder / "entities.yaml").write_text(ENTITIES, encoding="utf-8")
    (folder / "junk.yaml").write_bytes(data)
    try:
        load_curation(folder, MINI / "documents" / "documents.yaml", SCHEMA)
    except SeedError:
        pass
