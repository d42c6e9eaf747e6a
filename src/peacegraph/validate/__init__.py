"""Stage 2, validate: SHACL shapes and the SPARQL quality rules on the built graph."""
