#!/usr/bin/env bash
# The cache (analyzer/cache.c): a warm run gives the report of a cold run and
# parses only what changed; it does not even read the files it skipped before;
# damaged entries are ignored and rewritten; concurrent runs leave a sound
# cache; --no-cache, --cache-dir, the default place, `condlint clean`.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1

# What the per-file caches do is tested here; the replay of a whole unchanged
# run (results.c), which would skip them, is t0805's.
export CONDLINT_RESULTS=off

# stats FIELD: a number from the CONDLINT_STATS lines of the last run ($err)
stat_of() { printf '%s\n' "$err" | perl -ne "print \$1 if /(\\d+) \\Q$1\\E/" | head -c 20; }
run() { cl_stats_in "$1" --isolated "${@:2}"; } # run DIR ARGS...: with --isolated

# ---- the corpus: cold, then warm ----------------------------------------------
cp -r "$TOP/t/corpus" corpus
(cd corpus && "$CONDLINT" check --no-cache --isolated --output-format json .) >reference.json 2>/dev/null
run corpus --cache-dir "$TMP/c1" .
cmp -s .out reference.json
ok $? "corpus, cold cache: the report of a run without cache"
like "$err" 'summaries 0 loaded, [0-9]+ missing, 0 unusable, [0-9]+ written; 0 write errors' "... every summary is written"
cold_written=$(stat_of written)
[ -f c1/CACHEDIR.TAG ] && grep -q '^Signature: 8a477f597d28d172789f06886806bc55' c1/CACHEDIR.TAG
ok $? "the cache directory is tagged (CACHEDIR.TAG)"
run corpus --cache-dir "$TMP/c1" .
cmp -s .out reference.json
ok $? "corpus, warm cache: the same report"
is "$(stat_of parsed)" 0 "... and no file is parsed again"
like "$err" 'summaries [1-9][0-9]* loaded, 0 missing, 0 unusable, 0 written' "... every summary is loaded"
run corpus --cache-dir "$TMP/c1" -j 1 .
cmp -s .out reference.json
ok $? "warm with one thread: the same report"

# ---- a project whose files are not new (their stat is trusted) ----------------
mkdir -p proj/pkg proj/other
cat >proj/pkg/ops.py <<'EOF'
import torch


def dispatch(x):
    return torch.cond(x.shape[0] > 16, torch.sin, torch.cos, (x,))
EOF
cat >proj/run.py <<'EOF'
import torch

from pkg.ops import dispatch


def main():
    f = torch.compile(dispatch, dynamic=False)
    return f(torch.randn(32, 8))
EOF
for i in 1 2 3 4 5 6; do printf 'def f%d(x):\n    return x + %d\n' "$i" "$i" >"proj/other/m$i.py"; done
touch -d '2 hours ago' proj/pkg/ops.py proj/run.py proj/other/*.py
run proj --cache-dir "$TMP/c2" .
cold=$out
is "$(printf '%s' "$out" | json_pairs pkg/ops.py)" "5 CL101" "project, cold: the cond folds"
is "$(stat_of read)" 8 "... every file is read once"
run proj --cache-dir "$TMP/c2" .
is "$out" "$cold" "project, warm: the same report"
is "$(stat_of read)" 2 "... reading only the two files it parses: the six it skipped are not even read"
like "$err" 'verdicts 8 by stat, 0 by content, 0 new' "... their verdicts come from the stat index"

touch proj/other/m1.py
run proj --cache-dir "$TMP/c2" .
is "$out" "$cold" "a file touched but not changed: the same report"
like "$err" 'verdicts 7 by stat, 1 by content, 0 new' "... its verdict is found again by its content hash"

cat >proj/pkg/ops.py <<'EOF'
import torch


def dispatch(x):
    return torch.cond(x.dim() == 2, torch.sin, torch.cos, (x,))
EOF
(cd proj && "$CONDLINT" check --no-cache --isolated --output-format json .) >changed.json 2>/dev/null
run proj --cache-dir "$TMP/c2" .
is "$out" "$(cat changed.json)" "a file changed: the report of a run without cache"
is "$(printf '%s' "$out" | json_pairs pkg/ops.py)" "5 CL102" "... (the predicate is now static metadata)"
is "$(stat_of parsed)" 1 "... and only that file is parsed again"

# ---- damage ----------------------------------------------------------------------
# The summaries are blobs in pack files (cache_pack.c), each starting with its
# frame's magic: damage 40 of them, at their header or in their last bytes.
packs() { find "$1"/v*/*/p -name '*.pack' | sort; }
is "$(packs c1 | wc -l)" 1 "the cold run wrote its summaries into one pack file"
pack=$(packs c1)
starts=$(perl -0777 -ne 'while (/CLSM/g) { print pos() - 4, "\n" }' "$pack")
is "$(printf '%s\n' "$starts" | wc -l)" "$cold_written" "... one blob per summary"
i=0
prev=
for s in $starts; do # blob $prev ends where blob $s starts
  if [ -n "$prev" ] && [ "$i" -lt 40 ]; then
    if [ $((i % 2)) = 0 ]; then at=$prev; else at=$((s - 3)); fi
    printf '\x7f' | dd of="$pack" bs=1 seek="$at" conv=notrunc status=none
    i=$((i + 1))
  fi
  prev=$s
