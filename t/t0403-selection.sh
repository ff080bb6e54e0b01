#!/usr/bin/env bash
# Rule selection: --select, --extend-select and --ignore with prefixes and ALL
# (the more specific selector wins, a command-line --select starts over),
# per-file-ignores by glob, severity per rule, and their effect on the exit
# status (--exit-zero still wins).
. "$(dirname "$0")/lib.sh"
cd "$TMP"

mkdir -p pkg tests
cat >pkg/mixed.py <<'EOF'
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def short_seq(x):
    return x.sin()


def long_seq(x):
    return x.cos()


def by_len(x):
    return torch.cond(x.shape[1] <= 512, short_seq, long_seq, (x,))


def by_rank(x):
    return torch.cond(x.dim() == 3, short_seq, long_seq, (x,))


gm = make_fx(by_len)(torch.randn(2, 256, 128))
gm2 = make_fx(by_rank)(torch.randn(2, 256, 128))
EOF
printf 'import torch\n\nx = = torch.cond\n' >pkg/syntax.py
printf 'x = 1  # condlint: ignore[CL101]\n' >pkg/unused.py
cp pkg/mixed.py tests/test_mixed.py

codes() { cl check --output-format json "$@"; printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'print join " ", map { "$_->{path}:$_->{code}" } @{decode_json($_)}'; }

is "$(codes --isolated pkg)" "pkg/mixed.py:CL101 pkg/mixed.py:CL102 pkg/syntax.py:CL901 pkg/unused.py:CL902" \
  "by default every rule is selected"
is "$(codes --isolated --select CL101 pkg)" "pkg/mixed.py:CL101" "--select CL101 keeps only CL101"
is "$(codes --isolated --select CL1 pkg)" "pkg/mixed.py:CL101 pkg/mixed.py:CL102" "--select CL1 matches every CL1xx (prefix)"
is "$(codes --isolated --select CL10 pkg)" "pkg/mixed.py:CL101 pkg/mixed.py:CL102" "--select CL10 is a prefix too"
is "$(codes --isolated --select CL101,CL902 pkg)" "pkg/mixed.py:CL101 pkg/unused.py:CL902" "--select takes a comma-separated list"
is "$(codes --isolated --select CL101 --select CL902 pkg)" "pkg/mixed.py:CL101 pkg/unused.py:CL902" "--select may be repeated"
is "$(codes --isolated --select=CL9 pkg)" "pkg/syntax.py:CL901" \
  "--select=CODES is accepted (and the ignore[CL101] of unused.py is not unused: CL101 is off)"
is "$(codes --isolated --select ALL pkg)" "pkg/mixed.py:CL101 pkg/mixed.py:CL102 pkg/syntax.py:CL901 pkg/unused.py:CL902" "--select ALL"
is "$(codes --isolated --ignore CL1 pkg)" "pkg/syntax.py:CL901" "--ignore CL1 drops every CL1xx"
is "$(codes --isolated --ignore ALL pkg)" "" "--ignore ALL drops everything"
is "$(codes --isolated --select CL1 --ignore CL102 pkg)" "pkg/mixed.py:CL101" "--ignore of a code inside a selected prefix wins"
is "$(codes --isolated --select CL102 --ignore CL1 pkg)" "pkg/mixed.py:CL102" "the more specific selector wins: --select CL102 over --ignore CL1"
is "$(codes --isolated --select ALL --ignore CL9 pkg)" "pkg/mixed.py:CL101 pkg/mixed.py:CL102" "--select ALL --ignore CL9"
is "$(codes --isolated --select CL101 --extend-select CL9 pkg)" "pkg/mixed.py:CL101 pkg/syntax.py:CL901 pkg/unused.py:CL902" \
  "--extend-select adds to --select"
is "$(codes --isolated --ignore CL1 --extend-select CL101 pkg)" "pkg/mixed.py:CL101 pkg/syntax.py:CL901 pkg/unused.py:CL902" \
  "--extend-select CL101 beats --ignore CL1 (more specific)"
is "$(codes --isolated --ignore CL101 --extend-select CL101 pkg)" "pkg/mixed.py:CL102 pkg/syntax.py:CL901" \
  "equally specific: ignore wins"

for bad in CL999 XY1 CL1x C ''; do
  cl check --isolated --select "$bad" pkg
  is "$rc" 2 "--select '$bad' is a usage error"
done
like "$err" "needs at least one rule code" "... an empty list too"
cl check --isolated --select CL999 pkg
like "$err" "unknown rule code 'CL999'" "an unknown code is named"
cl check --isolated --ignore CL101,nope pkg
is "$rc:$out" "2:" "an unknown code anywhere in the list is a usage error, before any output"
cl check --isolated --extend-select
is "$rc" 2 "--extend-select without a value exits 2"

# exit status follows what is left
cl check --isolated --select CL9 pkg/mixed.py
is "$rc" 0 "exit 0 when the selection leaves no finding"
cl check --isolated --select CL901 pkg
is "$rc" 0 "exit 0 when only info findings are left"
cl check --isolated --select CL101 --exit-zero pkg
is "$rc" 0 "--exit-zero still exits 0"

# ---- configuration: select, ignore, per-file-ignores, severity ----------------
cat >pyproject.toml <<'EOF'
[project]
name = "demo"

[tool.condlint]
select = ["CL1", "CL9"]
ignore = ["CL901"]
per-file-ignores = {"tests/*.py" = ["CL102"], "unused.py" = ["CL902"]}
EOF
is "$(codes pkg tests)" "pkg/mixed.py:CL101 pkg/mixed.py:CL102 tests/test_mixed.py:CL101" \
  "config: select/ignore apply; per-file-ignores by glob (tests/*.py) and by file name (unused.py)"
is "$(codes --select CL102 pkg tests)" "pkg/mixed.py:CL102" \
  "a command-line --select replaces the configured one; per-file-ignores still apply"
is "$(codes --extend-select CL901 pkg)" "pkg/mixed.py:CL101 pkg/mixed.py:CL102 pkg/syntax.py:CL901" \
  "a command-line --extend-select beats the configured ignore"
is "$(codes --ignore CL101 pkg tests)" "pkg/mixed.py:CL102" "a command-line --ignore adds to the configured one"
is "$(codes --isolated pkg tests | wc -w | tr -d ' ')" 6 "--isolated ignores the configuration"
(cd tests && "$CONDLINT" check --output-format json test_mixed.py >"$TMP/.o")
is "$(json_pairs <"$TMP/.o" | tr '\n' ';')" "14 CL101;" "per-file-ignores globs are relative to the configuration file, wherever condlint runs"

cat >pyproject.toml <<'EOF'
[tool.condlint.severity]
CL1 = "warning"
CL102 = "info"
CL902 = "error"
EOF
sev() { cl check --output-format json "$@"; printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'print join " ", map { "$_->{code}=$_->{severity}" } @{decode_json($_)}'; }
is "$(sev pkg)" "CL101=warning CL102=info CL901=info CL902=error" \
  "severity: per code or prefix, the most specific wins"
cl check --select CL102 pkg/mixed.py
is "$rc" 0 "a finding lowered to info no longer fails the run"
like "$out" 'mixed\.py:18:12: info: ' "... and the text report says info"
cl check --select CL902 --extend-select CL101 pkg/unused.py
is "$rc:$(printf '%s' "$out" | head -1)" "1:pkg/unused.py:1:8: error: unused suppression: no CL101 finding on this line [CL902]" \
  "a warning raised to error fails the run"
cl check --output-format sarif --select CL101 pkg
like "$out" '"level": "warning"' "the SARIF level follows the configured severity"
done_testing
