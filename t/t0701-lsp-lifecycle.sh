#!/usr/bin/env bash
# condlint server: the protocol's life cycle (initialize, initialized,
# shutdown, exit), what is answered before initialize and after shutdown,
# unknown methods, and the exit status.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/lsp/lib-lsp.sh"

mkdir -p "$TMP/ws"
W=$TMP/ws

cl server --help
is "$rc" 0 "server --help exits 0"
like "$out" "usage: condlint server" "server --help prints its usage"
cl server --no-such-option
is "$rc" 2 "an unknown server option is a usage error (exit 2)"

lsp "request textDocument/hover {\"textDocument\":{\"uri\":\"file:///x.py\"},\"position\":{\"line\":0,\"character\":0}}
notify textDocument/didOpen {\"textDocument\":{\"uri\":\"file:///x.py\",\"languageId\":\"python\",\"version\":1,\"text\":\"\"}}
initialize $W
shutdown"
like "$(pick 'response textDocument/hover')" '"code":-32002' "a request before initialize: ServerNotInitialized (-32002)"
init=$(pick '^initialize:')
like "$init" '"positionEncoding":"utf-16"' "initialize: positions in UTF-16"
like "$init" '"textDocumentSync":\{"change":2,"openClose":true' "initialize: incremental sync with open and close"
like "$init" '"hoverProvider":true' "initialize: hover"
like "$init" '"codeActionProvider":\{"codeActionKinds":\["quickfix","source.fixAll.condlint"\]\}' "initialize: quick-fix code actions"
like "$init" '"workspaceFolders":\{"changeNotifications":true,"supported":true\}' "initialize: workspace folders"
like "$init" '"serverInfo":\{"name":"condlint","version":"[0-9.]+"\}' "initialize: serverInfo"
is "$(pick '^response shutdown')" "response shutdown: null" "shutdown answers null"
is "$(pick '^exit')" "exit 0" "exit after shutdown: status 0"

lsp "initialize $W
request initialize {\"capabilities\":{}}
request condlint/noSuchMethod {}
notify condlint/noSuchNotification {}
notify \$/cancelRequest {\"id\":99}
notify \$/setTrace {\"value\":\"verbose\"}
request textDocument/hover {\"textDocument\":{\"uri\":\"$(uri "$W/none.py")\"},\"position\":{\"line\":0,\"character\":0}}
request shutdown
request textDocument/hover {\"textDocument\":{\"uri\":\"$(uri "$W/none.py")\"},\"position\":{\"line\":0,\"character\":0}}
notify exit"
like "$(pick 'response initialize')" '"code":-32600' "a second initialize is an invalid request"
like "$(pick 'response condlint/noSuchMethod')" '"code":-32601' "an unknown request: MethodNotFound (-32601)"
is "$(pick 'response textDocument/hover')" "response textDocument/hover: null" \
  "unknown notifications and \$/ notifications are ignored: the next request is answered"
like "$(printf '%s\n' "$out" | grep 'response textDocument/hover' | sed -n 2p)" '"code":-32600' \
  "a request after shutdown is an invalid request"
is "$(pick '^exit')" "exit (end of script): exit 0" "the server exits 0 at exit after shutdown"

lsp "initialize $W
notify exit"
is "$(pick '^exit')" "exit (end of script): exit 1" "exit without shutdown: status 1"

lsp "initialize $W
eof"
is "$(pick '^exit')" "exit 1" "end of input without shutdown: the server exits (status 1)"
like "$err" "closed the connection without shutdown" "and says why on stderr"

done_testing
