#!/usr/bin/env python3
"""Ground truth for Inductor's range-based custom-op dispatch.

The graph oracle (../oracle_ext.py) sees FX graphs; Inductor's range dispatch
lives in the code it generates. Each case here defines trace(), which compiles
a model calling a custom op registered with register_custom_op_autotuning(...,
dispatch_on=..., split_points=...) and returns the generated code as a list of
strings (torch._inductor.utils.run_and_get_code). The op's call site in the
case is the line marked `# dispatch-site`.

Verdicts: "dispatch" when the generated code branches on a size symbol
(`if s27 <= 512:`, the pattern PyTorch's own
test_range_based_static_shape_no_cond_dispatch looks for), "no_dispatch"
otherwise, "error" when trace() raised.

Usage (on the PyTorch machine, GPU needed):
    python3 oracle_inductor.py [-j N] case.py ... > inductor_labels.jsonl
"""
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

CHILD = r'''
import json, re, sys, traceback, warnings
warnings.simplefilter("ignore")
out = {"dispatch_lines": [], "error": None}
try:
    import torch
    case = sys.argv[1]
    g = {"__name__": "inductor_case", "__file__": case}
    exec(compile(open(case).read(), case, "exec"), g)
    codes = g["trace"]()
    pat = re.compile(r"if\s+s\d+\s*[<>=]")
    for code in codes:
        for line in code.split("\n"):
            if pat.search(line):
                out["dispatch_lines"].append(line.strip())
except Exception as e:
    out["error"] = (type(e).__name__ + ": " + str(e).splitlines()[0][:300]) if str(e) else type(e).__name__
    traceback.print_exc()
print("ORACLE:" + json.dumps(out))
'''


def site_lines(path):
    return [i + 1 for i, l in enumerate(open(path)) if "# dispatch-site" in l]


def run(path, timeout):
    try:
        p = subprocess.run([sys.executable, "-c", CHILD, path], capture_output=True, text=True,
                           timeout=timeout)
        lines = [l for l in p.stdout.splitlines() if l.startswith("ORACLE:")]
        res = json.loads(lines[-1][7:]) if lines else {"dispatch_lines": [], "error": "child died: " + p.stderr[-300:]}
        tb = p.stderr[-3000:]
    except subprocess.TimeoutExpired:
        res, tb = {"dispatch_lines": [], "error": "timeout"}, ""
    v = "error" if res["error"] else ("dispatch" if res["dispatch_lines"] else "no_dispatch")
    return {"case": path, "sites": [{"line": l, "verdict": v} for l in site_lines(path)],
            "dispatch_lines": res["dispatch_lines"][:10], "error": res["error"], "stderr_tail": tb if res["error"] else ""}


def main():
    args = sys.argv[1:]
    jobs = 1
    if args[:1] == ["-j"]:
        jobs, args = int(args[1]), args[2:]
    timeout = float(os.environ.get("ORACLE_TIMEOUT", "400"))
    import torch
    ver = torch.__version__
    with ThreadPoolExecutor(max_workers=jobs) as ex:
        for r in ex.map(lambda p: run(p, timeout), args):
            r["torch"] = ver
            print(json.dumps(r), flush=True)


if __name__ == "__main__":
    main()
