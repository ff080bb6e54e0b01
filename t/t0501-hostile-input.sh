#!/usr/bin/env bash
# Hostile bytes in one source file end in a report, never a crash, a hang or
# a sanitizer report: empty files, byte order marks, CR and CRLF line ends,
# NUL bytes, invalid UTF-8 and UTF-16, a 10 MB line, and nesting 100,000 deep
# of every kind of expression and 3,000 deep of every kind of block. Each
# input starts with a torch.cond that folds (CL102 on line 5): while that is
# still reported, the file was parsed and analysed past the hostile part.
# docs/reliability.md lists each input with its outcome.
. "$(dirname "$0")/lib.sh"
cd "$TMP"

HEAD='import torch


def f(x):
    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))
'
printf '%s' "$HEAD" >head.py

# NAME: the last run (cl) ended in a report within its time, with valid JSON
survived() {
  [ "$rc" -le 1 ] && [ -z "$err" ]
  ok $? "$1: a report, no crash (exit $rc)"
  [ -z "$err" ] || diag "stderr: ${err:0:400}"
}
valid_json() { # NAME: $out is one JSON array
  printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'exit !(ref(decode_json($_)) eq "ARRAY")' 2>/dev/null
  ok $? "$1: the JSON report is valid"
}
pairs() { printf '%s' "$out" | json_pairs | tr '\n' ';'; }
# Run condlint on FILE with a time limit of SECONDS (the sanitizer build is slower).
check() { # SECONDS FILE
  local limit=$1
  shift
  case $CONDLINT in *asan*) limit=$((limit * 4)) ;; esac
  cl_timeout=$limit
  CONDLINT_REAL=$CONDLINT CONDLINT="$TMP/.timeout" cl check --output-format json "$@"
}
# cl runs $CONDLINT with no way to add `timeout`; a wrapper does it.
cat >"$TMP/.timeout" <<'SH'
#!/bin/sh
exec timeout "$cl_timeout" "$CONDLINT_REAL" "$@"
SH
chmod +x "$TMP/.timeout"
export cl_timeout CONDLINT_REAL

# ---- bytes ------------------------------------------------------------------
: >empty.py
check 10 empty.py
is "$rc $out" "0 []" "an empty file: exit 0 and an empty report"

printf '\xef\xbb\xbf%s' "$HEAD" >bom.py
check 10 bom.py
survived "a UTF-8 byte order mark"
is "$(pairs)" "5 CL102;" "a byte order mark changes nothing: CL102 on line 5"

printf '%s' "$HEAD" | sed 's/$/\r/' >crlf.py
check 10 crlf.py
is "$(pairs)" "5 CL102;" "CRLF line ends: CL102 on line 5"
is "$(printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'my $d = decode_json($_); print "$d->[0]{column}-$d->[0]{end_column}"')" \
  "12-22" "CRLF line ends: the columns do not count the CR"

printf '%s' "$HEAD" | tr '\n' '\r' >cr.py
check 10 cr.py
survived "old Mac CR-only line ends"
is "$(pairs)" "1 CL102;" "CR-only line ends: one line for condlint (and for tree-sitter), the finding on it"

{ printf '%s' "$HEAD"; printf 'x = 1\x00\x00\ny = "\x00"\n\x00'; } >nul.py
check 10 nul.py
survived "NUL bytes"
valid_json "NUL bytes"
like "$(pairs)" '^5 CL102;' "NUL bytes after the cond: the cond is still found"

{ printf '%s' "$HEAD"; printf '# \xff\xfe\xc0\xaf overlong, \xed\xa0\x80 surrogate, \xf4\x90\x80\x80 past U+10FFFF\ns = "\xe9t\xe9"\n'; } >bad_utf8.py
check 10 bad_utf8.py
survived "invalid UTF-8 (stray, overlong, surrogate, past U+10FFFF)"
valid_json "invalid UTF-8"
like "$(pairs)" '^5 CL102;6 CL903;' "invalid UTF-8 is reported (CL903) and the rest is checked"

{ printf '\xff\xfe'; printf '%s' "$HEAD" | iconv -f UTF-8 -t UTF-16LE; } >utf16.py
check 10 utf16.py
survived "a UTF-16 file"
valid_json "a UTF-16 file"

perl -e 'print "\f\t \x0b\n" x 1000' >blank.py
cat head.py >>blank.py
check 10 blank.py
survived "form feeds, tabs and vertical tabs"

perl -e 'print "import torch\n\n\ndef f(x):\n    y = torch.cond(x.dim() == 3, a, b, (x,)); z = \"", "\xc3\xa9" x 5000000, "\"\n"' >line10mb.py
check 30 line10mb.py
survived "a 10 MB line"
is "$(pairs)" "5 CL102;" "a 10 MB line: the cond at its start is found"
cl check line10mb.py
is "$rc" 1 "a 10 MB line: the text report works"
longest=$(printf '%s\n' "$out" | awk '{ if (length($0) > m) m = length($0) } END { print m }')
[ "$longest" -lt 2000 ]
ok $? "a 10 MB line: the text report shows it cut (longest line ${longest} characters)"

perl -e 'srand 11; print map { chr int rand 256 } 1 .. 300000' >junk.py
cat head.py >>junk.py
check 60 junk.py
survived "300 kB of random bytes, then a cond"
valid_json "300 kB of random bytes"

