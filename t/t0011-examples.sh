#!/usr/bin/env bash
# The examples the README runs: dispatch_makefx.py has a cond that make_fx
# folds (CL101) and one on the rank (CL102); dispatch_symbolic.py is clean.
# (Checked against PyTorch 2.11 with the oracle: the first two fold, the
# symbolic dispatch and the tensor predicate are kept.)
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1

cl check --output-format json examples/dispatch_makefx.py
is "$(printf '%s' "$out" | json_pairs | tr '\n' ';')" "29 CL101;41 CL102;" \
  "examples/dispatch_makefx.py: CL101 on the seq-length dispatch, CL102 on the rank check"
is "$rc" 1 "examples/dispatch_makefx.py: exit 1"

cl check examples/dispatch_symbolic.py
is "$rc" 0 "examples/dispatch_symbolic.py: exit 0"
is "$out" "All checks passed (1 file checked)." "examples/dispatch_symbolic.py: nothing to report"

cl check examples/
is "$rc" 1 "examples/: exit 1, as ./setup.sh shows"
like "$out" 'examples/dispatch_makefx\.py:29:12: error: .*\[CL101\]' "examples/: the CL101 finding in text"
like "$out" 'in 2 files checked\.$' "examples/: both files checked"
done_testing
