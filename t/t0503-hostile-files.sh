#!/usr/bin/env bash
# Hostile file systems: files deleted, emptied or rewritten while condlint
# runs, unreadable files and directories, symbolic-link loops, links to
# /dev/zero, FIFOs, odd path names (spaces, newlines, quotes, a leading dash,
# non-UTF-8 bytes, 255-byte names, paths past PATH_MAX) and tens of thousands
# of files. condlint never crashes or hangs, the JSON report stays valid
# JSON, what it cannot read named on the command line is an error (2), and
# what a walk cannot read is named on stderr while the rest is reported
# (exit 2; docs/reliability.md says why).
. "$(dirname "$0")/lib.sh"
cd "$TMP"

HEAD='import torch


def f(x):
    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))
'
valid_json() { # NAME: $out is one JSON array
  printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'exit !(ref(decode_json($_)) eq "ARRAY")' 2>/dev/null
  ok $? "$1: the JSON report is valid"
}
no_crash() { # NAME
  [ "$rc" -le 2 ] && ! [[ $err =~ (Sanitizer|runtime\ error|out\ of\ memory) ]]
  ok $? "$1: no crash (exit $rc)"
}
slow=1
case $CONDLINT in *asan*) slow=4 ;; esac
# Write to a FIFO in the background; the writer never holds the TAP output
# and gives up after two minutes if nobody opens the FIFO.
feed() { # FIFO SHELL-COMMAND (its output goes to the FIFO)
  (exec >/dev/null 2>&1 </dev/null; timeout 120 sh -c "$2 >'$1'") &
}

# ---- files that change under the walk ---------------------------------------
mkdir churn
perl -e 'for my $i (1 .. 1500) { open my $f, ">", "churn/m$i.py" or die; print $f $ARGV[0], "import m", $i + 1, "\n" }' "$HEAD"
(
  # while condlint runs: delete, empty, rewrite with junk, recreate
  end=$((SECONDS + 25 * slow))
  i=0
  while [ $SECONDS -lt $end ] && [ ! -e "$TMP/churn.stop" ]; do
    i=$(((i * 7 + 13) % 1500 + 1))
    case $((i % 4)) in
    0) rm -f "churn/m$i.py" ;;
    1) : >"churn/m$i.py" ;;
    2) head -c 300 /dev/urandom >"churn/m$i.py" 2>/dev/null ;;
    3) printf '%s' "$HEAD" >"churn/m$i.py" ;;
    esac
  done
) &
churner=$!
worst=0
for run in 1 2 3 4 5; do
  cl check --output-format json churn
  [ "$rc" -gt "$worst" ] && worst=$rc
  printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'exit !(ref(decode_json($_)) eq "ARRAY")' 2>/dev/null || worst=99
done
: >"$TMP/churn.stop"
wait $churner
[ "$worst" -le 1 ]
ok $? "5 runs over 1500 files deleted, emptied and rewritten meanwhile: exit 0 or 1 and valid JSON each time (worst $worst)"

# ---- what cannot be read ----------------------------------------------------
# As root, permissions do not stop reads: run condlint as nobody then.
as_user=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  chmod 755 "$TMP"
  # nobody must be able to run the binary under test
  "${as_user[@]}" "$CONDLINT" --version >/dev/null 2>&1 || as_user=()
