#!/usr/bin/env bash
# condlint server: each file's settings come from the closest configuration
# (pyproject.toml [tool.condlint], condlint.toml), reloaded when one changes
# (didChangeWatchedFiles, registered dynamically when the client can, or
# didSave); an invalid configuration is shown, and published on its file.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/lsp/lib-lsp.sh"

W=$TMP/ws
mkdir -p "$W/sub"
cp "$TOP/examples/dispatch_makefx.py" "$W/m.py"
cp "$TOP/examples/dispatch_makefx.py" "$W/sub/m.py"
printf '[tool.condlint]\nignore = ["CL102"]\n' >"$W/pyproject.toml"
printf 'ignore = ["CL101"]\n' >"$W/sub/condlint.toml"

lsp "server --debounce 0
initialize $W {\"workspace\":{\"didChangeWatchedFiles\":{\"dynamicRegistration\":true}}}
open m.py
diagnostics m.py
open sub/m.py
diagnostics sub/m.py
run printf '[tool.condlint]\\nignore = []\\n' >$W/pyproject.toml
watched pyproject.toml 2
diagnostics m.py
run printf 'ignore = [\"CL999\"\\n' >$W/sub/condlint.toml
watched sub/condlint.toml 2
message window/showMessage
diagnostics sub/condlint.toml
run printf 'ignore = [\"CL102\"]\\n' >$W/sub/condlint.toml
save sub/condlint.toml
diagnostics sub/condlint.toml
diagnostics sub/m.py
shutdown"
is "$(pick 'server-request')" "server-request client/registerCapability" \
  "a client with dynamic registration is asked to watch the files"
is "$(pick 'diagnostics m.py v1')" "diagnostics m.py v1: 28:11-28:21 CL101 [2 related]" \
  "pyproject.toml ignores CL102: only CL101"
is "$(printf '%s\n' "$out" | grep 'diagnostics m.py v1' | sed -n 2p)" \
  "diagnostics m.py v1: 40:11-40:21 CL102 [1 related]" \
  "sub/condlint.toml, closer to sub/m.py, ignores CL101 there"
is "$(printf '%s\n' "$out" | grep 'diagnostics m.py v1' | sed -n 3p)" \
  "diagnostics m.py v1: 28:11-28:21 CL101 [2 related], 40:11-40:21 CL102 [1 related]" \
  "pyproject.toml changed (a watched file): reloaded, both findings"
like "$(pick 'message window/showMessage')" 'invalid configuration: .*sub/condlint.toml:1:1: .*"type":1' \
  "an invalid condlint.toml is shown as an error"
like "$(pick 'diagnostics condlint.toml')" "diagnostics condlint.toml v-: [0-9]+:[0-9]+-[0-9]+:[0-9]+ config" \
  "and published on the file at fault"
is "$(printf '%s\n' "$out" | grep 'diagnostics condlint.toml' | sed -n 2p)" "diagnostics condlint.toml v-: (none)" \
  "fixed and saved: its diagnostic is cleared"
is "$(printf '%s\n' "$out" | grep 'diagnostics m.py v1' | sed -n 4p)" \
  "diagnostics m.py v1: 28:11-28:21 CL101 [2 related]" \
  "and the new settings apply (CL102 ignored in sub/)"

lsp "initialize $W
shutdown"
is "$(pick 'server-request')" "" "without dynamic registration, no registerCapability request"

# a second workspace folder, added while the server runs, with its own configuration
B=$TMP/other
mkdir -p "$B"
cp "$TOP/examples/dispatch_makefx.py" "$B/m.py"
printf '[tool.condlint]\nignore = ["CL101", "CL102"]\n' >"$B/pyproject.toml"
lsp "server --debounce 0
initialize $W
open $B/m.py
diagnostics $B/m.py
notify workspace/didChangeWorkspaceFolders {\"event\":{\"added\":[{\"uri\":\"$(uri "$B")\",\"name\":\"other\"}],\"removed\":[]}}
diagnostics $B/m.py
notify workspace/didChangeWorkspaceFolders {\"event\":{\"added\":[],\"removed\":[{\"uri\":\"$(uri "$W")\",\"name\":\"ws\"}]}}
quiet $B/m.py 300
shutdown"
is "$(printf '%s\n' "$out" | grep 'diagnostics m.py' | sed -n 1p)" "diagnostics m.py v1: (none)" \
  "a file outside the workspace folders still gets the configuration above it"
is "$(printf '%s\n' "$out" | grep 'diagnostics m.py' | sed -n 2p)" "" \
  "adding its folder changes nothing there: the same pyproject.toml governs it"
is "$(pick '^quiet')" "quiet $B/m.py" "removing another folder publishes nothing new for it"
is "$(pick '^exit')" "exit 0" "folder changes: clean shutdown"

done_testing
