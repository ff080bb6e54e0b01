#!/usr/bin/env bash
# condlint server never stops on what a client sends: broken framing, bodies
# that are not JSON or not JSON-RPC, parameters of the wrong type, documents
# that do not parse, and a client that goes away (EOF, EPIPE). Each error is
# answered as the protocol says and the next message is served.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/lsp/lib-lsp.sh"

W=$TMP/ws
mkdir -p "$W"
U=$(uri "$W/m.py")

lsp "initialize $W
raw Content-Type: application/vscode-jsonrpc\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"shutdown\"}
next-response
raw Content-Length: abc\r\n\r\n{}
next-response
send {\"jsonrpc\":\"2.0\",\"id\":6,\"method\":
next-response
send [1,2,3]
next-response
send 42
next-response
send {\"jsonrpc\":\"2.0\",\"id\":7,\"method\":17}
next-response
send {\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"shutdown\"}
next-response
send {\"jsonrpc\":\"2.0\",\"id\":8}
next-response
send {\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"textDocument/hover\",\"params\":\"nope\"}
next-response
request textDocument/hover {\"textDocument\":{\"uri\":17},\"position\":{\"line\":-1,\"character\":\"x\"}}
request textDocument/codeAction {\"textDocument\":{\"uri\":\"$U\"}}
notify textDocument/didOpen {\"textDocument\":{\"uri\":\"$U\"}}
notify textDocument/didChange {\"textDocument\":{\"uri\":\"$U\",\"version\":2},\"contentChanges\":[{\"text\":\"x\"}]}
notify textDocument/didChange {\"textDocument\":{\"uri\":5},\"contentChanges\":7}
notify textDocument/didClose {}
notify workspace/didChangeWatchedFiles {\"changes\":[{\"uri\":3,\"type\":\"x\"},{}]}
request textDocument/hover {\"textDocument\":{\"uri\":\"$U\"},\"position\":{\"line\":0,\"character\":0}}
shutdown"
resp() { printf '%s\n' "$out" | grep '^response: ' | sed -n "$1p"; }
like "$(resp 1)" '"error":\{"code":-32700.*"id":null' "a header without Content-Length: ParseError, id null"
like "$(resp 2)" '"error":\{"code":-32700.*"id":null' "a Content-Length that is not a number: ParseError"
like "$(resp 3)" '"error":\{"code":-32700.*"id":null' "a body that is not JSON: ParseError"
like "$(resp 4)" '"error":\{"code":-32600.*"id":null' "a JSON array: InvalidRequest"
like "$(resp 5)" '"error":\{"code":-32600.*"id":null' "a JSON number: InvalidRequest"
like "$(resp 6)" '"error":\{"code":-32600.*"id":7' "a method that is not a string: InvalidRequest with the id"
like "$(resp 7)" '"error":\{"code":-32600.*"id":null' "an id that is an object: InvalidRequest, id null"
like "$(resp 8)" '"error":\{"code":-32600.*"id":8' "no method and no result: InvalidRequest"
like "$(resp 9)" '"error":\{"code":-32602.*"id":9' "params of the wrong type: InvalidParams"
like "$(pick 'response textDocument/hover')" '"code":-32602' "hover with fields of the wrong types: InvalidParams"
like "$(pick 'response textDocument/codeAction')" '"code":-32602' "codeAction without a range: InvalidParams"
is "$(printf '%s\n' "$out" | grep 'response textDocument/hover' | sed -n 2p)" "response textDocument/hover: null" \
  "after bad notifications (no text, wrong types, unknown documents) requests are still served"
is "$(pick '^response shutdown')" "response shutdown: null" "and shutdown works at the end"
is "$(pick '^exit')" "exit 0" "exit status 0: nothing broke the server"
like "$err" "skipped a message" "framing errors are logged on stderr"

# documents that do not parse, hold NUL bytes or are empty
printf 'import torch\ndef f(x:\n    return torch.cond(x.shape[0] > 1, g, h, (x,))\n' >"$W/broken.py"
: >"$W/empty.py"
lsp "server --debounce 0
initialize $W
open broken.py
diagnostics broken.py
open empty.py
diagnostics empty.py
change-full broken.py 2 \"torch.cond(((\\n\\t\\t\\u0000 \\ud83d\\ude00 (\"
diagnostics broken.py
request textDocument/hover {\"textDocument\":{\"uri\":\"$(uri "$W/broken.py")\"},\"position\":{\"line\":99,\"character\":99}}
send {\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":{\"uri\":\"$(uri "$W/broken.py")\",\"version\":3},\"contentChanges\":[{\"text\":\"\\ud800\"}]}}
next-response
shutdown"
like "$(pick 'diagnostics broken.py v1')" "CL901" "a document that does not parse: a CL901 diagnostic"
is "$(pick 'diagnostics empty.py')" "diagnostics empty.py v1: (none)" "an empty document: no findings"
like "$(pick 'diagnostics broken.py v2')" "CL901" "an edit to garbage with a NUL byte and an emoji is analysed"
is "$(pick 'response textDocument/hover')" "response textDocument/hover: null" "hover past the end of a document: null"
like "$(pick '^response: ')" '"code":-32700' "a lone surrogate in a text is not JSON the server accepts: ParseError"
is "$(pick '^exit')" "exit 0" "and the server is still up"

# a client that disappears: both pipes closed with work pending, and EPIPE
cp "$TOP/examples/dispatch_makefx.py" "$W/model.py"
lsp "server --debounce 0
initialize $W
open model.py
vanish"
is "$(pick '^exit')" "exit 1" "a client that vanishes: the server exits on its own, no signal (SIGPIPE ignored)"

lsp "server --debounce 0
initialize $W
open model.py
eof"
is "$(pick '^exit')" "exit 1" "end of input with an analysis pending: a clean exit"

done_testing
