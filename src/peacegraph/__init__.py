"""peacegraph: a sourced, queryable knowledge graph of the Armenia-Azerbaijan peace process."""

__version__ = "0.1.0"
