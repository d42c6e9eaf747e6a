"""peacegraph add-document: texts and saved pages become documents byte for byte; bad input is refused and nothing is written."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from peacegraph import paths
from peacegraph.cli import main
from peacegraph.load.documents import load_documents

FIXTURES = Path(__file__).parent / "curate"
#: The saved web page the README's example adds: the tests add the same page a newcomer does.
SAMPLE_PAGE = Path(__file__).parent.parent / "docs" / "examples" / "sample-article.html"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A working tree holding a copy of the repository's seeds (documents and facts)."""
    for part in ("documents", "facts"):
        shutil.copytree(paths.SEEDS_DIR / part, tmp_path / "seeds" / part)
    return tmp_path


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def add(tree: Path, source: Path, *options: str):
    return CliRunner().invoke(main, ["add-document", str(source), "--seeds", str(tree / "seeds"), *options])


def test_plain_text_is_written_byte_for_byte_and_appended(tree):
    source = tree / "article.txt"
    shutil.copy(FIXTURES / "article.txt", source)
    metadata = tree / "seeds" / "documents" / "documents.yaml"
    before = metadata.read_bytes()
    result = add(tree, source, "--published", "2025-09-15")
    assert result.exit_code == 0, result.output
    data = source.read_bytes()
    name = f"005_{hashlib.sha256(data).hexdigest()[:16]}.txt"
    assert (tree / "seeds" / "documents" / name).read_bytes() == data
    after = metadata.read_bytes()
    # Appended as text: every byte of the curated file (comments and folded notes) is kept as it was.
    assert after.startswith(before) and b"  - id: d005\n    file: " + name.encode() in after
    documents, problems = load_documents(metadata)
    assert not problems
    doc = documents["d005"]
    assert doc.title == "Armenia and Azerbaijan edge closer to a signed treaty" and doc.published.text == "2025-09-15"
    assert "inferred title" in result.output and "from the first line of the text" in result.output
    assert "next: peacegraph draft d005" in result.output


def test_saved_page_gives_the_article_and_its_metadata(tree):
    source = tree / "inbox" / "page.html"
    source.parent.mkdir()
    shutil.copy(SAMPLE_PAGE, source)
    result = add(tree, source)
    assert result.exit_code == 0, result.output
    documents, problems = load_documents(tree / "seeds" / "documents" / "documents.yaml")
    assert not problems
    doc = documents["d005"]
    assert "Pashinyan met with Azerbaijani President Ilham Aliyev in Abu Dhabi" in doc.text
    # Navigation, cookie banner and footer are not article text.
    for boilerplate in ("Subscribe now", "cookies", "All rights reserved"):
        assert boilerplate not in doc.text
    assert doc.title == "Treaty talks resume in Abu Dhabi"
    assert doc.published.text == "2025-09-16" and "article:published_time" in (doc.date_inferred or "")
    # The author is a known entity; the publisher is not, so it is kept in the note with the address.
    assert doc.author == "haley-nelson"
    assert "Caucasus Test Review" in doc.note and "https://example.org/2025/09/treaty-talks" in doc.note
    assert "inferred title: 'Treaty talks resume in Abu Dhabi' (from <meta property=\"og:title\">)" in result.output
    assert "inferred published: 2025-09-16" in result.output
    assert "to do: publisher 'Caucasus Test Review' is not an entity" in result.output


def test_options_win_over_the_page(tree):
    source = tree / "page.html"
    shutil.copy(SAMPLE_PAGE, source)
    result = add(
        tree, source, "--title", "My title", "--published", "2025-09", "--author", "jayaditya-sinha", "--url", "https://example.net/x"
    )
    assert result.exit_code == 0, result.output
    doc = load_documents(tree / "seeds" / "documents" / "documents.yaml")[0]["d005"]
    assert (doc.title, doc.published.text, doc.author, doc.date_inferred) == ("My title", "2025-09", "jayaditya-sinha", None)
    assert "https://example.net/x" in doc.note


def _binary(tree: Path) -> Path:
    path = tree / "scan.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    return path


