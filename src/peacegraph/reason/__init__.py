"""Stage 3, reason: OWL consistency and the inferences the graph publishes."""
