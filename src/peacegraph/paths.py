"""Every path peacegraph reads or writes; no other module builds one by hand."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple


def _root() -> Path:
    # An editable install (pip install -e .) runs from the checkout; elsewhere
    # PEACEGRAPH_HOME or the current folder must hold seeds/ and ontology/.
    if "PEACEGRAPH_HOME" in os.environ:
        return Path(os.environ["PEACEGRAPH_HOME"]).resolve()
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "ontology").is_dir():
        return checkout
    return Path.cwd()


#: The repository root (the folder holding pyproject.toml, seeds/ and ontology/).
ROOT = _root()
#: Curated inputs: documents and facts.
SEEDS_DIR = ROOT / "seeds"
#: The five source articles, byte for byte, and their metadata.
DOCUMENTS_DIR = SEEDS_DIR / "documents"
#: Metadata of the source articles (one YAML file).
DOCUMENTS_METADATA_PATH = DOCUMENTS_DIR / "documents.yaml"
#: Curated entity and fact records (*.yaml).
FACTS_DIR = SEEDS_DIR / "facts"
#: Entity-level mappings to Wikidata (an SSSOM table), beside the facts they map.
ENTITY_MAPPINGS_FILE_NAME = "entities.sssom.tsv"
#: Drafted fact files awaiting a curator's review (`peacegraph draft`); the build never reads them.
DRAFTS_DIR = SEEDS_DIR / "drafts"
#: The OWL ontology in Turtle.
ONTOLOGY_PATH = ROOT / "ontology" / "peacegraph.ttl"
#: The SHACL shapes the built graph must conform to.
SHAPES_PATH = ROOT / "ontology" / "shapes.ttl"
#: Where the build writes its output.
GRAPH_DIR = ROOT / "graph"
#: Canned SPARQL questions (*.rq with grlc-style headers).
QUERIES_DIR = ROOT / "queries"
#: Internal lookups the query path runs (resolving a label to an entity).
LOOKUP_DIR = QUERIES_DIR / "lookup"
#: Quality rules: SPARQL queries that must return no rows.
QC_DIR = QUERIES_DIR / "qc"
#: Generated ontology documentation.
DOCS_DIR = ROOT / "docs"
#: Graph views: CONSTRUCT queries that slice the graph for export.
VIEWS_DIR = QUERIES_DIR / "views"
#: The queries the web pages are rendered from (peacegraph serve, peacegraph site).
WEB_QUERIES_DIR = QUERIES_DIR / "web"

#: Data and provenance, without the ontology.
DATA_FILE_NAME = "peacegraph-data.ttl"
#: Ontology plus data: the one file to load into Protégé, Fuseki, GraphDB or Oxigraph.
FULL_FILE_NAME = "peacegraph.ttl"
#: The same graph as FULL_FILE_NAME in N-Triples: what owlready2 reads (its own Turtle parser fails on large files).
FULL_NTRIPLES_FILE_NAME = "peacegraph.nt"
#: Triples the OWL reasoner inferred, kept apart from what the seeds assert.
INFERRED_FILE_NAME = "peacegraph-inferred.ttl"
#: Where the lock lived inside graph/ before it moved beside it (a leftover is dropped by the next build).
LOCK_FILE_NAME = ".build.lock"


def graph_file(graph_dir: Path | None = None, name: str = FULL_FILE_NAME) -> Path:
    """The path of one output file in ``graph_dir`` (default: ``GRAPH_DIR``)."""
    return (graph_dir or GRAPH_DIR) / name


def lock_file(graph_dir: Path | None = None) -> Path:
    """The lock held while a build writes ``graph_dir``: beside it (``.graph.lock``), so it survives the folder's swap."""
    folder = graph_dir or GRAPH_DIR
    return folder.parent / f".{folder.name}.lock"


def generation_dir(graph_dir: Path, kind: str, pid: int) -> Path:
    """A build's folder beside ``graph_dir``: ``.graph.new-<pid>`` (being written) or ``.graph.old-<pid>`` (set aside)."""
    return graph_dir.parent / f".{graph_dir.name}.{kind}-{pid}"


def entity_mappings_path(facts_dir: Path | None = None) -> Path:
    """The SSSOM mapping file of the seeds whose facts are in ``facts_dir``: <seeds>/mappings/entities.sssom.tsv."""
    return (facts_dir or FACTS_DIR).parent / "mappings" / ENTITY_MAPPINGS_FILE_NAME


class SeedPaths(NamedTuple):
    """Where one seeds folder keeps each thing (the repository's, or one given with --seeds)."""

    seeds: Path
    documents: Path
    documents_metadata: Path
    facts: Path
    drafts: Path

    @property
    def tree(self) -> Path:
        """The working tree the seeds belong to: the folder holding seeds/."""
        return self.seeds.parent


def seed_paths(seeds_dir: Path | None = None) -> SeedPaths:
    """The layout of ``seeds_dir`` (default: the repository's seeds/).

    >>> seed_paths(Path("/tmp/x/seeds")).drafts.as_posix()
    '/tmp/x/seeds/drafts'
    """
    if seeds_dir is None:
        return SeedPaths(SEEDS_DIR, DOCUMENTS_DIR, DOCUMENTS_METADATA_PATH, FACTS_DIR, DRAFTS_DIR)
    documents = seeds_dir / "documents"
    return SeedPaths(seeds_dir, documents, documents / "documents.yaml", seeds_dir / "facts", seeds_dir / "drafts")
