#!/usr/bin/env bash
# t0330-fixes.sh — machine-applicable fixes: --fix (safe), --unsafe-fixes,
# --diff. Each t/corpus/fix/*_before.py case folds on real PyTorch; applying
# condlint's fixes to it must give exactly the committed *_after.py, which
# real PyTorch keeps (t/corpus/fix/labels.jsonl, from the oracle).
. "$(dirname "$0")/lib.sh"

FIX="$TOP/t/corpus/fix"
label() { # label CASE -> verdict of its site
  perl -MJSON::PP -ne 'my $c = decode_json($_); print $c->{sites}[0]{verdict} if $c->{case} =~ m{/\Q'"$1"'\E$}' "$FIX/labels.jsonl"
}
applicability() { # applicability of the CL1xx finding's fix in a JSON report
  perl -MJSON::PP -e 'local $/; for (@{decode_json(<STDIN>)}) { print $_->{fix}{applicability} if $_->{code} =~ /^CL10/ && $_->{fix} }'
}

declare -A KIND=([001]=unsafe [002]=unsafe [003]=unsafe [004]=unsafe [005]=safe [006]=safe [007]=safe)
for before in "$FIX"/fix_0*_before.py; do
  name=$(basename "$before" _before.py)
  n=${name#fix_}; n=${n%%_*}
  after="$FIX/${name}_after.py"
  is "$(label "${name}_before.py")" folded "$name: real PyTorch folds the cond before the fix"
  is "$(label "${name}_after.py")" preserved "$name: real PyTorch keeps the cond after the fix"
  cl check --output-format json "$before"
  is "$(applicability <<<"$out")" "${KIND[$n]}" "$name: the finding carries a ${KIND[$n]} fix"
  cp "$before" "$TMP/case.py"
  cl check --fix --unsafe-fixes "$TMP/case.py"
  ok $(cmp -s "$TMP/case.py" "$after"; echo $?) "$name: --fix --unsafe-fixes gives exactly the committed after-case"
  is "$rc" 0 "$name: after fixing, the re-check finds nothing (exit 0)"
  cl check --output-format json "$after"
  is "$out" "[]" "$name: condlint reports nothing on the after-case"
done

# --fix applies only safe fixes; unsafe ones need --unsafe-fixes
cp "$FIX/fix_001_tracing_mode_before.py" "$TMP/unsafe.py"
cl check --fix "$TMP/unsafe.py"
ok $(cmp -s "$TMP/unsafe.py" "$FIX/fix_001_tracing_mode_before.py"; echo $?) "--fix leaves an unsafe fix alone"
is "$rc" 1 "... and the finding is still reported (exit 1)"
like "$err" "fixed 0 findings" "... and says that it fixed nothing"
cp "$FIX/fix_007_drop_int_before.py" "$TMP/safe.py"
chmod 640 "$TMP/safe.py"
cl check --fix "$TMP/safe.py"
ok $(cmp -s "$TMP/safe.py" "$FIX/fix_007_drop_int_after.py"; echo $?) "--fix applies a safe fix"
is "$(stat -c %a "$TMP/safe.py")" 640 "the fixed file keeps its mode (written by rename, not truncation)"
is "$(ls "$TMP" | grep -c condlint-fix)" 0 "no temporary file is left behind"

# --diff prints and writes nothing
cp "$FIX/fix_003_export_no_spec_before.py" "$TMP/diff.py"
cl check --diff --unsafe-fixes "$TMP/diff.py"
is "$rc" 1 "--diff exits 1 when there is something to fix"
like "$out" "^--- a/" "--diff prints a unified diff"
like "$out" "\+    return export\(Model\(\), \(torch.randn\(2, 256, 64\),\), dynamic_shapes=\{\"x\": \{1: Dim\(\"x_1\"\)\}\}\)" "... with the added Dim"
like "$out" "\+from torch.export import Dim" "... and the added import"
ok $(cmp -s "$TMP/diff.py" "$FIX/fix_003_export_no_spec_before.py"; echo $?) "--diff writes nothing"
cl check --diff "$TMP/diff.py"
is "$out" "" "--diff without --unsafe-fixes shows no unsafe fix"
is "$rc" 0 "... and exits 0"
patch_out=$(cd "$TMP" && "$CONDLINT" check --diff --unsafe-fixes diff.py 2>/dev/null | patch -p1 --dry-run 2>&1)
is "$?" 0 "the diff applies with patch -p1"

# source from stdin is never written back
cl_in "$(cat "$FIX/fix_007_drop_int_before.py")" check --fix --stdin-filename "$TMP/stdin.py" -
ok $([ ! -e "$TMP/stdin.py" ]; echo $?) "--fix on standard input writes no file"

# SARIF carries the edits as fixes, valid against the official schema
cl check --output-format sarif "$FIX/fix_003_export_no_spec_before.py"
printf '%s' "$out" > "$TMP/fix.sarif"
valid=$(/usr/bin/python3 - "$TOP/t/schemas/sarif-schema-2.1.0.json" "$TMP/fix.sarif" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
jsonschema.Draft4Validator(schema).validate(doc)
res = doc["runs"][0]["results"][0]
reps = res["fixes"][0]["artifactChanges"][0]["replacements"]
print("valid", len(reps), res["properties"]["fixApplicability"])
PY
)
is "$valid" "valid 2 unsafe" "SARIF results carry the fix's two replacements and its applicability, schema-valid"

# a fix whose edit lies in another file than the finding (mark_dynamic where
# the model is compiled) is advice: its offsets are the other file's, and were
# once applied to the finding's file
cp -r "$TOP/t/corpus/inductor" "$TMP/xfile"
before=$(md5sum "$TMP/xfile/inductor_001_dynamic_false.py")
cl check --output-format json "$TMP/xfile/inductor_001_dynamic_false.py"
like "$out" '"code": "CL105"' "a range dispatch lost, fixed by a mark_dynamic in common_op.py"
like "$out" '"applicability": "display-only"' "... is advice: display-only"
unlike "$out" '"content"' "... with no edits"
cl check --fix "$TMP/xfile/inductor_001_dynamic_false.py"
is "$(md5sum "$TMP/xfile/inductor_001_dynamic_false.py")" "$before" "... and --fix leaves the finding's file as it was"

# static metadata gets advice, never an edit
printf 'import torch\ndef f(x):\n    return torch.cond(x.dim() == 3, lambda t: t, lambda t: t, (x,))\n' > "$TMP/meta.py"
cl check --output-format json "$TMP/meta.py"
like "$out" "\"applicability\": \"display-only\"" "a static-metadata predicate gets advice only"

done_testing
