#!/usr/bin/env bash
# condlint server: the quick fix that adds `# condlint: ignore[CODE]` on a
# finding's line (appending a comment, extending an existing suppression, or
# going before another comment), and hover: a finding's explanation, or a
# rule's where its code is written in a suppression comment.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/lsp/lib-lsp.sh"

W=$TMP/ws
mkdir -p "$W"
cat >"$W/m.py" <<'PY'
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def small(x):
    return x


def large(x):
    return x * 2


def a(x):
    return torch.cond(x.shape[1] <= 512, small, large, (x,))


def b(x):
    return torch.cond(x.shape[1] <= 256, small, large, (x,))  # condlint: ignore[CL102]


def c(x):
    return torch.cond(x.shape[1] <= 128, small, large, (x,))  # pick "#" by length


def d(x):
    return torch.cond(x.shape[1] <= 64, small, large, \
                      (x,))


def model(x):
    return d(c(b(a(x))))


gm = make_fx(model)(torch.randn(2, 256, 128))
PY
U=$(uri "$W/m.py")
ca() { # LINE [CONTEXT]
  echo "request textDocument/codeAction {\"textDocument\":{\"uri\":\"$U\"},\"range\":{\"start\":{\"line\":$1,\"character\":12},\"end\":{\"line\":$1,\"character\":12}},\"context\":${2:-{\"diagnostics\":[]\}}}"
}
hover() { echo "request textDocument/hover {\"textDocument\":{\"uri\":\"$U\"},\"position\":{\"line\":$1,\"character\":$2}}"; }
client_diag="{\"diagnostics\":[{\"range\":{\"start\":{\"line\":13,\"character\":11},\"end\":{\"line\":13,\"character\":21}},\"code\":\"CL101\",\"source\":\"condlint\",\"message\":\"m\"}]}"

lsp "server --debounce 0
initialize $W
open m.py
diagnostics m.py
$(ca 13)
$(ca 17)
$(ca 21)
$(ca 25)
$(ca 13 "{\"diagnostics\":[],\"only\":[\"refactor\"]}")
$(ca 13 "$client_diag")
$(hover 13 15)
$(hover 17 82)
$(hover 4 4)
change m.py 2 13 60 13 60 \"  # condlint: ignore[CL101]\"
diagnostics m.py
$(hover 13 84)
change m.py 3 17 86 17 86 \", CL101\"
diagnostics m.py
change m.py 4 21 62 21 62 \"# condlint: ignore[CL101]  \"
diagnostics m.py
change m.py 5 33 18 33 18 \", tracing_mode=\\\"symbolic\\\"\"
diagnostics m.py
shutdown"
acts=$(printf '%s\n' "$out" | grep '^response textDocument/codeAction')
FIX='quickfix 33:18-33:18 [, tracing_mode="symbolic"]'
act() { printf '%s\n' "$acts" | sed -n "$1p" | sed 's/^response textDocument\/codeAction: //'; }
edit() { printf '%s' "$1" | perl -MJSON::PP -e 'my $a = decode_json(<STDIN>); for (@$a) { my ($u, $e) = %{$_->{edit}{changes}}; my $r = $e->[0]{range}; print "$_->{kind} $r->{start}{line}:$r->{start}{character}-$r->{end}{line}:$r->{end}{character} [$e->[0]{newText}]\n" }'; }
is "$(pick 'diagnostics m.py v1')" \
  "diagnostics m.py v1: 13:11-13:21 CL101 [2 related], 17:11-17:21 CL101 [2 related], 17:62-17:87 CL902, 21:11-21:21 CL101 [2 related], 25:11-25:21 CL101 [2 related]" \
  "the findings the actions are for"
