"""Synthetic corpora: the seeds copied N times under new ids, every quote still verbatim.

Copy k (k >= 1) renames every entity, fact, disagreement and document id with
a ``-c<k>`` suffix, suffixes every label with `` (copy k)`` (labels must stay
unique), copies each document's text byte for byte under a new file name, and
rewrites every reference (subjects, objects, qualifier values, rank evidence,
alias records, document authors and publishers). Concept ids (``status-...``,
``role-...``) are the ontology's and stay as they are. Copy 0 is the seeds.

Usage: python3 benchmarks/corpus.py N OUT_DIR
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml

from peacegraph import paths


def _load(path: Path):
    # BaseLoader keeps every scalar a string, as the peacegraph loader reads them.
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


class _NoAliases(yaml.SafeDumper):
    """Writes a value shared by two records out twice: seed files refuse YAML anchors and aliases."""

    def ignore_aliases(self, data) -> bool:
        return True


def _dump(data, path: Path) -> None:
    path.write_text(yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=100000), encoding="utf-8")


def make_corpus(copies: int, out: Path, seeds: Path | None = None) -> Path:
    """Write seeds copied ``copies`` times (1 = the seeds themselves) into ``out``; return ``out``."""
    seeds = seeds or paths.SEEDS_DIR
    documents_in, facts_in = seeds / "documents", seeds / "facts"
    documents_out, facts_out = out / "documents", out / "facts"
    documents_out.mkdir(parents=True, exist_ok=True)
    facts_out.mkdir(parents=True, exist_ok=True)
    meta = _load(documents_in / "documents.yaml")
    files = {name: _load(path) for name, path in ((p.name, p) for p in sorted(facts_in.glob("*.yaml")))}
    entity_ids = {e["id"] for tree in files.values() for e in (tree or {}).get("entities", [])}
    doc_ids = {d["id"] for d in meta["documents"]}

    def rename(value: str, k: int, known: set[str]) -> str:
        return f"{value}-c{k}" if k and value in known else value

    all_documents = []
    # One fact file per copy (d003.yaml, d003-c1.yaml ...), as a growing corpus has one per article:
    # a single file would pass the loader's size limit (10 MB) at 300 copies.
    out_files: dict[str, dict] = {}
    for k in range(copies):
        for doc in meta["documents"]:
            new = dict(doc)
            new["id"] = rename(doc["id"], k, doc_ids)
            if k:
                stem, dot, ext = doc["file"].rpartition(".")
                new["file"] = f"{stem}-c{k}.{ext}"
                new["title"] = f"{doc['title']} (copy {k})"
            shutil.copyfile(documents_in / doc["file"], documents_out / new["file"])
            for key in ("author", "editor", "publisher"):
                if key in new:
                    new[key] = rename(new[key], k, entity_ids)
            all_documents.append(new)
        fact_ids = {f["id"] for tree in files.values() for f in (tree or {}).get("facts", [])}
        for name, tree in files.items():
            stem, _, ext = name.rpartition(".")
            for section, records in (tree or {}).items():
                bucket = out_files.setdefault(f"{stem}-c{k}.{ext}" if k else name, {}).setdefault(section, [])
                for record in records:
                    bucket.append(_copy_record(section, record, k, rename, entity_ids, doc_ids, fact_ids))
    _dump({"documents": all_documents}, documents_out / "documents.yaml")
    for name, tree in out_files.items():
        _dump(tree, facts_out / name)
    return out


def _copy_record(section: str, record: dict, k: int, rename, entity_ids: set[str], doc_ids: set[str], fact_ids: set[str]) -> dict:
    new = dict(record)
    if section == "entities":
        new["id"] = rename(record["id"], k, entity_ids)
        if k:
            new["label"] = f"{record['label']} (copy {k})"
        if "aliases" in record:
            new["aliases"] = [_alias(a, k, rename, doc_ids) for a in record["aliases"]]
    elif section == "facts":
        new["id"] = rename(record["id"], k, fact_ids)
        for key in ("subject", "object"):
            if key in record:
                new[key] = rename(record[key], k, entity_ids)
        new["source"] = rename(record["source"], k, doc_ids)
        if "qualifiers" in record:
            new["qualifiers"] = {q: rename(v, k, entity_ids) for q, v in record["qualifiers"].items()}
        if "rank_evidence" in record:
            new["rank_evidence"] = [rename(f, k, fact_ids) for f in record["rank_evidence"]]
    elif section == "disagreements":
        new["id"] = f"{record['id']}-c{k}" if k else record["id"]
        new["about"] = rename(record["about"], k, entity_ids)
        new["statements"] = [rename(f, k, fact_ids) for f in record["statements"]]
    elif section == "aliases":
        new["entity"] = rename(record["entity"], k, entity_ids)
        new = _alias(new, k, rename, doc_ids)
    elif section == "justified":
        new["source"] = rename(record["source"], k, doc_ids)
    return new


def _alias(alias, k: int, rename, doc_ids: set[str]):
    if isinstance(alias, dict) and "source" in alias:
        return {**alias, "source": rename(alias["source"], k, doc_ids)}
    return alias


if __name__ == "__main__":
    make_corpus(int(sys.argv[1]), Path(sys.argv[2]))