def _pdf(tree: Path) -> Path:
    path = tree / "article.pdf"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"\x00" * 64)
    return path


def _empty(tree: Path) -> Path:
    path = tree / "empty.txt"
    path.write_text("  \n", encoding="utf-8")
    return path


def _fixture(name: str):
    def make(tree: Path) -> Path:
        path = tree / name
        shutil.copy(FIXTURES / name, path)
        return path

    return make


def _latin1(tree: Path) -> Path:
    path = tree / "latin1.txt"
    path.write_bytes((FIXTURES / "article.txt").read_text(encoding="utf-8").replace("Abu Dhabi", "Abú Dhabi").encode("latin-1"))
    return path


def _duplicate(tree: Path) -> Path:
    path = tree / "again.txt"
    shutil.copy(next((tree / "seeds" / "documents").glob("002_*.txt")), path)
    return path


def _near_duplicate(tree: Path) -> Path:
    path = tree / "again.txt"
    text = next((tree / "seeds" / "documents").glob("002_*.txt")).read_text(encoding="utf-8")
    path.write_text(text.replace("Armenia", "the Republic of Armenia", 3) + "\nOne more closing line.\n", encoding="utf-8")
    return path


def _outside(tree: Path) -> Path:
    outside = tree.parent / f"{tree.name}-elsewhere"
    outside.mkdir()
    path = outside / "article.txt"
    shutil.copy(FIXTURES / "article.txt", path)
    return path


def _no_date(tree: Path) -> Path:
    path = tree / "article.txt"
    shutil.copy(FIXTURES / "article.txt", path)
    return path


BAD_INPUTS = {
    "binary": (_binary, "is a PNG image, not text or HTML; save the article as a .txt (UTF-8) or .html file"),
    "pdf": (_pdf, "is a PDF, not text or HTML"),
    "empty": (_empty, "is empty; save the article's text"),
    "not-utf8": (_latin1, "is not UTF-8 text (byte "),
    "near-empty-page": (_fixture("near-empty.html"), "words of text, too few for an article"),
    "no-article": (_fixture("no-article.html"), "no article text found in the page"),
    "other-language": (_fixture("french.txt"), "('fr'), not English; peacegraph curates English sources"),
    "duplicate": (_duplicate, "is already document d002 (002_8b4ed46cc236c809.txt, same SHA-256)"),
    "near-duplicate": (_near_duplicate, "is nearly the same text as document d002"),
    "outside-the-tree": (_outside, "is outside the working tree"),
    "no-date": (_no_date, "no publication date found; give it with --published YYYY[-MM[-DD]]"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_with_one_line_and_nothing_written(tree, case):
    make, expected = BAD_INPUTS[case]
    source = make(tree)
    seeds_before = snapshot(tree / "seeds")
    result = add(tree, source)
    assert result.exit_code == 2, result.output
    assert expected in result.output
    message = result.output.strip()
    assert message.startswith("error: ") and "\n" not in message and "Traceback" not in message
    assert snapshot(tree / "seeds") == seeds_before


def test_bad_date_option_is_refused(tree):
    source = tree / "article.txt"
    shutil.copy(FIXTURES / "article.txt", source)
    before = snapshot(tree / "seeds")
    result = add(tree, source, "--published", "15 September 2025")
    assert result.exit_code == 2 and "is not a date; write YYYY, YYYY-MM or YYYY-MM-DD" in result.output
    assert snapshot(tree / "seeds") == before


def test_next_id_follows_the_highest_id_and_file_number(tree):
    from peacegraph.curate.ingest import _next_id

    documents, _ = load_documents(tree / "seeds" / "documents" / "documents.yaml")
    assert _next_id(documents, tree / "seeds" / "documents") == ("d005", 5)
    # A text file left by an interrupted add still holds its number.
    (tree / "seeds" / "documents" / "007_0123456789abcdef.txt").write_text("x", encoding="utf-8")
    assert _next_id(documents, tree / "seeds" / "documents") == ("d008", 8)
