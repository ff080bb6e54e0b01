#!/usr/bin/env python3
"""lsp_latency.py — keystroke-to-diagnostics latency of `condlint server`.

Drives the server over pipes as an editor would: a workspace with a
generated 5,000-line model file (transformer-style modules, helpers, range
dispatches with torch.cond, tracing entry points) and a helper module it
imports; it opens the file, then makes realistic edits one at a time
(typing a statement character by character through the syntax errors on the
way, backspacing, changing a dispatch threshold, pasting and deleting a
block, typing into a comment) and measures, for each, the time from writing
the didChange to reading the publishDiagnostics of that version. Prints the
distribution (p50, p90, p99, max).

The server runs with --debounce 0 so that the numbers are the server's own
work; --debounce MS measures with the editor-facing delay added.

    bench/lsp_latency.py [--condlint build/condlint] [--lines 5000] [--edits 400]
                         [--debounce 0] [--json]

Standard library only (Debian's python3).
"""
import argparse
import json
import os
import random
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# ---- the workspace -----------------------------------------------------------

HELPER = '''"""Shared kernels (imported by the model file)."""
import torch


def short_kernel(x):
    return torch.softmax(x @ x.transpose(-1, -2), dim=-1) @ x


def long_kernel(x):
    q = torch.softmax(x, dim=-1)
    return q @ (q.transpose(-1, -2) @ x)


def seq_dispatch(x, limit):
    # meant to pick a kernel at run time from the sequence length
    return torch.cond(x.shape[1] <= limit, short_kernel, long_kernel, (x,))
'''


