#!/usr/bin/env bash
# test.sh — run the whole test suite (t/tNNNN-*.sh and t/tNNNN-*.t, under prove) twice:
#   1. against a build with warnings as errors, in build/;
#   2. against an AddressSanitizer + UndefinedBehaviorSanitizer build, in
#      build-asan/.
# Missing dependencies are installed first (./setup.sh --deps-only).
# Exits non-zero when a build fails or any test fails.
#
#   ./test.sh               both passes
#   ./test.sh t/t0005-*.sh  both passes, only the tests named
set -uo pipefail
cd "$(dirname "$0")" || exit 1

tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(t/t[0-9]*.sh t/t[0-9]*.t)
jobs=$(nproc)

bash ./setup.sh --deps-only || exit 1

# A sanitizer report fails the run with a status no test expects from condlint.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:exitcode=86:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=86}

status=0
pass() { # NAME BUILD_DIR CMAKE_FLAGS...
  local name=$1 dir=$2
  shift 2
  printf '==> %s: building into %s/\n' "$name" "$dir"
  if ! cmake -S . -B "$dir" -DCONDLINT_WERROR=ON "$@" >/dev/null; then
    status=1
    return
  fi
  if ! cmake --build "$dir" -j"$jobs"; then
    status=1
    return
  fi
  printf '==> %s: prove with CONDLINT=%s/condlint\n' "$name" "$dir"
  CONDLINT=$dir/condlint CONDLINT_BUILD=$dir prove -j"$jobs" "${tests[@]}" || status=1
}

pass "warnings as errors" build -DCONDLINT_SANITIZE=OFF
pass "ASan + UBSan" build-asan -DCONDLINT_SANITIZE=ON

if [ "$status" -eq 0 ]; then
  echo "==> all tests passed, in both builds"
else
  echo "==> FAILED (see above)" >&2
fi
exit "$status"
