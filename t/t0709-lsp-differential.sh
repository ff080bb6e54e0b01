#!/usr/bin/env bash
# condlint server against condlint check: random edits (t/lsp/differential.pl)
# are parsed incrementally by the server and from scratch by check; for every
# version without a syntax error the published diagnostics are exactly
# check's findings (codes, messages, UTF-16 ranges), and with one both report
# it.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/lsp/lib-lsp.sh"

W=$TMP/ws
mkdir -p "$W"
cp "$TOP/examples/dispatch_makefx.py" "$W/example.py"
cp "$TOP/t/fixtures/cl101_contexts.py" "$W/contexts.py"
# a file of many top-level statements, where an edit that does not parse is
# parsed as the segment of statements around it (parse.c, find_segment)
bench_files "$W" 700
# top-level if/else, try, decorators, docstrings, a line continuation and
# contract comments: what joins statements, for the segment's ends. Seed 31
# once lost a contract comment (edit 17: a triple quote typed, then taken
# back), seed 33 once saw a decorator cut from its definition (edit 113).
cat >"$W/head.py" <<'PY'
"""A module docstring
spanning lines."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx

if torch.__version__ > "2":
    LIMIT = 512
else:
    LIMIT = 256

try:
    import numpy as np
except ImportError:
    np = None
finally:
    pass

# a comment at column 0
x_total = 1 + \
    2


@torch.no_grad()
def decorated(x):
    '''a docstring with "quotes" and a # hash'''
    return torch.cond(x.shape[0] <= LIMIT, lambda y: y, lambda y: y * 2, (x,))


class Holder:
    """Doc."""

    def method(self, x):
        s = f"{x!r} and {'nested'}"
        return torch.cond(x.shape[1] > 3, lambda y: y, lambda y: -y, (x,))
PY
cat "$W/head.py" "$TOP/t/fixtures/cl101_contexts.py" "$TOP/examples/dispatch_makefx.py" \
  "$W/head.py" >"$W/mixed.py"
printf '%s\n' 'gm = make_fx(decorated)(torch.randn(4, 8))' \
  'gm2 = make_fx(Holder().method)(torch.randn(4, 8))' >>"$W/mixed.py"
rm "$W/head.py"
E=${LSP_DIFF_EDITS:-40}
for run in "example.py 1 $E" "example.py 2 $E" "contexts.py 3 $E" "models.py 4 $E" "models.py 5 $E" \
  "mixed.py 31 $E" "mixed.py 33 $((E * 3))"; do
  set -- $run
  out=$(perl "$TOP/t/lsp/differential.pl" "$CONDLINT" "$W/$1" "$3" "$2" "$TMP/.err" 2>&1)
  status=$?
  is "$status" 0 "$1, seed $2: the server's diagnostics match check after every edit"
  [ "$status" -eq 0 ] || diag "$(printf '%s\n' "$out" | grep -v '^ok' | head -40)"
  clean=$(printf '%s\n' "$out" | sed -n 's/^versions without a syntax error compared exactly: //p')
  [ "${clean:-0}" -ge 5 ]
  ok $? "$1, seed $2: versions without a syntax error were compared (${clean:-0})"
done
_cl_sanitizer differential
done_testing
