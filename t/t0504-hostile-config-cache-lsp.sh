#!/usr/bin/env bash
# Hostile files around the sources: a configuration that is not TOML (or is
# TOML nested 100,000 deep, or /dev/zero), a baseline truncated or corrupted,
# a cache whose entries are truncated, flipped, replaced by random bytes or by
# links to /dev/zero, and a language-server client that sends garbage or
# hostile documents. A bad configuration or baseline is an error (exit 2)
# that names the file; a bad cache entry is ignored; nothing crashes.
. "$(dirname "$0")/lib.sh"
cd "$TMP"
H=$TOP/t/hostile

HEAD='import torch


def f(x):
    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))
'
printf '%s' "$HEAD" >a.py
slow=1
case $CONDLINT in *asan*) slow=4 ;; esac
# a run under a time limit, outside cl; sets rc and err (follow it with
# _cl_sanitizer to have its sanitizer report fail the final check)
raw() { # SECONDS ARGS...
  local s=$1
  shift
  rc=$(exec 2>/dev/null; timeout "$s" "$CONDLINT" "$@" >"$TMP/.out" 2>"$TMP/.err" </dev/null; echo $?)
  err=$(cat "$TMP/.err")
}
crashed() { [ "$rc" -gt 2 ] || [[ $err =~ (ERROR:\ AddressSanitizer|runtime\ error|DEADLYSIGNAL|out\ of\ memory) ]]; }

# ---- configuration ----------------------------------------------------------
bad_config() { # NAME: condlint.toml in cfg/ is bad; expect exit 2 naming it
  mkdir -p cfg
  cp a.py cfg/a.py
  cl check cfg/a.py
  is "$rc" 2 "a condlint.toml that is $1: exit 2"
  like "$err" 'condlint\.toml:[0-9]+:[0-9]+: ' "... and the error names the file, line and column"
}
mkdir -p cfg
head -c 100000 /dev/urandom >cfg/condlint.toml
bad_config "random bytes"
printf 'select = ["CL1"\n' >cfg/condlint.toml
bad_config "cut off in an array"
printf '\xff\xfe[\x00t\x00]\x00' >cfg/condlint.toml
bad_config "UTF-16"
printf 'select = "CL1\x00"\n' >cfg/condlint.toml
bad_config "holding a NUL byte"
printf 'select = ["\xff"]\n' >cfg/condlint.toml
bad_config "invalid UTF-8"
printf 'select = 1\n' >cfg/condlint.toml
bad_config "TOML of the wrong types"
perl -e 'print "x", "=1\nx" x 3, "=1\n"' >cfg/condlint.toml
bad_config "TOML with duplicate keys"
perl -e 'print "# c\n" x 70000, "select = [\"CL1\"]\n"' >cfg/condlint.toml
cl check cfg/a.py
is "$rc" 1 "a condlint.toml of 70000 comment lines, then select: read (exit 1, the finding)"
rm -f cfg/condlint.toml
printf '[tool.condlint]\nselect = [\n' >cfg/pyproject.toml
bad_config_py() {
  cl check cfg/a.py
  is "$rc" 2 "a pyproject.toml that is $1: exit 2"
  like "$err" 'pyproject\.toml' "... and the error names the file"
}
bad_config_py "not TOML"
rm -f cfg/pyproject.toml
mkdir cfg/pyproject.toml
cl check cfg/a.py
is "$rc" 1 "a directory called pyproject.toml is not a configuration (exit 1, the finding)"
rmdir cfg/pyproject.toml
ln -s /dev/zero cfg/condlint.toml
cl check cfg/a.py
is "$rc" 1 "condlint.toml a link to /dev/zero: not a configuration (exit 1, the finding)"
rm cfg/condlint.toml
ln -s condlint.toml cfg/condlint.toml
cl check cfg/a.py
ok $(( rc > 2 )) "condlint.toml a link to itself: no crash (exit $rc)"
rm cfg/condlint.toml
# a configuration of 300 MB (spaces, from a FIFO: bounded even if the reader
# had no limit), then /dev/zero itself
mkfifo big.toml
(exec >/dev/null 2>&1 </dev/null; timeout 120 sh -c "head -c 300000000 /dev/zero | tr '\\0' ' ' >big.toml") &
raw $((60 * slow)) check --config big.toml a.py
_cl_sanitizer check --config big.toml
! crashed && [ "$rc" = 2 ]
ok $? "--config with a 300 MB file: no crash, exit 2 (exit $rc)"
like "$err" '^big\.toml: larger than 1 MiB: not a condlint configuration' "... refused past 1 MiB, naming the file"
raw $((20 * slow)) check --config /dev/zero a.py
_cl_sanitizer check --config /dev/zero
! crashed && [ "$rc" = 2 ]
ok $? "--config /dev/zero: no crash, exit 2 (exit $rc)"
like "$err" '^/dev/zero: larger than 1 MiB' "... refused past 1 MiB"
perl -e 'print "# ", "x" x 1000, "\n" for 1 .. 1100; print "select = [\"CL1\"]\n"' >cfg/condlint.toml
cp a.py cfg/a.py
cl check cfg/a.py
is "$rc" 2 "a condlint.toml found by discovery past 1 MiB: exit 2"
like "$err" 'cfg/condlint\.toml: larger than 1 MiB' "... naming it"
perl -e 'print "# ", "x" x 1000, "\n" for 1 .. 1000; print "select = [\"CL1\"]\n"' >cfg/condlint.toml
cl check cfg/a.py
is "$rc" 1 "a condlint.toml just under 1 MiB: read (exit 1, the finding)"
rm -f cfg/condlint.toml
for g in toml-deep-array toml-deep-table toml-long-key toml-deep-error; do
  perl "$H/generate.pl" $g >deep.toml
  raw $((30 * slow)) check --config deep.toml a.py
