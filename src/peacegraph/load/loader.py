"""The loader: curated entities and facts, checked against the ontology and the documents.

``load_curation()`` reads every ``seeds/facts/*.yaml`` file and returns a
``Curation`` ready to become RDF, or raises ``SeedError`` listing every problem
found, each as ``file:line: what is wrong; how to fix it``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import URIRef

from peacegraph import paths
from peacegraph.errors import Problem, SeedError
from peacegraph.load.dates import TimeValue, parse_time
from peacegraph.load.documents import ID_PATTERN, Document, display_path, load_documents, time_field
from peacegraph.load.mappings import Mapping, read_mappings
from peacegraph.load.quotes import QuoteNotFound, Span, locate
from peacegraph.load.schema import XSD_BOOLEAN, XSD_INTEGER, Property, Schema, load_schema
from peacegraph.load.yamlsource import Record, Seq, check_keys, read_yaml, suggest

#: entity key -> required?
ENTITY_KEYS = {"id": True, "type": True, "label": True, "aliases": False, "description": False}
ALIAS_KEYS = {"label": True, "source": False, "note": False}
#: fact key -> required?  ('object' or 'value' is checked separately)
FACT_KEYS = {
    "id": True,
    "subject": True,
    "relation": True,
    "object": False,
    "value": False,
    "date": False,
    "start": False,
    "end": False,
    "date_note": False,
    "qualifiers": False,
    "source": True,
    "quote": True,
    "note": False,
    "rank": False,
    "rank_reason": False,
    "rank_evidence": False,
}
#: Statement ranks, as in Wikidata; a fact without 'rank' is normal.
RANKS = ("preferred", "normal", "deprecated")
#: Every disagreement says what kind it is (issue 13.4): contradiction, source error, self-contradiction or different time.
DISAGREEMENT_KEYS = {"id": True, "about": True, "description": True, "statements": True, "kind": True}
#: An alias added to an entity defined elsewhere (so curators of different documents never edit one file).
ALIAS_RECORD_KEYS = {"entity": True, "label": True, "source": False, "note": False}
#: A sentence that mentions an entity but states nothing checkable, with the reason.
JUSTIFIED_KEYS = {"source": True, "quote": True, "reason": True}
#: fact time key -> statement-node property local name
TIME_KEYS = {"date": "pointInTime", "start": "startTime", "end": "endTime"}
#: Relations whose literal value is a date rather than a string or number.
DATE_VALUED = {"date", "startDate", "endDate", "datePublished", "dateUpdated"}


@dataclass
class Alias:
    label: str
    source: str | None = None
    note: str | None = None


@dataclass
class Entity:
    id: str
    type: str
    type_iri: URIRef
    label: str
    file: str
    line: int
    aliases: list[Alias] = field(default_factory=list)
    description: str | None = None


@dataclass
class Fact:
    id: str
    subject: str
    relation: Property
    source: str
    quote: str
    span: Span
    file: str
    line: int
    object: str | None = None  # entity or concept id
    value: str | None = None  # literal, already checked against the relation's range
    value_time: TimeValue | None = None
    times: dict[str, TimeValue] = field(default_factory=dict)  # pointInTime/startTime/endTime
    date_note: str | None = None
    qualifiers: dict[str, tuple[Property, str]] = field(default_factory=dict)
    note: str | None = None
    rank: str = "normal"
    rank_reason: str | None = None  # a concept id of the rank-reasons scheme
    rank_evidence: list[str] = field(default_factory=list)  # ids of facts that show why
    subject_is_document: bool = False  # the subject is a source document (its byline, date), not an entity


@dataclass
class Disagreement:
    id: str
    about: str
    description: str
    statements: list[str]
    file: str
    line: int
    kind: str | None = None  # a concept id of the disagreement-kinds scheme (required in the seeds)


@dataclass
class Justified:
    source: str
    quote: str
    reason: str
    span: Span
    file: str
    line: int


@dataclass
class Curation:
    """Everything the seeds say, checked, in file order."""

    schema: Schema
    documents: dict[str, Document]
    entities: dict[str, Entity]
    facts: list[Fact]
    disagreements: list[Disagreement] = field(default_factory=list)
    justified: list[Justified] = field(default_factory=list)
    mappings: list[Mapping] = field(default_factory=list)  # entity -> Wikidata item, from seeds/mappings

    def where(self) -> dict[str, str]:
        """id -> 'file:line', for messages about graph nodes."""
        out = {e.id: f"{e.file}:{e.line}" for e in self.entities.values()}
        out.update({f.id: f"{f.file}:{f.line}" for f in self.facts})
        out.update({d.id: f"{d.meta_file}:{d.line}" for d in self.documents.values()})
        out.update({d.id: f"{d.file}:{d.line}" for d in self.disagreements})
        return out


def fact_files(folder: Path | None = None) -> list[Path]:
    """The curated YAML files, in name order."""
    folder = folder or paths.FACTS_DIR
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())


def load_curation(
    facts_dir: Path | None = None,
    documents_path: Path | None = None,
    schema: Schema | None = None,
) -> Curation:
    """Read, check and return the curated seeds; raise ``SeedError`` with every problem."""
    schema = schema or load_schema()
    documents, problems = load_documents(documents_path)
    entity_records: list[Record] = []
    fact_records: list[Record] = []
    disagreement_records: list[Record] = []
    alias_records: list[Record] = []
    justified_records: list[Record] = []
    files = fact_files(facts_dir)
    if not files:
        shown = display_path(facts_dir or paths.FACTS_DIR)
        problems.append(Problem(shown, 0, "no *.yaml fact files found", "add at least one file with 'entities:' and 'facts:' lists"))
    for path in files:
        shown = display_path(path)
        tree, found = read_yaml(path, shown)
        problems += found
        if found:
            continue
        if tree is None:
            problems.append(Problem(shown, 1, "the file is empty", "add 'entities:' and/or 'facts:' lists, or delete the file"))
            continue
        if not isinstance(tree, Record):
            problems.append(
                Problem(shown, 1, "expected a mapping with 'entities:' and/or 'facts:'", "start the file with 'entities:' or 'facts:'")
            )
            continue
        buckets = {
            "entities": entity_records,
            "facts": fact_records,
            "disagreements": disagreement_records,
            "aliases": alias_records,
            "justified": justified_records,
        }
        problems += check_keys(tree, {key: False for key in buckets}, "fact file")
        for key, bucket in buckets.items():
            seq = tree.values.get(key)
            if seq is None:
                continue
            if not isinstance(seq, Seq):
                problems.append(tree.problem(key, f"'{key}' must be a list", f"write each item of '{key}' on a line starting with '- '"))
                continue
            for item in seq.items:
                if isinstance(item, Record):
                    bucket.append(item)
                else:
                    problems.append(
                        Problem(
                            shown, seq.line, f"an item of '{key}' is not a mapping", "write each item as '- id: ...' followed by its keys"
                        )
                    )
    entities = _entities(entity_records, schema, documents, problems)
    _extra_aliases(alias_records, entities, documents, problems)
    _check_document_people(documents, entities, schema, problems)
    facts = _facts(fact_records, schema, documents, entities, problems)
    _check_event_spans(facts, problems)
    disagreements = _disagreements(disagreement_records, entities, fact_records, schema, problems)
    _check_rank_evidence(facts, fact_records, problems)
    justified = _justified(justified_records, documents, problems)
    mappings = read_mappings(paths.entity_mappings_path(facts_dir), set(entities), problems)
    if problems:
        raise SeedError(problems)
    return Curation(schema, documents, entities, facts, disagreements, justified, mappings)


def _extra_aliases(records: list[Record], entities: dict[str, Entity], documents: dict[str, Document], problems: list[Problem]) -> None:
    for rec in records:
        problems += check_keys(rec, ALIAS_RECORD_KEYS, "alias record")
        entity = _entity_ref(rec, "entity", _str(rec, "entity", problems), entities, problems)
        label, source, note = (_str(rec, k, problems) for k in ("label", "source", "note"))
        if entity is None or not label:
            continue
        if source and _document_ref(rec, "source", source, documents, problems) is None:
            continue
        if label in {a.label for a in entity.aliases} | {entity.label}:
            problems.append(rec.problem("label", f"'{label}' is already a name of '{entity.id}'", "drop this record"))
        else:
            entity.aliases.append(Alias(label, source, note))


def _justified(records: list[Record], documents: dict[str, Document], problems: list[Problem]) -> list[Justified]:
    out = []
    for rec in records:
        problems += check_keys(rec, JUSTIFIED_KEYS, "justified sentence")
        source, quote, reason = (_str(rec, k, problems) for k in ("source", "quote", "reason"))
        if not (source and quote and reason):
            continue
        doc = _document_ref(rec, "source", source, documents, problems)
        if doc is None:
            continue
        try:
            span = locate(quote, doc.text)
        except QuoteNotFound as err:
            problems.append(rec.problem("quote", f"{err} ({doc.file})", err.fix))
            continue
        out.append(Justified(source, quote, reason, span, rec.file, rec.line))
    return out


def _check_event_spans(facts: list[Fact], problems: list[Problem]) -> None:
    """An entity's endDate value may not fall before its startDate value (a war ending before it starts)."""
    starts: dict[str, Fact] = {}
    for fact in facts:
        if fact.relation.name == "startDate" and fact.value_time:
            starts.setdefault(fact.subject, fact)
    for fact in facts:
        start = starts.get(fact.subject)
        if fact.relation.name == "endDate" and fact.value_time and start and start.value_time:
            if fact.value_time.latest < start.value_time.earliest:
                problems.append(
                    Problem(
                        fact.file,
                        fact.line,
                        f"'{fact.subject}' ends ({fact.value_time.text}) before it starts ({start.value_time.text}, {start.file}:{start.line})",
                        "correct one of the two dates",
                    )
                )


