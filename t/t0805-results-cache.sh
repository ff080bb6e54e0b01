#!/usr/bin/env bash
# The replay of a whole run (analyzer/results.c): a run none of whose inputs
# changed gives the findings recorded by the last one, in every format, and
# reads nothing else; any change of an input makes it a normal run again: a
# checked file, a file an import loads from outside the checked paths, a
# file appearing where an import looked for one (next to the checked tree, or
# in a directory below it), the configuration, a damaged entry. An edit to a
# file the prefilter skipped is replayed over while its scan is the same.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1

ref() { # ref DIR ARGS...: the report without any cache
  local dir=$1
  shift
  (cd "$dir" && "$CONDLINT" check --no-cache --output-format json "$@") 2>/dev/null
}
results() { printf '%s\n' "$err" | sed -n 's/^condlint: stats: results: //p'; }

# ---- the corpus: recorded, then replayed in every format ----------------------------
cp -r "$TOP/t/corpus" corpus
reference=$(ref corpus --isolated .)
cl_stats_in corpus --isolated --cache-dir "$TMP/c1" .
is "$out" "$reference" "corpus, first run: the report of a run without cache"
is "$(results)" "recorded" "... and the run is recorded"
cl_stats_in corpus --isolated --cache-dir "$TMP/c1" .
is "$out" "$reference" "corpus, second run: the same report"
is "$(results)" "replayed (no input changed)" "... replayed: nothing was scanned, parsed or analysed"
like "$err" ' 0 read, .* 0 parsed' "... (no file read but those with findings)"
for fmt in text concise sarif github gitlab junit; do
  a=$(cd corpus && "$CONDLINT" check --isolated --no-cache --output-format $fmt . 2>&1)
  b=$(cd corpus && "$CONDLINT" check --isolated --cache-dir "$TMP/c1" --output-format $fmt . 2>&1)
  is "$b" "$a" "replayed, --output-format $fmt: the report of a run without cache"
done
a=$(cd corpus && "$CONDLINT" check --isolated --no-cache --diff . 2>&1)
b=$(cd corpus && "$CONDLINT" check --isolated --cache-dir "$TMP/c1" --diff . 2>&1)
is "$b" "$a" "replayed, --diff: the same fixes"
a=$(cd corpus && "$CONDLINT" check --isolated --no-cache --statistics . 2>&1)
b=$(cd corpus && "$CONDLINT" check --isolated --cache-dir "$TMP/c1" --statistics . 2>&1)
is "$b" "$a" "replayed, --statistics: the same counts"

# ---- a project: src/ is checked, settings come from outside it ------------------------
mkdir -p proj/src proj/conf
cat >proj/src/ops.py <<'EOF'
import torch


def dispatch(x):
    return torch.cond(x.shape[0] > 16, torch.sin, torch.cos, (x,))
EOF
cat >proj/src/run.py <<'EOF'
import torch

from ops import dispatch
from settings import DYNAMIC
from conf.flags import FULLGRAPH


def main():
    f = torch.compile(dispatch, dynamic=DYNAMIC, fullgraph=FULLGRAPH)
    return f(torch.randn(32, 8))
EOF
printf 'DYNAMIC = True\n' >proj/settings.py
touch -d '2 hours ago' proj/src/*.py proj/settings.py proj/src proj/conf proj
cl_stats_in proj --isolated --cache-dir "$TMP/c2" src
first=$out
is "$first" "$(ref proj --isolated src)" "project, first run: the report of a run without cache"
is "$(printf '%s' "$first" | json_pairs)" "" "... (dynamic=True from ../settings.py: the cond is kept)"
cl_stats_in proj --isolated --cache-dir "$TMP/c2" src
is "$out" "$first" "project, second run: the same report"
is "$(results)" "replayed (no input changed)" "... replayed"

touch proj/src/ops.py
cl_stats_in proj --isolated --cache-dir "$TMP/c2" src
is "$(results)" "replayed (no input changed)" "a checked file touched, not changed: replayed (its content hash is the same)"

printf 'DYNAMIC = False\n' >proj/settings.py
cl_stats_in proj --isolated --cache-dir "$TMP/c2" src
like "$(results)" 'an imported file changed: .*/proj/settings.py' "the imported ../settings.py changed: not replayed, saying why"
is "$out" "$(ref proj --isolated src)" "... the report of a run without cache"
is "$(printf '%s' "$out" | json_pairs src/ops.py)" "5 CL101" "... (dynamic=False now: the cond folds)"

# an import that found nothing finds a file now: next to the checked tree...
printf 'DYNAMIC = True\n' >proj/settings.py
cl_stats_in proj --isolated --cache-dir "$TMP/c2" src
rm proj/settings.py
touch -d '2 hours ago' proj
cl_stats_in proj --isolated --cache-dir "$TMP/c2" src
without=$out
cl_stats_in proj --isolated --cache-dir "$TMP/c2" src
is "$(results)" "replayed (no input changed)" "settings.py removed: the next run is recorded, then replayed"
printf 'DYNAMIC = False\n' >proj/settings.py
cl_stats_in proj --isolated --cache-dir "$TMP/c2" src
like "$(results)" 'an import can be found now: .*/proj/settings.py' "settings.py created where the import looked: not replayed, saying why"
is "$out" "$(ref proj --isolated src)" "... the report of a run without cache"
is "$(printf '%s' "$without" | json_pairs)" "" "... (without it DYNAMIC is unknown: no finding)"
is "$(printf '%s' "$out" | json_pairs src/ops.py)" "5 CL101" "... (with it, dynamic=False: the cond folds)"

