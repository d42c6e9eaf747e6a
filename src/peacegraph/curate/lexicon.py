"""Trigger words, read from the ontology's ``pg:trigger`` annotations on relations and agreement statuses."""

from __future__ import annotations

from dataclasses import dataclass, field

from peacegraph.curate.gazetteer import fold
from peacegraph.load.schema import Schema


@dataclass
class Lexicon:
    """Trigger phrase -> the relations (and agreement statuses, as 'status:<concept>') it suggests."""

    phrases: dict[str, list[str]] = field(default_factory=dict)
    distinct: dict[str, float] = field(default_factory=dict)  # phrase -> its specificity

    @classmethod
    def from_schema(cls, schema: Schema) -> Lexicon:
        from rdflib import URIRef

        from peacegraph.namespaces import PG_IRI, PGC_IRI

        trigger = URIRef(PG_IRI + "trigger")
        phrases: dict[str, list[str]] = {}
        for name, prop in sorted(schema.relations.items()):
            for word in sorted(str(w) for w in schema.graph.objects(prop.iri, trigger)):
                phrases.setdefault(fold(word).lower(), []).append(name)
        for concept_id, (iri, _) in sorted(schema.concepts.items()):
            if str(iri).startswith(PGC_IRI):
                for word in sorted(str(w) for w in schema.graph.objects(iri, trigger)):
                    phrases.setdefault(fold(word).lower(), []).append("status:" + concept_id)
        from rdflib import RDFS

        distinct = {}
        for phrase, names in phrases.items():
            props = {n: schema.relations[n].iri for n in names if n in schema.relations}
            supers = {
                n for n, iri in props.items() if any((o, RDFS.subPropertyOf, iri) in schema.graph for o in props.values() if o != iri)
            }
            distinct[phrase] = 1.0 / (len(names) - len(supers)) ** 0.5
        return cls(phrases, distinct)

    def specificity(self, phrase: str) -> float:
        """1 for a phrase only one relation lists, less the more relations share it (a relation and its
        super-property count once: "stated" for commentsOn and hasStanceOn says one thing, more or less precisely)."""
        return 1.0 / len(self.phrases[phrase]) ** 0.5 if phrase not in self.distinct else self.distinct[phrase]