def _disagreements(
    records: list[Record], entities: dict[str, Entity], fact_records: list[Record], schema: Schema, problems: list[Problem]
) -> list[Disagreement]:
    fact_ids = _fact_ids(fact_records)
    out: list[Disagreement] = []
    seen: set[str] = set()
    kinds = _concepts_of("DisagreementKind", schema)
    for rec in records:
        # A missing kind gets the kinds to choose from rather than check_keys' bare "add 'kind:'".
        problems += [
            replace(p, fix=f"add 'kind:' with one of: {kinds}") if p.message == "disagreement has no 'kind'" else p
            for p in check_keys(rec, DISAGREEMENT_KEYS, "disagreement")
        ]
        dis_id, about, description = (_str(rec, k, problems) for k in ("id", "about", "description"))
        if not (dis_id and about and description):
            continue
        if not ID_PATTERN.match(dis_id) or dis_id in seen:
            problems.append(
                rec.problem(
                    "id", f"disagreement id '{dis_id}' is malformed or used twice", "use a unique id of lower-case words joined by '-'"
                )
            )
            continue
        seen.add(dis_id)
        _entity_ref(rec, "about", about, entities, problems)
        statements = rec.values.get("statements")
        if not isinstance(statements, Seq) or not all(isinstance(i, str) for i in statements.items):
            problems.append(rec.problem("statements", "'statements' must be a list of fact ids", "list the ids of the facts that conflict"))
            continue
        ids = [str(i).strip() for i in statements.items]
        for fact_id in ids:
            if fact_id not in fact_ids:
                problems.append(
                    rec.problem(
                        "statements",
                        f"unknown fact id '{fact_id}' in a disagreement",
                        "use the id of a fact record" + suggest(fact_id, sorted(i for i in fact_ids if i)),
                    )
                )
        if len(set(ids)) < 2:
            problems.append(
                rec.problem("statements", "a disagreement needs at least two conflicting facts", "list every fact that gives a version")
            )
        kind = _str(rec, "kind", problems)
        if kind and not _is_concept_of(kind, "DisagreementKind", schema):
            problems.append(rec.problem("kind", f"unknown disagreement kind '{kind}'", f"use one of: {kinds}"))
        out.append(Disagreement(dis_id, about, description, ids, rec.file, rec.line, kind))
    return out


