"""Stage 1, load: seed files (documents, entities, facts) read, checked against the ontology and turned into RDF."""
