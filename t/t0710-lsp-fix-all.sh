#!/usr/bin/env bash
# condlint server: the "Fix all safe condlint findings" source action
# (source.fixAll.condlint) gathers every safe fix of the document, the same
# edits `condlint check --fix` makes, and leaves the unsafe ones out.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/lsp/lib-lsp.sh"

W=$TMP/ws
mkdir -p "$W"
cat >"$W/m.py" <<'PY'
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def a(x):
    n = int(x.shape[1])
    return torch.cond(n <= 512, lambda t: t.sin(), lambda t: t.cos(), (x,))


def b(x):
    m = int(x.shape[0])
    return torch.cond(m <= 8, lambda t: t.sin(), lambda t: t.cos(), (x,))


def c(x):
    return torch.cond(x.shape[1] <= 64, lambda t: t.sin(), lambda t: t.cos(), (x,))


make_fx(a, tracing_mode="symbolic")(torch.randn(2, 256, 128))
make_fx(b, tracing_mode="symbolic")(torch.randn(16, 256, 128))
make_fx(c)(torch.randn(2, 256, 128))
PY
U=$(uri "$W/m.py")
ca() { echo "request textDocument/codeAction {\"textDocument\":{\"uri\":\"$U\"},\"range\":{\"start\":{\"line\":0,\"character\":0},\"end\":{\"line\":0,\"character\":0}},\"context\":{\"diagnostics\":[],\"only\":[$1]}}"; }

lsp "server --debounce 0
initialize $W
open m.py
diagnostics m.py
$(ca '"source.fixAll"')
$(ca '"quickfix"')
shutdown"
is "$(pick 'diagnostics m.py v1' | grep -o 'CL10[0-9]' | tr '\n' ' ')" "CL104 CL104 CL101 " "two specializations (safe fixes) and a make_fx fold (unsafe fix)"
acts=$(printf '%s\n' "$out" | grep '^response textDocument/codeAction' | sed 's/^response textDocument\/codeAction: //')
first=$(printf '%s\n' "$acts" | sed -n 1p)
summary=$(printf '%s' "$first" | perl -MJSON::PP -e 'my $a = decode_json(<STDIN>); for (@$a) { my ($u, $e) = %{$_->{edit}{changes}}; print "$_->{kind} ", join(" | ", map { "$_->{range}{start}{line}:$_->{range}{start}{character} [$_->{newText}]" } @$e), "\n" }')
is "$summary" "source.fixAll.condlint 5:8 [x.shape[1]] | 10:8 [x.shape[0]]" "one source.fixAll action with both safe edits and not the unsafe one"
like "$first" '"title":"Fix all safe condlint findings \(2\)"' "its title counts the fixes"
second=$(printf '%s\n' "$acts" | sed -n 2p)
unlike "$second" 'source.fixAll' "a client asking only for quick fixes does not get it"
like "$(pick '^initialize: ')" 'source.fixAll.condlint' "the server advertises the kind"

# context.only holds kinds whose sub-kinds are asked for too (LSP 3.17):
# "source" covers source.fixAll.condlint, another tool's fixAll does not.
lsp "server --debounce 0
initialize $W
open m.py
diagnostics m.py
$(ca '"source"')
$(ca '"source.fixAll.ruff"')
$(ca '"source.fixAll.condlint"')
shutdown"
acts=$(printf '%s\n' "$out" | grep '^response textDocument/codeAction' | sed 's/^response textDocument\/codeAction: //')
like "$(printf '%s\n' "$acts" | sed -n 1p)" '"kind":"source.fixAll.condlint"' 'only ["source"]: the fix-all action'
unlike "$(printf '%s\n' "$acts" | sed -n 2p)" 'source.fixAll.condlint' 'only ["source.fixAll.ruff"]: not ours'
like "$(printf '%s\n' "$acts" | sed -n 3p)" '"kind":"source.fixAll.condlint"' 'only ["source.fixAll.condlint"]: the fix-all action'

done_testing
