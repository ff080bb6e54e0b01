#!/usr/bin/env bash
# condlint server against condlint check: random edits (t/lsp/differential.pl)
# are parsed incrementally by the server and from scratch by check; for every
# version without a syntax error the published diagnostics are exactly
# check's findings (codes, messages, UTF-16 ranges), and with one both report
# it.
. "$(dirname "$0")/lib.sh"

W=$TMP/ws
mkdir -p "$W"
cp "$TOP/examples/dispatch_makefx.py" "$W/example.py"
cp "$TOP/t/fixtures/cl101_contexts.py" "$W/contexts.py"
for run in "example.py 1" "example.py 2" "contexts.py 3"; do
  set -- $run
  out=$(perl "$TOP/t/lsp/differential.pl" "$CONDLINT" "$W/$1" "${LSP_DIFF_EDITS:-40}" "$2" "$TMP/.err" 2>&1)
  status=$?
  is "$status" 0 "$1, seed $2: the server's diagnostics match check after every edit"
  [ "$status" -eq 0 ] || diag "$(printf '%s\n' "$out" | grep -v '^ok' | head -40)"
  clean=$(printf '%s\n' "$out" | sed -n 's/^versions without a syntax error compared exactly: //p')
  [ "${clean:-0}" -ge 5 ]
  ok $? "$1, seed $2: versions without a syntax error were compared (${clean:-0})"
done
_cl_sanitizer differential
done_testing