_cl_sanitizer check --config deep.toml
  ! crashed && [ "$rc" = 2 ]
  ok $? "$g: a configuration nested 100000 deep: no stack overflow, exit 2 (exit $rc)"
  like "$err" '^deep\.toml:1:[0-9]+: ' "... the error names the file, line and column"
done
perl "$H/generate.pl" toml-deep-array >deep.toml
raw $((30 * slow)) check --config deep.toml a.py
_cl_sanitizer check --config deep.toml
like "$err" 'deep\.toml:1:138: arrays and inline tables nested more than 128 deep' \
  "... past 128 levels of arrays, at the first array too deep"
perl "$H/generate.pl" toml-long-key >deep.toml
raw $((30 * slow)) check --config deep.toml a.py
_cl_sanitizer check --config deep.toml
like "$err" 'deep\.toml:1:2: a key with more than 32 parts' "... and a key of more than 32 parts"
perl -e 'print "select = ", "[" x 128, "\"CL1\"", "]" x 128, "\n"' >cfg/condlint.toml
cl check cfg/a.py
is "$rc" 2 "128 levels of arrays are read (then refused for their type: exit 2)"
like "$err" "must be" "... by the configuration layer, not the depth limit"
rm -f cfg/condlint.toml

# ---- baselines ----------------------------------------------------------------
cl check --baseline base.json a.py
is "$rc" 0 "a new baseline is recorded"
cp base.json good.json
bad_baseline() { # NAME
  cl check --baseline base.json a.py
  is "$rc" 2 "a baseline that is $1: exit 2"
  like "$err" 'base\.json.*not a condlint baseline' "... and the error says so"
}
head -c 40 good.json >base.json
bad_baseline "truncated"
head -c 3000 /dev/urandom >base.json
bad_baseline "random bytes"
: >base.json
bad_baseline "empty"
perl -e 'print "[" x 100000, "]" x 100000' >base.json
bad_baseline "JSON nested 100000 deep"
printf '{"tool": "condlint", "version": 1, "findings": [{"fingerprint": 7, "line": "x"}, null, [], {"fingerprint": "%s"}]}' "$(printf 'f%.0s' $(seq 1 100000))" >base.json
cl check --baseline base.json a.py
ok $(( rc > 2 )) "a baseline with findings of the wrong types: no crash (exit $rc)"
ln -sf /dev/zero base.json
timeout $((20 * slow)) "$CONDLINT" check --baseline base.json a.py >/dev/null 2>"$TMP/.err"
is "$?" 2 "a baseline that is a link to /dev/zero: exit 2"