def family(i):
    """One model family: ~200 lines of modules and helpers."""
    n = f"M{i}"
    return f'''

class {n}Config:
    def __init__(self, hidden=256, heads=8, layers=4, window=512, eps=1e-6):
        self.hidden = hidden
        self.heads = heads
        self.layers = layers
        self.window = window
        self.eps = eps
        self.head_dim = hidden // heads


def {n.lower()}_rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2 :]
    return torch.cat((-x2, x1), dim=-1)


def {n.lower()}_apply_rotary(q, k, cos, sin):
    q_embed = (q * cos) + ({n.lower()}_rotate_half(q) * sin)
    k_embed = (k * cos) + ({n.lower()}_rotate_half(k) * sin)
    return q_embed, k_embed


def {n.lower()}_repeat_kv(hidden, n_rep):
    batch, heads, slen, head_dim = hidden.shape
    if n_rep == 1:
        return hidden
    hidden = hidden[:, :, None, :, :].expand(batch, heads, n_rep, slen, head_dim)
    return hidden.reshape(batch, heads * n_rep, slen, head_dim)


class {n}RMSNorm(torch.nn.Module):
    def __init__(self, hidden, eps=1e-6):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(hidden))
        self.eps = eps

    def forward(self, x):
        variance = x.pow(2).mean(-1, keepdim=True)
        x = x * torch.rsqrt(variance + self.eps)
        return self.weight * x


class {n}Rotary(torch.nn.Module):
    def __init__(self, dim, base=10000):
        super().__init__()
        inv = 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))
        self.register_buffer("inv_freq", inv)

    def forward(self, x, positions):
        freqs = positions[:, :, None].float() * self.inv_freq[None, None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos(), emb.sin()


def {n.lower()}_full_attention(q, k, v):
    scores = q @ k.transpose(-1, -2) / (q.shape[-1] ** 0.5)
    return torch.softmax(scores, dim=-1) @ v


def {n.lower()}_window_attention(q, k, v):
    # blockwise attention for long sequences
    chunks = []
    for start in range(0, 4):
        chunks.append(torch.softmax(q @ k.transpose(-1, -2), dim=-1) @ v)
    return torch.stack(chunks).mean(0)


def {n.lower()}_attend(q, k, v):
    return {n.lower()}_full_attention(q, k, v)


class {n}Attention(torch.nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.q_proj = torch.nn.Linear(config.hidden, config.hidden)
        self.k_proj = torch.nn.Linear(config.hidden, config.hidden)
        self.v_proj = torch.nn.Linear(config.hidden, config.hidden)
        self.o_proj = torch.nn.Linear(config.hidden, config.hidden)
        self.rotary = {n}Rotary(config.head_dim)

    def forward(self, x, positions):
        bsz, qlen, _ = x.shape
        q = self.q_proj(x).view(bsz, qlen, self.config.heads, -1).transpose(1, 2)
        k = self.k_proj(x).view(bsz, qlen, self.config.heads, -1).transpose(1, 2)
        v = self.v_proj(x).view(bsz, qlen, self.config.heads, -1).transpose(1, 2)
        cos, sin = self.rotary(v, positions)
        q, k = {n.lower()}_apply_rotary(q, k, cos[:, None], sin[:, None])
        out = {n.lower()}_attend(q, k, v)
        out = out.transpose(1, 2).reshape(bsz, qlen, -1)
        return self.o_proj(out)


class {n}MLP(torch.nn.Module):
    def __init__(self, config):
        super().__init__()
        self.gate = torch.nn.Linear(config.hidden, 4 * config.hidden)
        self.up = torch.nn.Linear(config.hidden, 4 * config.hidden)
        self.down = torch.nn.Linear(4 * config.hidden, config.hidden)

    def forward(self, x):
        return self.down(torch.nn.functional.silu(self.gate(x)) * self.up(x))


class {n}Layer(torch.nn.Module):
    def __init__(self, config):
        super().__init__()
        self.attn = {n}Attention(config)
        self.mlp = {n}MLP(config)
        self.norm1 = {n}RMSNorm(config.hidden, config.eps)
        self.norm2 = {n}RMSNorm(config.hidden, config.eps)

    def forward(self, x, positions):
        h = x + self.attn(self.norm1(x), positions)
        return h + self.mlp(self.norm2(h))


class {n}Model(torch.nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embed = torch.nn.Embedding(32000, config.hidden)
        self.layers = torch.nn.ModuleList([{n}Layer(config) for _ in range(config.layers)])
        self.norm = {n}RMSNorm(config.hidden, config.eps)

    def forward(self, ids):
        x = self.embed(ids)
        positions = torch.arange(ids.shape[1])[None, :].expand(ids.shape[0], -1)
        for layer in self.layers:
            x = layer(x, positions)
        return self.norm(x)


def {n.lower()}_short(x):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6)


def {n.lower()}_long(x):
    return x - x.mean(dim=1, keepdim=True)


def {n.lower()}_dispatch(x):
    # pick the normalisation from the sequence length at run time
    return torch.cond(x.shape[1] <= {256 + 64 * i}, {n.lower()}_short, {n.lower()}_long, (x,))


def {n.lower()}_gate(x):
    return torch.cond(x.sum() > 0, {n.lower()}_short, {n.lower()}_long, (x,))


def {n.lower()}_head(x):
    h = {n.lower()}_dispatch(x)
    h = {n.lower()}_gate(h)
    return seq_dispatch(h, {512 + 32 * i})


def {n.lower()}_loss(logits, labels):
    shift = logits[..., :-1, :].contiguous()
    target = labels[..., 1:].contiguous()
    flat = shift.view(-1, shift.shape[-1])
    return torch.nn.functional.cross_entropy(flat, target.view(-1))


def {n.lower()}_count_parameters(model):
    total = 0
    for p in model.parameters():
        total = total + p.numel()
    return total


def {n.lower()}_describe(config):
    parts = []
    parts.append("hidden=%d" % config.hidden)
    parts.append("heads=%d" % config.heads)
    parts.append("layers=%d" % config.layers)
    return ", ".join(parts)
'''


def model_file(lines):
    head = ['"""Model zoo (generated for the condlint LSP latency benchmark)."""',
            "import torch", "from torch.fx.experimental.proxy_tensor import make_fx", "",
            "from kernels import seq_dispatch", ""]
    def tail_for(n):
        t = ["", "", "def trace_all(x):"] + [f"    x = m{k}_head(x)" for k in range(n)]
        return t + ["    return x", "", "",
                    "gm = make_fx(trace_all)(torch.randn(2, 300, 64))",
                    "gs = make_fx(m0_head, tracing_mode=\"symbolic\")(torch.randn(2, 300, 64))"]
    body, n = [], 0
    while True:
        fam = family(n).split("\n")
        if len(head) + len(body) + len(fam) + len(tail_for(n + 1)) > lines:
            break
        body += fam
        n += 1
    k = 0
    while len(head) + len(body) + len(tail_for(n)) + 4 <= lines:
        body += ["", "", f"def util_{k}(x):", f"    return x * {k + 2}"]
        k += 1
    text = head + body + tail_for(n)
    while len(text) < lines:
        text.append("")
    return "\n".join(text) + "\n"


# ---- the client ----------------------------------------------------------------

