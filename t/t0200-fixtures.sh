#!/usr/bin/env bash
# Rule fixtures: each t/fixtures/*.py marks the findings it must produce with
# a trailing comment on the reported line, `# expect: CL102` (several:
# `# expect: CL101, CL102`). condlint must report exactly those (line, code)
# pairs: a missing finding fails, an unexpected one fails too (CL9xx
# included). The exit status must follow from the expected severities.
. "$(dirname "$0")/lib.sh"
cd "$TOP/t/fixtures" || exit 1

# Codes whose severity is info: they never change the exit status.
cl rule --all --output-format json
info_codes=$(printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'print map { "$_->{code}\n" } grep { $_->{severity} eq "info" } @{decode_json($_)}')
[ -n "$info_codes" ]
ok $? "the rule catalog names the info codes ($(echo $info_codes))"

# "LINE CODE" for each `# expect:` comment of a fixture, sorted.
expectations() {
  perl -ne 'if (m{(?:#|//)\s*expect:\s*(CL\d{3}(?:\s*,\s*CL\d{3})*)\s*$}) { print "$. $_\n" for split /\s*,\s*/, $1 }' "$1" |
    sort -u -n -k1,1 -k2
}

for fixture in *.py cxx/*.cpp cxx/*.cu cxx/*.h cxx/*.hpp; do
  [ -f "$fixture" ] || continue
  want=$(expectations "$fixture")
  cl check --output-format json "$fixture"
  got=$(printf '%s' "$out" | json_pairs "$fixture" | sort -u -n -k1,1 -k2)
  missing=$(comm -23 <(printf '%s\n' "$want" | sort) <(printf '%s\n' "$got" | sort) | sed '/^$/d')
  unexpected=$(comm -13 <(printf '%s\n' "$want" | sort) <(printf '%s\n' "$got" | sort) | sed '/^$/d')
  [ -z "$missing" ]
  ok $? "$fixture: every expected finding is reported"
  [ -z "$missing" ] || diag "missing (line code):" "$missing"
  [ -z "$unexpected" ]
  ok $? "$fixture: no unexpected finding"
  [ -z "$unexpected" ] || diag "unexpected (line code):" "$unexpected"
  want_rc=0
  for code in $(printf '%s\n' "$want" | cut -d' ' -f2 | sort -u); do
    grep -qx "$code" <<<"$info_codes" || want_rc=1
  done
  [ "$rc" = "$want_rc" ] && [ -z "$err" ]
  ok $? "$fixture: exit status $want_rc and nothing on stderr"
  [ "$rc" = "$want_rc" ] || diag "exit status $rc"
  [ -z "$err" ] || diag "stderr: $err"
done
done_testing
