#!/usr/bin/env bash
# --output-format sarif: valid against the official SARIF 2.1.0 JSON schema
# (t/schemas/, checked by Debian's python3-jsonschema), the driver's rules are
# the rule catalog, results carry ruleId/ruleIndex/level/locations/
# relatedLocations, and partialFingerprints survive code moving up and down.
. "$(dirname "$0")/lib.sh"
cd "$TMP"
PY=/usr/bin/python3
SCHEMA=$TOP/t/schemas/sarif-schema-2.1.0.json

is "$(sha256sum "$SCHEMA" | cut -d' ' -f1)" ddddcccbf95c7c50c037b5b07eff4140556278ca574ff374db46786b5fce7949 \
  "the committed schema is the official one (t/schemas/README.md)"

cat >validate.py <<'EOF'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft4Validator.check_schema(schema)
doc = json.load(sys.stdin)
v = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
errors = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
for e in errors[:5]:
    print("/".join(map(str, e.path)), e.message[:200])
EOF
validate() { "$PY" validate.py "$SCHEMA" 2>&1; }
"$PY" -c 'import jsonschema' 2>/dev/null
ok $? "Debian's python3-jsonschema is installed (deps/debian-packages.txt)"

mkdir -p pkg
cat >pkg/ops.py <<'EOF'
import torch


def f(x):
    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))


def g(x):
    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))
EOF
printf 'x = 1  # condlint: ignore[CL101]\n' >pkg/unused.py
printf 'import torch\n\nx = = torch.cond\n' >pkg/syntax.py

cl check --isolated --output-format sarif pkg
is "$rc" 1 "sarif: exit 1 with findings"
is "$err" "" "sarif: nothing on stderr"
is "$(printf '%s' "$out" | validate)" "" "sarif: the report is valid against the SARIF 2.1.0 schema"
printf '%s' "$out" >report.sarif

