"""CSV files for ``neo4j-admin database import full``, and a Cypher script to load them into a running database.

Headers follow the import tool's rules: nodes ``id:ID,label,:LABEL,...``,
relationships ``:START_ID,:END_ID,:TYPE,...``; typed columns (``start:date``);
arrays (``aliases:string[]``) split on ``;``, so a ``;`` inside a value becomes
``,``. Line breaks inside values become spaces, so no ``--multiline-fields``.

A relationship is one fact, which one or more statements give. The columns
``statements``, ``source_ids``, ``sources``, ``quotes``, ``dates``, ``roles``
and ``modalities`` are parallel arrays: entry k of each describes statement k,
so every one has as many entries as ``statements`` (an empty entry where the
statement has no such value).
"""

from __future__ import annotations

import csv
import io
import re

from peacegraph.export.model import PropertyGraph

#: neo4j-admin's default array delimiter.
ARRAY_DELIMITER = ";"
#: Label every node also gets, for one uniqueness constraint on id.
BASE_LABEL = "Entity"
NODE_HEADER = ["id:ID", "label", ":LABEL", "type", "iri", "aliases:string[]", "attributes:string[]"]
REL_HEADER = [
    ":START_ID",
    ":END_ID",
    ":TYPE",
    "label",
    "predicate",
    "date",
    "start:date",
    "end:date",
    *(f"{name}:string[]" for name in ("statements", "source_ids", "sources", "quotes", "dates", "roles", "modalities")),
]
#: Evidence field -> the parallel array it fills, in REL_HEADER's order.
PARALLEL = {
    "statement": "statements",
    "source_id": "source_ids",
    "source": "sources",
    "quote": "quotes",
    "date": "dates",
    "role": "roles",
    "modality": "modalities",
}


def relationship_type(key: str) -> str:
    """A property's local name as a Neo4j relationship type.

    >>> relationship_type("signatoryOf")
    'SIGNATORY_OF'
    """
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key).upper()


def _cell(value: str) -> str:
    return " ".join(value.split())


def _array(values: list[str]) -> str:
    """One array cell; entries keep their places (an empty entry stays, so parallel arrays stay aligned).

    >>> _array(["a; b", "", "c"])
    'a, b;;c'
    """
    return ARRAY_DELIMITER.join(_cell(v).replace(ARRAY_DELIMITER, ",") for v in values)


def _labels(categories: list[str]) -> list[str]:
    return [BASE_LABEL] + [c for c in categories if c != BASE_LABEL]


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def neo4j_csv(graph: PropertyGraph) -> dict[str, bytes]:
    """``nodes.csv``, ``relationships.csv`` and ``import.cypher``."""
    nodes = [
        [
            n.id,
            _cell(n.label),
            ARRAY_DELIMITER.join(_labels(n.categories)),
            n.type,
            n.iri,
            _array(n.aliases),
            _array([f"{k}={v}" for k, v in sorted(n.attributes.items())]),
        ]
        for n in graph.nodes
    ]
    rels = [
        [
            e.source,
            e.target,
            relationship_type(e.key),
            _cell(e.label),
            e.predicate,
            _cell(e.date),
            e.start or "",
            e.end or "",
            *(_array([getattr(ev, field) for ev in e.evidence]) for field in PARALLEL),
        ]
        for e in graph.edges
    ]
    return {
        "nodes.csv": _csv(NODE_HEADER, nodes),
        "relationships.csv": _csv(REL_HEADER, rels),
        "import.cypher": cypher(graph).encode("utf-8"),
    }


def cypher(graph: PropertyGraph) -> str:
    """A script for cypher-shell that loads the two CSV files with LOAD CSV (no plugin needed)."""
    label_sets = sorted({tuple(_labels(n.categories)) for n in graph.nodes})
    rel_types = sorted({relationship_type(e.key) for e in graph.edges})
    out = [
        "// peacegraph export for Neo4j 5.",
        "// Either: neo4j-admin database import full --nodes=nodes.csv --relationships=relationships.csv --array-delimiter=';' neo4j",
        "// Or, into a running database: copy nodes.csv and relationships.csv into its import/ folder, then",
        "//   cypher-shell -f import.cypher",
        f"CREATE CONSTRAINT peacegraph_id IF NOT EXISTS FOR (n:{BASE_LABEL}) REQUIRE n.id IS UNIQUE;",
    ]
    for labels in label_sets:
        joined = ARRAY_DELIMITER.join(labels)
        out.append(
            f"LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row WITH row WHERE row[':LABEL'] = '{joined}'\n"
            f"MERGE (n:{BASE_LABEL} {{id: row['id:ID']}}) SET n:{':'.join('`' + x + '`' for x in labels[1:]) or BASE_LABEL},\n"
            "  n.label = row.label, n.type = row.type, n.iri = row.iri,\n"
            "  n.aliases = CASE row['aliases:string[]'] WHEN null THEN [] ELSE split(row['aliases:string[]'], ';') END;"
        )
    for rel in rel_types:
        out.append(
            f"LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row WITH row WHERE row[':TYPE'] = '{rel}'\n"
            f"MATCH (a:{BASE_LABEL} {{id: row[':START_ID']}}), (b:{BASE_LABEL} {{id: row[':END_ID']}})\n"
            f"MERGE (a)-[r:`{rel}`]->(b) SET r.label = row.label, r.date = row.date,\n"
            "  r.start = CASE row['start:date'] WHEN null THEN null ELSE date(row['start:date']) END,\n"
            "  r.end = CASE row['end:date'] WHEN null THEN null ELSE date(row['end:date']) END,\n"
            + ",\n".join(
                f"  r.{name} = CASE row['statements:string[]'] WHEN null THEN [] ELSE split(coalesce(row['{name}:string[]'], ''), ';') END"
                for name in PARALLEL.values()
            )
            + ";"
        )
    return "\n".join(out) + "\n"
