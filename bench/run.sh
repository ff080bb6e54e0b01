#!/usr/bin/env bash
# bench/run.sh — condlint's whole-repository speed against ast-grep, pyflakes
# and ripgrep, on one corpus, in one run.
#
#   bench/run.sh [CORPUS]
#
# CORPUS: a directory of Python sources, or a .tar.gz of one (unpacked once
# under bench/corpora/); default: bench/corpora/generated, written by
# bench/gen_corpus.py when missing. Measured, as medians of RUNS runs
# (hyperfine when installed, else a loop):
#   condlint cold   check with an emptied cache (every file read, scanned, the
#                   selected ones parsed and cached)
#   condlint warm   the same check again (the cache is full): replayed, since
#                   no input changed (analyzer/results.c)
#   condlint edited a warm check after one file was edited (a line appended to
#                   a file that calls torch.cond), on a copy of the corpus: the
#                   replay misses, the per-file caches save the scan and parses
#   condlint warm, a skipped file edited
#                   a warm check after a line is appended to a file the
#                   prefilter skips (the common edit): its scan is the same,
#                   so the run is replayed
#   ast-grep        ast-grep run -p 'torch.cond($$$)' -l python  (one pattern)
#   pyflakes        pyflakes3 CORPUS (one process; PYFLAKES_RUNS runs)
#   ripgrep         rg -c cond CORPUS (reading every byte: the floor)
# then condlint's peak RSS (/usr/bin/time), what its pipeline did
# (CONDLINT_STATS=1), and cold and warm times on 1, 2 and 4 copies of the
# corpus (SCALES), to show that time grows linearly with the corpus.
#
# Environment: CONDLINT (default build/condlint, built when missing), JOBS
# (threads for condlint, ast-grep and rg; default 2), RUNS (default 5),
# PYFLAKES_RUNS (default 1), SCALES (default "1 2 4"; "" to skip), SCALE_RUNS
# (default 3). A scale whose projected peak RSS exceeds half the available
# memory is skipped, and the table says so.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
JOBS=${JOBS:-2}
RUNS=${RUNS:-5}
PYFLAKES_RUNS=${PYFLAKES_RUNS:-1}
SCALES=${SCALES-1 2 4}
SCALE_RUNS=${SCALE_RUNS:-3}
CONDLINT=${CONDLINT:-$top/build/condlint}
corpora=$top/bench/corpora
mkdir -p "$corpora"

say() { printf '==> %s\n' "$*" >&2; }

# ---- the corpus --------------------------------------------------------------
corpus=${1:-}
if [ -z "$corpus" ]; then
  corpus=$corpora/generated
  [ -d "$corpus" ] || { say "writing $corpus (bench/gen_corpus.py)"; python3 "$top/bench/gen_corpus.py" "$corpus" >&2; }
elif [[ $corpus == *.tar.gz || $corpus == *.tgz ]]; then
  name=$(basename "$corpus")
  name=${name%.tar.gz}
  name=${name%.tgz}
  dest=$corpora/$name
  if [ ! -d "$dest" ]; then
    say "unpacking $corpus into $dest"
    mkdir -p "$dest.tmp"
    tar -xzf "$corpus" -C "$dest.tmp"
    mv "$dest.tmp" "$dest"
  fi
  corpus=$dest
fi
[ -d "$corpus" ] || { echo "run.sh: $corpus is not a directory" >&2; exit 2; }
corpus=$(cd "$corpus" && pwd)
name=$(basename "$corpus")

# ---- the tools ---------------------------------------------------------------
if [ ! -x "$CONDLINT" ]; then
  say "building condlint"
  cmake -S "$top" -B "$top/build" -DCONDLINT_WERROR=ON >/dev/null
  cmake --build "$top/build" -j"$(nproc)" >/dev/null
fi
for t in rg pyflakes3 python3; do
  command -v "$t" >/dev/null || { echo "run.sh: $t is missing (deps/debian-packages.txt; ./setup.sh --deps-only)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time is missing (Debian package time)" >&2; exit 2; }
astgrep=$("$top/bench/install-tools.sh")
have_hyperfine=0
command -v hyperfine >/dev/null && have_hyperfine=1

work=$(mktemp -d "${TMPDIR:-/tmp}/condlint-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cache=$work/cache

# median SECONDS of running "$@" N times; PREPARE (a shell command) before each
measure() { # measure LABEL N PREPARE CMD...
  local label=$1 n=$2 prepare=$3
  shift 3
  if [ "$have_hyperfine" = 1 ]; then
    local args=(--runs "$n" --style none -i --export-json "$work/$label.json")
    [ -n "$prepare" ] && args+=(--prepare "$prepare")
    hyperfine "${args[@]}" -- "$(printf '%q ' "$@")" >/dev/null 2>&1
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.4f" % r["median"])' "$work/$label.json"
  else
    local times=()
    for _ in $(seq "$n"); do
      [ -n "$prepare" ] && sh -c "$prepare"
      local t0 t1
      t0=$(date +%s.%N)
      "$@" >/dev/null 2>&1 || true
      t1=$(date +%s.%N)
      times+=("$(echo "$t1 - $t0" | bc)")
    done
    printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.4f\n", m}'
  fi
}

peak_rss_kb() { # peak_rss_kb CMD...: its peak RSS; its stderr in $work/stderr
  CONDLINT_STATS=1 /usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null 2>"$work/stderr" || true
  tail -n 1 "$work/rss"
}

cl_check=("$CONDLINT" check -j "$JOBS" --isolated --exit-zero --output-format json --cache-dir "$cache")

files=$(find "$corpus" -name '*.py' -type f | wc -l)
bytes=$(find "$corpus" -name '*.py' -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')
mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1048576}')
cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)

