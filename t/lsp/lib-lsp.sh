# t/lsp/lib-lsp.sh — sourced by the t/t07NN language-server tests, after
# t/lib.sh: runs the scripted client (t/lsp/client.pl) against
# `$CONDLINT server`, keeping the server's stderr for the sanitizer check.
#
#   lsp SCRIPT        run the script (see client.pl): sets $out (the client's
#                     transcript), $err (the server's stderr) and $rc
#   pick REGEX        the first line of $out that matches REGEX
#   uri PATH          the file URI of PATH as the client writes it
#   bench_files DIR N models.py of N lines and kernels.py, as the latency
#                     benchmark (bench/lsp_latency.py) makes them

lsp() {
  printf '%s\n' "$1" >"$TMP/.lsp-script"
  perl "$TOP/t/lsp/client.pl" "$CONDLINT" "$TMP/.lsp-script" "$TMP/.err" >"$TMP/.out" 2>"$TMP/.client"
  rc=$?
  out=$(cat "$TMP/.out")
  err=$(cat "$TMP/.err")
  if [ -s "$TMP/.client" ]; then diag "client: $(cat "$TMP/.client")"; fi
  _cl_sanitizer server
}

pick() { printf '%s\n' "$out" | grep -E -m1 -- "$1"; }

uri() { perl -e '(my $p = shift) =~ s/([^A-Za-z0-9\-._~\/])/sprintf("%%%02X", ord $1)/ge; print "file://$p"' "$1"; }

bench_files() {
  python3 - "$TOP/bench/lsp_latency.py" "$1" "$2" <<'PY'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("bench", sys.argv[1])
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)
open(sys.argv[2] + "/models.py", "w").write(bench.model_file(int(sys.argv[3])))
open(sys.argv[2] + "/kernels.py", "w").write(bench.HELPER)
PY
}
