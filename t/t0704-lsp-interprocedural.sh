#!/usr/bin/env bash
# condlint server: findings that cross files. The open documents are
# analysed together with the workspace files they import (the server's
# in-memory copies): an edit in one open file updates the findings of the
# other, and a change on disk to an imported file (didChangeWatchedFiles, or
# seen at the next analysis) does too.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/lsp/lib-lsp.sh"

W=$TMP/ws
mkdir -p "$W/pkg"
cat >"$W/pkg/ops.py" <<'PY'
import torch


def small(x):
    return x


def large(x):
    return x * 2


def dispatch(x):
    return torch.cond(x.shape[1] <= 512, small, large, (x,))
PY
: >"$W/pkg/__init__.py"
cat >"$W/main.py" <<'PY'
import torch
from torch.fx.experimental.proxy_tensor import make_fx

from pkg.ops import dispatch
from settings import MODE


def model(x):
    return dispatch(x) + 1


gm = make_fx(model, tracing_mode=MODE)(torch.randn(2, 256, 128))
PY
echo 'MODE = "real"' >"$W/settings.py"

lsp "server --debounce 0
initialize $W
open pkg/ops.py
diagnostics pkg/ops.py
open main.py
diagnostics main.py
change main.py 2 11 33 11 37 \"\\\"symbolic\\\"\"
diagnostics pkg/ops.py
diagnostics main.py
change main.py 3 11 33 11 43 \"MODE\"
diagnostics pkg/ops.py
shutdown"
nth() { printf '%s\n' "$out" | grep "$1" | sed -n "$2p"; }
is "$(nth 'diagnostics ops.py' 1)" "diagnostics ops.py v1: 12:11-12:21 CL101 [2 related]" \
  "ops.py alone: main.py, closed in the workspace, traces its cond: the finding, as condlint check gives it"
is "$(nth 'diagnostics main.py' 1)" "diagnostics main.py v1: (none)" "main.py, opened, has none itself"
is "$(nth 'diagnostics ops.py' 2)" "diagnostics ops.py v1: (none)" \
  "an edit in main.py (tracing_mode=\"symbolic\") clears the finding in ops.py"
is "$(nth 'diagnostics main.py' 2)" "diagnostics main.py v2: (none)" \
  "the edited document is published for its new version"
is "$(nth 'diagnostics ops.py' 3)" "diagnostics ops.py v1: 12:11-12:21 CL101 [2 related]" \
  "back to MODE, read from settings.py (a closed workspace file): the finding is back"

# settings.py changes on disk: told by the watcher, or seen at the next analysis
lsp "server --debounce 0
initialize $W
open pkg/ops.py
open main.py
diagnostics pkg/ops.py
diagnostics main.py
sleep 50
run echo 'MODE = \"symbolic\"' >$W/settings.py
watched settings.py 2
diagnostics pkg/ops.py
run echo 'MODE = \"real\"' >$W/settings.py
change main.py 2 0 0 0 0 \"# edited\\n\"
diagnostics main.py
diagnostics pkg/ops.py
close main.py
diagnostics main.py
diagnostics pkg/ops.py
shutdown"
is "$(nth 'diagnostics ops.py' 1)" "diagnostics ops.py v1: 12:11-12:21 CL101 [2 related]" \
  "both open, MODE = \"real\" in settings.py: the finding"
is "$(nth 'diagnostics ops.py' 2)" "diagnostics ops.py v1: (none)" \
  "settings.py changed on disk to \"symbolic\" (didChangeWatchedFiles): cleared"
is "$(nth 'diagnostics ops.py' 3)" "diagnostics ops.py v1: 12:11-12:21 CL101 [2 related]" \
  "changed back without a notification: the next analysis sees the disk's copy changed"
is "$(nth 'diagnostics main.py' 3)" "diagnostics main.py v-: (none)" \
  "closing main.py clears its diagnostics"
is "$(nth 'diagnostics ops.py' 4)" "diagnostics ops.py v1: 12:11-12:21 CL101 [2 related]" \
  "and, main.py closed again, its disk copy (MODE = \"real\") still traces ops.py's cond"


# A workspace folder with an entry the server cannot read: the walk names it
# in the log, and the readable files are still the workspace (settings.py,
# closed, still gives MODE). As root, permissions do not stop reads: the
# server runs as nobody then.
echo 'MODE = "real"' >"$W/settings.py"
mkdir -p "$W/locked"
: >"$W/locked/hidden.py"
chmod 000 "$W/locked"
real=$CONDLINT
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
  chmod -R a+rX "$TMP" && chmod 000 "$W/locked"
  printf '#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups "%s" "$@"\n' "$real" >"$TMP/as-nobody"
  chmod 755 "$TMP/as-nobody"
  CONDLINT=$TMP/as-nobody
fi
lsp "server --debounce 0
initialize $W
open pkg/ops.py
open main.py
diagnostics pkg/ops.py
shutdown"
CONDLINT=$real
chmod 755 "$W/locked"
is "$(nth 'diagnostics ops.py' 1)" "diagnostics ops.py v1: 12:11-12:21 CL101 [2 related]" \
  "a workspace with an unreadable directory: the readable files are still loaded (MODE from settings.py)"
like "$err" 'locked: Permission denied' "... and the server's log names what it could not read"
like "$err" ': 4 Python files' "... and loads the 4 readable Python files of the folder"

done_testing
