"""Taking in a new source article: its text written byte for byte into seeds/documents/, its record appended to documents.yaml.

A plain-text file is taken as it is (its bytes are the document). A saved web
page is reduced to its article text by trafilatura (Apache-2.0; a maintained
extractor with published evaluations on news pages, which also reads the
page's metadata), and the title, author, publisher, date and address are read
from the page's own metadata (OpenGraph, ``citation_*`` and schema.org
JSON-LD tags, ``<title>``, ``<time>``), each reported with where it came from.
Options given by the curator win over anything inferred.

Refused, with a one-line message saying what to do and nothing written: a
file outside the working tree, a binary file, an empty or near-empty text, a
page with no article in it, a text not in English (py3langid), and a text
that is already a document (same SHA-256) or nearly the same as one (most of
its five-word sequences are in it).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from peacegraph import paths
from peacegraph.curate.render import scalar
from peacegraph.errors import PeacegraphError
from peacegraph.load.dates import parse_time
from peacegraph.load.documents import display_path, load_documents

#: Fewer words than this is no article (a cookie wall, an index page, a stub).
MIN_WORDS = 100
#: A text sharing at least this share of its five-word sequences with a document is a near duplicate of it.
NEAR_DUPLICATE = 0.8
#: Suffixes read as HTML (anything else whose first bytes look like HTML is too).
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
_FILE_NAME = re.compile(r"^(\d{3})_[0-9a-f]{16}\.txt$")


class IngestError(PeacegraphError):
    """A file that cannot become a document; the message says what to do (exit 2)."""


@dataclass
class Added:
    """What add_document wrote and worked out."""

    doc_id: str
    text_path: Path
    record: str  # the YAML appended to documents.yaml
    words: int
    inferred: list[str] = field(default_factory=list)  # "title: ... (from og:title)"
    notes: list[str] = field(default_factory=list)  # things the curator should still do


@dataclass
class PageMeta:
    """Metadata found in a page: field -> (value, where it was found)."""

    found: dict[str, tuple[str, str]] = field(default_factory=dict)

    def put(self, key: str, value: str | None, where: str) -> None:
        value = (value or "").strip()
        if value and key not in self.found:
            self.found[key] = (re.sub(r"\s+", " ", value), where)


def add_document(
    path: Path,
    seeds_dir: Path | None = None,
    *,
    title: str | None = None,
    author: str | None = None,
    publisher: str | None = None,
    published: str | None = None,
    url: str | None = None,
) -> Added:
    """Check ``path``, write its text and metadata into the seeds; raise ``IngestError`` (nothing written) if it cannot be taken."""
    where = paths.seed_paths(seeds_dir)
    source = _inside_tree(path, where.tree)
    raw = source.read_bytes()
    shown = display_path(source)
    if not raw.strip():
        raise IngestError(f"{shown} is empty; save the article's text (or its web page) into it and run add-document again")
    _refuse_binary(raw, shown)
    meta = PageMeta()
    if _is_html(source, raw):
        text, meta = _extract(raw, shown)
        data = text.encode("utf-8")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise IngestError(f"{shown} is not UTF-8 text (byte {err.start}); save it as UTF-8, or save the web page as .html") from err
        data = raw
    words = len(re.findall(r"\w+", text))
    if words < MIN_WORDS:
        raise IngestError(
            f"{shown} has only {words} words of text, too few for an article; save the full article (or paste its text into a .txt file)"
        )
    _refuse_other_language(text, shown)
    documents, problems = load_documents(where.documents_metadata)
    if problems:
        raise IngestError(f"{display_path(where.documents_metadata)} has problems ({problems[0]}); fix them first (peacegraph check)")
    _refuse_duplicate(data, text, documents, shown)

    added_id, number = _next_id(documents, where.documents)
    digest = hashlib.sha256(data).hexdigest()
    file_name = f"{number:03d}_{digest[:16]}.txt"
    record, inferred, notes = _record(added_id, file_name, text, meta, documents, where, title, author, publisher, published, url, shown)
    _write(where, file_name, data, record)
    return Added(added_id, where.documents / file_name, record, words, inferred, notes)


# -- checks ---------------------------------------------------------------------------------------


def _inside_tree(path: Path, tree: Path) -> Path:
    resolved = path.expanduser().resolve()
    try:
        resolved.relative_to(tree.resolve())
    except ValueError:
        raise IngestError(
            f"{path} is outside the working tree {tree.resolve()}; copy it into the working tree (for example {tree.resolve() / 'inbox'}) and run add-document on the copy"
        ) from None
    if not resolved.is_file():
        raise IngestError(f"{path} is not a file; give the path of a saved article (.txt or .html)")
    return resolved


def _refuse_binary(raw: bytes, shown: str) -> None:
    head = raw[:8192]
    kinds = {
        b"%PDF": "a PDF",
        b"PK\x03\x04": "a ZIP or Office file",
        b"\x89PNG": "a PNG image",
        b"\xff\xd8\xff": "a JPEG image",
        b"GIF8": "a GIF image",
    }
    kind = next((name for magic, name in kinds.items() if head.startswith(magic)), None)
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if kind or b"\x00" in head or controls > len(head) // 100:
        raise IngestError(
            f"{shown} is {kind or 'a binary file'}, not text or HTML; save the article as a .txt (UTF-8) or .html file and add that"
        )


def _is_html(source: Path, raw: bytes) -> bool:
    if source.suffix.lower() in HTML_SUFFIXES:
        return True
    head = raw[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def _refuse_other_language(text: str, shown: str) -> None:
    import py3langid

    language, _ = py3langid.classify(text)
    if language != "en":
        try:
            import langcodes

            name = langcodes.Language.get(language).display_name()
        except Exception:  # langcodes is optional: fall back to the code
            name = language
        raise IngestError(
            f"{shown} is in {name} ('{language}'), not English; peacegraph curates English sources: add an English version of the article"
        )


def _shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(max(0, len(words) - n + 1))}


def _refuse_duplicate(data: bytes, text: str, documents: dict, shown: str) -> None:
    digest = hashlib.sha256(data).hexdigest()
    mine = _shingles(text)
    for doc in documents.values():
        if doc.sha256 == digest:
            raise IngestError(f"{shown} is already document {doc.id} ({doc.file}, same SHA-256); nothing to add")
        theirs = _shingles(doc.text)
        if mine and theirs:
            shared = len(mine & theirs) / min(len(mine), len(theirs))
            if shared >= NEAR_DUPLICATE:
                raise IngestError(
                    f"{shown} is nearly the same text as document {doc.id} ({doc.file}: {shared:.0%} of the five-word sequences of the shorter"
                    f" text are in the other); if it is a new version, correct {doc.id} instead of adding a copy"
                )


def _next_id(documents: dict, folder: Path) -> tuple[str, int]:
    numbers = [int(d[1:]) for d in documents if re.fullmatch(r"d\d+", d)]
    numbers += [int(m.group(1)) for p in folder.glob("*.txt") if (m := _FILE_NAME.match(p.name))]
    number = max(numbers, default=-1) + 1
    return f"d{number:03d}", number


# -- HTML -----------------------------------------------------------------------------------------


def _extract(raw: bytes, shown: str) -> tuple[str, PageMeta]:
    import trafilatura

    result = trafilatura.bare_extraction(
        raw,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    text = (result.text or "").strip() if result is not None else ""
    if not text:
        raise IngestError(
            f"{shown}: no article text found in the page; save the article's own page (not an index, search or login page), or paste its text into a .txt file"
        )
    meta = _page_meta(raw)
    if result is not None:
        meta.put("title", result.title, "trafilatura's reading of the page")
        meta.put("author", result.author, "trafilatura's reading of the page")
        meta.put("published", result.date, "htmldate's reading of the page")
        meta.put("publisher", result.sitename, "trafilatura's reading of the page")
        meta.put("url", result.url, "trafilatura's reading of the page")
    # One paragraph a line, as trafilatura gives it, and a final newline, like the other documents.
    return text + "\n", meta


def _page_meta(raw: bytes) -> PageMeta:
    """Title, author, date, publisher and address from the page's own tags, each with the tag it came from."""
    import lxml.html

    meta = PageMeta()
    try:
        tree = lxml.html.fromstring(raw)
    except Exception:  # an unparsable page still has trafilatura's reading
        return meta

    def tag(attr: str, name: str) -> str | None:
        found = tree.xpath(f"//meta[@{attr}=$n]/@content", n=name)
        return found[0] if found else None

    for key, attr, name in [
        ("title", "property", "og:title"),
        ("title", "name", "citation_title"),
        ("title", "name", "twitter:title"),
        ("author", "name", "author"),
        ("author", "name", "citation_author"),
        ("author", "property", "article:author"),
        ("published", "property", "article:published_time"),
        ("published", "name", "citation_publication_date"),
        ("published", "itemprop", "datePublished"),
        ("published", "name", "date"),
        ("publisher", "property", "og:site_name"),
        ("url", "property", "og:url"),
    ]:
        value = tag(attr, name)
        if key == "author" and value and value.startswith("http"):
            continue  # article:author is often a profile address, not a name
        meta.put(key, value, f'<meta {attr}="{name}">')
    for block in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(block)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []:
            if not isinstance(item, dict):
                continue
            meta.put("title", item.get("headline"), "JSON-LD headline")
            meta.put("published", item.get("datePublished"), "JSON-LD datePublished")
            for key, field_name in (("author", "author"), ("publisher", "publisher")):
                value = item.get(field_name)
                value = value[0] if isinstance(value, list) and value else value
                meta.put(
                    key,
                    value.get("name") if isinstance(value, dict) else value if isinstance(value, str) else None,
                    f"JSON-LD {field_name}",
                )
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    meta.put("url", canonical[0] if canonical else None, '<link rel="canonical">')
    times = tree.xpath("//time/@datetime")
    meta.put("published", times[0] if times else None, "<time datetime>")
    titles = tree.xpath("//title/text()")
    meta.put("title", titles[0] if titles else None, "<title>")
    return meta


