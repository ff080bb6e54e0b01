#!/usr/bin/env bash
# t0320-contracts.sh — dimension contracts for functions that no entry point
# in the checked code traces: `# condlint: dynamic x[1]` comments and the
# [tool.condlint.contracts] table are the tracing context then.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/proj/pkg"
cd "$TMP/proj" || exit 1
cat > pkg/ops.py <<'PY'
import torch


def small(t):
    return t.sin()


def large(t):
    return t.cos()


def untraced(x):
    return torch.cond(x.shape[1] <= 512, small, large, (x,))


# condlint: static x[1]
def static_by_comment(x):
    return torch.cond(x.shape[1] <= 512, small, large, (x,))


# condlint: dynamic x[1]
def dynamic_by_comment(x):
    return torch.cond(x.shape[1] <= 512, small, large, (x,))


def static_by_config(x):
    return torch.cond(x.shape[1] <= 512, small, large, (x,))


def dynamic_by_config(x, mask):
    return torch.cond(x.shape[1] <= 512, small, large, (x,))
PY

lines() { perl -MJSON::PP -e 'local $/; print join(" ", map { "$_->{line}:$_->{code}" } @{decode_json(<STDIN>)})'; }

cl check --isolated --output-format json pkg/ops.py
is "$(lines <<<"$out")" "18:CL101" "without a configuration, only the comment contracts give contexts"
is "$rc" 1 "a static contract's fold is a finding (exit 1)"

cat > pyproject.toml <<'TOML'
[tool.condlint.contracts]
"pkg/ops.py::static_by_config" = ["static x[1]"]
"pkg/*.py::dynamic_by_config" = ["dynamic x[1], mask[0]"]
TOML
cl check --output-format json pkg/ops.py
is "$(lines <<<"$out")" "18:CL101 27:CL101" "a [tool.condlint.contracts] entry is a context too (globs match the file)"
cl check pkg/ops.py
like "$out" "declared static by the contract in pyproject.toml" "the note names the configuration file"
unlike "$out" ":13:12:" "a function without a contract stays unknown: no finding"

cat > pyproject.toml <<'TOML'
[tool.condlint.contracts]
"pkg/ops.py::static_by_config" = ["sometimes x[1]"]
TOML
cl check pkg/ops.py
is "$rc" 2 "a malformed contract is a configuration error (exit 2)"
like "$err" "pyproject.toml:2:35: a contract starts with \"dynamic \" or \"static \"" "the error gives the file, line and column"

cat > pyproject.toml <<'TOML'
[tool.condlint.contracts]
"static_by_config" = ["static x[1]"]
TOML
cl check pkg/ops.py
is "$rc" 2 "a contract key without ::function is rejected"
like "$err" "file.py::function" "the error says the expected form"

done_testing
