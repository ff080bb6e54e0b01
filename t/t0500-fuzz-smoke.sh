#!/usr/bin/env bash
# The libFuzzer targets of bench/fuzz build and survive a short run each
# (CONDLINT_FUZZ_SECONDS, default 20) from their seed corpora: the Python
# front end with the whole analysis, the TOML configuration reader, the
# operator schema parser, the language server's message reader and the
# summary cache's decoder. Skipped
# only when clang's fuzzer runtime (libclang-rt-14-dev) is not installed.
. "$(dirname "$0")/lib.sh"

seconds=${CONDLINT_FUZZ_SECONDS:-20}
targets=(python toml schema lsp summary)

# Is the fuzzer runtime there? Link a trivial target with it.
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$TMP/probe.c"
if ! command -v clang >/dev/null 2>&1; then
  skip "fuzz smoke" "clang is not installed, so there is no fuzzer runtime"
  echo "1..$_tap_n"
  exit 0
fi
if ! clang -fsanitize=fuzzer "$TMP/probe.c" -o "$TMP/probe" >"$TMP/probe.log" 2>&1; then
  skip "fuzz smoke" "clang's fuzzer runtime is absent ($(grep -m1 -oE 'libclang_rt[^ ]*|cannot find[^\n]*' "$TMP/probe.log" || echo 'link failed')): install libclang-rt-14-dev"
  echo "1..$_tap_n"
  exit 0
fi

# A build of our own unless the caller gives one; it persists between runs.
build=${CONDLINT_FUZZ_BUILD:-$TOP/build-fuzz}
export CONDLINT_FUZZ_BUILD=$build
for t in "${targets[@]}"; do
  "$TOP/bench/fuzz/run.sh" "$t" "$seconds" -seed=1 >"$TMP/$t.out" 2>&1
  rc=$?
  is "$rc" 0 "fuzz_$t runs ${seconds}s from its seeds without a crash, leak, timeout or sanitizer report"
  [ "$rc" -eq 0 ] || diag "$(tail -25 "$TMP/$t.out")"
  [ "$rc" -eq 2 ] && break # cannot build: the other targets cannot either
  runs=$(sed -n 's/.*stat::number_of_executed_units: *//p' "$TMP/$t.out")
  [ "${runs:-0}" -gt 0 ] 2>/dev/null
  ok $? "fuzz_$t executed inputs (${runs:-0})"
done

# The regression inputs of t/hostile/ go through the targets they crashed
# (known-* are open bugs, asserted as TODO in t0501).
shopt -s nullglob
replay() { # TARGET NAME FILES...
  local bin=$build/fuzz/fuzz_$1 name=$2
  shift 2
  [ -x "$bin" ] && [ $# -gt 0 ] || return 0
  "$bin" -runs=1 "$@" >"$TMP/replay-$name.out" 2>&1
  local rc=$?
  is "$rc" 0 "fuzz_$name replays every t/hostile input of its kind cleanly"
  [ "$rc" -eq 0 ] || diag "$(grep -m3 -E 'ERROR|runtime error|Running:' "$TMP/replay-$name.out")"
}
py=()
for f in "$TOP"/t/hostile/*.py; do
  case ${f##*/} in known-*) ;; *) py+=("$f") ;; esac
done
replay python python "${py[@]}"
replay lsp lsp "$TOP"/t/hostile/lsp-*
replay toml toml "$TOP"/t/hostile/toml-*
done_testing