say "corpus $corpus: $files Python files, $mb MiB; $(nproc) cores ($cpu)"
say "condlint cold ($RUNS runs)"
t_cold=$(measure cold "$RUNS" "rm -rf '$cache'" "${cl_check[@]}" "$corpus")
say "condlint warm ($RUNS runs)"
"${cl_check[@]}" "$corpus" >/dev/null 2>&1 || true
t_warm=$(measure warm "$RUNS" "" "${cl_check[@]}" "$corpus")
# an edit misses the replay of the whole run (results.c): the per-file caches
# then save the scan and the parses, not the analysis. Measured on a copy:
# the corpus is never written to.
say "condlint warm after an edit ($RUNS runs, on a copy of the corpus)"
edited=$work/edited
cp -r "$corpus" "$edited"
# as a checkout is: not modified in the last seconds (a file modified within
# 3 s of a run is racy and hashed again by every later run: results.c)
find "$edited" -exec touch -h -d '1 minute ago' {} +
edit_file=$(grep -rl --include='*.py' 'torch\.cond' "$edited" 2>/dev/null | sort | head -n 1 || true)
[ -n "$edit_file" ] || edit_file=$(find "$edited" -name '*.py' -type f | sort | head -n 1)
cl_edit=("$CONDLINT" check -j "$JOBS" --isolated --exit-zero --output-format json --cache-dir "$work/cache-edit")
"${cl_edit[@]}" "$edited" >/dev/null 2>&1 || true
t_edit=$(measure edit "$RUNS" "printf '# edited %s\\n' \"\$(date +%N)\" >> '$edit_file'" "${cl_edit[@]}" "$edited")
# the common edit: a file the prefilter skips (no tracing word, imported by
# no parsed file), whose scan stays the same: replayed. The first of the files
# that name none of the prefilter's words whose edit is replayed.
say "condlint warm after an edit of a skipped file ($RUNS runs)"
skip_file=
skip_why=
while IFS= read -r cand; do
  printf '# edited\n' >>"$cand"
  skip_why=$(CONDLINT_STATS=1 "${cl_edit[@]}" "$edited" 2>&1 >/dev/null | sed -n 's/^condlint: stats: results: //p')
  if [[ $skip_why == 'replayed (1 skipped'* ]]; then
    skip_file=$cand
    break
  fi
  "${cl_edit[@]}" "$edited" >/dev/null 2>&1 || true # recorded again, with this file as it is now
done < <(grep -rLE --include='*.py' 'cond|compile|export|make_fx|mark_|dynamic_shapes|from_tensor|tracing_mode|FakeTensorMode|ShapeEnv|optimize|torch\.ops|condlint|CL[0-9]' "$edited" 2>/dev/null | sort | head -n 20)
if [ -n "$skip_file" ]; then
  t_skip=$(measure skipedit "$RUNS" "printf '# edited %s\\n' \"\$(date +%N)\" >> '$skip_file'" "${cl_edit[@]}" "$edited")
  skip_note="${skip_file#"$edited"/}, replayed"
else
  t_skip=0
  skip_note="none of 20 candidates was replayed; the last: ${skip_why:-no candidate}"
fi
edit_note="${edit_file#"$edited"/}, a cond's file"
rm -rf "$edited" "$work/cache-edit"
say "ast-grep ($RUNS runs)"
t_ag=$(measure astgrep "$RUNS" "" "$astgrep" run -p 'torch.cond($$$)' -l python -j "$JOBS" "$corpus")
say "ripgrep ($RUNS runs)"
t_rg=$(measure rg "$RUNS" "" rg -c cond -j "$JOBS" "$corpus")
say "pyflakes ($PYFLAKES_RUNS runs)"
t_pf=$(measure pyflakes "$PYFLAKES_RUNS" "" pyflakes3 "$corpus")
say "peak RSS and pipeline statistics"
rm -rf "$cache"
rss_cold=$(peak_rss_kb "${cl_check[@]}" "$corpus")
stats_cold=$(sed -n 's/^condlint: stats: /    /p' "$work/stderr")
rss_warm=$(peak_rss_kb "${cl_check[@]}" "$corpus")
stats_warm=$(sed -n 's/^condlint: stats: /    /p' "$work/stderr")
findings=$("${cl_check[@]}" "$corpus" 2>/dev/null | python3 -c 'import json,sys,collections; d=json.load(sys.stdin); c=collections.Counter(x["code"] for x in d); print(len(d), dict(sorted(c.items())))')

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "inf" }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.0f", s * 1000 }'; }

