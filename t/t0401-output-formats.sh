#!/usr/bin/env bash
# --output-format concise, github, gitlab and junit (one formatter each), the
# text format's source underline, --output-file (written atomically), colour
# (--color, NO_COLOR, FORCE_COLOR) and --statistics.
. "$(dirname "$0")/lib.sh"
cd "$TMP"
PY=/usr/bin/python3

mkdir -p pkg
printf 'import torch\n\n\ndef f(x):\n    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))\n' >pkg/meta.py
printf 'x = 1  # condlint: ignore[CL101]\n' >pkg/unused.py
printf 'import torch\n\nx = = torch.cond\n' >pkg/syntax.py
printf 'x = 1\n' >clean.py

# ---- concise -----------------------------------------------------------------
cl check --isolated --output-format concise pkg
is "$rc" 1 "concise: exit 1 with findings"
is "$(printf '%s\n' "$out" | sed 's/^\([^ ]*\): \(CL[0-9]*\) .*/\1 \2/' | tr '\n' ';')" \
  "pkg/meta.py:5:12 CL102;pkg/syntax.py:3:5 CL901;pkg/unused.py:1:8 CL902;" \
  "concise: one 'path:line:col: CODE message' line per finding, sorted"
like "$out" $'^pkg/meta\\.py:5:12: CL102 this torch\\.cond always folds' "concise: the message follows the code"
unlike "$out" '\|' "concise: no source snippet"
unlike "$out" 'Found|checked' "concise: no summary footer"
cl check --isolated --output-format concise clean.py
is "$rc:$out" "0:" "concise: nothing at all for a clean file"

# ---- text keeps its source underline -----------------------------------------
cl check --isolated pkg/meta.py
like "$out" $'\n    5 \\|     return torch\\.cond\\(x\\.dim\\(\\) == 3' "text: the source line under the diagnostic"
like "$out" $'\n      \\|            \\^{10}\n' "text: the callee underlined (10 carets at column 12)"

# ---- github ------------------------------------------------------------------
cl check --isolated --output-format github pkg
is "$rc" 1 "github: exit 1 with findings"
first=$(printf '%s\n' "$out" | head -1)
like "$first" '^::error title=CL102 cond-predicate-static-metadata,file=pkg/meta\.py,line=5,col=12,endLine=5,endColumn=22::this torch\.cond always folds' \
  "github: an error workflow command with title, file, line, col, endLine, endColumn"
like "$first" '%0Apkg/meta\.py:5:23: note: ' "github: notes follow on escaped new lines (%0A)"
like "$out" $'\n::warning title=CL902 unused-suppression,file=pkg/unused\\.py,line=1,col=8' "github: warnings are ::warning"
like "$out" $'\n::notice title=CL901 syntax-error,file=pkg/syntax\\.py,line=3,col=5' "github: info is ::notice"
is "$(printf '%s\n' "$out" | grep -vc '^::')" 0 "github: every line is a workflow command"
# properties escape ',' and ':'; data escapes '%'
mkdir -p 'we,ird:dir'
printf 'import torch\n\n\ndef f(x):\n    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))  # 100%%\n' >'we,ird:dir/m.py'
cl check --isolated --output-format github 'we,ird:dir/m.py'
like "$out" 'file=we%2Cird%3Adir/m\.py,line=5' "github: ',' and ':' in a property are escaped"