# ... or in a directory below it that was there, empty, before
touch -d '2 hours ago' proj proj/settings.py proj/conf
cl_stats_in proj --isolated --cache-dir "$TMP/c2" src
cl_stats_in proj --isolated --cache-dir "$TMP/c2" src
is "$(results)" "replayed (no input changed)" "conf/ is empty: replayed"
printf 'FULLGRAPH = True\n' >proj/conf/flags.py
cl_stats_in proj --isolated --cache-dir "$TMP/c2" src
like "$(results)" 'an import can be found now: .*/proj/conf/flags.py' "conf/flags.py created: not replayed (the directory conf/ changed)"

# the walk: a new checked file
touch -d '2 hours ago' proj/conf/flags.py proj/conf
cl_stats_in proj --isolated --cache-dir "$TMP/c2" src
printf 'X = 1\n' >proj/src/extra.py
cl_stats_in proj --isolated --cache-dir "$TMP/c2" src
like "$(results)" 'files added or removed' "a new file in the checked tree: not replayed"

# ---- a file the prefilter skipped: its scan is what counts -----------------------------
cl_linked_helper_project skp
mkdir -p skp/tools
printf 'X = 1\n' >skp/tools/plain.py
touch -d '2 hours ago' skp/pkg/*.py skp/main.py skp/tools/plain.py
cl_stats_in skp --isolated --cache-dir "$TMP/c5" .
like "$err" 'link 1, given 0, skipped 2;.* 1 loaded by link\.c' "skipped: tools/plain.py, and pkg/helpers.py that link.c loads"
cl_stats_in skp --isolated --cache-dir "$TMP/c5" .
is "$(results)" "replayed (no input changed)" "replayed"
printf '# a comment\ndef unused():\n    return 2\n' >>skp/tools/plain.py
cl_stats_in skp --isolated --cache-dir "$TMP/c5" .
is "$(results)" "replayed (1 skipped file changed, not its tier or imports)" \
  "tools/plain.py changed, still skipped with the same imports: replayed"
is "$out" "$(ref skp --isolated .)" "... the report of a run without cache"
printf 'from main import run\n' >>skp/tools/plain.py
cl_stats_in skp --isolated --cache-dir "$TMP/c5" .
like "$(results)" 'a skipped file changed its tier or imports: tools/plain.py' "an import added to it: not replayed, saying why"
touch -d '2 hours ago' skp/tools/plain.py
cl_stats_in skp --isolated --cache-dir "$TMP/c5" .
printf 'def g(f):\n    return torch.compile(f)\n' >>skp/tools/plain.py
cl_stats_in skp --isolated --cache-dir "$TMP/c5" .
like "$(results)" 'a skipped file changed its tier or imports: tools/plain.py' "a tracing entry added to it (tier 2 now): not replayed"
like "$err" 'tier 1 1, tier 2 1,' "... (tools/plain.py is in tier 2)"
printf 'def head(x):\n    return x\n' >skp/pkg/helpers.py
cl_stats_in skp --isolated --cache-dir "$TMP/c5" .
like "$(results)" 'changed: .*pkg/helpers.py' "pkg/helpers.py, skipped but loaded by link.c, changed: not replayed"
is "$out" "$(ref skp --isolated .)" "... the report of a run without cache"
is "$(printf '%s' "$out" | json_pairs)" "" "... (no narrow to 64 any more: no CL209)"

# ---- the configuration is part of the key ---------------------------------------------
cp -r proj cfg
printf '[tool.condlint]\nignore = ["CL101"]\n' >cfg/pyproject.toml
printf 'DYNAMIC = False\n' >cfg/settings.py
cl_stats_in cfg --cache-dir "$TMP/c3" src
cl_stats_in cfg --cache-dir "$TMP/c3" src
is "$(results)" "replayed (no input changed)" "with a configuration file: replayed"
is "$(printf '%s' "$out" | json_pairs)" "" "... (CL101 ignored by it)"
printf '[tool.condlint]\nignore = ["CL2"]\n' >cfg/pyproject.toml
cl_stats_in cfg --cache-dir "$TMP/c3" src
is "$(results)" "recorded" "the configuration changed: another run, recorded"
is "$(printf '%s' "$out" | json_pairs src/ops.py)" "5 CL101" "... with the finding the new configuration selects"
cl_stats_in cfg --cache-dir "$TMP/c3" --select CL2 src
is "$(results)" "recorded" "other options: another run"

# ---- damage, and what is never recorded ------------------------------------------------
for f in $(find c1 -path '*/r/*' -type f); do truncate -s 100 "$f"; done
cl_stats_in corpus --isolated --cache-dir "$TMP/c1" .
is "$out" "$reference" "a truncated entry: the report of a run without cache"
is "$(results)" "recorded" "... (the entry is ignored, and written again)"
for f in $(find c1 -path '*/r/*' -type f); do
  size=$(stat -c %s "$f")
  printf '\x7f' | dd of="$f" bs=1 seek=$((size - 20)) conv=notrunc status=none
done
cl_stats_in corpus --isolated --cache-dir "$TMP/c1" .
is "$out" "$reference" "a changed byte in an entry: the report of a run without cache"
is "$(results)" "recorded" "... (its checksum does not match)"
cl_stats_in corpus --isolated --cache-dir "$TMP/c1" .
is "$(results)" "replayed (no input changed)" "... and the next run is replayed again"

(cd proj && CONDLINT_STATS=1 "$CONDLINT" check --isolated --cache-dir "$TMP/c2" - <src/ops.py) >/dev/null 2>"$TMP/.err"
err=$(cat "$TMP/.err")
is "$(results)" "source not read from a file" "source from stdin: not recorded"
cl_stats_in proj --isolated --no-cache src
is "$(results)" "no cache" "--no-cache: not recorded"

done_testing
