"""Curators' tools: coverage of the source documents by the facts."""
