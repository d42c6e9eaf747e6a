"""Asking questions: the embedded and remote SPARQL engines, canned questions and result formats.

This package is on the query path: it must not import rdflib, pyshacl or owlready2.
"""
