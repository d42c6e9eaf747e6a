"""Compare golden answers with those of another commit, projected on the older columns.

    python3 -m tests.compare_goldens [REF]      (REF defaults to main)

A change that only adds columns leaves every old row, restricted to the old
columns, as it was: this prints, per question, the rows gained and lost in
that projection, and the columns added or dropped, so the diff of a golden
file can be read for what it is. Exit code 1 when any projection differs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def _old(ref: str, name: str) -> dict | None:
    done = subprocess.run(["git", "show", f"{ref}:tests/golden/{name}"], capture_output=True, text=True, cwd=GOLDEN)
    return json.loads(done.stdout) if done.returncode == 0 else None


def project(data: dict, columns: list[str]) -> Counter:
    """The rows restricted to ``columns`` (those the data has), as a bag."""
    index = [data["columns"].index(c) for c in columns if c in data["columns"]]
    return Counter(tuple(row[i] for i in index) for row in data["rows"])


def compare(ref: str = "main") -> list[str]:
    """One line per question; lines starting with 'DIFFERS' are projections that changed."""
    lines = []
    for path in sorted(GOLDEN.glob("*.json")):
        new = json.loads(path.read_text(encoding="utf-8"))
        old = _old(ref, path.name)
        if old is None:
            lines.append(f"NEW      {path.stem}: {len(new['rows'])} rows, columns {', '.join(new['columns'])}")
            continue
        kept = [c for c in old["columns"] if c in new["columns"]]
        added = [c for c in new["columns"] if c not in old["columns"]]
        dropped = [c for c in old["columns"] if c not in new["columns"]]
        before, after = project(old, kept), project(new, kept)
        lost, gained = before - after, after - before
        # An old answer with repeated rows counts once: the new questions never repeat a row.
        lost_distinct = set(lost) - set(after)
        status = "SAME" if not lost_distinct and not set(gained) - set(before) and not dropped else "DIFFERS"
        detail = f"{len(old['rows'])} -> {len(new['rows'])} rows; added {', '.join(added) or 'nothing'}"
        if dropped:
            detail += f"; dropped {', '.join(dropped)}"
        if status == "DIFFERS":
            detail += f"; {len(lost_distinct)} old rows gone, {len(set(gained) - set(before))} new rows"
            for row in sorted(lost_distinct)[:3]:
                detail += f"\n    - {row}"
            for row in sorted(set(gained) - set(before))[:3]:
                detail += f"\n    + {row}"
        elif sum(lost.values()):
            detail += f"; {sum(lost.values())} repeated old rows now shown once"
        lines.append(f"{status:8} {path.stem}: {detail}")
    return lines


def main(argv: list[str]) -> int:
    lines = compare(argv[0] if argv else "main")
    print("\n".join(lines))
    return 1 if any(line.startswith("DIFFERS") for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