# one line per rule of the catalog: id name level helpUri
cl rule --all --output-format json
printf '%s' "$out" >catalog.json
got=$(perl -MJSON::PP -e '
  local $/;
  open my $s, "<", "report.sarif"; my $d = decode_json(<$s>);
  open my $c, "<", "catalog.json"; my $cat = decode_json(<$c>);
  my $run = $d->{runs}[0]; my $drv = $run->{tool}{driver};
  print "version $d->{version} runs ", scalar(@{$d->{runs}}), "\n";
  print "driver $drv->{name} ", ($drv->{version} =~ /^\d+\.\d+\.\d+/ ? "versioned" : "unversioned"),
        " $drv->{informationUri}\n";
  print "columnKind $run->{columnKind}\n";
  my %lvl = (error => "error", warning => "warning", info => "note");
  my $i = 0; my $bad = 0;
  for my $r (@$cat) {
    my $x = $drv->{rules}[$i++];
    $bad++, print "rule $r->{code}: id $x->{id}\n" if $x->{id} ne $r->{code};
    $bad++, print "rule $r->{code}: name\n" if $x->{name} ne $r->{name};
    $bad++, print "rule $r->{code}: shortDescription\n" if $x->{shortDescription}{text} ne $r->{summary};
    $bad++, print "rule $r->{code}: fullDescription\n" if $x->{fullDescription}{text} ne $r->{explanation};
    $bad++, print "rule $r->{code}: helpUri $x->{helpUri}\n" if $x->{helpUri} ne "https://condlint.dev/rules/$r->{code}";
    $bad++, print "rule $r->{code}: level\n" if $x->{defaultConfiguration}{level} ne $lvl{$r->{severity}};
  }
  print "rules ", scalar(@{$drv->{rules}}), " of ", scalar(@$cat), " bad $bad\n";' 2>&1)
ncat=$(perl -MJSON::PP -0777 -ne 'print scalar @{decode_json($_)}' catalog.json)
is "$got" "version 2.1.0 runs 1
driver condlint versioned https://condlint.dev
columnKind unicodeCodePoints
rules $ncat of $ncat bad 0" "sarif: the driver lists every rule of the catalog: id, name, descriptions, helpUri, default level"

# results: ruleId level uri:region related fingerprint
results() {
  perl -MJSON::PP -0777 -ne '
    my $run = decode_json($_)->{runs}[0];
    for my $r (@{$run->{results}}) {
      my $rule = $run->{tool}{driver}{rules}[$r->{ruleIndex}]{id} // "none";
      my $p = $r->{locations}[0]{physicalLocation}; my $g = $p->{region};
      my @rel = map { my $q = $_->{physicalLocation}; "$q->{artifactLocation}{uri}:$q->{region}{startLine}:$q->{region}{startColumn}=" . ($_->{message}{text} // "") } @{$r->{relatedLocations} // []};
      print join(" ", $r->{ruleId}, ($rule eq $r->{ruleId} ? "indexed" : "index-mismatch:$rule"), $r->{level},
        "$p->{artifactLocation}{uri}:$g->{startLine}:$g->{startColumn}-$g->{endLine}:$g->{endColumn}",
        scalar(@rel) . "rel", $r->{partialFingerprints}{"condlint/v1"} // "nofp"), "\n";
    }'
}
got=$(results <report.sarif)
is "$(printf '%s\n' "$got" | cut -d' ' -f1-5 | tr '\n' ';')" \
  "CL102 indexed error pkg/ops.py:5:12-5:22 1rel;CL102 indexed error pkg/ops.py:9:12-9:22 1rel;CL901 indexed note pkg/syntax.py:3:5-3:6 0rel;CL902 indexed warning pkg/unused.py:1:8-1:33 0rel;" \
  "sarif: one result per finding: ruleId, ruleIndex into the rules, level, relative uri and region"
like "$(cat report.sarif)" '"text": "this predicate never depends on a dynamic size"' \
  "sarif: the chain is in relatedLocations, with its messages"
fps=$(printf '%s\n' "$got" | cut -d' ' -f6)
is "$(printf '%s\n' "$fps" | grep -cE '^[0-9a-f]{16}$')" 4 "sarif: every result has a partialFingerprint"
is "$(printf '%s\n' "$fps" | sort -u | wc -l | tr -d ' ')" 4 "sarif: two equal lines in a file get distinct fingerprints"

# fingerprints survive moving code up and down and re-indenting, not a changed line
fp_of() { cl check --isolated --output-format sarif "$@"; printf '%s' "$out" | results | cut -d' ' -f6 | tr '\n' ' '; }
before=$(fp_of pkg/ops.py)
{ printf '"""A docstring that moves everything down."""\n\n\n'; cat pkg/ops.py; } >moved.tmp && mv moved.tmp pkg/ops.py
is "$(fp_of pkg/ops.py)" "$before" "fingerprints survive lines inserted above"
sed -i 's/^    return torch.cond/        return  torch.cond/' pkg/ops.py
is "$(fp_of pkg/ops.py)" "$before" "... and re-indentation"
sed -i '0,/x.dim() == 3/s//x.dim() == 4/' pkg/ops.py
after=$(fp_of pkg/ops.py)
isnt() { [ "$1" != "$2" ]; ok $? "$3"; }
isnt "${after%% *}" "${before%% *}" "a changed line gets a new fingerprint"
cp pkg/ops.py other.py
isnt "$(fp_of other.py)" "$after" "the same code in another file gets other fingerprints"

# edge cases stay valid
cl check --isolated --output-format sarif pkg/unused.py
printf 'x = 1\n' >clean.py
cl check --isolated --output-format sarif clean.py
is "$rc" 0 "sarif: exit 0 without findings"
is "$(printf '%s' "$out" | validate)" "" "sarif: a report without results is valid"
like "$out" '"results": \[\]' "sarif: ... with an empty results array"
mkdir -p 'dir with space'
cp other.py 'dir with space/m%.py'
cp other.py "$(printf 'bad\xff.py')"
cl check --isolated --output-format sarif 'dir with space' "$(printf 'bad\xff.py')"
is "$(printf '%s' "$out" | validate)" "" "sarif: paths with spaces, '%' and invalid UTF-8 stay valid"
like "$out" '"uri": "dir%20with%20space/m%25\.py"' "sarif: uris are percent-encoded"
like "$out" '"uri": "bad%FF\.py"' "sarif: ... bytes included"
cl check --isolated --output-format sarif "$TMP/other.py"
like "$out" '"uri": "other\.py"' "sarif: an absolute path below the working directory becomes relative"
(cd pkg && "$CONDLINT" check --isolated --output-format sarif "$TMP/other.py" >"$TMP/abs.sarif")
like "$(cat abs.sarif)" "\"uri\": \"file://$TMP/other\\.py\"" "sarif: one outside it becomes a file:// uri"
is "$(validate <abs.sarif)" "" "sarif: ... and is valid"
done_testing
