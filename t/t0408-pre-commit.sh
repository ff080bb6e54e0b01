#!/usr/bin/env bash
# pre-commit: the repository's .pre-commit-hooks.yaml is a valid manifest, and
# Debian's real pre-commit (deps/debian-packages.txt) refuses a commit that
# adds a folding torch.cond and accepts it once fixed, both through that
# manifest (a hook repository cloned offline) and as a `repo: local` hook.
# Many file arguments at once stay fast (500 files).
. "$(dirname "$0")/lib.sh"
cd "$TMP"

if ! command -v pre-commit >/dev/null; then
  echo "1..1"
  echo "not ok 1 - pre-commit is installed (Debian package pre-commit, deps/debian-packages.txt)"
  exit 1
fi

# keep pre-commit and git away from the real home and configuration
export HOME=$TMP/home PRE_COMMIT_HOME=$TMP/pre-commit-cache XDG_CACHE_HOME=$TMP/cache
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org
export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
mkdir -p "$HOME" bin
ln -s "$CONDLINT" bin/condlint # language: system runs the condlint on PATH
export PATH=$TMP/bin:$PATH
git_init() { git -c init.defaultBranch=main init -q "$1"; }

# ---- the manifest -------------------------------------------------------------
pre-commit validate-manifest "$TOP/.pre-commit-hooks.yaml" >pc.out 2>&1
ok $? "pre-commit validate-manifest accepts .pre-commit-hooks.yaml"
is "$(/usr/bin/python3 -c '
import sys, yaml
(h,) = yaml.safe_load(open(sys.argv[1]))
print(h["id"], "|", h["entry"], "|", h["language"], "|", h["types"], "|", h["require_serial"])
' "$TOP/.pre-commit-hooks.yaml" 2>&1)" "condlint | condlint check | system | ['python'] | False" \
  "the hook: id condlint, entry 'condlint check', language system, types [python], require_serial false"
grep -q 'pre-commit' "$TOP/docs/integrations.md" 2>/dev/null
ok $? "docs/integrations.md documents the hook"

# ---- through the manifest, from a hook repository cloned offline --------------
git_init hooks
cp "$TOP/.pre-commit-hooks.yaml" hooks/
git -C hooks add .pre-commit-hooks.yaml && git -C hooks commit -qm "condlint hook"
rev=$(git -C hooks rev-parse HEAD)

bad_cond() { printf 'import torch\n\n\ndef f(x):\n    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))\n' >"$1"; }
good_cond() { printf 'import torch\n\n\ndef f(x):\n    return torch.sin(x) if x.dim() == 3 else torch.cos(x)\n' >"$1"; }

# commit_cycle DIR LABEL: a refused commit, then an accepted one after the fix
commit_cycle() {
  local dir=$1 label=$2
  (cd "$dir" && pre-commit install >/dev/null 2>&1)
  ok $? "$label: pre-commit install"
  bad_cond "$dir/model.py"
  printf '# notes\nwhy not torch.cond(x.dim() == 3, a, b, (x,))\n' >"$dir/NOTES.md"
  git -C "$dir" add -A
  git -C "$dir" commit -qm "add model" >commit.out 2>&1
  local st=$?
  [ $st -ne 0 ]
  ok $? "$label: the commit of a folding torch.cond is refused"
  like "$(cat commit.out)" 'model\.py:5:12: error: .*\[CL102\]' "$label: ... with condlint's report"
  unlike "$(cat commit.out)" 'NOTES\.md' "$label: ... which checked only Python files"
  git -C "$dir" rev-parse -q --verify HEAD >/dev/null
  [ $? -ne 0 ]
  ok $? "$label: ... and nothing was committed"
  good_cond "$dir/model.py"
  git -C "$dir" add -A
  git -C "$dir" commit -qm "add model" >commit.out 2>&1
  ok $? "$label: the fixed commit is accepted"
  like "$(cat commit.out)" 'condlint\.+Passed' "$label: ... with the hook passing"
}

git_init proj
cat >proj/.pre-commit-config.yaml <<EOF
repos:
  - repo: $TMP/hooks
    rev: $rev
    hooks:
      - id: condlint
EOF
commit_cycle proj "manifest hook"

# ---- as a local hook whose entry is the built binary ----------------------------
git_init local
cat >local/.pre-commit-config.yaml <<EOF
repos:
  - repo: local
    hooks:
      - id: condlint
        name: condlint
        entry: $CONDLINT check
        language: system
        types: [python]
EOF
commit_cycle local "local hook"

# ---- many files at once ----------------------------------------------------------
mkdir -p many/pkg
for i in $(seq 1 500); do
  printf 'import torch\n\n\ndef f%d(x):\n    return torch.cond(x.shape[0] > %d, torch.sin, torch.cos, (x,))\n' "$i" "$i" >"many/pkg/m$i.py"
done
args=()
for i in $(seq 1 500); do args+=("pkg/m$i.py"); done
start=$(date +%s%N)
(cd many && "$CONDLINT" check "${args[@]}" >"$TMP/many.out" 2>&1)
st=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
is "$st:$(tail -1 many.out)" "0:All checks passed (500 files checked)." "500 file arguments: all checked"
[ "$ms" -lt 10000 ]
ok $? "500 file arguments take less than 10 s (took ${ms} ms)"
git_init many/repo
cp -r many/pkg many/repo/
cp local/.pre-commit-config.yaml many/repo/
git -C many/repo add -A
start=$(date +%s%N)
(cd many/repo && pre-commit run --all-files >"$TMP/run.out" 2>&1)
st=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
is "$st" 0 "pre-commit run --all-files over 500 files passes"
[ "$ms" -lt 60000 ]
ok $? "... in less than 60 s (took ${ms} ms)"
done_testing
