#!/usr/bin/env bash
# setup.sh — set condlint up on Debian 12, from a fresh clone:
#   1. install the Debian packages of deps/debian-packages.txt that are
#      missing (apt-get update + install, through sudo when not root);
#   2. fetch the tree-sitter grammars (scripts/fetch-grammars.sh: npm pack,
#      sha512-checked against deps/grammars.lock);
#   3. build into build/ (cmake -S . -B build && cmake --build build);
#   4. run build/condlint check examples/ to show what a finding looks like.
# Re-running is cheap: installed packages and fetched grammars are kept.
#
#   ./setup.sh              all of the above
#   ./setup.sh --deps-only  steps 1 and 2 only (test.sh uses this)
set -euo pipefail
cd "$(dirname "$0")"

deps_only=0
for arg in "$@"; do
  case $arg in
    --deps-only) deps_only=1 ;;
    -h | --help)
      sed -n '2,13s/^# \{0,1\}//p' "$0"
      exit 0
      ;;
    *)
      echo "setup.sh: unknown option '$arg' (try --help)" >&2
      exit 2
      ;;
  esac
done

step() { printf '==> %s\n' "$*"; }

# 1. Debian packages, installed only when one is missing. A package named
# after a command that is already on PATH counts as present: NodeSource's
# nodejs, for one, ships npm and conflicts with Debian's npm package.
missing=()
for pkg in $(sed -e 's/#.*//' deps/debian-packages.txt); do
  dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null | grep -q '^ii' ||
    command -v "$pkg" >/dev/null || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  step "Debian packages: all installed"
else
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null; then
    as_root=(sudo)
  else
    echo "setup.sh: missing packages (${missing[*]}) and neither root nor sudo to install them" >&2
    exit 1
  fi
  step "installing ${missing[*]}"
  "${as_root[@]}" apt-get update -q
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# 2. Grammars (a no-op when build-deps/grammars already holds the locked versions).
step "tree-sitter grammars"
sh scripts/fetch-grammars.sh

[ "$deps_only" -eq 1 ] && exit 0

# 3. Build.
step "building into build/"
cmake -S . -B build
cmake --build build -j"$(nproc)"

# 4. A first run: the examples hold findings, so condlint exits 1 there;
# only an error (exit 2) fails the setup.
step "build/condlint check examples/"
rc=0
build/condlint check examples/ || rc=$?
if [ "$rc" -gt 1 ]; then
  echo "setup.sh: condlint failed (exit $rc)" >&2
  exit 1
fi
step "done: build/condlint is ready; ./test.sh runs the test suite"
