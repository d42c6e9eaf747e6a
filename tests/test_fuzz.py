"""Property-based fuzzing: seeds, document metadata, SPARQL text and remote answers fail cleanly or not at all.

- The loader must either return a curation or raise SeedError with file:line
  problems; any other exception is a crash a curator would see as a traceback.
  Document metadata is fuzzed too, with files that try to leave the folder.
- SPARQL text is fuzzed against Oxigraph itself: whatever the SERVICE check
  lets through must make no outbound connection when pyoxigraph runs it, and
  whatever the remote engine classifies as a query must not parse as an
  update in Oxigraph (differential tests of the two guards).
- Remote answers: a fault server answers generated status lines, headers and
  bodies; the remote engine and publish must return a result or raise a
  PeacegraphError, never anything else, and print no control character.

CI runs 150 examples per property; PEACEGRAPH_SLOW=1 runs the long campaign
(3,000 per property, 24,000 in all).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peacegraph.errors import SeedError
from peacegraph.load.loader import FACT_KEYS, load_curation
from peacegraph.load.schema import load_schema

from .conftest import MINI
from .faults import Listener, running_fault_server

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


# ---------------------------------------------------------------------------
# Document metadata: every file that tries to leave seeds/documents/ is refused
# ---------------------------------------------------------------------------

SECRET = "SECRET-TOKEN-hunter2"


@pytest.fixture(scope="module")
def documents_folder(tmp_path_factory) -> Path:
    """A documents folder with the mini article, a symlink out of it, a FIFO, a sub-folder, and a secret outside."""
    root = tmp_path_factory.mktemp("docs-fuzz")
    (root / "outside.txt").write_text(SECRET + "\n", encoding="utf-8")
    folder = root / "documents"
    folder.mkdir()
    shutil.copy(MINI / "documents" / "mini.txt", folder / "mini.txt")
    (folder / "sub").mkdir()
    shutil.copy(MINI / "documents" / "mini.txt", folder / "sub" / "inner.txt")
    (folder / "link-out.txt").symlink_to(root / "outside.txt")
    (folder / "link-in.txt").symlink_to(Path("sub") / "inner.txt")
    os.mkfifo(folder / "fifo.txt")
    return folder


doc_files = st.one_of(
    st.sampled_from(
        [
            "mini.txt",
            "sub/inner.txt",
            "sub/../mini.txt",
            "./mini.txt",
            "link-in.txt",
            "link-out.txt",
            "fifo.txt",
            "sub",
            ".",
            "..",
            "../outside.txt",
            "../../../../../../etc/hostname",
            "/etc/hostname",
            "/proc/self/environ",
            "/proc/self/cmdline",
            "missing.txt",
            "",
            "mini.txt ",
            "MINI.TXT",
            "sub//inner.txt",
        ]
    ),
    texts,
)
doc_ids = st.one_of(st.sampled_from(["m001", "m002", "d010", "", "M001", "m 1", "m002\n", "m-", "-m", "m--1"]), texts)


@st.composite
def document_records(draw):
    record = {
        "id": draw(doc_ids),
        "file": draw(doc_files),
        "title": draw(st.one_of(st.just("A title"), texts)),
        "published": draw(dates),
    }
    for _ in range(draw(st.integers(0, 2))):
        key = draw(st.sampled_from(["author", "modified", "not_before", "not_after", "note", "publisher", "titel", "file"]))
        record[key] = draw(st.one_of(dates, texts, ids))
    return record


def _dump_documents(records: list[dict], list_values: bool, top_key: str) -> str:
    lines = [f"{top_key}:"]
    for record in records:
        for i, (key, value) in enumerate(record.items()):
            lead = "  - " if i == 0 else "    "
            lines.append(f"{lead}{key}: [{_scalar(value)}]" if list_values and key == "id" else f"{lead}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


@SETTINGS
@given(
    records=st.lists(document_records(), max_size=4), list_values=st.booleans(), top_key=st.sampled_from(["documents", "documents", "docs"])
)
def test_random_document_metadata_never_reads_outside_the_folder(documents_folder, records, list_values, top_key):
    from peacegraph.load.documents import load_documents

    meta = documents_folder / "documents.yaml"
    meta.write_text(_dump_documents(records, list_values, top_key), encoding="utf-8")
    documents, problems = load_documents(meta)
    root = documents_folder.resolve()
    for doc in documents.values():
        assert SECRET not in doc.text
        resolved = (documents_folder / doc.file).resolve()
        assert resolved == root or root in resolved.parents
        assert resolved.is_file()
    for problem in problems:
        assert problem.file and problem.line >= 1
        assert not CONTROL.search(str(problem).replace("\n", " ")), str(problem)


# ---------------------------------------------------------------------------
# SPARQL text against Oxigraph: the SERVICE guard and the update guard
# ---------------------------------------------------------------------------

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(scope="module")
def listener():
    made = Listener()
    yield made
    made.sock.close()


SERVICE_FORMS = [
    "SERVICE <{u}> {{ ?s ?p ?o }}",
    "service silent <{u}> {{ }}",
    "SeRvIcE<{u}>{{?s ?p ?o}}",
    "SERVICE ?g {{ ?s ?p ?o }} VALUES ?g {{ <{u}> }}",
    "SERVI\\u0043E <{u}> {{ }}",
    "\\u0053ERVICE <{u}> {{ }}",
    "OPTIONAL {{ SERVICE SILENT <{u}> {{ ?a ?b ?c }} }}",
    "{{ SERVICE <{u}> {{ }} }} UNION {{ }}",
]
NOISE = [
    '"',
    "'",
    '"""',
    "'''",
    '\\"',
    "\\'",
    "\\\\",
    "\\u0022",
    "\\u0027",
    "\\u005C",
    "#",
    "\n",
    "\r",
    "\r\n",
    " ",
    "\t",
    "<",
    ">",
    "?a<?b",
    "FILTER(?a<?b)",
    "FILTER(?a>?b)",
    "FILTER(?a<?b)#>",
    "<http://e/#>",
    "{",
    "}",
    ".",
    "?s ?p ?o",
    "?s ?p ?o .",
    'BIND("x" AS ?v)',
    "\\u000A",
    "\\u0023",
    "#>",
    "'''x'''",
    '"x"',
    ";",
    ",",
    "(",
    ")",
    "\ufeff",
    "\\U00000053",
    "\u2028",
    "\x0c",
    "?service",
    "ex:service",
    "<http://e/service>",
    '"service"',
    "# service",
    "SERVICE",
    "OPTIONAL",
    "VALUES ?g { <x:a> }",
]