# ---- the cache --------------------------------------------------------------
mkdir -p proj
printf '%s' "$HEAD" >proj/a.py
cp "$TOP"/examples/*.py proj/ 2>/dev/null
cl check --output-format concise --cache-dir cache proj
first=$out
first_rc=$rc
ok $(( $(find cache -type f | wc -l) == 0 )) "the cache is written ($(find cache -type f | wc -l) files)"
corrupt() { # MODE: damage every entry of the cache
  local f
  find cache -type f ! -name CACHEDIR.TAG ! -name .gitignore | while read -r f; do
    case $1 in
    truncated) s=$(stat -c %s "$f"); head -c $((s / 2)) "$f" >"$f.t" && mv "$f.t" "$f" ;;
    flipped) perl -e 'local $/; open my $F, "+<:raw", $ARGV[0] or die; my $d = <$F>;
                      for (my $i = 5; $i < length $d; $i += 11) { substr($d, $i, 1) = chr(ord(substr($d, $i, 1)) ^ 0x5a) }
                      seek $F, 0, 0; print $F $d' "$f" ;;
    random) s=$(stat -c %s "$f"); head -c "$s" /dev/urandom >"$f" ;;
    empty) : >"$f" ;;
    zero) rm -f "$f" && ln -s /dev/zero "$f" ;;
    huge) perl -e 'print "\xff" x 3000000' >"$f" ;;
    directory) rm -f "$f" && mkdir "$f" ;;
    esac
  done
}
for mode in truncated flipped random empty zero huge directory; do
  rm -rf cache
  cl check --output-format concise --cache-dir cache proj
  corrupt $mode
  cl check --output-format concise --cache-dir cache proj
  is "$rc:$out" "$first_rc:$first" "every cache entry $mode: the same report as without a cache"
  cl check --output-format concise --cache-dir cache proj
  is "$rc:$out" "$first_rc:$first" "... and again, once the entries were rewritten"
done
rm -rf cache
printf 'not a directory' >cache
cl check --output-format concise --cache-dir cache proj
is "$rc:$out" "$first_rc:$first" "a cache directory that is a file: the same report"
rm -f cache
ln -s cache cache
cl check --output-format concise --cache-dir cache proj
is "$rc:$out" "$first_rc:$first" "a cache directory that is a link loop: the same report"
rm -f cache

# ---- the language server --------------------------------------------------------
lsp_msg() { # JSON: one framed message
  printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1"
}
server() { # NAME INPUT-FILE: condlint server reads it and stops at its end
  timeout $((60 * slow)) "$CONDLINT" server --debounce 0 <"$2" >"$TMP/.out" 2>"$TMP/.err"
  rc=$?
  err=$(cat "$TMP/.err")
  _cl_sanitizer server "$1"
  [ "$rc" -le 1 ] && ! [[ $err =~ (Sanitizer|runtime\ error) ]]
  ok $? "language server, $1: no crash, no hang (exit $rc)"
}
init='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}'
head -c 1000000 /dev/urandom >garbage.bin
{ lsp_msg "$init"; cat garbage.bin; } >garbage.lsp
server "1 MB of random bytes after initialize" garbage.lsp
{ lsp_msg "$init"; printf 'Content-Length: 99999999999999999999\r\n\r\n{}'; printf 'Content-Length: 268435455\r\n\r\n{}'; } >huge.lsp
server "a Content-Length past every limit, then one never sent" huge.lsp
{ lsp_msg "$init"; body=$(perl -e 'print "[" x 100000, "]" x 100000'); lsp_msg "$body"; } >deep.lsp
server "a body of JSON nested 100000 deep" deep.lsp
{ lsp_msg "$init"; printf 'Content-Length: 5\r\n\r\n{"a\x00'; lsp_msg '{"jsonrpc":"2.0","id":"\u0000","method":"\u0000"}'; } >nul.lsp
server "NUL bytes in bodies and strings" nul.lsp
for g in comment-flood error-run-stars elif-chain; do
  perl "$H/generate.pl" $g >$g.py
  perl -MJSON::PP -e '
    local $/; open my $f, "<:raw", $ARGV[0] or die; my $t = <$f>; utf8::decode($t);
    my $js = JSON::PP->new->canonical;
    sub m1 { my $b = $js->encode(shift); print "Content-Length: ", length($b), "\r\n\r\n", $b }
    m1({jsonrpc => "2.0", id => 1, method => "initialize", params => {processId => undef, rootUri => undef, capabilities => {}}});
    m1({jsonrpc => "2.0", method => "initialized", params => {}});
    m1({jsonrpc => "2.0", method => "textDocument/didOpen",
        params => {textDocument => {uri => "file://$ARGV[1]", languageId => "python", version => 1, text => $t}}});' \
    $g.py "$TMP/$g.py" >$g.lsp
  # the analysis must run before the stream ends: keep it open a little
  (cat $g.lsp; sleep $((3 * slow))) | timeout $((90 * slow)) "$CONDLINT" server --debounce 0 >"$TMP/.out" 2>"$TMP/.err"
  rc=$?
  err=$(cat "$TMP/.err")
  _cl_sanitizer server $g
  [ "$rc" -le 1 ] && ! [[ $err =~ (Sanitizer|runtime\ error) ]]
  ok $? "language server, a document of $g: no crash (exit $rc)"
  grep -q publishDiagnostics "$TMP/.out"
  ok $? "... and its diagnostics are published"
done
done_testing
