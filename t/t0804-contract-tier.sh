#!/usr/bin/env bash
# A file that a [tool.condlint.contracts] entry names is analysed as a root
# (tier 1) whatever words it holds (config.c cl_config_has_contracts): its
# contract reaches a cond in another file, as when every file is parsed.
. "$(dirname "$0")/lib.sh"

cd "$TMP" || exit 1
mkdir -p proj/pkg
cat >proj/pkg/ops.py <<'EOF'
import torch


def dispatch(x):
    return torch.cond(x.shape[1] > 16, torch.sin, torch.cos, (x,))
EOF
# api.py holds none of the prefilter's words: without its contract it is skipped
cat >proj/pkg/api.py <<'EOF'
from .ops import dispatch


def entry(x):
    return dispatch(x)
EOF
touch proj/pkg/__init__.py
cat >proj/pyproject.toml <<'EOF'
[tool.condlint.contracts]
"pkg/api.py::entry" = ["static x[1]"]
EOF

cd proj || exit 1
cl check --no-cache --output-format json .
is "$rc $(printf '%s' "$out" | json_pairs pkg/ops.py | tr '\n' ';')" "1 5 CL101;" \
  "the contract of a file without the prefilter's words is applied: its fold is found"
CONDLINT_PREFILTER=off "$CONDLINT" check --no-cache --output-format json . >"$TMP/off.json" 2>/dev/null
is "$out" "$(cat "$TMP/off.json")" "the same report as parsing every file"
like "$out" "declared static by the contract in pyproject.toml" "the finding's note names the contract"

# without the entry the file is skipped again: no finding
cat >pyproject.toml <<'EOF'
[tool.condlint]
EOF
cl check --no-cache --output-format json .
is "$rc $(printf '%s' "$out" | json_pairs | tr '\n' ';')" "0 " "without a contract the file is skipped: no finding"

done_testing