#: Complete, valid pieces: most texts built from them parse, so SERVICE really runs unless the check stops it.
VALID_PIECES = [
    " ?s ?p ?o . ",
    " FILTER(?a<?b) ",
    " FILTER(?a<?b) #>'''\n",
    " # a comment '''\n",
    " # SERVICE <x:y> {}\n",
    " #\r",
    ' BIND("""a " b""" AS ?v1) ',
    " BIND('x\\'' AS ?v2) ",
    ' BIND("\\u0022 }" AS ?v3) ',
    " OPTIONAL { ?a ?b ?c } ",
    " { } UNION { } ",
    "\n",
    " ",
    "\r",
    "\t",
    ' FILTER(CONTAINS("service", "x")) ',
    " ?service ?p ?o . ",
    " BIND(<http://e/service#x> AS ?v4) ",
]


@SETTINGS
@given(data=st.data())
def test_what_the_service_check_lets_through_never_calls_out(listener, data):
    """Differential: a text the check passes must make pyoxigraph open no connection."""
    import pyoxigraph

    from peacegraph.namespaces import PREFIXES
    from peacegraph.query.sparqltext import canonical, may_call_out

    service = st.sampled_from(SERVICE_FORMS).map(lambda f: f.format(u=listener.url))
    noise = st.sampled_from(VALID_PIECES) if data.draw(st.booleans()) else st.sampled_from(NOISE)
    pieces = data.draw(st.lists(st.one_of(noise, service), max_size=8))
    text = canonical("SELECT * WHERE { " + "".join(pieces) + " }")
    if may_call_out(text):
        return
    before = listener.hits
    try:
        answer = pyoxigraph.Store().query(text, prefixes=PREFIXES)
        if not isinstance(answer, pyoxigraph.QueryBoolean):
            list(answer)
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass
    time.sleep(0.01)
    assert listener.hits == before, f"SERVICE ran although the check let it through: {text!r}"