def _is_concept_of(concept: str, class_name: str, schema: Schema) -> bool:
    return concept in schema.concepts and schema.classes[class_name] in schema.concepts[concept][1]


def _concepts_of(class_name: str, schema: Schema) -> str:
    return ", ".join(sorted(c for c in schema.concepts if _is_concept_of(c, class_name, schema)))


def _str(record: Record, key: str, problems: list[Problem]) -> str | None:
    value = record.values.get(key)
    if value is None or isinstance(value, str):
        return value.strip() if isinstance(value, str) else None
    problems.append(record.problem(key, f"'{key}' must be a single text value, not a list or mapping", f"write '{key}: ...' on one line"))
    return None


def _entities(records: list[Record], schema: Schema, documents: dict[str, Document], problems: list[Problem]) -> dict[str, Entity]:
    entities: dict[str, Entity] = {}
    label_owner: dict[str, Entity] = {}
    for rec in records:
        problems += check_keys(rec, ENTITY_KEYS, "entity")
        ent_id, type_name, label = (_str(rec, k, problems) for k in ("id", "type", "label"))
        if not (ent_id and type_name and label):
            continue
        if not ID_PATTERN.match(ent_id):
            problems.append(
                rec.problem("id", f"entity id '{ent_id}' is not lower-case letters, digits and '-'", "rename it like 'nikol-pashinyan'")
            )
            continue
        if ent_id in entities:
            first = entities[ent_id]
            problems.append(
                rec.problem(
                    "id",
                    f"duplicate entity id '{ent_id}' (first defined at {first.file}:{first.line})",
                    "merge the two records or rename one",
                )
            )
            continue
        if type_name not in schema.classes:
            problems.append(
                rec.problem(
                    "type",
                    f"unknown entity type '{type_name}'",
                    "use a class of ontology/peacegraph.ttl" + suggest(type_name, list(schema.classes)),
                )
            )
            continue
        entity = Entity(
            ent_id, type_name, schema.classes[type_name], label, rec.file, rec.line, description=_str(rec, "description", problems)
        )
        if label in label_owner:
            other = label_owner[label]
            problems.append(
                rec.problem(
                    "label",
                    f"label '{label}' is also the label of '{other.id}' ({other.file}:{other.line})",
                    "give each entity its own label; put shared names in 'aliases'",
                )
            )
        label_owner[label] = entity
        aliases = rec.values.get("aliases")
        if aliases is not None:
            if not isinstance(aliases, Seq):
                problems.append(rec.problem("aliases", "'aliases' must be a list", "write each alias on a line starting with '- '"))
            else:
                for item in aliases.items:
                    alias = _alias(item, rec, aliases.line, documents, problems)
                    if alias:
                        entity.aliases.append(alias)
        entities[ent_id] = entity
    return entities


