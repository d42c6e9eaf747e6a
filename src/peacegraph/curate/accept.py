"""Accepting a reviewed draft: its records move into seeds/facts/ only if every one passes the loader's checks.

The draft file is split by its top-level lists: ``facts`` go to
``seeds/facts/dNNN.yaml``; ``entities``, ``aliases``, ``justified`` and
``disagreements`` to ``seeds/facts/dNNN-extra.yaml`` (the convention of the
curated documents, so that curators of different documents never edit one
file). The ``candidate:`` mapping of each record is cut out as text, so the
curator's own comments and layout survive; ``mentions`` and ``no_candidate``
are for reading and are dropped. The result is loaded with ``load_curation``
on a temporary copy of the seeds, then checked as the build checks it (SHACL
shapes and the quality rules; the OWL reasoner, which needs Java and takes
longest, is left to ``peacegraph check``); any problem is reported against
the draft's own lines (``seeds/drafts/dNNN.yaml:LINE: what; fix``; exit 2 for
the loader's problems, 1 for a failed check) and nothing is moved.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from peacegraph import paths
from peacegraph.curate.ingest import atomic_write
from peacegraph.errors import PeacegraphError, Problem, SeedError, ValidationError
from peacegraph.load.documents import display_path
from peacegraph.load.yamlsource import Record, Seq, check_keys, read_yaml

#: Top-level list of a draft -> the file it moves to ("" : the document's fact file, "-extra": its extra file, None: dropped).
SECTIONS = {
    "entities": "-extra",
    "aliases": "-extra",
    "justified": "-extra",
    "disagreements": "-extra",
    "facts": "",
    "mentions": None,
    "no_candidate": None,
}
#: The key that marks a record as an unreviewed candidate; accept removes it.
CANDIDATE_KEY = "candidate"


@dataclass
class Accepted:
    doc_id: str
    written: list[Path]
    counts: dict[str, int]
    draft_removed: Path


@dataclass
class _Output:
    lines: list[str]
    origin: list[int]  # draft line number of each output line (0: a header line the tool wrote)


def accept(doc_id: str, seeds_dir: Path | None = None) -> Accepted:
    """Move the reviewed records of ``seeds/drafts/<doc_id>.yaml`` into seeds/facts/; raise with every problem, moving nothing."""
    where = paths.seed_paths(seeds_dir)
    draft_path = where.drafts / f"{doc_id}.yaml"
    shown = display_path(draft_path)
    if not draft_path.is_file():
        raise PeacegraphError(f"there is no draft {shown}; run 'peacegraph draft {doc_id}' first")
    targets = {suffix: where.facts / f"{doc_id}{suffix}.yaml" for suffix in ("", "-extra")}
    for target in targets.values():
        if target.exists():
            raise PeacegraphError(
                f"{display_path(target)} already exists; accept writes new files only: merge the draft into it by hand, or move it away and accept again"
            )
    tree, problems = read_yaml(draft_path, shown)
    if problems:
        raise SeedError(problems)
    if not isinstance(tree, Record):
        raise SeedError([Problem(shown, 1, "the draft is not a mapping of lists", "start it with 'facts:' (see seeds/facts/README.md)")])
    problems = check_keys(tree, {key: False for key in SECTIONS}, "draft")
    if problems:
        raise SeedError(problems)
    text_lines = draft_path.read_text(encoding="utf-8").splitlines()
    outputs, counts = _split(tree, text_lines, doc_id, shown)
    written = {suffix: out for suffix, out in outputs.items() if any(o for o in out.origin)}
    if not written:
        raise PeacegraphError(f"{shown} has no records left to accept; add facts to it, or delete it")
    _check(where, doc_id, written, targets, shown)
    for suffix, out in written.items():
        atomic_write(targets[suffix], ("\n".join(out.lines) + "\n").encode("utf-8"))
    draft_path.unlink()
    return Accepted(doc_id, [targets[s] for s in written], counts, draft_path)


def _split(tree: Record, text_lines: list[str], doc_id: str, shown: str) -> tuple[dict[str, _Output], dict[str, int]]:
    """Cut the draft's text into the two output files, without the candidate blocks, remembering each line's origin."""
    starts = sorted((line, key) for key, line in tree.lines.items())
    cut: set[int] = set()  # 1-based draft lines to leave out
    counts: dict[str, int] = {}
    for key, value in tree.values.items():
        items = value.items if isinstance(value, Seq) else []
        counts[key] = len(items)
        for item in items:
            if isinstance(item, Record) and CANDIDATE_KEY in item.values:
                cut |= _block(text_lines, item.lines[CANDIDATE_KEY])
    outputs = {
        "": _Output([f"# Facts from {doc_id}, accepted from {shown}."], [0]),
        "-extra": _Output(
            [f"# Entities, alias records, justified sentences and disagreements found in {doc_id}, accepted from {shown}."], [0]
        ),
    }
    for index, (line, key) in enumerate(starts):
        suffix = SECTIONS.get(key)
        if suffix is None:
            continue
        end = starts[index + 1][0] - 1 if index + 1 < len(starts) else len(text_lines)
        out = outputs[suffix]
        for number in range(line, end + 1):
            if number not in cut:
                out.lines.append(text_lines[number - 1])
                out.origin.append(number)
    for out in outputs.values():
        while len(out.lines) > 1 and (not out.lines[-1].strip() or out.lines[-1].lstrip().startswith("#")):
            out.lines.pop()
            out.origin.pop()
        if len(out.lines) == 1:
            out.origin[0] = 0
    return outputs, {k: v for k, v in counts.items() if SECTIONS.get(k) is not None}


def _block(text_lines: list[str], key_line: int) -> set[int]:
    """The line of a ``candidate:`` key and every following line indented deeper (1-based numbers)."""
    first = text_lines[key_line - 1]
    indent = len(first) - len(first.lstrip())
    block = {key_line}
    number = key_line + 1
    while number <= len(text_lines):
        line = text_lines[number - 1]
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        block.add(number)
        number += 1
    # Keep a blank line that separates records.
    while number - 1 in block and not text_lines[number - 2].strip():
        block.discard(number - 1)
        number -= 1
    return block


def _check(where: paths.SeedPaths, doc_id: str, written: dict[str, _Output], targets: dict[str, Path], shown: str) -> None:
    """Load the seeds with the accepted files added, in a temporary copy; raise SeedError with the draft's lines."""
    from peacegraph.load.loader import load_curation

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        shutil.copytree(where.documents, root / "documents")
        shutil.copytree(where.facts, root / "facts")
        trial_paths: dict[str, tuple[Path, _Output]] = {}
        for suffix, out in written.items():
            trial = root / "facts" / targets[suffix].name
            trial.write_text("\n".join(out.lines) + "\n", encoding="utf-8")
            trial_paths[display_path(trial)] = (trial, out)
        try:
            load_curation(root / "facts", root / "documents" / "documents.yaml")
            _build_checks(root, where, trial_paths, shown)
        except SeedError as err:
            mapped = []
            for problem in err.problems:
                if problem.file in trial_paths:
                    out = trial_paths[problem.file][1]
                    line = out.origin[problem.line - 1] if 0 < problem.line <= len(out.origin) else 0
                    mapped.append(Problem(shown, line or 1, problem.message, problem.fix))
                else:
                    file = problem.file
                    for original, sub in (("facts", where.facts), ("documents", where.documents)):
                        prefix = display_path(root / original)
                        if file.startswith(prefix):
                            file = display_path(sub) + file[len(prefix) :]
                    mapped.append(Problem(file, problem.line, problem.message, problem.fix))
            raise SeedError(mapped) from None


