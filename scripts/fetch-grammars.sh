#!/bin/sh
# Fetch the tree-sitter grammars named in deps/grammars.lock with `npm pack`
# (no install scripts run), check each tarball's sha512 against the lock, and
# unpack its src/ into build-deps/grammars/<name>/. Idempotent.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$top/build-deps/grammars"}
mkdir -p "$out"
grep -v '^#' "$top/deps/grammars.lock" | while read -r name version sha; do
  [ -n "$name" ] || continue
  short=$(basename "$name")
  dest="$out/$short"
  if [ -f "$dest/.sha512" ] && [ "$(cat "$dest/.sha512")" = "$sha" ]; then
    continue
  fi
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null 2>"$tmp/npm.err") || {
    echo "fetch-grammars: npm pack $name@$version failed:" >&2; cat "$tmp/npm.err" >&2; exit 1; }
  tgz=$(ls "$tmp"/*.tgz)
  got=$(sha512sum "$tgz" | cut -d' ' -f1)
  if [ "$got" != "$sha" ]; then
    echo "fetch-grammars: checksum mismatch for $name@$version" >&2
    echo "  expected $sha" >&2; echo "  got      $got" >&2; exit 1
  fi
  rm -rf "$dest"; mkdir -p "$dest"
  tar -xzf "$tgz" -C "$dest" --strip-components=1 package/src
  echo "$sha" > "$dest/.sha512"
  rm -rf "$tmp"
  echo "fetch-grammars: $name@$version ok"
done
