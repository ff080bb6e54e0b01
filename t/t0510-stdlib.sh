#!/usr/bin/env bash
# Real code nobody here wrote: condlint over a few hundred files of the
# Python standard library installed on this machine (Debian's python3), with
# whatever binary $CONDLINT is (test.sh runs it once with the normal build and
# once with ASan + UBSan). Exit status below 2, valid JSON, no sanitizer
# report. First as a user runs it (the prefilter parses only the files that
# can matter), then with the prefilter off on 61 smaller modules, so that the
# parser and the interpreter see all of their code.
# docs/reliability.md has the full runs over every Python on the machine.
. "$(dirname "$0")/lib.sh"
cd "$TMP"

stdlib=
for d in /usr/lib/python3.11 /usr/lib/python3.12 /usr/lib/python3.13 /usr/lib/python3; do
  [ -f "$d/os.py" ] && stdlib=$d && break
done
if [ -z "$stdlib" ] && command -v python3 >/dev/null 2>&1; then
  stdlib=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])' 2>/dev/null)
  [ -f "$stdlib/os.py" ] || stdlib=
fi
if [ -z "$stdlib" ]; then
  skip "condlint over the standard library" "no Python standard library is installed"
  echo "1..$_tap_n"
  exit 0
fi

valid_json() { # NAME
  printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'exit !(ref(decode_json($_)) eq "ARRAY")' 2>/dev/null
  ok $? "$1: the JSON report is valid"
}
slow=1
case $CONDLINT in *asan*) slow=4 ;; esac

# ---- as a user runs it: a few hundred files, by name and as directories ----
mapfile -t files < <(cd "$stdlib" && find . -maxdepth 1 -name '*.py' | LC_ALL=C sort | sed 's|^\./||')
dirs=()
for d in json email http urllib logging xml concurrent importlib collections asyncio; do
  [ -d "$stdlib/$d" ] && dirs+=("$d")
done
count=$( (cd "$stdlib" && printf '%s\n' "${files[@]}" && find "${dirs[@]}" -name '*.py') | wc -l)
# check_stdlib WHAT ENV... -- PATHS...: one run in $stdlib; sets rc, out, err, took
check_stdlib() {
  local what=$1 envs=()
  shift
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  start=$SECONDS
  (cd "$stdlib" && env "${envs[@]}" "$CONDLINT" check --no-cache --output-format json "$@") >"$TMP/.out" 2>"$TMP/.err" </dev/null
  rc=$?
  out=$(cat "$TMP/.out")
  err=$(cat "$TMP/.err")
  _cl_sanitizer "check stdlib ($what)"
  took=$((SECONDS - start))
  [ "$rc" -lt 2 ]
  ok $? "$what: exit status below 2 (exit $rc, ${took}s)"
  [ -z "$err" ] || diag "stderr: ${err:0:600}"
  valid_json "$what"
}

check_stdlib "$count files of $stdlib" -- "${files[@]}" "${dirs[@]}"
[ "$took" -le $((120 * slow)) ]
ok $? "... within $((120 * slow))s"

# ---- every line parsed and interpreted: the prefilter off ----------------
mapfile -t small < <(cd "$stdlib" && find . -maxdepth 1 -name '*.py' -size -30k | LC_ALL=C sort | sed 's|^\./||' | awk 'NR % 2 == 1')
check_stdlib "${#small[@]} modules of $stdlib under 30 kB, prefilter off" CONDLINT_PREFILTER=off -- "${small[@]}"
done_testing
