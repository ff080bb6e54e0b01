# t/lib.sh — sourced by the t/tNNNN-*.sh tests: TAP output, a scratch
# directory, and runners for the condlint binary.
#
# The binary under test is $CONDLINT (default build/condlint) and the unit
# test binaries live in $CONDLINT_BUILD/t (default build/t); test.sh points
# both at build-asan/ for the sanitizer pass. Relative values are taken from
# the directory prove was started in.
#
#   ok STATUS NAME          pass when STATUS is 0:  [[ $x == y ]]; ok $? "x is y"
#   is GOT WANT NAME        string equality, shows both on failure
#   like GOT REGEX NAME     bash =~ match;  unlike GOT REGEX NAME
#   skip NAME REASON        a test that cannot run here, with the reason
#   cl ARGS...              run condlint: sets $out, $err, $rc
#   cl_in INPUT ARGS...     the same with INPUT on stdin
#   done_testing            adds "no sanitizer report", prints the plan, exits

set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
case ${CONDLINT:=$TOP/build/condlint} in /*) ;; *) CONDLINT=$PWD/$CONDLINT ;; esac
case ${CONDLINT_BUILD:=$TOP/build} in /*) ;; *) CONDLINT_BUILD=$PWD/$CONDLINT_BUILD ;; esac
export CONDLINT CONDLINT_BUILD

TMP=$(mktemp -d "${TMPDIR:-/tmp}/condlint-t.XXXXXX")
trap 'chmod -R u+rwX "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
: >"$TMP/.sanitizer"

_tap_n=0
_tap_failed=0

ok() {
  local status=$1
  shift
  _tap_n=$((_tap_n + 1))
  if [ "$status" -eq 0 ]; then
    echo "ok $_tap_n - $*"
  else
    _tap_failed=$((_tap_failed + 1))
    echo "not ok $_tap_n - $*"
    local n=${#BASH_LINENO[@]}
    echo "#   Failed test '$*' (${BASH_SOURCE[n - 1]##*/} line ${BASH_LINENO[n - 2]})"
  fi
}

diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

is() {
  local got=$1 want=$2
  shift 2
  [ "$got" = "$want" ]
  ok $? "$@" || true
  if [ "$got" != "$want" ]; then
    diag "     got: '$got'" "expected: '$want'"
  fi
}

like() {
  local got=$1 re=$2
  shift 2
  [[ $got =~ $re ]]
  ok $? "$@"
  [[ $got =~ $re ]] || diag "'$got'" "does not match /$re/"
}

unlike() {
  local got=$1 re=$2
  shift 2
  ! [[ $got =~ $re ]]
  ok $? "$@"
  ! [[ $got =~ $re ]] || diag "'$got'" "matches /$re/"
}

skip() {
  _tap_n=$((_tap_n + 1))
  echo "ok $_tap_n # skip $1: $2"
}

# Keep every sanitizer report (ASan, UBSan, LSan) for the final check.
_cl_sanitizer() {
  if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: UndefinedBehaviorSanitizer' "$TMP/.err"; then
    { echo "condlint $*"; cat "$TMP/.err"; } >>"$TMP/.sanitizer"
  fi
}

cl() {
  "$CONDLINT" "$@" >"$TMP/.out" 2>"$TMP/.err" </dev/null
  rc=$?
  out=$(tr -d '\000' <"$TMP/.out") # NUL bytes of the source may be echoed
  err=$(cat "$TMP/.err")
  _cl_sanitizer "$@"
}

cl_in() {
  local input=$1
  shift
  printf '%s' "$input" | "$CONDLINT" "$@" >"$TMP/.out" 2>"$TMP/.err"
  rc=$?
  out=$(tr -d '\000' <"$TMP/.out") # NUL bytes of the source may be echoed
  err=$(cat "$TMP/.err")
  _cl_sanitizer "$@"
}

# cl_stats_in DIR ARGS...: `condlint check --output-format json ARGS` run in
# DIR with CONDLINT_STATS=1 (the cache tests read its stage counts); sets
# $out, $err and $rc like cl.
cl_stats_in() {
  local dir=$1
  shift
  (cd "$dir" && CONDLINT_STATS=1 "$CONDLINT" check --output-format json "$@") >"$TMP/.out" 2>"$TMP/.err"
  rc=$?
  out=$(cat "$TMP/.out")
  err=$(cat "$TMP/.err")
  _cl_sanitizer check "$@"
}

# cl_linked_helper_project DIR: a project whose main.py exports a model that
# calls pkg.helpers.head, reached as an attribute after `import pkg`: the
# prefilter skips pkg/helpers.py and link.c loads it during the analysis.
# Its narrow(1, 0, 64) of the Dim'd dim 1 is a CL209 (line 2).
cl_linked_helper_project() {
  mkdir -p "$1/pkg"
  : >"$1/pkg/__init__.py"
  printf 'def head(x):\n    return x.narrow(1, 0, 64)\n' >"$1/pkg/helpers.py"
  cat >"$1/main.py" <<'EOF'
import torch
import pkg
from torch.export import Dim, export


class M(torch.nn.Module):
    def forward(self, x):
        return pkg.helpers.head(x)


def run():
    x = torch.randn(2, 128)
    return export(M(), (x,), dynamic_shapes={"x": {1: Dim("s")}})
EOF
}

# Print "LINE CODE" for each finding of a JSON report on stdin (one per line,
# sorted); with an argument, only the findings whose path is that argument.
json_pairs() {
  perl -MJSON::PP -e '
    local $/; my $d = decode_json(<STDIN>);
    print map { "$_->{line} $_->{code}\n" }
      grep { !defined $ARGV[0] || $_->{path} eq $ARGV[0] } @$d;' -- "$@" | sort -n -k1,1 -k2
}

# Print the distinct paths of a JSON report on stdin, sorted.
json_paths() {
  perl -MJSON::PP -e 'local $/; print map { "$_->{path}\n" } @{decode_json(<STDIN>)}' | sort -u
}

# Run one C unit test binary (built from t/unit/NAME.c) as this test's TAP.
run_unit() {
  local bin=$CONDLINT_BUILD/t/$1
  if [ ! -x "$bin" ]; then
    echo "1..1"
    echo "not ok 1 - $bin is built (run ./test.sh or cmake --build build)"
    exit 1
  fi
  "$bin" 2>"$TMP/.err"
  local status=$?
  cat "$TMP/.err" >&2
  exit $status
}

done_testing() {
  is "$(cat "$TMP/.sanitizer")" "" "no sanitizer report from any condlint run"
  echo "1..$_tap_n"
  [ "$_tap_failed" -eq 0 ]
  exit $?
}
