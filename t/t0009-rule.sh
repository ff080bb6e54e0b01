#!/usr/bin/env bash
# `condlint rule`: one rule's documentation by code or name, all of them with
# --all, and a JSON catalog; the catalog is exactly rules/rules.def.
. "$(dirname "$0")/lib.sh"

# CODE NAME SEVERITY for each RULE(...) line of the registry.
registry=$(sed -n 's/^RULE(\(CL[0-9]*\), "\([^"]*\)", \([A-Z]*\),.*/\1 \2 \3/p' "$TOP/rules/rules.def")
codes=$(printf '%s\n' "$registry" | cut -d' ' -f1)
nrules=$(printf '%s\n' "$codes" | wc -l | tr -d ' ')
[ "$nrules" -ge 12 ]
ok $? "rules.def lists the rules ($nrules)"

cl rule CL101
is "$rc" 0 "rule CL101 exits 0"
is "$(printf '%s\n' "$out" | head -1)" "# CL101 cond-predicate-concrete-shape" "rule CL101 starts with its code and name"
for sec in "## What it does" "## Why it matters" "## Example" "## Use instead"; do
  like "$out" "$sec" "rule CL101 has the section '$sec'"
done
like "$out" 'make_fx\(f, tracing_mode="symbolic"\)' "rule CL101 shows the fix"

cl rule cond-predicate-static-metadata
is "$rc" 0 "a rule can be named by its name"
is "$(printf '%s\n' "$out" | head -1)" "# CL102 cond-predicate-static-metadata" "... and it is the rule of that name"

cl rule CL999
is "$rc" 2 "an unknown rule exits 2"
like "$err" "no rule 'CL999'" "... naming it"
cl rule
is "$rc" 2 "rule without a code exits 2"
cl rule --bogus
is "$rc" 2 "rule with an unknown option exits 2"
cl rule CL101 --output-format yaml
is "$rc" 2 "rule with an unknown format exits 2"

cl rule --all
is "$rc" 0 "rule --all exits 0"
is "$(printf '%s\n' "$out" | sed -n 's/^# \(CL[0-9]*\) .*/\1/p')" "$codes" "rule --all documents every rule of rules.def, in order"

cl rule --all --output-format json
is "$rc" 0 "rule --all --output-format json exits 0"
got=$(printf '%s' "$out" | perl -MJSON::PP -0777 -ne '
  my %sev = (error => "ERROR", warning => "WARNING", info => "INFO");
  for my $r (@{decode_json($_)}) {
    my $keys = join " ", sort keys %$r;
    print "bad fields [$keys]\n" if $keys ne "code explanation name severity summary";
    print "$r->{code} $r->{name} $sev{$r->{severity}}\n";
    print "$r->{code}: explanation is not its doc\n" unless $r->{explanation} =~ /^# $r->{code} $r->{name}\n.*## What it does/s;
  }' 2>&1)
is "$got" "$registry" "the JSON catalog parses and matches rules.def: code, name, severity, doc"

cl rule CL901 --output-format json
is "$(printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'my $d = decode_json($_); print scalar(@$d), " $d->[0]{code} $d->[0]{severity}"')" \
  "1 CL901 info" "rule CODE --output-format json is an array of that one rule"
done_testing