# ---- scaling -----------------------------------------------------------------
scale_rows=()
avail_kb=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
if [ -n "$SCALES" ]; then
  for k in $SCALES; do
    if [ "$k" = 1 ]; then
      dir=$corpus
    else
      if [ $((k * rss_cold)) -gt $((avail_kb / 2)) ]; then
        scale_rows+=("$(printf '  %dx  skipped: projected peak RSS %d MiB > half the available %d MiB' "$k" $((k * rss_cold / 1024)) $((avail_kb / 1024)))")
        continue
      fi
      dir=$corpora/.scale/$name-x$k
      if [ ! -d "$dir" ]; then
        say "making $k copies of the corpus in $dir"
        mkdir -p "$dir.tmp"
        for i in $(seq "$k"); do cp -r "$corpus" "$dir.tmp/copy$i"; done
        mv "$dir.tmp" "$dir"
      fi
    fi
    say "scale ${k}x: cold and warm ($SCALE_RUNS runs)"
    sc=$(measure "scold$k" "$SCALE_RUNS" "rm -rf '$cache'" "${cl_check[@]}" "$dir")
    "${cl_check[@]}" "$dir" >/dev/null 2>&1 || true
    sw=$(measure "swarm$k" "$SCALE_RUNS" "" "${cl_check[@]}" "$dir")
    rm -rf "$cache"
    srss=$(peak_rss_kb "${cl_check[@]}" "$dir")
    [ "$k" = 1 ] && { base_c=$sc; base_w=$sw; }
    scale_rows+=("$(printf '  %dx  %8.1f MiB  cold %9s ms (%sx of 1x)  warm %9s ms (%sx of 1x)  peak RSS %6d MiB' \
      "$k" "$(awk -v m="$mb" -v k="$k" 'BEGIN{print m*k}')" "$(ms "$sc")" "$(ratio "$sc" "${base_c:-$sc}")" \
      "$(ms "$sw")" "$(ratio "$sw" "${base_w:-$sw}")" $((srss / 1024)))")
  done
fi

# ---- the report --------------------------------------------------------------
cat <<EOF

condlint benchmark: $corpus
  $files Python files, $mb MiB; $(nproc) cores ($cpu); JOBS=$JOBS, medians of $RUNS runs (pyflakes: $PYFLAKES_RUNS)
  $("$CONDLINT" --version), $("$astgrep" --version), $(rg --version | sed -n 1p), pyflakes $(pyflakes3 --version 2>/dev/null | sed -n 1p)$( [ "$have_hyperfine" = 1 ] && printf ', %s' "$(hyperfine --version)")
  load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)

  tool                             median
  condlint cold (emptied cache)  $(printf '%9s' "$(ms "$t_cold")") ms
  condlint warm                  $(printf '%9s' "$(ms "$t_warm")") ms
  condlint warm, one file edited $(printf '%9s' "$(ms "$t_edit")") ms  ($edit_note)
  condlint warm, a skipped file  $(printf '%9s' "$(ms "$t_skip")") ms  ($skip_note)
  ast-grep 'torch.cond(\$\$\$)'      $(printf '%9s' "$(ms "$t_ag")") ms
  pyflakes3                      $(printf '%9s' "$(ms "$t_pf")") ms
  rg -c cond                     $(printf '%9s' "$(ms "$t_rg")") ms

  ratios                                   value    target
  ast-grep / condlint cold          $(printf '%9s' "$(ratio "$t_ag" "$t_cold")")x    >= 15x
  ast-grep / condlint warm          $(printf '%9s' "$(ratio "$t_ag" "$t_warm")")x    >= 50x
  ast-grep / condlint edited        $(printf '%9s' "$(ratio "$t_ag" "$t_edit")")x
  ast-grep / condlint skipped edit  $(printf '%9s' "$(ratio "$t_ag" "$t_skip")")x
  condlint warm / rg                $(printf '%9s' "$(ratio "$t_warm" "$t_rg")")x
  condlint cold / rg                $(printf '%9s' "$(ratio "$t_cold" "$t_rg")")x    <= 10x
  pyflakes / condlint cold          $(printf '%9s' "$(ratio "$t_pf" "$t_cold")")x
  condlint peak RSS, cold / warm    $((rss_cold / 1024)) / $((rss_warm / 1024)) MiB    < 150 MiB

  condlint findings: $findings
  condlint pipeline (CONDLINT_STATS=1), cold:
$stats_cold
  warm:
$stats_warm

  scaling (copies of the corpus, checked as one tree):
$(printf '%s\n' "${scale_rows[@]:-  (skipped: SCALES is empty)}")
EOF
