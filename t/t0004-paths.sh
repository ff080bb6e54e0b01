#!/usr/bin/env bash
# Paths on the command line: missing or unreadable ones are errors (exit 2,
# the path named on stderr); '-' reads stdin, reported under --stdin-filename;
# no path means '.'.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1
printf 'import torch\n\nx = = torch.cond\n' >syntax.py

cl check no/such/file.py
is "$rc" 2 "a missing file exits 2"
like "$err" 'no/such/file\.py: No such file or directory' "... and the message names the path"
is "$out" "" "... and nothing is reported on stdout"

cl check syntax.py missing-dir/
is "$rc" 2 "a missing path after a good one still exits 2"
like "$err" 'missing-dir' "... naming the missing one"

# A symlink named explicitly whose target is gone: unreadable for every user,
# root included, so this holds wherever the suite runs.
ln -s gone.py dangling.py
cl check dangling.py
is "$rc" 2 "an explicit dangling symlink exits 2"
like "$err" 'dangling\.py: No such file or directory' "... and the message names it"

# A file with mode 000. Root reads it anyway (CAP_DAC_OVERRIDE), so as root
# the check runs as 'nobody' through setpriv, which drops the capability.
printf 'import torch\n' >secret.py
chmod 000 secret.py
chmod 755 "$TMP"
if [ "$(id -u)" -ne 0 ]; then
  cl check secret.py
  is "$rc" 2 "an unreadable file exits 2"
  like "$err" 'secret\.py: Permission denied' "... and the message names it"
elif command -v setpriv >/dev/null &&
    setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$CONDLINT" 2>/dev/null; then
  setpriv --reuid=65534 --regid=65534 --clear-groups "$CONDLINT" check secret.py >"$TMP/.out" 2>"$TMP/.err"
  rc=$? err=$(cat "$TMP/.err")
  is "$rc" 2 "an unreadable file exits 2 (run as nobody)"
  like "$err" 'secret\.py: Permission denied' "... and the message names it"
else
  skip "an unreadable file exits 2" "running as root without setpriv, or $CONDLINT not reachable by nobody"
  skip "... and the message names it" "as above"
fi
chmod 644 secret.py

cl_in $'import torch\n\nx = = torch.cond\n' check --stdin-filename pkg/model.py -
is "$rc" 0 "'-' reads the source from stdin"
like "$out" '^pkg/model\.py:3:5: info: .*\[CL901\]' "... reported under --stdin-filename"
cl_in $'import torch\n\nx = = torch.cond\n' check --output-format json --stdin-filename pkg/model.py -
is "$(printf '%s' "$out" | json_paths)" "pkg/model.py" "... in JSON too"
cl_in $'import torch\n\nx = = torch.cond\n' check -
like "$out" '^<stdin>:3:5: ' "without --stdin-filename the path is <stdin>"
cl_in '' check --stdin-filename empty.py -
is "$rc" 0 "empty stdin is a file without findings"
like "$out" '\(1 file checked\)' "... that counts as checked"
cl_in $'import torch\n\nx = = torch.cond\n' check --output-format json --stdin-filename pkg/model.py - syntax.py
is "$(printf '%s' "$out" | json_paths | tr '\n' ' ')" "pkg/model.py syntax.py " "stdin and a file together"

mkdir -p proj/pkg
printf 'import torch\n\nx = = torch.cond\n' >proj/pkg/a.py
(cd proj && "$CONDLINT" check --output-format json >"$TMP/.out" 2>&1)
is "$(json_paths <"$TMP/.out")" "pkg/a.py" "no path checks '.', reported without a './' prefix"

cl check --output-format json syntax.py syntax.py ./syntax.py
is "$(printf '%s' "$out" | json_pairs | wc -l | tr -d ' ')" 1 "a file named three times is reported once"
done_testing
