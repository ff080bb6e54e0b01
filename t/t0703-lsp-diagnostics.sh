#!/usr/bin/env bash
# condlint server: findings become diagnostics (range in UTF-16 code units,
# severity, code, codeDescription, source, the chain as relatedInformation,
# the document's version), and incremental edits (didChange ranges in UTF-16
# positions) keep them current: an edit that fixes the cond clears them.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/lsp/lib-lsp.sh"

W=$TMP/ws
mkdir -p "$W"
# line 14 holds a BMP character (é: 1 code unit, 2 bytes) and one outside it
# (😀: 2 code units, 4 bytes) before the cond: torch.cond starts at UTF-16
# column 22 (code points: 21, bytes: 25)
cat >"$W/m.py" <<'PY'
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def small(x):
    return x


def large(x):
    return x * 2


def f(x):
    s = "é😀"; return torch.cond(x.shape[1] <= 512, small, large, (x,))


gm = make_fx(f)(torch.randn(2, 256, 128))
PY
U=$(uri "$W/m.py")

lsp "server --debounce 0
initialize $W
open m.py
diagnostics-json m.py
change m.py 2 13 47 13 50 \"0 + 512\"
diagnostics m.py
changes m.py 3 [{\"range\":{\"start\":{\"line\":16,\"character\":14},\"end\":{\"line\":16,\"character\":14}},\"text\":\", tracing_mode=\\\"fake\\\"\"},{\"range\":{\"start\":{\"line\":16,\"character\":16},\"end\":{\"line\":16,\"character\":35}},\"text\":\"tracing_mode=\\\"symbolic\\\"\"}]
diagnostics m.py
change m.py 4 13 22 13 32 \"torch.cond(\"
diagnostics-json m.py
change-full m.py 5 \"import torch\\nfrom torch.fx.experimental.proxy_tensor import make_fx\\ndef f(x):\\n    return torch.cond(x.dim() == 3, f, f, (x,))\\n\"
diagnostics m.py
shutdown"

first=$(printf '%s\n' "$out" | grep -m1 '^{"diagnostics"')
parse() { perl -MJSON::PP -e 'my $d = decode_json($ARGV[0]); my $e = eval $ARGV[1]; die $@ if $@; print $e' -- "$first" "$1"; }
is "$(parse '$d->{uri}')" "$U" "published for the document's URI"
is "$(parse '$d->{version}')" "1" "with the version analysed"
is "$(parse 'scalar @{$d->{diagnostics}}')" "1" "one finding"
is "$(parse 'my $r = $d->{diagnostics}[0]{range}; "$r->{start}{line}:$r->{start}{character}-$r->{end}{line}:$r->{end}{character}"')" \
  "13:22-13:32" "its range counts UTF-16 code units (after é and an emoji)"
is "$(parse '$d->{diagnostics}[0]{code}')" "CL101" "code"
is "$(parse '$d->{diagnostics}[0]{severity}')" "1" "severity: an error is 1"
is "$(parse '$d->{diagnostics}[0]{source}')" "condlint" "source"
is "$(parse '$d->{diagnostics}[0]{codeDescription}{href}')" "https://condlint.dev/rules/CL101" \
  "codeDescription.href: CONDLINT_RULE_DOCS_URL + code"
like "$(parse '$d->{diagnostics}[0]{message}')" "folds when traced.*make_fx\\(f\\)" "the message"
like "$(parse '$d->{diagnostics}[0]{message}')" "help: pass tracing_mode=\"symbolic\"" "with the fix hint"
is "$(parse 'scalar @{$d->{diagnostics}[0]{relatedInformation}}')" "2" "the chain as two related locations"
is "$(parse 'my $r = $d->{diagnostics}[0]{relatedInformation}[0]; "$r->{location}{uri} $r->{location}{range}{start}{line}:$r->{location}{range}{start}{character}"')" \
  "$U 16:5" "the first: the make_fx call that traces it"
like "$(parse '$d->{diagnostics}[0]{relatedInformation}[0]{message}')" "tracing_mode='real'" "with why"
is "$(parse 'my $r = $d->{diagnostics}[0]{relatedInformation}[1]{location}{range}; "$r->{start}{line}:$r->{start}{character}-$r->{end}{line}:$r->{end}{character}"')" \
  "13:33-13:43" "the second: x.shape[1], in UTF-16 columns too"
like "$(parse '$d->{diagnostics}[0]{data}{fingerprint}')" '^[0-9a-f]{16}$' "data carries the fingerprint"

is "$(pick 'diagnostics m.py v2')" "diagnostics m.py v2: 13:22-13:32 CL101 [2 related]" \
  "an edit placed by UTF-16 positions after the emoji lands right (no syntax error)"
is "$(pick 'diagnostics m.py v3')" "diagnostics m.py v3: (none)" \
  "two changes in one didChange, applied in order: the fix (tracing_mode=\"symbolic\") clears the finding"
second=$(printf '%s\n' "$out" | grep '^{"diagnostics"' | sed -n 2p)
first=$second
is "$(parse '$d->{version}')" "4" "a syntax error: published for version 4"
is "$(parse '$d->{diagnostics}[0]{code} . " " . $d->{diagnostics}[0]{severity}')" "CL901 3" \
  "CL901 is information (severity 3)"
is "$(pick 'diagnostics m.py v5')" "diagnostics m.py v5: 3:11-3:21 CL102 [1 related]" \
  "a full-text change replaces the document"
is "$(pick '^exit')" "exit 0" "clean shutdown"

done_testing
