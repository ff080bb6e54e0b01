#!/usr/bin/env bash
# condlint server in a real editor: Neovim's built-in LSP client (headless,
# t/lsp/nvim-init.lua) opens a file, receives condlint's diagnostics (codes
# and lines checked through vim.diagnostic.get), then an ordinary buffer
# edit that fixes the conds clears them.
. "$(dirname "$0")/lib.sh"

if ! command -v nvim >/dev/null 2>&1; then
  skip "neovim end-to-end" "nvim is not installed (deps/debian-packages.txt lists neovim)"
  done_testing
fi

W=$TMP/ws
mkdir -p "$W" "$TMP/xdg"
cp "$TOP/examples/dispatch_makefx.py" "$W/model.py"
export XDG_CONFIG_HOME=$TMP/xdg XDG_CACHE_HOME=$TMP/xdg XDG_STATE_HOME=$TMP/xdg XDG_DATA_HOME=$TMP/xdg
(cd "$W" && CONDLINT=$CONDLINT LSP_ROOT=$W LSP_FILE=$W/model.py LSP_OUT=$TMP/nvim.out LSP_ERR=$TMP/.err \
  timeout 120 nvim --headless -u NONE -i NONE -S "$TOP/t/lsp/nvim-init.lua" >/dev/null 2>"$TMP/nvim.err" </dev/null)
rc=$?
out=$(cat "$TMP/nvim.out" 2>/dev/null)
is "$rc" 0 "nvim ran the script and quit"
[ -s "$TMP/nvim.err" ] && diag "nvim stderr: $(cat "$TMP/nvim.err")"
is "$(printf '%s\n' "$out" | grep -c '^attached')" 1 "the buffer is attached to condlint server"
is "$(printf '%s\n' "$out" | grep '^diagnostic ')" "diagnostic 29:12 CL101 condlint
diagnostic 41:12 CL102 condlint" "Neovim received CL101 at 29:12 and CL102 at 41:12, source condlint"
is "$(printf '%s\n' "$out" | grep -E '^(cleared|still there)')" "cleared" \
  "an edit that fixes both conds clears the diagnostics"
is "$(printf '%s\n' "$out" | grep '^server exited')" "server exited 0 0" \
  "Neovim's shutdown and exit end the server with status 0"
unlike "$out" "^error" "no Lua error"
_cl_sanitizer nvim
done_testing
