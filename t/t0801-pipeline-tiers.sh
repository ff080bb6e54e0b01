#!/usr/bin/env bash
# The whole-repository pipeline: the output does not depend on the number of
# worker threads; the two-tier prefilter (analyzer/prefilter.h) gives the
# findings that parsing every file gives, on the corpus, the fixtures and a
# project whose finding needs three files; a file the prefilter skips is not
# syntax-checked, one named on the command line always is; a skipped file that
# link.c loads to follow an import is reported under its own name.
. "$(dirname "$0")/lib.sh"

# ---- the same report with 1, 2 and 4 threads, and with every file parsed ----
for d in t/corpus t/fixtures examples t/corpus/inductor; do
  (cd "$TOP" && "$CONDLINT" check --no-cache --isolated --output-format json -j 1 "$d") >"$TMP/j1.json" 2>"$TMP/.err"
  (cd "$TOP" && "$CONDLINT" check --no-cache --isolated --output-format json -j 2 "$d") >"$TMP/j2.json" 2>>"$TMP/.err"
  (cd "$TOP" && "$CONDLINT" check --no-cache --isolated --output-format json -j 4 "$d") >"$TMP/j4.json" 2>>"$TMP/.err"
  (cd "$TOP" && CONDLINT_PREFILTER=off "$CONDLINT" check --no-cache --isolated --output-format json -j 2 "$d") >"$TMP/off.json" 2>>"$TMP/.err"
  err=$(cat "$TMP/.err")
  _cl_sanitizer check "$d"
  [ -s "$TMP/j1.json" ] && cmp -s "$TMP/j1.json" "$TMP/j2.json" && cmp -s "$TMP/j1.json" "$TMP/j4.json"
  ok $? "$d: the same report with -j 1, -j 2 and -j 4"
  cmp -s "$TMP/j1.json" "$TMP/off.json"
  ok $? "$d: the prefilter's tiers give the findings of parsing every file"
done

# ---- a project: the cond in one file, the model in another, the export in a third ----
cd "$TMP" || exit 1
mkdir -p proj/pkg proj/tools
cat >proj/pkg/ops.py <<'EOF'
import torch


def dispatch(x):
    return torch.cond(x.shape[0] > 16, torch.sin, torch.cos, (x,))
EOF
cat >proj/pkg/model.py <<'EOF'
import torch

from .ops import dispatch


class Model(torch.nn.Module):
    def forward(self, x):
        return dispatch(x)
EOF
cat >proj/pkg/__init__.py <<'EOF'
EOF
cat >proj/run.py <<'EOF'
import torch

from pkg.model import Model


def main():
    m = torch.compile(Model(), dynamic=False)
    return m(torch.randn(32, 8))
EOF
cat >proj/tools/unrelated.py <<'EOF'
import torch


def build(f):
    return torch.compile(f)