def _alias(item, rec: Record, line: int, documents: dict[str, Document], problems: list[Problem]) -> Alias | None:
    if isinstance(item, str) and item.strip():
        return Alias(item.strip())
    if isinstance(item, Record):
        item.file = rec.file
        problems += check_keys(item, ALIAS_KEYS, "alias")
        label, source, note = (_str(item, k, problems) for k in ("label", "source", "note"))
        if source:
            _document_ref(item, "source", source, documents, problems)
        return Alias(label, source, note) if label else None
    problems.append(
        Problem(rec.file, line, "an alias is empty or not text", "write the alias as text, or as a mapping with 'label', 'source', 'note'")
    )
    return None


def _check_document_people(documents: dict[str, Document], entities: dict[str, Entity], schema: Schema, problems: list[Problem]) -> None:
    wanted = {"author": "Actor", "editor": "Person", "publisher": "Organisation"}
    for doc in documents.values():
        for key, cls in wanted.items():
            ref = getattr(doc, key)
            if ref is None:
                continue
            line = (doc.lines or {}).get(key, doc.line)
            entity = entities.get(ref)
            if entity is None:
                problems.append(
                    Problem(
                        doc.meta_file,
                        line,
                        f"{key} '{ref}' is not a known entity",
                        "define it in seeds/facts/entities.yaml" + suggest(ref, list(entities)),
                    )
                )
            elif not schema.fits(frozenset({entity.type_iri}), frozenset({schema.classes[cls]})):
                problems.append(Problem(doc.meta_file, line, f"{key} '{ref}' is a {entity.type}, not a {cls}", f"point {key} at a {cls}"))