# -- the record -----------------------------------------------------------------------------------


def _date_of(value: str) -> str | None:
    """YYYY-MM-DD, YYYY-MM or YYYY from the start of an ISO date or date-time, if it is a real date."""
    match = re.match(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    if not match:
        return None
    text = "-".join(p for p in match.groups() if p)
    try:
        parse_time(text)
    except ValueError:
        return None
    return text


def _entity_for(name: str, where: paths.SeedPaths) -> str | None:
    """The id of the entity ``name`` is (an id, a label or an alias), or None."""
    from peacegraph.load.loader import load_curation

    try:
        curation = load_curation(where.facts, where.documents_metadata)
    except PeacegraphError:
        return None
    if name in curation.entities:
        return name
    lowered = name.casefold()
    for entity in curation.entities.values():
        if lowered in {entity.label.casefold(), *(a.label.casefold() for a in entity.aliases)}:
            return entity.id
    return None


def _record(doc_id, file_name, text, meta: PageMeta, documents, where, title, author, publisher, published, url, shown):
    inferred: list[str] = []
    notes: list[str] = []
    values: dict[str, str] = {}
    if title:
        values["title"] = title.strip()
    elif "title" in meta.found:
        values["title"], origin = meta.found["title"]
        inferred.append(f"title: {values['title']!r} (from {origin})")
    else:
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        if not first or len(first) > 200:
            raise IngestError(f"{shown}: no title found; give one with --title")
        values["title"] = first
        inferred.append(f"title: {first!r} (from the first line of the text)")
    if published:
        if _date_of(published) != published.strip():
            raise IngestError(f"--published {published!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
        values["published"] = published.strip()
    elif "published" in meta.found and _date_of(meta.found["published"][0]):
        raw_date, origin = meta.found["published"]
        values["published"] = _date_of(raw_date) or ""
        values["date_inferred"] = f"Taken from the page's metadata ({origin}: {raw_date}), not printed in the text."
        inferred.append(f"published: {values['published']} (from {origin})")
    else:
        raise IngestError(f"{shown}: no publication date found; give it with --published YYYY[-MM[-DD]]")
    note_parts = []
    for key, given in (("author", author), ("publisher", publisher)):
        name, origin = (given.strip(), "given") if given else meta.found.get(key, (None, None))
        if not name:
            continue
        entity = _entity_for(name, where)
        if entity:
            values[key] = entity
            if origin != "given":
                inferred.append(f"{key}: {entity} ('{name}', from {origin})")
        else:
            note_parts.append(
                f"The {key} is named as {name!r}" + (f" ({origin})" if origin != "given" else "") + "; it is not an entity yet."
            )
            notes.append(f"{key} {name!r} is not an entity: add it to seeds/facts/{doc_id}-extra.yaml, then set '{key}:' in documents.yaml")
            if origin != "given":
                inferred.append(f"{key}: {name!r} (from {origin}; kept in the note until it is an entity)")
    address = url.strip() if url else meta.found.get("url", (None, None))[0]
    if address:
        note_parts.append(f"Source address: {address}")
        if not url:
            inferred.append(f"url: {address} (from {meta.found['url'][1]})")
    if note_parts:
        values["note"] = " ".join(note_parts)
    lines = [f"  - id: {doc_id}", f"    file: {file_name}"]
    for key in ("title", "author", "publisher", "published", "date_inferred", "note"):
        if key in values:
            lines.append(f"    {key}: {scalar(values[key])}")
    return "\n".join(lines) + "\n", inferred, notes


def _write(where: paths.SeedPaths, file_name: str, data: bytes, record: str) -> None:
    """Write the text, then the metadata, each through a temporary file; check the result first on a copy."""
    metadata = where.documents_metadata
    current = metadata.read_text(encoding="utf-8")
    updated = current + ("" if current.endswith("\n") else "\n") + "\n" + record
    with tempfile.TemporaryDirectory() as scratch:
        trial = Path(scratch) / "documents"
        shutil.copytree(where.documents, trial)
        (trial / file_name).write_bytes(data)
        (trial / metadata.name).write_text(updated, encoding="utf-8")
        _, problems = load_documents(trial / metadata.name)
        if problems:
            raise IngestError(f"the new record would not load ({problems[0]}); nothing was written")
    target = where.documents / file_name
    atomic_write(target, data)
    try:
        atomic_write(metadata, updated.encode("utf-8"))
    except OSError:
        target.unlink(missing_ok=True)
        raise


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, so a reader never sees half of it."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
