#!/usr/bin/env bash
# The rule catalog is one source for every surface: `condlint rule CODE` is
# the page docs/rules/CODE.md (less its generated-file banner), the JSON
# catalog lists the same rules as rules.def, and the default severities that
# `condlint config` reports are the catalog's.
. "$(dirname "$0")/lib.sh"
cd "$TMP"

codes=$(sed -n 's/^RULE(\(CL[0-9]*\),.*/\1/p' "$TOP/rules/rules.def")
cl rule --all --output-format json
is "$(printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'print map { "$_->{code}\n" } @{decode_json($_)}')" "$codes" \
  "rule --all --output-format json lists rules.def, in order"
printf '%s' "$out" >catalog.json

for code in $codes; do
  cl rule "$code"
  page=$(grep -v '^<!-- Generated' "$TOP/docs/rules/$code.md")
  is "$out" "$page" "condlint rule $code is docs/rules/$code.md"
done

cl config --isolated .
want=$(perl -MJSON::PP -0777 -ne 'print join ", ", map { "$_->{code} = \"$_->{severity}\"" } @{decode_json($_)}' catalog.json)
like "$out" "rule-severity = \\{ $want \\}" "condlint config --isolated: every rule, at its default severity"

cl rule CL101 --output-format json
is "$(printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'my $d = decode_json($_); print scalar(@$d), " ", join(" ", sort keys %{$d->[0]})')" \
  "1 code explanation name severity summary" "rule CODE --output-format json: one rule with code, name, severity, summary, explanation"
done_testing