UPDATE_PIECES = [
    "\ufeff",
    "BASE <http://e/>",
    "BASE<http://e/>",
    "PREFIX a: <x:>",
    "PREFIX a:<x:>",
    "#c\n",
    "#c\r",
    "#c",
    "\r",
    "\n",
    " ",
    "\t",
    "\\u0044ROP",
    "\\u0044",
    "DROP",
    "ALL",
    " ALL",
    "DROP ALL",
    "CLEAR ALL",
    "CLEAR DEFAULT",
    "INSERT DATA { <x:a> <x:b> <x:c> }",
    "SELECT * WHERE { ?s ?p ?o }",
    "ASK {}",
    "ASK { }",
    ";",
    "LOAD <http://127.0.0.1:9/>",
    "WITH <x:g>",
    "DELETE WHERE { ?s ?p ?o }",
    "/*",
    "*/",
    '"',
    "'",
    "{",
    "}",
    "\\U00000044",
    "drop",
    "silent",
    "CREATE GRAPH <x:g>",
    "ADD DEFAULT TO <x:g>",
]


@SETTINGS
@given(pieces=st.lists(st.sampled_from(UPDATE_PIECES), min_size=1, max_size=7))
def test_what_is_sent_as_a_query_is_never_an_update_to_oxigraph(pieces):
    """Differential: a text the remote engine would send as a query must not parse as an update in Oxigraph."""
    import pyoxigraph

    from peacegraph.errors import QueryError
    from peacegraph.query.sparqltext import canonical, classify, expand_escapes

    try:
        text = expand_escapes(canonical("".join(pieces)))
        kind, _ = classify(text)
    except QueryError:
        return  # refused: nothing is sent
    if kind != "query":
        return
    with pytest.raises(SyntaxError):
        pyoxigraph.Store().update(text)


# ---------------------------------------------------------------------------
# Remote answers: generated status lines, headers and bodies
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def answers():
    with running_fault_server() as server:
        yield server


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
terms = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["uri", "literal", "typed-literal", "bnode", "triple", "URI", ""]),
            "value": st.one_of(st.text(max_size=30), json_values),
        },
        optional={
            "datatype": st.one_of(st.just("http://www.w3.org/2001/XMLSchema#integer"), json_values),
            "xml:lang": st.one_of(st.just("en"), json_values),
        },
    ),
    json_values,
)


@st.composite
def result_bodies(draw) -> bytes:
    import json

    shape = draw(st.sampled_from(["select", "select", "ask", "json", "bytes", "deep"]))
    if shape == "select":
        names = draw(st.one_of(st.lists(st.sampled_from(["x", "y", "s", "é", "a b", "x\x1b"]), max_size=3), json_values))
        rows = draw(st.lists(st.dictionaries(st.sampled_from(["x", "y", "s", "z"]), terms, max_size=3), max_size=5) | json_values)
        data = {"head": {"vars": names}, "results": {"bindings": rows}}
        for key in draw(st.lists(st.sampled_from(["head", "results", "boolean"]), max_size=1)):
            data[key] = draw(json_values)
        return json.dumps(data).encode()
    if shape == "ask":
        return json.dumps({"head": {}, "boolean": draw(json_values)}).encode()
    if shape == "json":
        return json.dumps(draw(json_values)).encode()
    if shape == "deep":
        depth = draw(st.integers(1, 300_000))
        return b"[" * depth + b"]" * draw(st.integers(0, depth))
    return draw(st.binary(max_size=300))


