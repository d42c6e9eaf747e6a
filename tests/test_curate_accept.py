"""peacegraph accept, and the worked example of docs/curating.md: add an article, draft it, review, accept, build checks pass."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from peacegraph import paths
from peacegraph.cli import main
from peacegraph.curate.accept import accept
from peacegraph.errors import SeedError
from peacegraph.load.loader import load_curation

FIXTURES = Path(__file__).parent / "curate"


@pytest.fixture
def drafted(tmp_path: Path) -> Path:
    """A working tree whose seeds hold the test article as d005 and its draft."""
    for part in ("documents", "facts"):
        shutil.copytree(paths.SEEDS_DIR / part, tmp_path / "seeds" / part)
    shutil.copy(FIXTURES / "article.txt", tmp_path / "article.txt")
    runner = CliRunner()
    seeds = str(tmp_path / "seeds")
    added = runner.invoke(main, ["add-document", str(tmp_path / "article.txt"), "--published", "2025-09-15", "--seeds", seeds])
    assert added.exit_code == 0, added.output
    drafted = runner.invoke(main, ["draft", "d005", "--seeds", seeds])
    assert drafted.exit_code == 0, drafted.output
    return tmp_path / "seeds"


def drop_records(text: str, marker: str) -> str:
    """The draft without the list items that contain ``marker`` (as a curator deletes a record: from '  - ' to the next item)."""
    lines = text.splitlines()
    out: list[str] = []
    item: list[str] = []
    for line in lines + [""]:
        if line.startswith("  - ") or not line.startswith("    "):
            if item and not any(marker in i for i in item):
                out += item
            item = []
        (item if line.startswith(("  - ", "    ")) else out).append(line)
    return "\n".join(out[:-1]) + "\n"


def facts_state(seeds: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((seeds / "facts").glob("*.yaml"))}


def test_worked_example(drafted):
    """The example of docs/curating.md, end to end."""
    draft_path = drafted / "drafts" / "d005.yaml"
    text = draft_path.read_text(encoding="utf-8")
    assert "subject: nikol-pashinyan\n    relation: metWith\n    object: ilham-aliyev\n    date: 2025-09-08" in text
    # Review: drop the candidates the curator disagrees with (docs/curating.md names them), keep a comment of their own.
    reviewed = text
    for misread in ("quote: Aliyev welcomed the talks and demanded that Armenia", "quote: agreement could be signed in March if"):
        shorter = drop_records(reviewed, misread)
        assert shorter.count("\n  - ") < reviewed.count("\n  - "), f"no candidate quotes '{misread}' any more"
        reviewed = shorter
    reviewed = drop_records(reviewed, "relation: commentsOn").replace(
        "    relation: metWith\n", "    # checked against the text\n    relation: metWith\n"
    )
    draft_path.write_text(reviewed, encoding="utf-8")
    result = CliRunner().invoke(main, ["accept", "d005", "--seeds", str(drafted)])
    assert result.exit_code == 0, result.output
    assert not draft_path.exists()
    facts = (drafted / "facts" / "d005.yaml").read_text(encoding="utf-8")
    extra = (drafted / "facts" / "d005-extra.yaml").read_text(encoding="utf-8")
    assert "candidate:" not in facts + extra and "confidence:" not in facts + extra
    assert "mentions:" not in facts + extra and "no_candidate:" not in facts + extra
    assert "# checked against the text" in facts and "commentsOn" not in facts
    assert "label: Eurasia Peace Institute" in extra and "label: Nakhchevan" in extra
    curation = load_curation(drafted / "facts", drafted / "documents" / "documents.yaml")
    mine = [f for f in curation.facts if f.source == "d005"]
    assert any((f.subject, f.relation.name, f.object) == ("nikol-pashinyan", "metWith", "ilham-aliyev") for f in mine)
    assert "Nakhchevan" in [a.label for a in curation.entities["nakhchivan"].aliases]
    # accept ran the build's checks (SHACL, quality rules) on the result; coverage now counts d005.
    coverage = CliRunner().invoke(main, ["coverage", "--seeds", str(drafted), "--quiet", "--min", "0"])
    assert "d005" in coverage.output


def test_a_broken_record_is_reported_at_its_draft_line_and_nothing_moves(drafted):
    draft_path = drafted / "drafts" / "d005.yaml"
    lines = draft_path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line == "    relation: metWith")
    lines[index] = "    relation: metwith"
    object_index = next(i for i, line in enumerate(lines) if line.startswith("    object: ") and i > index + 2)
    lines[object_index] = "    object: nobody-known"
    draft_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = facts_state(drafted)
    with pytest.raises(SeedError) as caught:
        accept("d005", drafted)
    shown = {(p.line, p.message.split(";")[0]) for p in caught.value.problems}
    assert (index + 1, "unknown relation 'metwith'") in shown
    assert (object_index + 1, "unknown entity id 'nobody-known'") in shown
    assert all(p.file.endswith("seeds/drafts/d005.yaml") for p in caught.value.problems)
    assert facts_state(drafted) == before and draft_path.exists()
    result = CliRunner().invoke(main, ["accept", "d005", "--seeds", str(drafted)])
    assert result.exit_code == 2
    assert f"d005.yaml:{index + 1}: unknown relation 'metwith'; use a property of the ontology" in result.output
    assert "did you mean 'metWith'?" in result.output


def test_a_quote_changed_by_the_curator_must_still_be_verbatim(drafted):
    draft_path = drafted / "drafts" / "d005.yaml"
    text = draft_path.read_text(encoding="utf-8")
    broken = text.replace(
        "quote: Nikol Pashinyan met with Azerbaijani President Ilham Aliyev", "quote: Nikol Pashinyan met Ilham Aliyev", 1
    )
    assert broken != text
    draft_path.write_text(broken, encoding="utf-8")
    with pytest.raises(SeedError) as caught:
        accept("d005", drafted)
    assert any("the quote does not occur in the document" in p.message for p in caught.value.problems)


def test_unknown_section_and_existing_fact_file(drafted):
    draft_path = drafted / "drafts" / "d005.yaml"
    original = draft_path.read_text(encoding="utf-8")
    draft_path.write_text(original + "\nfactz:\n  - id: x\n", encoding="utf-8")
    with pytest.raises(SeedError) as caught:
        accept("d005", drafted)
    assert "unknown key 'factz' in draft" in str(caught.value)
    draft_path.write_text(original, encoding="utf-8")
    (drafted / "facts" / "d005.yaml").write_text("facts: []\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["accept", "d005", "--seeds", str(drafted)])
    assert result.exit_code == 2 and "already exists; accept writes new files only" in result.output


def test_accept_without_a_draft(tmp_path):
    for part in ("documents", "facts"):
        shutil.copytree(paths.SEEDS_DIR / part, tmp_path / "seeds" / part)
    result = CliRunner().invoke(main, ["accept", "d004", "--seeds", str(tmp_path / "seeds")])
    assert result.exit_code == 2 and "run 'peacegraph draft d004' first" in result.output


def test_a_record_that_fails_a_quality_rule_is_not_moved(drafted):
    # A date after the source could know passes the loader but fails the build's date-after-source rule.
    draft_path = drafted / "drafts" / "d005.yaml"
    text = draft_path.read_text(encoding="utf-8")
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line == "    date: 2025-09-08")
    lines[index] = "    date: 2030-01"
    draft_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = facts_state(drafted)
    result = CliRunner().invoke(main, ["accept", "d005", "--seeds", str(drafted)])
    assert result.exit_code == 1, result.output
    assert "date-after-source" in result.output and "Nothing was moved." in result.output
    assert "seeds/drafts/d005.yaml:" in result.output
    assert facts_state(drafted) == before and draft_path.exists()
