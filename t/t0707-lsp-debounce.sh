#!/usr/bin/env bash
# condlint server: edits are debounced (the analysis waits for a pause), an
# analysis that newer edits supersede is dropped instead of published, and
# diagnostics never go back to an older version.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/lsp/lib-lsp.sh"

W=$TMP/ws
mkdir -p "$W"
cp "$TOP/examples/dispatch_makefx.py" "$W/m.py"
edits=""
for v in $(seq 2 31); do # type "0" 30 times into the threshold 512
  edits="$edits
change m.py $v 28 40 28 40 \"0\""
done

lsp "server --debounce 200
initialize $W
open m.py
diagnostics m.py
change m.py 2 28 40 28 40 \"1\"
change m.py 3 28 41 28 41 \"2\"
change m.py 4 28 42 28 42 \"8\"
versions m.py 1500
shutdown"
is "$(pick '^versions')" "versions m.py: 4" \
  "three quick edits within the debounce delay: one analysis, published for the last version only"

lsp "server --debounce 0
initialize $W
open m.py
diagnostics m.py
$edits
versions m.py 3000
shutdown"
v=$(pick '^versions' | sed 's/^versions m.py: //')
last=${v##* }
is "$last" "31" "a burst of 30 edits without debounce: the last version is published"
perl -e 'my @v = split " ", shift; for (1 .. $#v) { exit 1 if $v[$_] <= $v[$_ - 1] } exit 0' "$v"
ok $? "versions only go forward ($v)"
count=$(printf '%s\n' "$v" | wc -w)
[ "$count" -lt 30 ]
ok $? "superseded analyses were dropped, not published ($count publications for 30 edits)"

lsp "server --debounce 0
initialize $W {} {\"debounce\":200}
open m.py
diagnostics m.py
change m.py 2 28 40 28 40 \"1\"
change m.py 3 28 41 28 41 \"2\"
versions m.py 1500
shutdown"
is "$(pick '^versions')" "versions m.py: 3" "initializationOptions.debounce sets the delay too"

done_testing