class Server:
    def __init__(self, argv, stderr):
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=stderr, bufsize=0)
        self.buf = b""
        self.next_id = 1
        self.inbox = []

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, method, params):
        i = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": i, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == i and "method" not in m)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def _read_one(self, timeout):
        while True:
            k = self.buf.find(b"\r\n\r\n")
            if k >= 0:
                n = int(self.buf[:k].split(b":")[1])
                if len(self.buf) >= k + 4 + n:
                    body = self.buf[k + 4:k + 4 + n]
                    self.buf = self.buf[k + 4 + n:]
                    return json.loads(body)
            r, _, _ = select.select([self.p.stdout], [], [], timeout)
            if not r:
                raise TimeoutError("no answer from the server")
            chunk = os.read(self.p.stdout.fileno(), 1 << 20)
            if not chunk:
                raise EOFError("the server exited")
            self.buf += chunk

    def wait(self, pred, timeout=60):
        for i, m in enumerate(self.inbox):
            if pred(m):
                return self.inbox.pop(i)
        while True:
            m = self._read_one(timeout)
            if "method" in m and "id" in m:  # a request of the server's
                self.send({"jsonrpc": "2.0", "id": m["id"], "result": None})
                continue
            if pred(m):
                return m
            self.inbox.append(m)

    def close(self):
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
        except (OSError, EOFError, TimeoutError):
            pass
        self.p.stdin.close()
        return self.p.wait(timeout=30)


def position(text, offset):
    """Byte offset of an ASCII text -> (line, character)."""
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start


