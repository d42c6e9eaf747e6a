"""Serving the graph over HTTP."""