def _build_checks(root: Path, where: paths.SeedPaths, trial_paths: dict[str, tuple[Path, _Output]], shown: str) -> None:
    """SHACL and the quality rules, as the build runs them (the OWL reasoner aside), on the trial seeds."""
    from peacegraph.build import Inputs, check, failure_text

    report = check(Inputs(facts_dir=root / "facts", documents_path=root / "documents" / "documents.yaml"), reason=False)
    if report.ok:
        return
    text = failure_text(report).replace("graph/ was left as it was.", "Nothing was moved.")
    # The quality rules name graph nodes; say where each one named is written.
    known = report.curation.where()
    named = dict.fromkeys(m.group(2) for m in re.finditer(r"\b(stmt|ent):([a-z0-9][a-z0-9-]*)", text))
    places = [f"  {node} is at {known[node]}" for node in named if node in known]
    if places:
        text = text.replace("Nothing was moved.", "\n".join(["Where these records are:", *places, "Nothing was moved."]))
    for trial, (_, out) in trial_paths.items():
        text = re.sub(
            re.escape(trial) + r":(\d+)",
            lambda m, out=out: f"{shown}:{out.origin[int(m.group(1)) - 1] if int(m.group(1)) <= len(out.origin) else 1}",
            text,
        )
    for original, sub in (("facts", where.facts), ("documents", where.documents)):
        text = text.replace(display_path(root / original), display_path(sub))
    raise ValidationError(f"the accepted records would fail the build's checks:\n{text}")