def edits_for(text, count, rng):
    """A stream of (start, end, new_text) byte edits, applied in order."""
    out = []
    cur = text

    def push(a, b, s):
        nonlocal cur
        out.append((a, b, s))
        cur = cur[:a] + s + cur[b:]

    while len(out) < count:
        kind = rng.choice(["type_stmt", "type_stmt", "threshold", "comment", "block", "backspace"])
        if kind == "type_stmt":
            # Enter at the end of a forward's signature (the editor indents
            # the new line), then a statement typed one key at a time, half
            # of it taken back and retyped
            anchors = [i for i in range(len(cur)) if cur.startswith("    def forward(self, x", i)]
            a = cur.index("\n", rng.choice(anchors))
            push(a, a, "\n        ")
            a += 9
            stmt = "scale = x.shape[-1] ** -0.5"
            for ch in stmt:
                push(a, a, ch)
                a += 1
            for _ in range(len(stmt) // 2):
                push(a - 1, a, "")
                a -= 1
            for ch in stmt[len(stmt) - len(stmt) // 2:]:
                push(a, a, ch)
                a += 1
        elif kind == "threshold":
            anchors = [i for i in range(len(cur)) if cur.startswith("x.shape[1] <= ", i)]
            a = rng.choice(anchors) + len("x.shape[1] <= ")
            b = a
            while cur[b].isdigit():
                b += 1
            push(a, b, "")
            for ch in str(rng.randint(100, 4096)):
                push(a, a, ch)
                a += 1
        elif kind == "comment":
            anchors = [i for i in range(len(cur)) if cur.startswith("    # ", i)]
            a = cur.index("\n", rng.choice(anchors))
            for ch in " (see the profile)":
                push(a, a, ch)
                a += 1
        elif kind == "block":
            a = cur.index("\n\n\ndef ", rng.randrange(len(cur) // 2)) + 3
            block = "def pasted_helper(x):\n    return x.reshape(x.shape[0], -1)\n\n\n"
            push(a, a, block)
            push(a, a + len(block), "")
        else:
            anchors = [i for i in range(len(cur)) if cur.startswith("return ", i)]
            a = rng.choice(anchors) + len("return ")
            push(a, a, "(")
            push(a, a + 1, "")
    return out[:count]


def cpu_seconds(pid):
    """User + system CPU time of a process and its reaped children (Linux)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
        return ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def percentile(xs, p):
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, int(round(p / 100.0 * len(xs) + 0.5)) - 1))
    return xs[k]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--condlint", default=os.path.join(HERE, "..", "build", "condlint"))
    ap.add_argument("--lines", type=int, default=5000)
    ap.add_argument("--edits", type=int, default=400)
    ap.add_argument("--debounce", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON")
    ap.add_argument("--keep", action="store_true", help="keep the generated workspace")
    args = ap.parse_args()

    ws = tempfile.mkdtemp(prefix="condlint-lsp-bench.")
    path = os.path.join(ws, "models.py")
    text = model_file(args.lines)
    with open(path, "w") as f:
        f.write(text)
    with open(os.path.join(ws, "kernels.py"), "w") as f:
        f.write(HELPER)
    uri = "file://" + path
    errlog = open(os.path.join(ws, "server.log"), "w")
    os.environ["CONDLINT_SERVER_TRACE"] = "1"  # per-analysis times in server.log
    srv = Server([args.condlint, "server", "--debounce", str(args.debounce)], errlog)
    srv.request("initialize", {"processId": os.getpid(), "rootUri": "file://" + ws,
                               "capabilities": {},
                               "workspaceFolders": [{"uri": "file://" + ws, "name": "bench"}]})
    srv.notify("initialized", {})
    t0 = time.perf_counter()
    srv.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python",
                                                         "version": 1, "text": text}})
    first = srv.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                     and m["params"]["uri"] == uri)
    open_ms = (time.perf_counter() - t0) * 1e3
    ndiag = len(first["params"]["diagnostics"])

    rng = random.Random(args.seed)
    lat, nd_seen = [], set()
    cpu0 = cpu_seconds(srv.p.pid)
    version = 1
    cur = text
    for a, b, s in edits_for(text, args.edits, rng):
        sl, sc = position(cur, a)
        el, ec = position(cur, b)
        cur = cur[:a] + s + cur[b:]
        version += 1
        v = version
        t0 = time.perf_counter()
        srv.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": v},
            "contentChanges": [{"range": {"start": {"line": sl, "character": sc},
                                          "end": {"line": el, "character": ec}}, "text": s}]})
        m = srv.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                     and m["params"]["uri"] == uri and m["params"].get("version") == v)
        lat.append((time.perf_counter() - t0) * 1e3)
        nd_seen.add(len(m["params"]["diagnostics"]))
    cpu1 = cpu_seconds(srv.p.pid)
    cpu_ms = (cpu1 - cpu0) * 1e3 / len(lat) if cpu0 is not None and cpu1 is not None else None
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    status = srv.close()
    errlog.close()
    # the server's own time per analysis: parse, analysis, and CPU (its own
    # and that of any child it forks), which is what the wall time would be
    # on an otherwise idle machine
    phases = {"parse": [], "analysis": [], "cpu": []}
    with open(os.path.join(ws, "server.log")) as f:
        runs = [l for l in f if "analysed" in l]
    for l in runs[1:]:  # the first is the open
        for k in phases:
            m = re.search(k + r" ([0-9.]+) ms", l)
            if m:
                phases[k].append(float(m.group(1)))
    if not args.keep:
        shutil.rmtree(ws)
    else:
        print("workspace kept in", ws, file=sys.stderr)

    res = {"lines": args.lines, "edits": len(lat), "debounce_ms": args.debounce,
           "open_ms": round(open_ms, 2), "findings_at_open": ndiag,
           "p50_ms": round(percentile(lat, 50), 2), "p90_ms": round(percentile(lat, 90), 2),
           "p99_ms": round(percentile(lat, 99), 2), "max_ms": round(max(lat), 2),
           "mean_ms": round(sum(lat) / len(lat), 2),
           "server_cpu_ms_per_edit": round(cpu_ms, 2) if cpu_ms is not None else None,
           "analyses": len(phases["cpu"]),
           **{f"{k}_{q}_ms": round(percentile(v, p), 2)
              for k, v in phases.items() if v for q, p in (("p50", 50), ("p90", 90), ("p99", 99))},
           "cpus": os.cpu_count(), "load_1min": round(load, 2) if load is not None else None,
           "server_exit": status}
    if args.json:
        print(json.dumps(res))
    else:
        print(f"condlint server: keystroke -> publishDiagnostics, {res['lines']}-line file, "
              f"{res['edits']} edits, debounce {res['debounce_ms']} ms")
        print(f"  open (full parse + analysis): {res['open_ms']} ms, {ndiag} findings")
        print(f"  p50 {res['p50_ms']} ms   p90 {res['p90_ms']} ms   p99 {res['p99_ms']} ms   "
              f"max {res['max_ms']} ms   (mean {res['mean_ms']} ms)")
        print(f"  findings per published version: {sorted(nd_seen)}")
        for k in ("parse", "analysis", "cpu"):
            if f"{k}_p50_ms" in res:
                label = {"parse": "server parse (wall)", "analysis": "server analysis (wall)",
                         "cpu": "server CPU per analysis"}[k]
                print(f"  {label}: p50 {res[k + '_p50_ms']} ms   p90 {res[k + '_p90_ms']} ms   "
                      f"p99 {res[k + '_p99_ms']} ms")
        print(f"  server CPU per edit: {res['server_cpu_ms_per_edit']} ms "
              f"(user+sys, with any child it forks); {res['cpus']} CPUs, "
              f"load average {res['load_1min']} during the run")
    return 0 if status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
