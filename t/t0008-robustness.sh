#!/usr/bin/env bash
# Hostile input never crashes condlint: syntax errors are reported (CL901)
# and the rest of the file is still checked; invalid UTF-8 (CL903), NUL
# bytes, deep nesting (CL904), huge lines and binary junk end in a report,
# not a crash (exit 0 or 1, nothing on stderr).
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1

no_crash() { # NAME: the last run ended in a report
  [ "$rc" -le 1 ] && [ -z "$err" ]
  ok $? "$1: no crash (exit $rc)"
  [ -z "$err" ] || diag "stderr: ${err:0:500}"
}

cat >syntax_then_cond.py <<'PY'
import torch


def broken(x):
    return x + = 1


def f(x):
    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))
PY
cl check --output-format json syntax_then_cond.py
no_crash "a syntax error before a cond"
pairs=$(printf '%s' "$out" | json_pairs | tr '\n' ';')
like "$pairs" '(^|;)5 CL901;' "a syntax error is reported on its line (CL901)"
like "$pairs" '(^|;)9 CL102;' "the CL102 after the syntax error is still found"

printf 'import torch\n\ndef f(x):\n    y = = torch.cond\n' >only_syntax.py
cl check only_syntax.py
is "$rc" 0 "a file with only a syntax error exits 0 (CL901 is info)"
like "$out" 'only_syntax\.py:4:[0-9]+: info: .*\[CL901\]' "... and reports CL901 as info"

printf 'import torch\n# \xff\xfe torch.cond\ns = "caf\xe9"\nx = b"\xc3"\n' >bad_utf8.py
cl check --output-format json bad_utf8.py
no_crash "invalid UTF-8"
is "$(printf '%s' "$out" | json_pairs | tr '\n' ';')" "2 CL903;3 CL903;4 CL903;" "each invalid UTF-8 region is reported (CL903)"
is "$(printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'print join ",", map { "$_->{line}:$_->{column}-$_->{end_column}" } @{decode_json($_)}')" \
  "2:3-5,3:9-10,4:7-8" "CL903 covers exactly the bad bytes, in character columns"

printf 'import torch  # cond\n\xe6\x97' >truncated.py
cl check --output-format json truncated.py
no_crash "a UTF-8 sequence cut at the end of the file"
like "$(printf '%s' "$out" | json_pairs | tr '\n' ';')" '2 CL903;' "... is reported as CL903"

printf 'import torch\n\x00\x00torch.cond(x.dim() == 3, a, b, (x,))\n\x00' >nul.py
cl check nul.py
no_crash "NUL bytes in the source"

printf '\xef\xbb\xbfimport torch\n\n\ndef f(x):\n    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))\n' >bom.py
cl check --output-format json bom.py
no_crash "a UTF-8 byte order mark"
is "$(printf '%s' "$out" | json_pairs | tr '\n' ';')" "5 CL102;" "a file with a BOM is analysed like one without"

printf 'import torch\r\n\r\n\r\ndef f(x):\r\n    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))\r\n' >crlf.py
cl check --output-format json crlf.py
is "$(printf '%s' "$out" | json_pairs | tr '\n' ';')" "5 CL102;" "CRLF line endings: CL102 on the right line"

perl -e 'print "import torch  # cond\nx = ", "(" x 100000, "1", ")" x 100000, "\n"' >deep_parens.py
cl check --output-format json deep_parens.py
no_crash "100000 nested parentheses"
like "$(printf '%s' "$out" | json_pairs | tr '\n' ';')" '2 CL904;' "... reported as too deep (CL904)"
perl -e 'print "import torch  # cond\nx = ", "-" x 100000, "1\n"' >deep_unary.py
cl check deep_unary.py
no_crash "100000 nested unary minus"
perl -e 'print "import torch  # cond\nx = ", "[" x 50000, "]" x 50000, "\n"' >deep_lists.py
cl check deep_lists.py
no_crash "50000 nested lists"
perl -e 'print "import torch  # cond\n", map({ ("    " x $_) . "if x:\n" } 0..299), ("    " x 300) . "pass\n"' >deep_ifs.py
cl check deep_ifs.py
no_crash "300 nested if blocks"
perl -e 'print "import torch  # cond\n", map({ ("    " x $_) . "def f$_(x):\n" } 0..299), ("    " x 300) . "return torch.cond(x.dim() == 3, a, b, (x,))\n"' >deep_defs.py
cl check deep_defs.py
no_crash "300 nested function definitions"
perl -e 'print "import torch  # cond\nx = 1", " + 1" x 200000, "\n"' >long_line.py
cl check long_line.py
no_crash "a 800 kB line"
perl -e 'print "import torch  # cond\n", "x = torch.cond\n" x 200000' >many_lines.py
cl check many_lines.py
no_crash "200000 lines"
perl -e 'srand 7; print "cond\n", map { chr int rand 256 } 1 .. 200000' >junk.py
cl check junk.py
no_crash "200 kB of random bytes"

printf 'import torch\n\nx = = torch.cond\n' >$'caf\xe9.py'
cl check --output-format json $'caf\xe9.py'
is "$rc" 0 "a file name that is not UTF-8: exit 0"
printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'exit !(ref decode_json($_) eq "ARRAY" && @{decode_json($_)} == 1)'
ok $? "a file name that is not UTF-8: the JSON report is valid and holds the finding"
cl check $'caf\xe9.py'
is "$rc" 0 "a file name that is not UTF-8: the text report works"

: >empty.py
cl check empty.py
is "$rc" 0 "an empty file exits 0"
done_testing
