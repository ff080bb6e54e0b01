#!/usr/bin/env bash
# condlint server: a bracket typed and left open in one function of a long
# file (parsed as the segment of statements around the edit, parse.c
# find_segment) is a CL901 on its line, the findings elsewhere in the file
# stay where they are (moved by the new line), and once the bracket closes the
# findings are check's again. The edits come as an editor sends them, a
# keystroke at a time.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/lsp/lib-lsp.sh"

W=$TMP/ws
mkdir -p "$W"
bench_files "$W" 1200
# the line of `def m2_loss(...)`, 0-based: a new line is typed after it
row=$(grep -n '^def m2_loss' "$W/models.py" | cut -d: -f1)
[ -n "$row" ]
ok $? "the generated file has m2_loss"
row=$((row - 1))
end=$(sed -n "$((row + 1))p" "$W/models.py" | wc -c)
end=$((end - 1))
new=$((row + 1))

lsp "server --debounce 0
initialize $W
open models.py
diagnostics models.py
change models.py 2 $row $end $row $end \"\\n    y = logits.shape[\"
diagnostics models.py
change models.py 3 $new 21 $new 21 \"-\"
diagnostics models.py
change models.py 4 $new 22 $new 22 \"1\"
diagnostics models.py
change models.py 5 $new 23 $new 23 \"]\"
diagnostics models.py
shutdown"
is "$rc" 0 "the client ran the script"

# each version's diagnostics, one per line: "LINE CODE"
diags() { pick "diagnostics models.py v$1:" | sed 's/^[^:]*: //' | tr ',' '\n' |
  sed -n 's/^ *\([0-9]*\):[0-9]*-[0-9:]* \(CL[0-9]*\).*/\1 \2/p'; }
# v1's findings, moved down one line after the new line
moved=$(diags 1 | awk -v r="$row" '{ print ($1 > r ? $1 + 1 : $1), $2 }')
[ "$(diags 1 | grep -c CL1)" -ge 5 ]
ok $? "the file has findings all along it ($(diags 1 | wc -l))"
for v in 2 3 4; do # tree-sitter may see the bracket missing at the next line's start
  like "$(diags $v | grep CL901 | cut -d' ' -f1 | sort -u | tr '\n' ' ')" "^($new|$((new + 1))) \$" \
    "v$v: the open bracket is a CL901 on its line (or the next), and only there"
  is "$(diags $v | grep -v CL901)" "$moved" "v$v: every other finding stays, one line down"
done
is "$(diags 5)" "$moved" "v5: the bracket closed: the findings of v1, one line down, no CL901"

# and they are check's
printf '%s\n' "$(sed -n "1,$((row + 1))p" "$W/models.py")" "    y = logits.shape[-1]" \
  "$(sed -n "$((row + 2)),\$p" "$W/models.py")" >"$W/after.py"
cd "$W"
cl check --output-format json after.py
want=$(printf '%s' "$out" | json_pairs | awk -F'\t|;| ' '{ print $1 - 1, $2 }' | sort -n)
cd - >/dev/null
is "$(printf '%s\n' "$moved" | sort -n)" "$want" "v5's findings are those of condlint check"
done_testing
