#!/usr/bin/env python3
"""condlint corpus oracle: a copy of the shared oracle (oracle/oracle.py) that
also reports, per graph that trace() returned, how many cond nodes it holds
("graph_conds", in order) and the case-file lines of those nodes
("graph_cond_lines"), and which of the case's cond-site lines occur in any
frame of any node's stack trace of that graph ("graph_site_lines": the graph
traced through that site, whether it kept a cond node or inlined the taken
branch; empty for make_fx graphs, which carry no stack traces). Everything
else -- the child, the site verdicts, the other output fields -- is the shared
oracle's, unchanged. This tells apart a torch.compile case whose first graph
folded and whose recompiled graph kept the cond ("mixed": graph_conds [0, 1]
with the site in both graphs' graph_site_lines) from one where every graph
kept it, and from a graph break whose first graph never reached the cond
(graph_conds [0, 1], graph_site_lines [[], [line]]).

Ground truth for torch.cond folding: run each case under real PyTorch and
report, for every torch.cond call site in the case file, whether the traced
graph kept it (a torch.ops.higher_order.cond node) or folded it away.

A case is a Python file that defines `trace()`. `trace()` runs whatever tracing
the case is about (make_fx, torch.export, torch.compile, a FakeTensorMode
recipe, ...) and returns what that produced: a GraphModule, an
ExportedProgram, or a list of them. For torch.compile, pass
`backend=oracle_backend` and return `oracle_graphs` (both are injected into
the case's globals): the backend appends every graph Dynamo hands it.

Usage:  python3 t/corpus/oracle_ext.py [-j N] CASE.py [CASE.py ...]      (needs torch)
Prints one JSON object per case:
  {"case": path, "sites": [{"line": N, "verdict": "preserved"|"folded"}],
   "cond_nodes": K, "error": null|"..."}
Every site is folded when the graphs hold no cond node; a single site is
preserved when they hold one; with several sites, a site is preserved when
the innermost frame of the case file in some cond node's stack trace is its
line, and undecided (null) otherwise. A case whose trace() raised before any
cond node was made reports "error" for its sites.
"""
import ast
import json
import os
import subprocess
import sys

CHILD = r'''
import json, os, sys, traceback, warnings
warnings.simplefilter("ignore")
case = sys.argv[1]
out = {"cond_nodes": 0, "cond_lines": [], "error": None, "graph_conds": [], "graph_cond_lines": [],
       "graph_lines": []}
try:
    import torch
    import torch.fx

    graphs = []

    oracle_graphs = []

    def oracle_backend(gm, example_inputs):
        oracle_graphs.append(gm)
        return gm.forward

    def collect(obj, acc):
        if obj is None:
            return
        if isinstance(obj, (list, tuple)):
            for o in obj:
                collect(o, acc)
            return
        if hasattr(obj, "graph_module"):
            obj = obj.graph_module
        if isinstance(obj, torch.fx.GraphModule):
            acc.append(obj)

    def case_lines(st):
        lines = []
        for ln in st.splitlines():
            ln = ln.strip()
            if ln.startswith('File "') and os.path.abspath(ln.split('"')[1]) == os.path.abspath(case):
                try:
                    lines.append(int(ln.split('", line ')[1].split(",")[0]))
                except Exception:
                    pass
        return lines

    def walk(gm, seen, per):
        if id(gm) in seen:
            return
        seen.add(id(gm))
        for node in gm.graph.nodes:
            per["any"].update(case_lines(node.meta.get("stack_trace") or ""))
            if node.op == "call_function" and node.target is torch.ops.higher_order.cond:
                out["cond_nodes"] += 1
                per["n"] += 1
                st = node.meta.get("stack_trace") or ""
                frames = []
                for ln in st.splitlines():
                    ln = ln.strip()
                    if ln.startswith('File "') and os.path.abspath(ln.split('"')[1]) == os.path.abspath(case):
                        try:
                            frames.append(int(ln.split('", line ')[1].split(",")[0]))
                        except Exception:
                            pass
                if frames:
                    out["cond_lines"].append(frames[-1])
                    per["lines"].append(frames[-1])
        for _, mod in gm.named_modules():
            if isinstance(mod, torch.fx.GraphModule) and mod is not gm:
                walk(mod, seen, per)

    import types
    mod = types.ModuleType("oracle_case")
    mod.__file__ = case
    mod.oracle_backend = oracle_backend
    mod.oracle_graphs = oracle_graphs
    sys.modules["oracle_case"] = mod  # strict export and Dynamo look the module up by name
    g = mod.__dict__
    src = open(case).read()
    exec(compile(src, case, "exec"), g)
    res = g["trace"]()
    acc = []
    collect(res, acc)
    seen = set()
    for gm in acc:
        per = {"n": 0, "lines": [], "any": set()}
        walk(gm, seen, per)
        out["graph_conds"].append(per["n"])
        out["graph_cond_lines"].append(sorted(per["lines"]))
        out["graph_lines"].append(sorted(per["any"]))
    if not acc:
        out["error"] = "trace() returned no graph"
except Exception as e:
    out["error"] = type(e).__name__ + ": " + str(e).splitlines()[0][:300] if str(e) else type(e).__name__
print("ORACLE:" + json.dumps(out))
'''


