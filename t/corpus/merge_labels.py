#!/usr/bin/env python3
"""Merge an oracle run into t/corpus/labels.jsonl.

    python3 t/corpus/merge_labels.py ORACLE_OUTPUT.jsonl TORCH_VERSION [--out PATH]

ORACLE_OUTPUT.jsonl is what t/corpus/oracle_ext.py (or the shared oracle)
printed, one JSON object per case. Each line is kept exactly as the oracle
printed it, with "torch": TORCH_VERSION added; "case" paths are made relative
to the repository root (t/corpus/NAME.py). Lines are sorted by case path. No
verdict is written or changed here: labels come only from the oracle.
A line for a case that no longer exists under t/corpus/ is dropped, and a
case file with no line is reported (exit status 1).
"""
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CASE_GLOB = "[a-z]*_[0-9][0-9][0-9]_*.py"


def rel_case(path):
    # the oracle prints the path as it was given: t/corpus/x.py, or an absolute path
    name = os.path.basename(path)
    return "t/corpus/" + name


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    src, version = argv[1], argv[2]
    out = os.path.join(HERE, "labels.jsonl")
    if "--out" in argv:
        out = argv[argv.index("--out") + 1]
    rows = {}
    for line in open(src):
        line = line.strip()
        if not line:
            continue
        r = json.loads(line)
        r["case"] = rel_case(r["case"])
        r["torch"] = version
        rows[r["case"]] = r
    cases = {"t/corpus/" + os.path.basename(p) for p in glob.glob(os.path.join(HERE, CASE_GLOB))}
    missing = sorted(cases - set(rows))
    stale = sorted(set(rows) - cases)
    with open(out, "w") as f:
        for c in sorted(rows):
            if c in cases:
                f.write(json.dumps(rows[c]) + "\n")
    for c in stale:
        print("dropped (no such case file):", c, file=sys.stderr)
    for c in missing:
        print("no label for:", c, file=sys.stderr)
    undecided = [c for c, r in rows.items() if c in cases and any(s["verdict"] is None for s in r["sites"])]
    for c in undecided:
        print("undecided site(s):", c, file=sys.stderr)
    return 1 if missing or undecided else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
