#!/usr/bin/env bash
# The exit status: 0 no findings, 1 findings, 2 usage or I/O error; info
# findings (CL901 syntax error, CL903 invalid UTF-8, CL904) never change it;
# --exit-zero turns 1 into 0.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1

printf 'import torch\n\n\ndef f(x):\n    return torch.cond(x.sum() > 0, torch.sin, torch.cos, (x,))\n' >clean.py
cl check clean.py
is "$rc" 0 "a file without findings exits 0"
like "$out" '^All checks passed \(1 file checked\)\.$' "... and says all checks passed"

printf 'x = 1\n' >plain.py
cl check plain.py
is "$rc" 0 "a file the prefilter skips exits 0"
like "$out" '\(1 file checked\)' "... and still counts as checked"

printf 'import torch\n\n\ndef f(x):\n    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))\n' >meta.py
cl check meta.py
is "$rc" 1 "a CL102 finding (error) exits 1"
like "$out" '\[CL102\]' "... and is reported"

# A suppression that hides nothing is a warning (CL902): a finding that needs no analysis.
printf 'x = 1  # condlint: ignore[CL101]\n' >unused.py
cl check unused.py
is "$rc" 1 "a warning (CL902 unused suppression) exits 1"
like "$out" 'unused\.py:1:8: warning: .*\[CL902\]' "... and is reported at the comment"

cl check --exit-zero unused.py
is "$rc" 0 "--exit-zero exits 0 despite a finding"
like "$out" '\[CL902\]' "... and still reports it"

printf 'import torch\n\nx = = torch.cond\n' >syntax.py
cl check syntax.py
is "$rc" 0 "a file with only a syntax error (CL901, info) exits 0"
like "$out" 'syntax\.py:3:5: info: .*\[CL901\]' "... and reports it as info"

printf 'import torch\n# caf\xe9: torch.cond\n' >latin1.py
cl check latin1.py
is "$rc" 0 "a file with only invalid UTF-8 (CL903, info) exits 0"
like "$out" 'latin1\.py:2:6: info: .*\[CL903\]' "... and reports it as info"

cl check clean.py unused.py
is "$rc" 1 "one file with findings among several exits 1"

cl check --output-format json unused.py
is "$rc" 1 "the exit status does not depend on the output format"

cl check does-not-exist.py
is "$rc" 2 "a missing path exits 2"

cl check --no-such-option clean.py
is "$rc" 2 "an unknown option exits 2"
done_testing
