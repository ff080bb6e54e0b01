#!/usr/bin/env bash
# Walking a directory: *.py files only, in sorted order, honouring the
# .gitignore files met on the way (globs, negation, anchored and directory-only
# patterns, '**', nested .gitignore files), skipping VCS and tool directories
# and empty ones, not following directory symlinks; a file named explicitly is checked even
# when a .gitignore would exclude it.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1

# Every file gets a syntax error, so that each checked file shows up in the
# report (as CL901) without depending on the analysis.
mk() {
  mkdir -p "$(dirname "$1")"
  printf 'import torch\n\nx = = torch.cond\n' >"$1"
}

mkdir proj
cat >proj/.gitignore <<'IGN'
# generated kernels, but keep one
gen_*.py
!gen_keep.py
# directories only
build/
cache*/
# only at the top
/top_only.py
docs/**/conf.py
IGN
mk proj/a.py
mk proj/top_only.py
mk proj/sub/top_only.py
mk proj/gen_ops.py
mk proj/gen_keep.py
mk proj/build/b.py
mk proj/cache_dir/c.py
mk proj/cache_file.py
mk proj/docs/conf.py
mk proj/docs/x/y/conf.py
mk proj/docs/x/myconf.py
mk proj/sub/local.py
mk proj/local.py
printf 'local.py\n' >proj/sub/.gitignore
for f in notes.txt README.md mod.pyc mod.py.bak pyfile script.pyw; do mk "proj/$f"; done
for d in .git __pycache__ node_modules .venv .tox .mypy_cache; do mk "proj/$d/hidden.py"; done
mkdir proj/empty proj/sub/nothing_here
ln -s . proj/loop
ln -s ../proj proj/sub/up
ln -s a.py proj/alias.py
ln -s missing.py proj/dangling.py

cl check --output-format json proj
is "$rc" 0 "a directory with only info findings exits 0"
expected="proj/a.py
proj/cache_file.py
proj/docs/x/myconf.py
proj/gen_keep.py
proj/local.py
proj/sub/top_only.py"
got=$(printf '%s' "$out" | json_paths)
is "$got" "$expected" "the walk checks exactly the files that are not ignored"
for f in top_only.py gen_ops.py build/b.py cache_dir/c.py docs/conf.py docs/x/y/conf.py sub/local.py \
    notes.txt README.md mod.pyc mod.py.bak pyfile script.pyw .git/hidden.py __pycache__/hidden.py \
    node_modules/hidden.py .venv/hidden.py loop/a.py sub/up/a.py; do
  ! grep -qFx "proj/$f" <<<"$got"
  ok $? "proj/$f is not checked"
done
grep -qFx proj/gen_keep.py <<<"$got"
ok $? "a negated pattern (!gen_keep.py) re-includes a file"
grep -qFx proj/cache_file.py <<<"$got"
ok $? "a directory-only pattern (cache*/) does not exclude a file"
grep -qFx proj/sub/top_only.py <<<"$got"
ok $? "an anchored pattern (/top_only.py) applies at its own level only"
grep -qFx proj/docs/x/myconf.py <<<"$got"
ok $? "'docs/**/conf.py' does not match myconf.py"
grep -qFx proj/local.py <<<"$got"
ok $? "a nested .gitignore applies below its own directory only"
is "$(printf '%s' "$out" | json_pairs proj/a.py | wc -l | tr -d ' ')" 1 \
  "a file reached through a symlink too is reported once, under its own name"

n=$(printf '%s\n' "$got" | wc -l | tr -d ' ')
cl check proj
like "$out" "in $n files checked\\.\$" "the text summary counts the files checked"

cl check --output-format json proj/gen_ops.py proj/build/b.py
is "$(printf '%s' "$out" | json_paths | tr '\n' ' ')" "proj/build/b.py proj/gen_ops.py " \
  "files named explicitly are checked even when .gitignore excludes them"

cl check --output-format json proj/notes.txt
is "$(printf '%s' "$out" | json_paths)" "proj/notes.txt" "a file named explicitly is checked whatever its suffix"

cl check --output-format json proj/sub
is "$(printf '%s' "$out" | json_paths | tr '\n' ' ')" "proj/sub/top_only.py " \
  "walking a subdirectory uses its own .gitignore"

cl check --output-format json proj/
is "$(printf '%s' "$out" | json_paths | head -1)" "proj/a.py" "a trailing slash on the directory does not double the slash"
done_testing