is "$(edit "$(act 1)")" "$FIX
quickfix 13:60-13:60 [  # condlint: ignore[CL101]]" \
  "a line without a comment: the rule's fix first, then the suppression, appended"
like "$(act 1)" '"title":"Suppress CL101 on this line \(# condlint: ignore\[CL101\]\)"' "with a title that says what it does"
like "$(act 1)" "\"diagnostics\":\\[\\{\"code\":\"CL101\"" "and the diagnostic it fixes"
is "$(edit "$(act 2)")" "$FIX
quickfix 17:86-17:86 [, CL101]" \
  "a line with a condlint suppression: the code is added to its list (and CL902 gets none)"
is "$(edit "$(act 3)")" "$FIX
quickfix 21:62-21:62 [# condlint: ignore[CL101]  ]" \
  "a line with another comment (a '#' in a string before it): the suppression goes first"
is "$(edit "$(act 4)")" "$FIX" "a line continued by a backslash takes no comment: only the fix"
is "$(act 5)" "[]" "only: [refactor]: no quick fix"
is "$(edit "$(act 6)")" "$FIX
quickfix 13:60-13:60 [  # condlint: ignore[CL101]]" "the client's diagnostics in the context are used"
like "$(act 1)" '"isPreferred":false,"kind":"quickfix","title":"Fix CL101: pass tracing_mode=\\"symbolic\\" to make_fx \(unsafe' \
  "the fix's title says what it does, and that it is unsafe (not preferred)"

hovers=$(printf '%s\n' "$out" | grep '^response textDocument/hover')
like "$(printf '%s\n' "$hovers" | sed -n 1p)" '"kind":"markdown".*folds when traced.*## What it does.*## Use instead.*https://condlint.dev/rules/CL101' \
  "hover on a finding: its message and the rule's explanation"
like "$(printf '%s\n' "$hovers" | sed -n 1p)" '"range":\{"end":\{"character":21,"line":13\},"start":\{"character":11,"line":13\}\}' \
  "for the finding's range"
like "$(printf '%s\n' "$hovers" | sed -n 2p)" 'unused suppression: no CL102.*# CL902 unused-suppression.*---.*# CL102 cond-predicate-static-metadata' \
  "hover on a code in a suppression comment: the finding there (CL902) and the code's rule (CL102)"
like "$(printf '%s\n' "$hovers" | sed -n 4p)" '# CL101 cond-predicate-concrete-shape.*"range":\{"end":\{"character":86,"line":13\},"start":\{"character":81,"line":13\}\}' \
  "on a code of a suppression that is used: that rule's explanation, for the code's range"
is "$(printf '%s\n' "$hovers" | sed -n 3p)" "response textDocument/hover: null" "hover elsewhere: null"

is "$(pick 'diagnostics m.py v2')" \
  "diagnostics m.py v2: 17:11-17:21 CL101 [2 related], 17:62-17:87 CL902, 21:11-21:21 CL101 [2 related], 25:11-25:21 CL101 [2 related]" \
  "the first edit applied: that finding is suppressed"
is "$(pick 'diagnostics m.py v3')" \
  "diagnostics m.py v3: 17:62-17:94 CL902, 21:11-21:21 CL101 [2 related], 25:11-25:21 CL101 [2 related]" \
  "the second: CL101 suppressed, CL102 still unused"
is "$(pick 'diagnostics m.py v4')" \
  "diagnostics m.py v4: 17:62-17:94 CL902, 25:11-25:21 CL101 [2 related]" \
  "the third: suppressed, and the other comment kept"

is "$(pick 'diagnostics m.py v5')" \
  "diagnostics m.py v5: 13:62-13:87 CL902, 17:62-17:94 CL902, 17:62-17:94 CL902, 21:62-21:109 CL902" \
  "the fix's edit applied: no CL101 left, and the suppressions added are now unused (CL902)"

# a client that takes documentChanges gets versioned edits
lsp "server --debounce 0
initialize $W {\"workspace\":{\"workspaceEdit\":{\"documentChanges\":true}}}
open m.py
diagnostics m.py
$(ca 13)
shutdown"
like "$(pick 'response textDocument/codeAction')" \
  "\"documentChanges\":\\[\\{\"edits\":\\[\\{\"newText\":\", tracing_mode=.*\"textDocument\":\\{\"uri\":\"$U\",\"version\":1\\}" \
  "documentChanges with the document's version, so a stale fix is refused by the editor"

done_testing
