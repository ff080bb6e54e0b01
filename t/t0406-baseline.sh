#!/usr/bin/env bash
# --baseline FILE: a missing FILE records the current findings and exits 0;
# an existing one hides the findings it records (by fingerprint, so moving
# code up or down changes nothing) and the text footer counts them;
# --update-baseline rewrites it; a bad baseline is exit 2.
. "$(dirname "$0")/lib.sh"
cd "$TMP"

mkdir -p pkg
cat >pkg/ops.py <<'EOF'
import torch


def f(x):
    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))
EOF
printf 'x = 1  # condlint: ignore[CL101]\n' >pkg/unused.py

cl check --isolated --baseline base.json pkg
is "$rc" 0 "a missing baseline is recorded and the run passes"
like "$err" 'recorded 2 findings in base\.json' "... saying so on stderr"
is "$out" "All checks passed (2 files checked, 2 baselined findings not shown)." "... and the report counts them as baselined"
got=$(perl -MJSON::PP -0777 -ne '
  my $d = decode_json($_);
  print "tool $d->{tool} version $d->{version}\n";
  print join(" ", $_->{code}, $_->{path}, $_->{line}, ($_->{fingerprint} =~ /^[0-9a-f]{16}$/ ? "fp" : "nofp"), ($_->{message} ? "msg" : "nomsg")), "\n"
    for @{$d->{findings}};' base.json 2>&1)
is "$got" $'tool condlint version 1\nCL102 pkg/ops.py 5 fp msg\nCL902 pkg/unused.py 1 fp msg' \
  "the baseline is JSON: tool, version, and per finding its fingerprint, code, path, line, message"
is "$(ls -a | grep -c tmp)" 0 "no temporary file is left behind"

cl check --isolated --output-format sarif pkg
sarif_fps=$(printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'print join " ", map { $_->{partialFingerprints}{"condlint/v1"} } @{decode_json($_)->{runs}[0]{results}}')
is "$(perl -MJSON::PP -0777 -ne 'print join " ", map { $_->{fingerprint} } @{decode_json($_)->{findings}}' base.json)" "$sarif_fps" \
  "baseline fingerprints are SARIF's partialFingerprints"

cl check --isolated --baseline base.json pkg
is "$rc:$err" "0:" "the same findings again: exit 0, nothing recorded"
like "$out" '2 baselined findings not shown' "... all baselined"

{ printf '"""Docs."""\nimport os\n\n\n'; cat pkg/ops.py; } >moved && mv moved pkg/ops.py
cl check --isolated --baseline base.json pkg
is "$rc" 0 "code moved down keeps its baselined findings"
printf '\n\ndef g(x):\n    return torch.cond(x.ndim == 2, torch.sin, torch.cos, (x,))\n' >>pkg/ops.py
cl check --isolated --baseline base.json pkg
is "$rc" 1 "a new finding fails the run"
like "$out" '^pkg/ops\.py:13:12: error: .*\[CL102\]' "... and is the one reported"
like "$out" 'Found 1 error, 0 warnings, 0 info in 2 files checked \(2 baselined findings not shown\)\.' \
  "the text footer says how many were baselined"
cl check --isolated --baseline base.json --output-format json pkg
is "$(printf '%s' "$out" | json_pairs | tr '\n' ';')" "13 CL102;" "other formats report only the new finding"
cat >>pkg/ops.py <<'EOF'


def h(x):
    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))
EOF
cl check --isolated --baseline base.json --output-format json pkg
is "$(printf '%s' "$out" | json_pairs | tr '\n' ';')" "13 CL102;17 CL102;" "a copy of a baselined line is new (fingerprints count occurrences)"

cl check --isolated --baseline base.json --update-baseline pkg
is "$rc" 0 "--update-baseline rewrites the baseline and passes"
like "$err" 'recorded 4 findings in base\.json' "... with every current finding"
cl check --isolated --baseline base.json pkg
is "$rc" 0 "after the update the run passes"
sed -i '/def g/,+1d' pkg/ops.py
cl check --isolated --baseline base.json pkg
is "$rc" 0 "a fixed finding leaves the baseline satisfied"
like "$out" '3 baselined findings not shown' "... and is no longer counted"

cl check --isolated --update-baseline pkg
is "$rc" 2 "--update-baseline without --baseline is a usage error"
cl check --isolated --baseline no/such/dir/b.json pkg
is "$rc" 2 "a baseline that cannot be written exits 2"
like "$err" 'no/such/dir/b\.json' "... naming it"

printf '{"tool": "condlint", "findings": [' >broken.json
cl check --isolated --baseline broken.json pkg
is "$rc:$out" "2:" "a baseline that is not JSON exits 2, with no report"
like "$err" '^broken\.json:1:[0-9]+: not a condlint baseline' "... with its position"
printf '[1, 2]\n' >array.json
cl check --isolated --baseline array.json pkg
is "$rc" 2 "a JSON value of another shape exits 2"
like "$err" 'array\.json: not a condlint baseline' "... saying why"
printf '{"tool": "condlint", "version": 1, "findings": [{"code": "CL102"}]}\n' >nofp.json
cl check --isolated --baseline nofp.json pkg
is "$rc" 2 "a finding without a fingerprint exits 2"

# the baseline records what the selection reports
rm -f sel.json
cl check --isolated --select CL102 --baseline sel.json pkg
like "$err" 'recorded 2 findings in sel\.json' "the baseline records the selected findings only"
cl check --isolated --baseline sel.json --output-format concise pkg
is "$(printf '%s\n' "$out" | cut -d' ' -f2 | sort | uniq -c | tr -s ' ' | tr '\n' ';')" " 1 CL902;" \
  "... so the others are still reported"
done_testing
