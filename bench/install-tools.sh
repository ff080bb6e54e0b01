#!/bin/sh
# install-tools.sh — install the npm tools of bench/tools.lock into bench/.tools
# (git-ignored): ast-grep, whose npm package carries a prebuilt binary per
# platform. Install scripts are not run (the binary needs none); every package
# installed must carry the integrity the lock records. Idempotent; prints the
# path of the ast-grep binary.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
tools=$top/bench/.tools
lock=$top/bench/tools.lock
version=$(awk '$1 == "@ast-grep/cli" { print $2 }' "$lock")
case $(uname -m) in
  x86_64) plat=linux-x64-gnu ;;
  aarch64 | arm64) plat=linux-arm64-gnu ;;
  *) echo "install-tools: no locked ast-grep binary for $(uname -m)" >&2; exit 1 ;;
esac
bin=$tools/node_modules/@ast-grep/cli-$plat/ast-grep
if [ ! -x "$bin" ] || [ "$("$bin" --version 2>/dev/null)" != "ast-grep $version" ]; then
  mkdir -p "$tools"
  npm install --silent --no-audit --no-fund --ignore-scripts --prefix "$tools" "@ast-grep/cli@$version" >&2
fi
# every locked package that npm installed must have the locked integrity
node -e '
  const fs = require("fs");
  const lock = fs.readFileSync(process.argv[1], "utf8").split("\n")
    .filter(l => l.trim() && !l.startsWith("#")).map(l => l.trim().split(/\s+/));
  const pl = JSON.parse(fs.readFileSync(process.argv[2] + "/node_modules/.package-lock.json", "utf8")).packages;
  let bad = 0;
  for (const [name, version, integrity] of lock) {
    const p = pl["node_modules/" + name];
    if (!p) continue; /* an optional package of another platform */
    if (p.version !== version || p.integrity !== integrity) {
      console.error(`install-tools: ${name}: got ${p.version} ${p.integrity}, locked ${version} ${integrity}`);
      bad = 1;
    }
  }
  process.exit(bad);' "$lock" "$tools"
[ -x "$bin" ] || { echo "install-tools: $bin is missing" >&2; exit 1; }
echo "$bin"
