"""Guard for speed work: does ingest still build exactly the same graphs?

Builds every document of the given files (folders: their documents) with the pipeline's own
``build_path`` and writes, per document, its N-Triples lines sorted, its warnings, its kind and
its reason for no coating. Run it once on the code before a change (``--write``) and once after
(``--check``): any difference is printed by document, and the exit code is 1. Nothing is
written to a store.

    python bench/same_output.py --write /tmp/before.json ../shared/corpus ../shared/devset/docs
    python bench/same_output.py --check /tmp/before.json ../shared/corpus ../shared/devset/docs

The graphs have no blank nodes, so equal sorted lines mean isomorphic graphs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.pipeline import build_path, find_documents  # noqa: E402


def snapshot(paths: list[str]) -> dict[str, Any]:
    """doc id → what ingest built for it (sorted N-Triples lines, warnings, kind, reason)."""
    out: dict[str, Any] = {}
    for path in find_documents(paths):
        for built in build_path(path):
            out[built.doc_id] = {
                "ntriples": sorted(built.load_ntriples().splitlines()),
                "warnings": list(built.warnings),
                "kind": built.kind,
                "reason": built.reason,
            }
    return out


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """One line per document that changed, with a few of its lost and gained triples."""
    lines = []
    for doc in sorted(set(before) | set(after)):
        old, new = before.get(doc), after.get(doc)
        if old == new:
            continue
        if old is None or new is None:
            lines.append(f"{doc}: {'new' if old is None else 'missing'} document")
            continue
        lost = sorted(set(old["ntriples"]) - set(new["ntriples"]))
        gained = sorted(set(new["ntriples"]) - set(old["ntriples"]))
        other = [k for k in ("warnings", "kind", "reason") if old[k] != new[k]]
        lines.append(f"{doc}: -{len(lost)} +{len(gained)} triples; changed: {other or '-'}")
        lines.extend(f"   - {t[:200]}" for t in lost[:3])
        lines.extend(f"   + {t[:200]}" for t in gained[:3])
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path, help="save what is built now to this JSON file")
    group.add_argument("--check", type=Path, help="compare what is built now with this file")
    parser.add_argument("paths", nargs="+", help="files or folders to build")
    args = parser.parse_args(argv)
    now = snapshot(args.paths)
    if args.write:
        args.write.write_text(json.dumps(now), encoding="utf-8")
        print(f"wrote {len(now)} documents to {args.write}")
        return 0
    changed = differences(json.loads(args.check.read_text(encoding="utf-8")), now)
    print("\n".join(changed) or f"identical: {len(now)} documents")
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