EOF
cat >proj/tools/broken.py <<'EOF'
def f(:
    return 1
EOF
printf 'X = 1\n' >proj/tools/plain.py

(cd proj && CONDLINT_STATS=1 "$CONDLINT" check --no-cache --isolated --output-format json .) >"$TMP/tiers.json" 2>"$TMP/.err"
rc=$?
err=$(cat "$TMP/.err")
_cl_sanitizer check proj
is "$(json_pairs pkg/ops.py <"$TMP/tiers.json" | tr '\n' ';')" "5 CL101;" \
  "the cond of pkg/ops.py folds under the compile of run.py, two imports away"
like "$err" 'tier 1 1, tier 2 1, link 1, given 0, skipped 4;' \
  "tiers: ops.py holds a cond, run.py traces it, model.py links them, four files are skipped"
like "$(json_paths <"$TMP/tiers.json" | tr '\n' ' ')" '^pkg/ops.py $' "the skipped syntax error is not reported"
(cd proj && CONDLINT_PREFILTER=off "$CONDLINT" check --no-cache --isolated --output-format json .) >"$TMP/all.json" 2>/dev/null
is "$(json_pairs <"$TMP/all.json" | tr '\n' ';')" "1 CL901;5 CL101;" \
  "parsing every file finds the same cond, and the syntax error of tools/broken.py"
(cd proj && CONDLINT_PREFILTER=broad "$CONDLINT" check --no-cache --isolated --output-format json .) >"$TMP/broad.json" 2>/dev/null
is "$(json_pairs <"$TMP/broad.json" | tr '\n' ';')" "" \
  "the one-tier filter misses it: model.py names no tracing word, so the import chain breaks"
(cd proj && "$CONDLINT" check --no-cache --isolated . ) >"$TMP/text" 2>/dev/null
like "$(tail -n 1 "$TMP/text")" 'in 7 files checked' "skipped files still count as checked"

cl check --no-cache --isolated --output-format json proj/tools/broken.py
is "$(printf '%s' "$out" | json_pairs)" "1 CL901" "a file named on the command line is parsed whatever it holds"

# ---- a skipped file that link.c loads (pkg.helpers, reached as an attribute) ----
cl_linked_helper_project od
(cd od && CONDLINT_STATS=1 "$CONDLINT" check --no-cache --isolated --output-format json .) >"$TMP/od.json" 2>"$TMP/.err"
err=$(cat "$TMP/.err")
_cl_sanitizer check od
like "$err" '1 loaded by link\.c' "pkg/helpers.py, skipped, is loaded by link.c when main.py reaches it"
is "$(json_pairs pkg/helpers.py <"$TMP/od.json" | tr '\n' ';')" "2 CL209;" \
  "... and its finding is reported under its name in the project"
(cd od && CONDLINT_PREFILTER=off "$CONDLINT" check --no-cache --isolated --output-format json .) >"$TMP/od_all.json" 2>/dev/null
cmp -s "$TMP/od.json" "$TMP/od_all.json"
ok $? "... as when every file is parsed"

# ---- words in prose call nothing: a comment, a docstring, a message --------
mkdir -p prose/pkg
: >prose/pkg/__init__.py
cat >prose/pkg/ops.py <<'EOF'
import torch


def dispatch(x):
    return torch.cond(x.shape[0] > 16, torch.sin, torch.cos, (x,))
EOF
cat >prose/pkg/docs.py <<'EOF'
"""Helpers for code that runs under torch.compile or torch.export.

    >>> torch._dynamo.mark_dynamic(x, 0)  # an example, not a call
"""
from .ops import dispatch


def check(x):
    # torch.cond(p, a, b, ops) folds when p is a Python bool: see make_fx
    if x.dim() != 2:
        raise ValueError("export(...) and torch.compile need a 2-D input, got %d" % x.dim())
    return dispatch(x)
EOF
cat >prose/pkg/keys.py <<'EOF'
import torch
from torch.export import Dim

from .ops import dispatch


class M(torch.nn.Module):
    def forward(self, x):
        return dispatch(x)


def run():
    x = torch.randn(32, 8)
    kwargs = {"dynamic_shapes": {"x": {1: Dim("f")}}}
    return torch.export.export(M(), (x,), **kwargs)
EOF
(cd prose && CONDLINT_STATS=1 "$CONDLINT" check --no-cache --isolated --output-format json .) >"$TMP/prose.json" 2>"$TMP/.err"
err=$(cat "$TMP/.err")
_cl_sanitizer check prose
like "$err" 'tier 1 2, tier 2 0, link 0, given 0, skipped 2;' \
  "docs.py names cond, mark_dynamic, export and compile in prose only: skipped; keys.py's \"dynamic_shapes\" key is code"
(cd prose && CONDLINT_PREFILTER=off "$CONDLINT" check --no-cache --isolated --output-format json .) >"$TMP/prose_all.json" 2>/dev/null
cmp -s "$TMP/prose.json" "$TMP/prose_all.json"
ok $? "... with the findings of parsing every file"

done_testing