# ---- gitlab ------------------------------------------------------------------
cl check --isolated --output-format gitlab pkg
is "$rc" 1 "gitlab: exit 1 with findings"
got=$(printf '%s' "$out" | perl -MJSON::PP -0777 -ne '
  my $d = decode_json($_); my %fp;
  for my $i (@$d) {
    my $k = join " ", sort keys %$i;
    print "keys [$k]\n" if $k ne "check_name description fingerprint location severity";
    print "location [", join(" ", sort keys %{$i->{location}}), "]\n"
      if join(" ", sort keys %{$i->{location}}) ne "lines path";
    print "fingerprint $i->{fingerprint} twice\n" if $fp{$i->{fingerprint}}++;
    print "$i->{check_name} $i->{severity} $i->{location}{path}:$i->{location}{lines}{begin}\n";
  }' 2>&1)
is "$got" $'CL102 major pkg/meta.py:5\nCL901 info pkg/syntax.py:3\nCL902 minor pkg/unused.py:1' \
  "gitlab: Code Quality issues with check_name, severity (error major, warning minor, info info), path, lines.begin"
like "$out" '"description": "CL102 this torch\.cond always folds' "gitlab: the description names the code and says what is wrong"
like "$out" '"fingerprint": "[0-9a-f]{16}"' "gitlab: fingerprints are 16 hex digits"
cl check --isolated --output-format gitlab clean.py
is "$(printf '%s' "$out" | tr -d ' \n')" "[]" "gitlab: no findings is an empty array"

# ---- junit -------------------------------------------------------------------
junit_summary() {
  "$PY" -c '
import sys, xml.dom.minidom as m
d = m.parseString(sys.stdin.buffer.read())
ts = d.documentElement
print(ts.tagName, ts.getAttribute("tests"), ts.getAttribute("failures"))
for tc in d.getElementsByTagName("testcase"):
    f = tc.getElementsByTagName("failure")
    print(tc.getAttribute("classname"), tc.getAttribute("line"), f[0].getAttribute("type") if f else "pass",
          "|", f[0].getAttribute("message") if f else "")
' 2>&1
}
cl check --isolated --output-format junit pkg
is "$rc" 1 "junit: exit 1 with findings"
like "$out" '^<\?xml version="1\.0" encoding="UTF-8"\?>' "junit: an XML declaration"
got=$(printf '%s' "$out" | junit_summary)
like "$got" '^testsuites 3 3' "junit: it parses; three tests, three failures"
like "$got" $'\npkg/meta\\.py 5 CL102 \\| this torch\\.cond always folds' "junit: one testcase per finding, classname the file"
like "$got" $'\npkg/unused\\.py 1 CL902 \\| unused suppression' "junit: ... each with its failure"
like "$out" 'note: this predicate' "junit: the notes are in the failure's text"

# markup and bad bytes in a path and in the source are escaped
mkdir -p 'a&b<c>'
printf 'import torch\n\n\ndef f(x):\n    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))\n' >'a&b<c>/q"t.py'
printf 'import torch\n\n\ndef f(x):\n    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))\n' >"$(printf 'bad\xff.py')"
cl check --isolated --output-format junit 'a&b<c>' "$(printf 'bad\xff.py')"
got=$(printf '%s' "$out" | junit_summary)
like "$got" '^testsuites 2 2' "junit: a path with & < > \" and a non-UTF-8 byte still gives well-formed XML"
like "$got" 'a&b<c>/q"t\.py 5 CL102' "junit: ... and the path reads back unchanged"
like "$got" $'bad\xef\xbf\xbd\\.py 5 CL102' "junit: ... an invalid byte becomes U+FFFD"
cl check --isolated --output-format junit clean.py
is "$(printf '%s' "$out" | junit_summary)" "testsuites 0 0" "junit: no findings, no failing testcase"
is "$rc" 0 "junit: exit 0 without findings"

# ---- --output-file -------------------------------------------------------------
cl check --isolated --output-format json -o report.json pkg
is "$rc" 1 "-o: the exit status is the findings' status"
is "$out" "" "-o: nothing on stdout"
is "$(json_pairs <report.json | tr '\n' ';')" "1 CL902;3 CL901;5 CL102;" "-o: the report is in the file"
ls -a >listing
unlike "$(cat listing)" 'tmp' "-o: no temporary file is left behind"
printf 'stale\n' >report.txt
cl check --isolated --output-file report.txt clean.py
is "$(cat report.txt)" "All checks passed (1 file checked)." "--output-file replaces the previous report"
cl check --isolated --output-file=report2.txt --output-format concise pkg/meta.py
like "$(cat report2.txt)" '^pkg/meta\.py:5:12: CL102 ' "--output-file=F is accepted"
[ "$(stat -c %a report2.txt)" = "$(: >probe; stat -c %a probe)" ]
ok $? "--output-file: the report has a regular file's mode, not the temporary file's 600"
cl check --isolated -o no/such/dir/r.txt clean.py
is "$rc" 2 "-o into a missing directory exits 2"
like "$err" 'no/such/dir/r\.txt' "... naming the file"
chmod 555 "$TMP" 2>/dev/null
if [ "$(id -u)" -ne 0 ]; then
  cl check --isolated -o r3.txt clean.py
  is "$rc" 2 "-o into a read-only directory exits 2"
else
  skip "-o into a read-only directory exits 2" "root writes anywhere"
fi
chmod 755 "$TMP"

# ---- colour --------------------------------------------------------------------
cl check --isolated pkg/meta.py
unlike "$out" $'\e' "auto: no colour when stdout is not a terminal"
FORCE_COLOR=1 cl check --isolated pkg/meta.py
like "$out" $'\e\\[' "auto: FORCE_COLOR forces colour"
FORCE_COLOR=1 NO_COLOR=1 cl check --isolated pkg/meta.py
unlike "$out" $'\e' "auto: NO_COLOR wins over FORCE_COLOR"
FORCE_COLOR= cl check --isolated pkg/meta.py
unlike "$out" $'\e' "auto: an empty FORCE_COLOR is ignored"
FORCE_COLOR=1 cl check --isolated --color never pkg/meta.py
unlike "$out" $'\e' "--color never wins over FORCE_COLOR"
NO_COLOR=1 cl check --isolated --color always pkg/meta.py
like "$out" $'\e\\[' "--color always wins over NO_COLOR"
cl check --isolated --color always --output-format concise pkg/meta.py
like "$out" $'\e\\[' "concise is coloured on request"
cl check --isolated --color always --output-format json pkg/meta.py
unlike "$out" $'\e' "json is never coloured"
FORCE_COLOR=1 cl check --isolated -o colored.txt pkg/meta.py
like "$(cat colored.txt)" $'\e\\[' "FORCE_COLOR colours a report file too"
cl check --isolated -o plain.txt pkg/meta.py
unlike "$(cat plain.txt)" $'\e' "a report file is not coloured by default"

# ---- --statistics ------------------------------------------------------------
cp pkg/meta.py pkg/meta2.py
cl check --isolated --statistics pkg
is "$rc" 1 "--statistics: the exit status is the findings' status"
is "$out" $'    2\tCL102\tcond-predicate-static-metadata\n    1\tCL901\tsyntax-error\n    1\tCL902\tunused-suppression' \
  "--statistics: count, code and name per rule, most frequent first"
cl check --isolated --statistics --output-format json pkg
is "$(printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'print join ";", map { "$_->{code}=$_->{count}" } @{decode_json($_)}')" \
  "CL102=2;CL901=1;CL902=1" "--statistics --output-format json: a JSON array of code and count"
cl check --isolated --statistics clean.py
is "$rc:$out" "0:" "--statistics: nothing for a clean tree"
cl check --isolated --statistics --exit-zero pkg
is "$rc" 0 "--statistics with --exit-zero exits 0"

# ---- bad values ----------------------------------------------------------------
cl check --output-format yaml clean.py
is "$rc" 2 "an unknown format exits 2"
like "$err" "concise, json, sarif, github, gitlab, junit" "... listing the formats"
cl check -o
is "$rc" 2 "-o without a value exits 2"
done_testing