def _facts(
    records: list[Record], schema: Schema, documents: dict[str, Document], entities: dict[str, Entity], problems: list[Problem]
) -> list[Fact]:
    facts: list[Fact] = []
    seen: dict[str, Record] = {}
    for rec in records:
        before = len(problems)
        problems += check_keys(rec, FACT_KEYS, "fact")
        fact_id, subject, relation_name, source, quote = (_str(rec, k, problems) for k in ("id", "subject", "relation", "source", "quote"))
        if fact_id:
            if not ID_PATTERN.match(fact_id):
                problems.append(
                    rec.problem(
                        "id", f"fact id '{fact_id}' is not lower-case letters, digits and '-'", "rename it like 'd000-us-route-rights'"
                    )
                )
            elif fact_id in seen:
                problems.append(
                    rec.problem(
                        "id",
                        f"duplicate fact id '{fact_id}' (first at {seen[fact_id].file}:{seen[fact_id].line})",
                        "give each fact its own id",
                    )
                )
            else:
                seen[fact_id] = rec
        # What a document prints about itself (author, date) has the document as subject.
        subject_document = documents.get(subject) if subject and subject not in entities else None
        subject_type = schema.classes["SourceDocument"] if subject_document else None
        subject_entity = None if subject_document else _entity_ref(rec, "subject", subject, entities, problems)
        if subject_entity:
            subject_type = subject_entity.type_iri
        relation = None
        if relation_name:
            relation = schema.relations.get(relation_name)
            if relation is None:
                problems.append(
                    rec.problem(
                        "relation",
                        f"unknown relation '{relation_name}'",
                        'use a property of the ontology marked pg:usage "relation"' + suggest(relation_name, list(schema.relations)),
                    )
                )
        if relation and subject_type and not schema.fits(frozenset({subject_type}), relation.domain):
            what = "SourceDocument" if subject_document else subject_entity.type
            problems.append(
                rec.problem(
                    "subject",
                    f"'{relation.name}' does not fit subject '{subject}', a {what}: its subject must be a {schema.describe(relation.domain)}",
                    "change the relation or the subject, or the entity's type if it is wrong",
                )
            )
        obj, value, value_time = _object_or_value(rec, relation, schema, entities, problems)
        times = _times(rec, problems)
        rank, rank_reason, rank_evidence = _rank(rec, schema, problems)
        qualifiers = _qualifiers(rec, schema, entities, problems)
        doc = _document_ref(rec, "source", source, documents, problems) if source else None
        span = None
        if doc is not None and quote is not None:
            try:
                span = locate(quote, doc.text)
            except QuoteNotFound as err:
                problems.append(rec.problem("quote", f"{err} ({doc.file})", err.fix))
        if len(problems) == before and fact_id and subject and relation and source and quote and span:
            facts.append(
                Fact(
                    id=fact_id,
                    subject=subject,
                    relation=relation,
                    source=source,
                    quote=quote,
                    span=span,
                    file=rec.file,
                    line=rec.line,
                    object=obj,
                    value=value,
                    value_time=value_time,
                    times=times,
                    date_note=_str(rec, "date_note", problems),
                    qualifiers=qualifiers,
                    note=_str(rec, "note", problems),
                    rank=rank,
                    rank_reason=rank_reason,
                    rank_evidence=rank_evidence,
                    subject_is_document=subject_document is not None,
                )
            )
    return facts


def _rank(rec: Record, schema: Schema, problems: list[Problem]) -> tuple[str, str | None, list[str]]:
    """The fact's rank, the reason for it and the facts that show it; a deprecated fact must say why."""
    rank = _str(rec, "rank", problems) or "normal"
    if rank not in RANKS:
        problems.append(rec.problem("rank", f"unknown rank '{rank}'", f"use one of: {', '.join(RANKS)}"))
        rank = "normal"
    reason = _str(rec, "rank_reason", problems)
    if reason is not None and not _is_concept_of(reason, "RankReason", schema):
        problems.append(rec.problem("rank_reason", f"unknown rank reason '{reason}'", f"use one of: {_concepts_of('RankReason', schema)}"))
        reason = None
    raw = rec.values.get("rank_evidence")
    evidence: list[str] = []
    if raw is not None:
        if isinstance(raw, Seq) and all(isinstance(i, str) for i in raw.items):
            evidence = [str(i).strip() for i in raw.items]
        else:
            problems.append(rec.problem("rank_evidence", "'rank_evidence' must be a list of fact ids", "write [fact-id, ...]"))
    if rank == "deprecated" and reason is None and "rank_reason" not in rec.values:
        problems.append(
            rec.problem("rank", "a deprecated fact needs a 'rank_reason'", f"add 'rank_reason:' ({_concepts_of('RankReason', schema)})")
        )
    if rank == "normal" and (reason or evidence):
        problems.append(
            rec.problem(
                "rank_reason",
                "a normal-rank fact has a rank reason or evidence",
                "add 'rank: deprecated' or 'rank: preferred', or drop them",
            )
        )
    return rank, reason, evidence