# ---- nesting: 100,000 levels of each kind of expression ---------------------
n=100000
deep() { # NAME PERL-EXPR: the expression, a string of about n levels
  perl -e "my \$n = $n; print qq(\$ARGV[0]x = ), $2, qq(\n)" "$HEAD" >"deep_$1.py"
  check 60 "deep_$1.py"
  survived "$1 nested $n deep"
  like "$(pairs)" '^5 CL102;' "$1 nested $n deep: the file is analysed"
}
deep parens '"(" x $n, "1", ")" x $n'
deep lists '"[" x $n, "]" x $n'
deep dicts '"{1: " x $n, "1", "}" x $n'
deep sets '"{" x $n, "1", "}" x $n'
deep tuples '"(" x $n, "1", ",)" x $n'
deep unary '"-" x $n, "1"'
deep not '"not " x $n, "a"'
deep lambda '"lambda: " x $n, "1"'
deep attributes '"a", ".b" x $n'
deep calls '"f", "()" x $n'
deep subscripts '"a[" x $n, "1", "]" x $n'
deep slices '"a[" x $n, "1:", "]" x $n'
deep keywords '"f(a=" x $n, "1", ")" x $n'
deep ifexp '"a if b else " x $n, "c"'
deep power '"a ** " x $n, "b"'
deep walrus '"(a := " x $n, "1", ")" x $n'
deep await '"await " x $n, "a"'
deep fstrings '"f\"{" x 200, "1", "}\"" x 200'
deep comparisons '"a", " < a" x $n'
deep booleans '"a", " and b or c" x $n'
deep binops '"1", " + 1" x $n'
deep strings '"\"a\" " x $n'
deep stars '"[", "*a, " x $n, "]"'
deep comprehensions '"[a for a in " x 2000, "b", "]" x 2000'

# ---- statements -------------------------------------------------------------
many() { # NAME PERL-EXPR: the statements after HEAD
  perl -e "my \$n = $n; print \$ARGV[0], $2" "$HEAD" >"stmt_$1.py"
  check 60 "stmt_$1.py"
  survived "$1"
  like "$(pairs)" '^5 CL102;' "$1: the file is analysed"
}
many "100,000 decorators" '"\@d\n" x $n, "def g(x):\n    pass\n"'
many "20,000 parameters" '"def g(", join(",", map { "a$_" } 1 .. 20000), "):\n    pass\n"'
many "a dotted import 100,000 names long" '"import ", join(".", ("a") x $n), "\n"'
many "a relative import 100,000 dots deep" '"from ", "." x $n, " import a\n"'
many "100,000 chained assignments" '"a = " x $n, "b\n"'
many "100,000 statements on one line" '"a = 1; " x $n, "\n"'
many "100,000 except clauses" '"try:\n    pass\n", "except E:\n    pass\n" x $n'
many "100,000 names in one global" '"global ", join(", ", ("a") x $n), "\n"'
many "100,000 names unpacked" '"(", "a, " x $n, "b) = c\n"'

# ---- blocks nested deep (one space of indentation per level) ---------------
# CPython stops at 100 levels of indentation; tree-sitter-python at 255: a
# deeper file is one syntax error (CL901) and is not analysed.
block() { # NAME LEVELS HEADER-FORMAT [TAIL-FORMAT]
  perl -e 'my ($head, $n, $hdr, $tail) = @ARGV; print $head;
           print " " x $_, sprintf($hdr, $_), "\n" for 0 .. $n - 1;
           print " " x $n, "y = torch.cond(x.dim() == 3, a, b, (x,))\n";
           if ($tail) { print " " x $_, sprintf($tail, $_), "\n", " " x ($_ + 1), "pass\n" for reverse 0 .. $n - 1 }' \
    "$HEAD" "$2" "$3" "${4:-}" >"block_$1_$2.py"
  check 60 "block_$1_$2.py"
  survived "$1 blocks nested $2 deep"
}
for kind in "if|if x%d:" "while|while x%d:" "for|for a%d in b:" "with|with a as b%d:" \
  "def|def g%d(x):" "class|class C%d:" "async|async def g%d(x):" "try|try:|except E%d:"; do
  IFS='|' read -r name hdr tail <<<"$kind"
  block "$name" 250 "$hdr" "$tail"
  like "$(pairs)" '^5 CL102;' "$name blocks nested 250 deep: the file is analysed"
  block "$name" 3000 "$hdr" "$tail"
  like "$(pairs)" 'CL901;' "$name blocks nested 3000 deep: a syntax error (CL901)"
done

# ---- fixed: valid Python that the grammar refuses -------------------------
# Found by the torch 2.11 survey (docs/reliability.md): tree-sitter-python
# 0.23.6 gives a syntax error for a starred bracket display in an
# unparenthesized tuple (torch/_higher_order_ops/associative_scan.py:832,
# torch/distributed/elastic/rendezvous/utils.py:90). CPython takes them;
# parse.c hides such a '*' from the parser and the lowering restores it
# (t/fixtures/parse_starred_bracket_items.py checks the meaning is kept).
n=0
for stmt in 'return *[None] * 3, *xs' 'return a, *[1]' 'x = a, *[]' 'x = a, *(b)' 'x = a, *{1}' \
  'h, *r = a, *[]' 'yield a, *[1]' 'x = a, \
    *[1]' 'x = "*", *[1]  # , *[2]'; do
  n=$((n + 1))
  printf '%sdef g(a, b, xs):\n    %s\n' "$HEAD" "$stmt" >starred$n.py
  CONDLINT_PREFILTER=off cl check --output-format json starred$n.py
  is "$(pairs)" "5 CL102;" "'$stmt' is valid Python: no CL901"
done
printf '%sdef g(a, b, xs):\n    y = [*[None] * 3, *xs]\n    return (a, *[1]), b, *xs\n' "$HEAD" >starred_ok.py
cl check --output-format json starred_ok.py
is "$(pairs)" "5 CL102;" "starred items in brackets, or without a bracket display, parse"
done_testing