@st.composite
def raw_answers(draw) -> bytes:
    status = draw(
        st.one_of(
            st.sampled_from(
                ["200 OK", "200 OK", "200 OK", "201 Created", "204 No Content", "302 Found", "303 See Other", "400 Bad", "500 Oops"]
            ),
            st.text(alphabet=st.characters(codec="latin-1"), max_size=12),
        )
    )
    body = draw(result_bodies())
    headers = [
        f"Content-Type: {draw(st.sampled_from(['application/sparql-results+json', 'text/turtle', 'text/html', 'application/json', '', 'x/y; charset=bogus']))}"
    ]
    length = draw(st.sampled_from(["right", "right", "short", "long", "none", "garbage"]))
    if length == "right":
        headers.append(f"Content-Length: {len(body)}")
    elif length == "short":
        headers.append(f"Content-Length: {max(0, len(body) - 3)}")
    elif length == "long":
        headers.append(f"Content-Length: {len(body) + 50}")
    elif length == "garbage":
        headers.append(f"Content-Length: {draw(st.sampled_from(['-1', 'abc', '99999999999999999999', '1,2']))}")
    if "30" in status[:3] and draw(st.booleans()):
        headers.append(f"Location: {draw(st.sampled_from(['http://127.0.0.1:9/x', 'file:///etc/passwd', 'javascript:x', '']))}")
    for _ in range(draw(st.integers(0, 2))):
        headers.append(draw(st.text(alphabet=st.characters(codec="latin-1", exclude_characters="\r\n"), max_size=30)))
    head = f"HTTP/1.1 {status}\r\n" if draw(st.integers(0, 9)) else draw(st.text(alphabet=st.characters(codec="latin-1"), max_size=20))
    return (head + "\r\n".join(headers) + "\r\n\r\n").encode("latin-1") + body


@SETTINGS
@given(raw=raw_answers(), form=st.sampled_from(["SELECT ?x WHERE { ?x ?p ?o }", "ASK { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }"]))
def test_generated_remote_answers_give_results_or_one_clear_error(answers, raw, form):
    from peacegraph.errors import PeacegraphError
    from peacegraph.query.engines import RemoteEngine
    from peacegraph.query.limits import Limits
    from peacegraph.query.results import ResultSet, render

    answers.script["/fuzz"] = raw
    engine = RemoteEngine(answers.base + "/fuzz", limits=Limits(timeout=10, max_rows=1000, max_bytes=200_000))
    try:
        result = engine.run(form)
    except PeacegraphError as err:
        message = str(err)
        assert message and not CONTROL.search(message.replace("\n", " ")), message
        return
    if isinstance(result, ResultSet):
        for fmt in ("table", "markdown", "csv", "tsv", "json"):
            text = render(result, fmt)
            text.encode("utf-8")  # printable on a UTF-8 terminal
            if fmt in ("table", "markdown"):
                assert not CONTROL.search(text.replace("\n", " ")), text
    else:
        assert isinstance(result, bytes)
        result.decode("utf-8")


@pytest.fixture(scope="module")
def graph_to_publish(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("publish-fuzz")
    (folder / "peacegraph.ttl").write_text("<http://e/a> <http://e/b> <http://e/c> .\n", encoding="utf-8")
    return folder


@SETTINGS
@given(raw=raw_answers(), merge=st.booleans())
def test_generated_store_answers_to_publish_give_a_report_or_one_clear_error(answers, graph_to_publish, raw, merge):
    from peacegraph.errors import PeacegraphError
    from peacegraph.write.publish import STORED, publish

    answers.script["/store"] = raw
    try:
        report = publish(answers.base + "/store", replace=not merge, graph_dir=graph_to_publish, timeout=10)
    except PeacegraphError as err:
        assert str(err) and not CONTROL.search(str(err).replace("\n", " ")), str(err)
        return
    assert report.status in STORED
