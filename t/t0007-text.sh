#!/usr/bin/env bash
# The default text report reads like a compiler's: `path:line:col: severity:
# message [CODE]`, the source line with its number, a caret line under the
# primary range (columns in characters), notes, help, and a summary footer.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1

# Line N of $out (1-based).
line() { printf '%s\n' "$out" | sed -n "${1}p"; }

printf 'import torch\n\n\ndef f(x):\n    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))\n' >meta.py
cl check meta.py
like "$(line 1)" '^meta\.py:5:12: error: .+ \[CL102\]$' "text: 'path:line:col: error: message [CL102]' heads a CL102 finding"
is "$(line 2)" '    5 |     return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))' "text: then the numbered source line"
is "$(line 3)" '      |            ^^^^^^^^^^' "text: then carets under torch.cond"
like "$out" $'\n''meta\.py:5:23: note: ' "text: a note points at the predicate"
like "$out" $'\n''  = help: ' "text: a help line gives the fix"
like "$out" 'Found 1 error, 0 warnings, 0 info in 1 file checked\.$' "text: the footer counts one error"

# Info findings use the same layout; columns count characters, not bytes.
printf 'import torch\n\n\xc3\xa9t\xc3\xa9 = = torch.cond\n' >accents.py
cl check accents.py
is "$(line 1)" 'accents.py:3:7: info: syntax error: this region does not parse; findings in it may be missing [CL901]' \
  "text: an info finding has the same header, its column counted in characters"
is "$(line 2)" '    3 | été = = torch.cond' "text: the source line is shown as it is"
is "$(line 3)" '      |       ^' "text: the caret sits under the 7th character"
is "$(line 4)" '' "text: a blank line ends the finding"
is "$(line 5)" 'Found 0 errors, 0 warnings, 1 info in 1 file checked.' "text: the footer counts one info"

printf 'import torch\n\nx = 1  # condlint: ignore[CL101]\n' >warn.py
cl check warn.py accents.py
like "$out" 'Found 0 errors, 1 warning, 1 info in 2 files checked\.$' "text: the footer counts a warning and an info in two files"
like "$(line 1)" '^accents\.py:' "text: findings are sorted by path"

printf '\tx = = torch.cond\n' >tab.py
cl check tab.py
is "$(line 3)" $'      | \t    ^' "text: a tab in the source stays a tab in the caret line, so the caret lines up"

perl -e 'print "import torch  # cond\nx = ", "(" x 1000, "1", ")" x 1000, "\n"' >deep.py
cl check deep.py
like "$(line 1)" '^deep\.py:2:[0-9]+: info: .*\[CL904\]$' "text: a too-deep expression is reported (CL904)"
shown=$(line 2)
carets=$(line 3)
ok $(( ${#carets} > ${#shown} + 1 )) "text: the caret line of a cut long line is no longer than the line shown (${#carets} vs ${#shown})"

cl check --color always accents.py
like "$(line 1)" $'^\e\\[1maccents\\.py:3:7:\e\\[0m \e\\[1;36minfo:' "text: --color always colours the header"
done_testing