done
# heals WHAT STATS WHY: a run after damage gives the same report, with the
# summary counts STATS, and the next run loads every summary.
heals() {
  run corpus --cache-dir "$TMP/c1" .
  cmp -s .out reference.json
  ok $? "$1: the same report"
  like "$err" "$2" "... $3"
  run corpus --cache-dir "$TMP/c1" .
  like "$err" 'summaries [1-9][0-9]* loaded, 0 missing, 0 unusable, 0 written' "... and every summary loads on the next run"
}
heals "40 summaries changed in their pack" 'summaries [0-9]+ loaded, 0 missing, 40 unusable, 40 written' \
  "the damaged ones are detected and rewritten (the newer pack wins)"
for p in $(packs c1); do truncate -s $(($(stat -c %s "$p") - 5)) "$p"; done
heals "every pack truncated" 'summaries 0 loaded, [1-9][0-9]* missing, 0 unusable, [1-9][0-9]* written' \
  "their indexes do not check out: every summary is missing, and written again"

# Each run that writes summaries adds a pack; past 8 they are merged into one.
cp -r corpus grow
for n in $(seq 1 10); do
  printf '# edit %d\n' "$n" >>grow/alias_001_from_torch_import_as.py
  run grow --cache-dir "$TMP/c5" .
done
is "$(packs c5 | wc -l)" 2 "ten runs that wrote summaries: the packs were merged after the ninth"
(cd grow && "$CONDLINT" check --no-cache --isolated --output-format json .) >grow.json 2>/dev/null
run grow --cache-dir "$TMP/c5" .
cmp -s .out grow.json
ok $? "... the report of a run without cache"
like "$err" 'summaries [1-9][0-9]* loaded, 0 missing, 0 unusable, 0 written' "... every summary loads from the merged packs"
index=$(ls c1/v*/*/verdicts | head -n 1)
truncate -s 100 "$index"
run corpus --cache-dir "$TMP/c1" .
cmp -s .out reference.json
ok $? "a truncated verdict index: the same report"
like "$err" 'verdicts 0 by stat, 0 by content, [1-9][0-9]* new' "... it is ignored (and rewritten)"
printf 'garbage' >"$index"
run corpus --cache-dir "$TMP/c1" .
cmp -s .out reference.json
ok $? "a verdict index replaced by garbage: the same report"

# ---- concurrent runs on one empty cache ---------------------------------------
for i in 1 2 3 4; do
  (cd corpus && "$CONDLINT" check --isolated --output-format json --cache-dir "$TMP/c3" .) >"par$i.json" 2>"par$i.err" &
done
wait
same=0
for i in 1 2 3 4; do cmp -s "par$i.json" reference.json && same=$((same + 1)); done
is "$same" 4 "four concurrent runs on an empty cache: four identical reports"
run corpus --cache-dir "$TMP/c3" .
cmp -s .out reference.json
ok $? "... and the cache they left is sound"
like "$err" '0 unusable' "... with no damaged entry"
is "$(find c3 -name '*.tmp*' | wc -l)" 0 "... and no temporary file"

# ---- old builds are removed ---------------------------------------------------------
for i in 1 2 3 4 5; do
  mkdir -p "c4/v1/000000000000000$i/p"
  : >"c4/v1/000000000000000$i/used"
  touch -d "$i days ago" "c4/v1/000000000000000$i/used"
done
run proj --cache-dir "$TMP/c4" .
is "$(ls c4/v1 | tr '\n' ' ')" "$(ls c4/v1 | grep -v '^000000000000000[45]$' | tr '\n' ' ')" \
  "a new build's first run keeps the four most recently used builds, its own among them"
is "$(ls c4/v1 | wc -l)" 4 "... and removes the older ones"

# ---- where the cache lives, and turning it off ----------------------------------
mkdir -p repo/.git repo/sub
cp proj/pkg/ops.py repo/sub/
(cd repo/sub && "$CONDLINT" check --isolated ops.py) >/dev/null 2>&1
[ -d repo/.condlint_cache ] && [ ! -d repo/sub/.condlint_cache ]
ok $? "by default the cache is .condlint_cache in the project root (the nearest .git)"
mkdir -p bare
cp proj/pkg/ops.py bare/
(cd bare && "$CONDLINT" check --isolated --no-cache ops.py) >/dev/null 2>&1
[ ! -e bare/.condlint_cache ]
ok $? "--no-cache writes nothing"
printf 'x' >afile
cl check --isolated --output-format json --cache-dir "$TMP/afile/cache" proj/pkg/ops.py
is "$(printf '%s' "$out" | json_pairs)" "5 CL102" "a cache directory that cannot be created: the report all the same"
is "$rc" 1 "... with the findings' exit status"

# ---- condlint clean ------------------------------------------------------------------
cl clean --cache-dir "$TMP/c3"
is "$rc" 0 "clean exits 0"
[ ! -e c3 ]
ok $? "... and removes the cache directory"
cl clean --cache-dir "$TMP/c3"
is "$rc" 0 "clean of a cache that does not exist exits 0"
mkdir -p notacache
: >notacache/precious
cl clean --cache-dir "$TMP/notacache"
is "$rc" 2 "clean refuses a directory that is not a condlint cache"
like "$err" 'not a condlint cache' "... saying so"
[ -e notacache/precious ]
ok $? "... and leaves it alone"
(cd repo/sub && "$CONDLINT" clean) >/dev/null 2>&1
[ ! -e repo/.condlint_cache ]
ok $? "clean without --cache-dir removes the project's cache"

done_testing
