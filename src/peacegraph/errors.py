"""The errors peacegraph raises. Each message says what is wrong and how to fix it.

Exit-code contract of the CLI (pySHACL's): 0 ok, 1 validation failed, 2 input
or usage error. ``exit_code`` on each class carries it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a curated input file, located by file and line."""

    file: str
    line: int
    message: str
    fix: str = ""

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}: {self.message}"
        return f"{text}; {self.fix}" if self.fix else text


class PeacegraphError(Exception):
    """Base of every error peacegraph raises on purpose."""

    exit_code = 2


class SeedError(PeacegraphError, ValueError):
    """Curated input (documents, entities, facts) has problems; all are listed.

    >>> err = SeedError([Problem("seeds/facts/d000.yaml", 3, "unknown key 'sourse'", "use 'source'")])
    >>> print(err)
    1 problem in the seed files:
    seeds/facts/d000.yaml:3: unknown key 'sourse'; use 'source'
    """

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the seed files:"
        super().__init__("\n".join([head, *map(str, self.problems)]))


class OntologyError(PeacegraphError):
    """The ontology or shapes file cannot be read or lacks what the loader needs."""


class ValidationError(PeacegraphError):
    """The built graph does not conform to the shapes or is inconsistent."""

    exit_code = 1


class QueryError(PeacegraphError, ValueError):
    """A query file, parameter or SPARQL text is wrong."""


class GraphMissingError(PeacegraphError, FileNotFoundError):
    """graph/ has not been built yet."""
