#!/usr/bin/env bash
# The options of `check`: bad values are usage errors (exit 2, message on
# stderr), --color, --jobs, and `--` before paths that look like options.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1
printf 'import torch\n\nx = = torch.cond\n' >syntax.py

cl check --frobnicate syntax.py
is "$rc" 2 "an unknown option exits 2"
like "$err" "unknown option '--frobnicate'" "... naming the option"
is "$out" "" "... with nothing on stdout"

cl check -q syntax.py
is "$rc" 2 "an unknown short option exits 2"

cl check --output-format xml syntax.py
is "$rc" 2 "an unknown output format exits 2"
like "$err" "unknown output format 'xml'" "... naming the format"

cl check --output-format
is "$rc" 2 "--output-format without a value exits 2"
like "$err" "needs a value" "... saying that it needs a value"

cl check --output-format=json syntax.py
is "$rc" 0 "--output-format=json is accepted"
like "$out" '^\[' "... and prints JSON"

cl check --color sometimes syntax.py
is "$rc" 2 "a bad --color value exits 2"
like "$err" "'sometimes'" "... naming the value"

cl check --color always syntax.py
like "$out" $'\e\\[' "--color always colours the report"
cl check --color never syntax.py
unlike "$out" $'\e' "--color never does not"
cl check syntax.py
unlike "$out" $'\e' "the default (auto) does not colour a report that is not a terminal"
NO_COLOR=1 cl check --color auto syntax.py
unlike "$out" $'\e' "NO_COLOR is honoured"

for bad in 0 -1 1025 two ''; do
  cl check -j "$bad" syntax.py
  is "$rc" 2 "-j '$bad' is a usage error"
done
cl check -j
is "$rc" 2 "-j without a value is a usage error"

mkdir many
for i in $(seq 1 40); do printf 'import torch\n\nx%d = = torch.cond\n' "$i" >"many/m$i.py"; done
cl check -j 1 --output-format json many
one=$out
cl check -j 4 --output-format json many
is "$out" "$one" "-j 4 gives the same report as -j 1 (findings are sorted)"
cl check --jobs=3 --output-format json many
is "$out" "$one" "--jobs=3 is accepted and gives the same report"
jobs_used() { CONDLINT_STATS=1 "$CONDLINT" check --no-cache "$@" many 2>&1 >/dev/null | sed -n 's/^condlint: stats: jobs: //p'; }
for form in "-j 3" "-j3" "--jobs 3" "--jobs=3"; do
  # shellcheck disable=SC2086 # the form is two words or one
  is "$(jobs_used $form)" "3 worker threads" "$form sets the worker threads"
done
for bad in --jobs=0 -j0 "--jobs two"; do
  # shellcheck disable=SC2086
  cl check $bad syntax.py
  is "$rc" 2 "$bad is a usage error"
done
is "$(printf '%s' "$one" | json_paths | wc -l | tr -d ' ')" 40 "the 40 files were all checked"

printf 'import torch\n\nx = = torch.cond\n' >-dash.py
cl check -- -dash.py
is "$rc" 0 "'--' ends the options: a path may start with '-'"
like "$out" '^-dash\.py:3:5: info:' "... and is checked"
done_testing