fi
mkdir -p perm/sub/deny perm/sub/noexec locked
printf '%s' "$HEAD" >perm/ok.py
printf '%s' "$HEAD" >perm/secret.py
printf '%s' "$HEAD" >perm/sub/deny/x.py
printf '%s' "$HEAD" >perm/sub/noexec/y.py
printf '%s' "$HEAD" >locked/inside.py
chmod 755 perm perm/sub
chmod 644 perm/ok.py
chmod 000 perm/secret.py locked perm/sub/deny
chmod 644 perm/sub/noexec # listable, not searchable: its entries cannot be read
if [ "$(id -u)" = 0 ] && [ ${#as_user[@]} = 0 ]; then
  skip "unreadable files" "running as root without setpriv: permissions do not apply"
else
  cl_user() { "${as_user[@]}" "$CONDLINT" "$@" >"$TMP/.out" 2>"$TMP/.err" </dev/null; rc=$?; out=$(cat "$TMP/.out"); err=$(cat "$TMP/.err"); _cl_sanitizer "$@"; }
  cl_user check perm/secret.py
  is "$rc" 2 "an unreadable file named on the command line: exit 2"
  like "$err" 'perm/secret\.py: Permission denied' "... and the error names it"
  is "$out" "" "... and there is no report"
  cl_user check --output-format json --no-cache perm
  no_crash "unreadable entries in a directory"
  is "$rc" 2 "an unreadable file, directory and unsearchable directory inside a walk: exit 2"
  like "$err" '^condlint: perm/secret\.py: Permission denied' "... the unreadable file is named on stderr"
  like "$err" $'\ncondlint: perm/sub/deny: Permission denied' "... so is the unreadable directory"
  like "$err" $'\ncondlint: perm/sub/noexec/y\.py: Permission denied' "... and the entry of the directory that cannot be searched"
  is "$(printf '%s' "$out" | json_paths | tr '\n' ' ')" "perm/ok.py " "... the readable file next to them is still checked and reported"
  valid_json "a walk with unreadable entries"
  cl_user check --exit-zero --no-cache perm
  is "$rc" 2 "... --exit-zero does not hide what could not be read (exit 2)"
  cl_user check --no-cache locked
  no_crash "an unreadable directory named on the command line"
  is "$rc" 2 "an unreadable directory named on the command line: exit 2"
  like "$err" '^condlint: locked: Permission denied' "... and the error names it"
  is "$out" "" "... and there is no report"
  cl_user check --no-cache perm locked
  no_crash "an unreadable directory next to a readable one"
  is "$rc" 2 "an unreadable directory named next to a readable one: exit 2"
  like "$err" 'condlint: locked: Permission denied' "... and the error names it"
  cl_user check --no-cache perm/ok.py perm/sub/deny
  is "$rc" 2 "an unreadable directory named after a readable file: exit 2"
  mkdir -p many-locked
  for i in $(seq 10 34); do printf '%s' "$HEAD" >many-locked/f$i.py; done
  chmod 000 many-locked/f*.py
  cl_user check --no-cache many-locked
  is "$rc" 2 "25 unreadable files in a directory: exit 2"
  is "$(printf '%s\n' "$err" | grep -c '^condlint: many-locked/f[0-9]*\.py: Permission denied$')" 20 "... the first 20 are named, one per line"
  like "$err" $'\ncondlint: and 5 more that cannot be read$' "... and the rest are counted"
  like "$out" '0 files checked' "... and the report says nothing was checked"
  rm -rf many-locked
  printf 'secret.py\nsub/\n' >perm/.gitignore
  chmod 644 perm/.gitignore
  cl_user check --no-cache perm
  is "$rc" 1 "unreadable entries that .gitignore excludes are not walked: exit 1 (the finding)"
  is "$err" "" "... and nothing is said of them"
  rm -f perm/.gitignore
fi
chmod 755 perm/sub/noexec perm/sub/deny
chmod 755 locked
chmod 644 perm/secret.py

# ---- links, devices, FIFOs --------------------------------------------------
mkdir links
printf '%s' "$HEAD" >links/real.py
ln -s self.py links/self.py
ln -s b.py links/a.py
ln -s a.py links/b.py
ln -s .. links/up
ln -s . links/here
ln -s /dev/zero links/zero.py
ln -s /nonexistent/x.py links/dangling.py
mkfifo links/fifo.py
prev=real.py
for i in $(seq 1 60); do ln -s "$prev" "links/chain$i.py"; prev=chain$i.py; done
start=$SECONDS
timeout $((20 * slow)) "$CONDLINT" check --output-format json links >"$TMP/.out" 2>"$TMP/.err" </dev/null
rc=$?
out=$(cat "$TMP/.out")
err=$(cat "$TMP/.err")
_cl_sanitizer check links
is "$rc" 1 "a directory of link loops, a link to /dev/zero, a FIFO and a 60-link chain: done, exit 1"
valid_json "link loops"
is "$(printf '%s' "$out" | json_paths | tr '\n' ' ')" "links/chain1.py " \
  "... links to directories are not followed; a file reached by 41 names (40 links) is reported once"
cl check links/self.py
is "$rc" 2 "a link to itself named on the command line: exit 2"
like "$err" 'links/self\.py: Too many levels of symbolic links' "... and the error says why"
cl check links/a.py
is "$rc" 2 "two links to each other: exit 2"
cl check links/dangling.py
is "$rc" 2 "a dangling link: exit 2"
# /dev/zero named on the command line: fed through a FIFO, 300 MB at most, so
# that a reader without a limit fails this test instead of the machine
mkfifo zero.py
feed zero.py 'head -c 300000000 /dev/zero'
timeout $((60 * slow)) "$CONDLINT" check zero.py >"$TMP/.out" 2>"$TMP/.err" </dev/null
rc=$?
err=$(cat "$TMP/.err")
is "$rc" 2 "300 MB of NUL bytes named on the command line (/dev/zero): exit 2"
like "$err" 'zero\.py: larger than 256 MiB' "... it is refused past 256 MiB"
head -c 300000000 /dev/zero | timeout $((60 * slow)) "$CONDLINT" check - >"$TMP/.out" 2>"$TMP/.err"
rc=$?
err=$(cat "$TMP/.err")
is "$rc" 2 "300 MB on standard input: exit 2"
like "$err" 'larger than 256 MiB' "... it is refused past 256 MiB"
feed links/fifo.py "printf '%s' '$HEAD'"
cl check --output-format json links/fifo.py
is "$(printf '%s' "$out" | json_pairs | tr '\n' ';')" "5 CL102;" "a FIFO named on the command line is read like a pipe"

# ---- odd names --------------------------------------------------------------
mkdir names
names=("with space.py" $'new\nline.py' $'tab\there.py' 'quote".py' "apos'.py" 'back\slash.py'
  '-dash.py' 'caf'$'\xc3\xa9''.py' $'\xf0\x9f\x94\xa5.py' $'\xe2\x80\xaeyp.txt.py' '*?[.py'
  "$(printf 'n%.0s' $(seq 1 252)).py")
for n in "${names[@]}"; do printf '%s' "$HEAD" >"names/$n"; done
printf '%s' "$HEAD" >names/$'latin1-\xe9.py'
printf '%s' "$HEAD" >names/$'ctrl-\x01\x1b.py'
cl check --output-format json names
is "$rc" 1 "odd file names: exit 1"
valid_json "odd file names"
got=$(printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'print scalar @{decode_json($_)}')
is "$got" "$(( ${#names[@]} + 2 ))" "... every file is reported"
for n in "${names[@]}"; do
  printf '%s' "$out" | perl -MJSON::PP -MEncode -0777 -e '
    my $want = decode("UTF-8", "names/$ARGV[0]"); local $/; my $d = decode_json(<STDIN>);
    exit !(grep { $_->{path} eq $want } @$d)' -- "$n"
  ok $? "the path '$(printf '%q' "$n" | cut -c1-40)' is in the JSON report as it is"
done
printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'exit !(grep { $_->{path} eq "names/latin1-\x{fffd}.py" } @{decode_json($_)})'
ok $? "a name that is not UTF-8: its bad byte becomes U+FFFD in the JSON report"
cl check --output-format sarif names
printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'exit !(ref(decode_json($_)) eq "HASH")' 2>/dev/null
ok $? "odd file names: the SARIF report is valid JSON"
(cd names && "$CONDLINT" check -- -dash.py >/dev/null 2>&1)
is "$?" 1 "a name starting with a dash, after --: checked"
(cd names && "$CONDLINT" check -dash.py >/dev/null 2>&1)
is "$?" 2 "... and without --, it is an unknown option"

# a path longer than PATH_MAX (4096): 24 directories of 200 characters,
# made one level at a time
d200=$(printf 'd%.0s' $(seq 1 200))
(mkdir long && cd long && for i in $(seq 1 24); do mkdir "$d200" && cd "$d200" || exit 1; done &&
  printf '%s' "$HEAD" >x.py) 2>/dev/null
if [ $? = 0 ]; then
  cl check --output-format json long
  no_crash "a file below a path of 4800 bytes"
  valid_json "a path longer than PATH_MAX"
else
  skip "a path longer than PATH_MAX" "this file system refuses it"
fi

# ---- many files -------------------------------------------------------------
mkdir many
perl -e 'for my $i (1 .. 30000) { open my $f, ">", "many/f$i.py" or die; print $f "x = $i\n" } open my $f, ">", "many/z.py"; print $f $ARGV[0]' "$HEAD"
start=$SECONDS
cl check --output-format json many/*.py
is "$rc" 1 "30001 files named on the command line: exit 1"
is "$(printf '%s' "$out" | json_pairs | tr '\n' ';')" "5 CL102;" "... the one finding is found"
took=$((SECONDS - start))
[ "$took" -le $((30 * slow)) ]
ok $? "... in ${took}s"
start=$SECONDS
cl check many
is "$rc" 1 "a directory of 30001 files: exit 1"
like "$out" '30001 files checked' "... all of them are counted"
took=$((SECONDS - start))
[ "$took" -le $((30 * slow)) ]
ok $? "... in ${took}s"
same=()
for i in $(seq 1 20000); do same+=(many/z.py); done
cl check "${same[@]}"
is "$rc" 1 "one file named 20000 times: exit 1"
like "$out" 'Found 1 error' "... and reported once"
done_testing