COND_MODULES = {"torch", "torch._higher_order_ops", "torch._higher_order_ops.cond",
                "functorch.experimental.control_flow", "torch._higher_order_ops.cond"}


def cond_sites(path):
    """Lines of the case's torch.cond calls: X.cond(...), or a name bound by
    `from <torch module> import cond [as alias]`."""
    tree = ast.parse(open(path).read(), path)
    names = {"cond"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in COND_MODULES:
            names |= {a.asname or a.name for a in node.names if a.name == "cond"}
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            if (isinstance(f, ast.Name) and f.id in names) or \
               (isinstance(f, ast.Attribute) and f.attr == "cond"):
                lines.append(node.lineno)
    return sorted(set(lines))


def run_case(path, timeout):
    sites = cond_sites(path)
    try:
        p = subprocess.run([sys.executable, "-c", CHILD, path], capture_output=True,
                           text=True, timeout=timeout, env=dict(os.environ, PYTHONWARNINGS="ignore"))
        line = [l for l in p.stdout.splitlines() if l.startswith("ORACLE:")]
        res = json.loads(line[-1][7:]) if line else {"cond_nodes": 0, "cond_lines": [],
                                                      "error": "child died: " + p.stderr[-300:],
                                                      "graph_conds": [], "graph_cond_lines": [], "graph_lines": []}
    except subprocess.TimeoutExpired:
        res = {"cond_nodes": 0, "cond_lines": [], "error": "timeout", "graph_conds": [], "graph_cond_lines": [],
               "graph_lines": []}
    # A site is folded when the graphs hold no cond node at all, preserved when
    # it is the only site and a node exists; with several sites, the innermost
    # frame of the case file in a node's stack trace names its site, and a
    # site that no trace names stays undecided (None).
    verdicts = []
    for s in sites:
        if res["error"] and not res["cond_nodes"]:
            v = "error"
        elif res["cond_nodes"] == 0:
            v = "folded"
        elif len(sites) == 1:
            v = "preserved"
        elif s in res["cond_lines"]:
            v = "preserved"
        else:
            v = None
        verdicts.append({"line": s, "verdict": v})
    return {"case": path, "sites": verdicts, "cond_nodes": res["cond_nodes"],
            "cond_lines": res["cond_lines"], "error": res["error"],
            "graph_conds": res["graph_conds"], "graph_cond_lines": res["graph_cond_lines"],
            "graph_site_lines": [[l for l in sites if l in g] for g in res["graph_lines"]]}


def main():
    from concurrent.futures import ThreadPoolExecutor
    timeout = float(os.environ.get("ORACLE_TIMEOUT", "240"))
    args = sys.argv[1:]
    jobs = 1
    if args[:1] == ["-j"]:
        jobs, args = int(args[1]), args[2:]
    if not args:
        sys.exit(__doc__)
    with ThreadPoolExecutor(max_workers=jobs) as ex:
        for res in ex.map(lambda p: run_case(p, timeout), args):
            print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
