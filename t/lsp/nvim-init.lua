-- t/lsp/nvim-init.lua — Neovim (0.7+) headless as a real editor for
-- t/t0708: its built-in LSP client starts `condlint server`, opens a file,
-- waits for condlint's diagnostics and writes them out, then fixes the cond
-- through an ordinary buffer edit (sent as an incremental didChange) and
-- waits for the diagnostics to clear. Run as
--   CONDLINT=... LSP_ROOT=... LSP_FILE=... LSP_OUT=... nvim --headless -u NONE -S nvim-init.lua
-- (vim.lsp.start_client + buf_attach_client: vim.lsp.start is 0.8+).
local out = assert(io.open(os.getenv("LSP_OUT"), "w"))
local function say(...)
  out:write(table.concat({ ... }, " "), "\n")
  out:flush()
end

local function diags(buf)
  local got = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local code = d.code
    if code == nil and d.user_data and d.user_data.lsp then code = d.user_data.lsp.code end
    table.insert(got, string.format("%d:%d %s %s", d.lnum + 1, d.col + 1, tostring(code), d.source or "?"))
  end
  table.sort(got)
  return got
end

local ok, err = pcall(function()
  local client_id = vim.lsp.start_client({
    name = "condlint",
    -- the server's stderr goes to LSP_ERR, for the test's sanitizer check
    cmd = { "sh", "-c", 'exec "$CONDLINT" server 2>>"${LSP_ERR:-/dev/null}"' },
    root_dir = os.getenv("LSP_ROOT"),
    on_exit = function(code, signal) say("server exited", tostring(code), tostring(signal)) end,
  })
  assert(client_id, "the client did not start")
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("LSP_FILE")))
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].filetype = "python"
  assert(vim.lsp.buf_attach_client(buf, client_id), "attach failed")
  say("attached")

  if vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 20) then
    for _, line in ipairs(diags(buf)) do say("diagnostic", line) end
  else
    say("timeout waiting for diagnostics")
  end

  -- the fix: make_fx(model) -> make_fx(model, tracing_mode="symbolic"), and
  -- the rank check becomes a Python if
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  for i, l in ipairs(lines) do
    if l:find("make_fx(model)", 1, true) then
      local fixed = l:gsub("make_fx%(model%)", 'make_fx(model, tracing_mode="symbolic")')
      vim.api.nvim_buf_set_lines(buf, i - 1, i, false, { fixed })
    end
    if l:find("x.dim() == 3", 1, true) then
      vim.api.nvim_buf_set_lines(buf, i - 1, i, false,
        { "    return per_token(x) if x.dim() == 3 else per_tensor(x)" })
    end
  end
  if vim.wait(20000, function() return #vim.diagnostic.get(buf) == 0 end, 20) then
    say("cleared")
  else
    say("still there:", table.concat(diags(buf), ", "))
  end

  local client = vim.lsp.get_client_by_id(client_id)
  client.stop()
  vim.wait(5000, function() return client.is_stopped() end, 20)
  say("stopped", tostring(client.is_stopped()))
end)
if not ok then say("error", tostring(err)) end
out:close()
vim.cmd("qa!")
