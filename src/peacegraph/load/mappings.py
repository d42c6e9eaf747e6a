"""Entity-level mappings to Wikidata, read from an SSSOM mapping file.

``seeds/mappings/entities.sssom.tsv`` is an SSSOM table (https://w3id.org/sssom):
a YAML header of ``#`` lines (the CURIE map and the mapping set's metadata),
then one tab-separated row per mapping. Each row maps a peacegraph entity
(``ent:armenia``) with ``skos:exactMatch`` to a Wikidata item
(``wikidata:Q399``), and its ``comment`` names the source against which the
identifier was checked; the build writes ``ent:armenia skos:exactMatch
wd:Q399``. Problems are reported as ``file:line: what is wrong; how to fix it``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from peacegraph.errors import Problem
from peacegraph.load.documents import display_path

#: The columns every row fills, in the order the file gives them.
COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification", "comment")
#: The one predicate used: the entity and the item are the same thing.
PREDICATE = "skos:exactMatch"
#: How the mappings were made (SEMAPV): by a curator, one by one.
JUSTIFICATION = "semapv:ManualMappingCuration"
_SUBJECT = re.compile(r"^ent:([a-z0-9]+(?:-[a-z0-9]+)*)$")
_OBJECT = re.compile(r"^wikidata:(Q[1-9][0-9]*)$")


@dataclass(frozen=True)
class Mapping:
    """One checked identity: a peacegraph entity and a Wikidata item."""

    entity: str
    qid: str
    source: str  # the comment: where the Q-id was checked
    line: int


def read_mappings(path: Path, entity_ids: set[str], problems: list[Problem]) -> list[Mapping]:
    """The mappings of an SSSOM TSV file; a missing file has none. Problems go to ``problems``.

    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> path = Path(folder) / "m.sssom.tsv"
    >>> _ = path.write_text("#curie_map:\\n#  ent: https://w3id.org/peacegraph/entity/\\n" + "\\t".join(COLUMNS) + "\\n"
    ...     + "ent:armenia\\tArmenia\\tskos:exactMatch\\twikidata:Q399\\tArmenia\\tsemapv:ManualMappingCuration\\tchecked\\n")
    >>> found = []
    >>> [(m.entity, m.qid, m.line) for m in read_mappings(path, {"armenia"}, found)], found
    ([('armenia', 'Q399', 4)], [])
    """
    if not path.exists():
        return []
    shown = display_path(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    body_start = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    rows = list(csv.reader(lines[body_start:], delimiter="\t"))
    if not rows:
        problems.append(
            Problem(shown, body_start + 1, "the mapping file has no header row", "add the SSSOM column names: " + ", ".join(COLUMNS))
        )
        return []
    header = rows[0]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        problems.append(Problem(shown, body_start + 1, f"the header lacks {', '.join(missing)}", "use the columns " + ", ".join(COLUMNS)))
        return []
    out: list[Mapping] = []
    seen: dict[str, int] = {}
    for offset, row in enumerate(rows[1:], start=2):
        line = body_start + offset
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                Problem(shown, line, f"the row has {len(row)} cells, the header {len(header)}", "separate the cells by single tabs")
            )
            continue
        cell = dict(zip(header, (c.strip() for c in row), strict=True))
        subject, obj = _SUBJECT.match(cell["subject_id"]), _OBJECT.match(cell["object_id"])
        if subject is None or subject.group(1) not in entity_ids:
            problems.append(
                Problem(shown, line, f"subject_id '{cell['subject_id']}' is not a known entity", "write ent:<entity id> of seeds/facts")
            )
        elif obj is None:
            problems.append(Problem(shown, line, f"object_id '{cell['object_id']}' is not a Wikidata item", "write wikidata:Q<number>"))
        elif cell["predicate_id"] != PREDICATE:
            problems.append(
                Problem(shown, line, f"predicate_id '{cell['predicate_id']}' is not {PREDICATE}", f"map entities with {PREDICATE} only")
            )
        elif cell["mapping_justification"] != JUSTIFICATION:
            problems.append(
                Problem(
                    shown, line, f"mapping_justification '{cell['mapping_justification']}' is not {JUSTIFICATION}", f"write {JUSTIFICATION}"
                )
            )
        elif not cell["comment"]:
            problems.append(
                Problem(shown, line, "the mapping names no source in its comment", "say where the Q-id was checked, or leave the row out")
            )
        elif subject.group(1) in seen:
            problems.append(
                Problem(
                    shown, line, f"'{subject.group(1)}' is mapped twice (first at line {seen[subject.group(1)]})", "keep one row per entity"
                )
            )
        else:
            seen[subject.group(1)] = line
            out.append(Mapping(subject.group(1), obj.group(1), cell["comment"], line))
    return out