def _fact_ids(fact_records: list[Record]) -> set[str]:
    """The fact ids as the facts are read (stripped), text ones only: an 'id: [a]' must not crash the set."""
    return {r.values["id"].strip() for r in fact_records if isinstance(r.values.get("id"), str)}


def _check_rank_evidence(facts: list[Fact], fact_records: list[Record], problems: list[Problem]) -> None:
    """Every id in a fact's 'rank_evidence' names another fact."""
    known = _fact_ids(fact_records)
    for fact in facts:
        for other in fact.rank_evidence:
            if other not in known or other == fact.id:
                problems.append(
                    Problem(
                        fact.file,
                        fact.line,
                        f"rank_evidence names '{other}', which is not another fact",
                        "use the id of a fact record" + suggest(other, sorted(i for i in known if isinstance(i, str))),
                    )
                )


def _entity_ref(rec: Record, key: str, ref: str | None, entities: dict[str, Entity], problems: list[Problem]) -> Entity | None:
    if ref is None:
        return None
    entity = entities.get(ref)
    if entity is None:
        problems.append(
            rec.problem(
                key, f"unknown entity id '{ref}'", "define it in seeds/facts/entities.yaml or correct the id" + suggest(ref, list(entities))
            )
        )
    return entity


def _document_ref(rec: Record, key: str, ref: str, documents: dict[str, Document], problems: list[Problem]) -> Document | None:
    """The document a record names, or a problem saying it is unknown."""
    doc = documents.get(ref)
    if doc is None:
        fix = "use an id from seeds/documents/documents.yaml" + suggest(ref, list(documents))
        problems.append(rec.problem(key, f"unknown document '{ref}'", fix))
    return doc


def _object_or_value(rec: Record, relation: Property | None, schema: Schema, entities: dict[str, Entity], problems: list[Problem]):
    obj = _str(rec, "object", [])
    value = _str(rec, "value", [])
    for key in ("object", "value"):
        if key in rec.values and not isinstance(rec.values[key], (str, type(None))):
            problems.append(rec.problem(key, f"'{key}' must be a single text value", f"write '{key}: ...' on one line"))
            return None, None, None
    if obj is not None and value is not None:
        problems.append(rec.problem("value", "a fact has both 'object' and 'value'", "keep 'object' for an entity, 'value' for a literal"))
        return None, None, None
    if relation is None:
        return obj, value, None
    if relation.is_object:
        if obj is None:
            hint = "use 'object:' with an entity id" if value is not None else "add 'object:' with an entity id"
            problems.append(
                rec.problem(
                    "value" if value is not None else None,
                    f"relation '{relation.name}' links to an entity but the fact has no 'object'",
                    hint,
                )
            )
            return None, None, None
        if obj in schema.concepts:
            _check_concept(rec, "object", obj, f"'{relation.name}'", relation.range, schema, problems)
            return obj, None, None
        entity = _entity_ref(rec, "object", obj, entities, problems)
        if entity and not schema.fits(frozenset({entity.type_iri}), relation.range):
            problems.append(
                rec.problem(
                    "object",
                    f"'{relation.name}' does not fit object '{entity.id}', a {entity.type}: its object must be a {schema.describe(relation.range)}",
                    "change the relation or the object, or the entity's type if it is wrong",
                )
            )
        return obj, None, None
    if value is None:
        hint = "use 'value:' for this relation, which takes a literal" if obj is not None else "add 'value:'"
        problems.append(
            rec.problem(
                "object" if obj is not None else None, f"relation '{relation.name}' takes a literal but the fact has no 'value'", hint
            )
        )
        return None, None, None
    if relation.name in DATE_VALUED:
        try:
            return None, value, parse_time(value)
        except ValueError as err:
            problems.append(
                rec.problem(
                    "value",
                    f"bad date value: {err}",
                    "write YYYY, YYYY-MM or YYYY-MM-DD (or a decade such as 1990s, or a range such as 1988..1994)",
                )
            )
            return None, None, None
    message = _literal_problem(value, relation.datatype)
    if message:
        problems.append(rec.problem("value", f"value {value!r} of '{relation.name}' {message}", "correct the value"))
        return None, None, None
    return None, value, None


