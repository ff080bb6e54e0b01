#!/usr/bin/env bash
# docs/rules/ is generated from the rule files' header comments by
# scripts/gen-rule-docs.pl; regenerating it must change nothing, and every
# rule of rules.def has its page and a line in README.md and docs/README.md,
# whose relative links all lead somewhere.
. "$(dirname "$0")/lib.sh"

perl "$TOP/scripts/gen-rule-docs.pl" "$TOP/rules" "$TMP/rule_docs.c" --md "$TMP/md" 2>"$TMP/gen.err"
ok $? "gen-rule-docs.pl runs"
[ -z "$(cat "$TMP/gen.err")" ]
ok $? "gen-rule-docs.pl prints no error"
drift=$(diff -r "$TMP/md" "$TOP/docs/rules" 2>&1)
is "$drift" "" "docs/rules/ is what gen-rule-docs.pl generates (regenerate: perl scripts/gen-rule-docs.pl rules /tmp/x.c --md docs/rules)"
for code in $(sed -n 's/^RULE(\(CL[0-9]*\),.*/\1/p' "$TOP/rules/rules.def"); do
  [ -s "$TOP/docs/rules/$code.md" ]
  ok $? "docs/rules/$code.md exists"
done

# The hand-written indexes list every rule of the registry, with its name.
sed -n 's/^RULE(\(CL[0-9]*\), "\([^"]*\)".*/\1 \2/p' "$TOP/rules/rules.def" >"$TMP/registry"
for doc in README.md docs/README.md; do
  missing=$(while read -r code name; do
    grep -q "\[$code\](.*$name" "$TOP/$doc" || echo "$code"
  done <"$TMP/registry")
  is "$missing" "" "$doc lists every rule of rules.def with a link and its name"
done

# Relative links of the README and the docs index lead to files that exist.
for doc in README.md docs/README.md; do
  dir=$(dirname "$TOP/$doc")
  broken=$(grep -o '](\([^)#:]*\))' "$TOP/$doc" | sed 's/^](//; s/)$//' | sort -u |
    while read -r link; do [ -e "$dir/$link" ] || echo "$link"; done)
  is "$broken" "" "$doc has no broken relative link"
done
grep -q '](docs/README.md)' "$TOP/README.md"
ok $? "README.md links the docs index"
done_testing
