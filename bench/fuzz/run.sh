#!/usr/bin/env bash
# run.sh TARGET SECONDS — build the libFuzzer targets and fuzz one of them.
#
#   TARGET   python (the whole analysis of one source file), toml (the
#            configuration reader), schema (the operator schema parser), lsp
#            (the language server's message reader), summary (the cache's
#            decoder of lowered IR, then the analysis of what it decoded), lazy
#            (a skeleton, its bodies parsed on call, against the whole parse),
#            pack (the cache's pack files: read, then merged), or all
#   SECONDS  how long each target runs (default 60)
#
# The targets are built in $CONDLINT_FUZZ_BUILD (default build-fuzz/, with
# CC=clang and -DCONDLINT_FUZZ=ON). Each target keeps its growing corpus in
# $CONDLINT_FUZZ_BUILD/corpus/TARGET and starts from the seeds: t/corpus and
# examples/ for python, bench/fuzz/seeds/NAME for toml, schema and lsp, and
# the encodings of the corpus files (made by fuzz_summary itself) for summary.
# Crash, leak, timeout and out-of-memory inputs land in
# $CONDLINT_FUZZ_BUILD/artifacts/TARGET/; each one found belongs in t/hostile/
# with an assertion in t/t0501-hostile-input.sh. Extra arguments after SECONDS
# go to libFuzzer (e.g. -jobs=2, -max_len=65536).
# Exit status: 0 no failure found, 1 a failure found, 2 cannot build or run.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
target=${1:-}
seconds=${2:-60}
[ $# -ge 2 ] && shift 2 || set --
case $target in python | toml | schema | lsp | summary | lazy | pack | all) ;; *)
  echo "usage: bench/fuzz/run.sh python|toml|schema|lsp|summary|lazy|pack|all SECONDS [libFuzzer options]" >&2
  exit 2 ;;
esac
build=${CONDLINT_FUZZ_BUILD:-$top/build-fuzz}
case $build in /*) ;; *) build=$PWD/$build ;; esac

if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=${CC:-clang} cmake -S "$top" -B "$build" -DCONDLINT_FUZZ=ON >"$build.configure.log" 2>&1 || {
    echo "run.sh: cannot configure $build (see $build.configure.log)" >&2
    exit 2
  }
  rm -f "$build.configure.log"
fi
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target fuzz_python fuzz_toml fuzz_schema fuzz_lsp fuzz_summary fuzz_lazy fuzz_pack \
  >"$build/fuzz-build.log" 2>&1 || {
  tail -30 "$build/fuzz-build.log" >&2
  echo "run.sh: cannot build the fuzz targets (log: $build/fuzz-build.log)" >&2
  exit 2
}

run_one() {
  local t=$1 corpus=$build/corpus/$1 art=$build/artifacts/$1/
  shift
  local -a seeds opts
  mkdir -p "$corpus" "$art"
  case $t in
  python | lazy)
    seeds=("$top/t/corpus" "$top/examples")
    opts=(-dict="$top/bench/fuzz/python.dict" -max_len=8192) ;;
  toml) seeds=("$top/bench/fuzz/seeds/toml"); opts=(-max_len=4096) ;;
  schema) seeds=("$top/bench/fuzz/seeds/schema"); opts=(-max_len=1024) ;;
  lsp) seeds=("$top/bench/fuzz/seeds/lsp"); opts=(-max_len=16384) ;;
  summary) # seeds: the encodings of the corpus files' parses, made by the target
    mkdir -p "$build/seeds/summary"
    find "$top/t/corpus" "$top/examples" -name '*.py' 2>/dev/null | sort |
      CONDLINT_FUZZ_EMIT_SEEDS="$build/seeds/summary" "$build/fuzz/fuzz_summary" >/dev/null 2>&1
    seeds=("$build/seeds/summary"); opts=(-max_len=65536) ;;
  pack) # seeds: well-formed packs of one to four blobs, made by the target
    mkdir -p "$build/seeds/pack"
    CONDLINT_FUZZ_EMIT_SEEDS="$build/seeds/pack" "$build/fuzz/fuzz_pack" >/dev/null 2>&1
    seeds=("$build/seeds/pack"); opts=(-max_len=4096) ;;
  esac
  local -a dirs=("$corpus")
  for d in "${seeds[@]}"; do [ -d "$d" ] && dirs+=("$d"); done
  echo "run.sh: fuzzing $t for ${seconds}s (corpus $corpus)"
  # a per-input timeout well above the slowest seed; RSS capped so that a
  # memory blow-up is reported as a finding instead of taking the machine
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$art" "${opts[@]}" "$@" "${dirs[@]}" \
    >"$build/fuzz-$t.log" 2>&1
  local rc=$?
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done )' "$build/fuzz-$t.log" | sed 's/^/  /'
  if [ $rc -ne 0 ]; then
    echo "run.sh: fuzz_$t FAILED (exit $rc); last lines of $build/fuzz-$t.log:" >&2
    grep -E 'ERROR|runtime error|SUMMARY|Test unit written|deadly signal|timeout|out-of-memory' \
      "$build/fuzz-$t.log" | head -20 >&2
    return 1
  fi
  return 0
}

status=0
if [ "$target" = all ]; then
  for t in python toml schema lsp summary lazy pack; do run_one "$t" "$@" || status=1; done
else
  run_one "$target" "$@" || status=1
fi
exit $status
