#!/usr/bin/env bash
# --version, --help and the usage errors of the command line.
. "$(dirname "$0")/lib.sh"

cl --version
is "$rc" 0 "--version exits 0"
like "$out" '^condlint [0-9]+\.[0-9]+\.[0-9]+$' "--version prints 'condlint X.Y.Z'"
version=$(sed -n 's/^project(condlint VERSION \([0-9.]*\).*/\1/p' "$TOP/CMakeLists.txt")
is "$out" "condlint $version" "--version matches the version in CMakeLists.txt"

cl --help
is "$rc" 0 "--help exits 0"
like "$out" 'usage: condlint check' "--help prints the usage of check"
like "$out" 'condlint rule CODE' "--help prints the usage of rule"
for opt in --output-format --stdin-filename --color --jobs --exit-zero; do
  like "$out" "$opt" "--help documents $opt"
done
like "$out" 'Exit status: 0 no findings, 1 findings, 2' "--help documents the exit status"
is "$err" "" "--help writes nothing to stderr"

cl check --help
is "$rc" 0 "check --help exits 0"
like "$out" 'usage: condlint check' "check --help prints the usage"

cl
is "$rc" 2 "no command at all exits 2"
like "$err" 'usage:' "... and prints the usage on stderr"
is "$out" "" "... and nothing on stdout"

cl lint .
is "$rc" 2 "an unknown command exits 2"
like "$err" "unknown command 'lint'" "... naming the command"
like "$err" "condlint --help" "... and pointing to --help"
done_testing
