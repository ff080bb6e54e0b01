#!/usr/bin/env bash
# Skeletons (analyzer/parse_lazy.c): a file parsed only to link has its
# function bodies parsed when the analysis first calls them. The findings are
# those of whole parses, except the syntax errors of bodies never called
# (not reported, as in a file the prefilter skips); a called body's are. A
# skeleton's summary is cached apart from the whole file's: the same file
# named on the command line is parsed whole, with every CL901.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1

mkdir proj
cat >proj/layout.py <<'EOF'
"""Shape predicates, imported by main.py: parsed to link, as a skeleton."""
THRESHOLD = 128


def seq_len(x):
    """The sequence length.

    The second dimension of a (batch, seq, hidden) input, as every caller
    in this package lays its activations out.
    """
    n = x.shape[1]
    return n


def is_long_sequence(x, threshold=THRESHOLD):
    """Long sequences take the chunked path; short ones the fused one.

    The threshold is the one the kernels were tuned for.
    """
    long = seq_len(x) > threshold
    return long


def never_called(x):
    """Nothing calls this one, and its body does not parse.

    A skeleton leaves it unparsed, so its error is not reported.
    """
    y = = x
    return y


def called_broken(x):
    """main.py calls this one, and its body does not parse either.

    Its body is parsed when called, and its error reported then.
    """
    y = x +
    return x
EOF
cat >proj/main.py <<'EOF'
import torch
from torch.fx.experimental.proxy_tensor import make_fx

from layout import called_broken, is_long_sequence


def attend(x):
    called_broken(x)
    return torch.cond(is_long_sequence(x), lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    return make_fx(attend)(torch.randn(2, 256, 64))
EOF
pairs() { printf '%s\n' "$out" | json_pairs "$1" | tr '\n' ';'; }
bodies() { printf '%s\n' "$err" | sed -n 's/^condlint: stats: skeletons: //p'; }

cl_stats_in proj --isolated --no-cache .
is "$(pairs main.py)" "9 CL101;" "the fold through the skeleton's helpers is found"
is "$(pairs layout.py)" "39 CL901;" "... with the syntax error of the body that is called, not of the one never called"
is "$(bodies)" "4 function bodies left for a call, 3 called" "... four bodies left, three of them parsed on call"
lazy=$out

export CONDLINT_LAZY=off
cl_stats_in proj --isolated --no-cache .
is "$(pairs main.py)" "9 CL101;" "CONDLINT_LAZY=off (whole parses): the same fold"
is "$(pairs layout.py)" "29 CL901;39 CL901;" "... and the syntax errors of both bodies"
is "$(bodies)" "0 function bodies left for a call, 0 called" "... no body left"
unset CONDLINT_LAZY

export CONDLINT_RESULTS=off # the summaries, not the replay of the run
cl_stats_in proj --isolated --cache-dir "$TMP/c" .
is "$out" "$lazy" "with a cache, cold: the report without cache"
cl_stats_in proj --isolated --cache-dir "$TMP/c" .
is "$out" "$lazy" "warm, the skeleton's summary loaded: the same report"
like "$err" 'summaries 2 loaded' "... from the summaries"
is "$(bodies)" "0 function bodies left for a call, 3 called" "... whose bodies are parsed on call as before"
cl_stats_in proj --isolated --cache-dir "$TMP/c" layout.py main.py
is "$(pairs layout.py)" "29 CL901;39 CL901;" "layout.py named: parsed whole, not the skeleton's summary"
cl_stats_in proj --isolated --cache-dir "$TMP/c" .
is "$out" "$lazy" "... and the skeleton's summary is still the link tier's"
done_testing