def _literal_problem(value: str, datatype) -> str | None:
    if datatype == XSD_INTEGER:
        # ASCII digits only: str.isdigit() also takes '１００' and '²'.
        return None if re.fullmatch(r"-?[0-9]+", value) else "is not a whole number (write digits only, e.g. 100000)"
    if datatype == XSD_BOOLEAN:
        return None if value in ("true", "false") else "is not 'true' or 'false'"
    return None


def _times(rec: Record, problems: list[Problem]) -> dict[str, TimeValue]:
    times: dict[str, TimeValue] = {}
    for key, prop in TIME_KEYS.items():
        value = time_field(rec, key, _str(rec, key, problems), problems)
        if value is not None:
            times[prop] = value
    if "pointInTime" in times and ("startTime" in times or "endTime" in times):
        problems.append(
            rec.problem("date", "a fact has both 'date' and 'start'/'end'", "use 'date' for a moment, 'start'/'end' for a period")
        )
    start, end = times.get("startTime"), times.get("endTime")
    if start and end and end.latest < start.earliest:
        problems.append(rec.problem("end", f"end {end.text} is before start {start.text}", "swap or correct the dates"))
    return times


def _check_concept(
    rec: Record, key: str, value: str, what: str, allowed: frozenset[URIRef], schema: Schema, problems: list[Problem]
) -> bool:
    """False, with a problem naming the concepts that fit, when concept ``value`` is outside the range ``allowed`` of ``what``."""
    if schema.fits(schema.concepts[value][1], allowed):
        return True
    problems.append(
        rec.problem(
            key,
            f"concept '{value}' does not fit {what}, which takes a {schema.describe(allowed)}",
            f"use one of: {schema.concepts_fitting(allowed)}",
        )
    )
    return False


def _qualifiers(rec: Record, schema: Schema, entities: dict[str, Entity], problems: list[Problem]) -> dict[str, tuple[Property, str]]:
    raw = rec.values.get("qualifiers")
    if raw is None:
        return {}
    if not isinstance(raw, Record):
        problems.append(rec.problem("qualifiers", "'qualifiers' must be a mapping", "write one 'name: value' per line under 'qualifiers:'"))
        return {}
    raw.file = rec.file
    out: dict[str, tuple[Property, str]] = {}
    problems += check_keys(raw, {name: False for name in schema.qualifiers}, "qualifiers")
    for name, value in raw.values.items():
        prop = schema.qualifiers.get(name)
        if prop is None:
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(raw.problem(name, f"qualifier '{name}' needs a single text value", f"write '{name}: ...'"))
            continue
        value = value.strip()
        if prop.is_object and value in schema.concepts:
            if not _check_concept(raw, name, value, f"qualifier '{name}'", prop.range, schema, problems):
                continue
        elif prop.is_object:
            entity = _entity_ref(raw, name, value, entities, problems)
            if entity and not schema.fits(frozenset({entity.type_iri}), prop.range):
                problems.append(
                    raw.problem(
                        name,
                        f"qualifier '{name}' takes a {schema.describe(prop.range)}, but '{value}' is a {entity.type}",
                        "point it at an entity of the right type",
                    )
                )
        else:
            message = _literal_problem(value, prop.datatype)
            if message:
                problems.append(raw.problem(name, f"qualifier '{name}' value {value!r} {message}", "correct the value"))
                continue
        out[name] = (prop, value)
    return out
