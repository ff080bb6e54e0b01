#!/usr/bin/env python3
"""gen_corpus.py — write a synthetic, deterministic Python repository for bench/run.sh.

    python3 bench/gen_corpus.py OUTDIR [--packages N] [--seed S]

The repository looks like a model zoo with its compiler: packages of
nn.Module models (layers, blocks, heads), lowering passes over a small IR
(no torch at all), utilities and configuration, and unittest suites. Modules
import each other relatively, as real packages do. A few percent of the files
hold a torch.cond (some whose predicate reads a shape, some static metadata,
some data-dependent) and a few percent trace (torch.compile, torch.export with
dynamic_shapes, make_fx); most files hold neither, which is what a
whole-repository linter meets. The same seed writes the same bytes.
"""
import argparse
import os
import random
import shutil

ACTS = ["relu", "gelu", "silu", "tanh", "sigmoid"]
ACT_MODULES = {"relu": "ReLU", "gelu": "GELU", "silu": "SiLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}
NORMS = ["LayerNorm", "BatchNorm1d", "GroupNorm"]
WORDS = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "theta", "lambda_",
         "rho", "tau", "phi", "chi", "psi", "zeta", "eta", "iota", "mu", "nu", "xi"]
NOUNS = ["encoder", "decoder", "mixer", "router", "gate", "proj", "embed", "pool", "attn",
         "ffn", "conv", "norm", "head", "stem", "neck", "adapter", "expert", "bridge"]
IR_OPS = ["add", "mul", "sub", "div", "matmul", "reduce_sum", "reduce_max", "broadcast",
          "reshape", "permute", "slice", "concat", "where", "exp", "log", "rsqrt", "gather"]


def ident(r, k=2):
    return "_".join(r.choice(WORDS + NOUNS) for _ in range(k))


def camel(s):
    return "".join(p.capitalize() for p in s.split("_") if p)


class Pkg:
    def __init__(self, r, idx):
        self.r = r
        self.name = f"zoo_{idx:03d}_{r.choice(NOUNS)}"
        self.models = [f"{r.choice(NOUNS)}_{i:02d}" for i in range(20)]
        self.lowerings = [f"lower_{r.choice(IR_OPS)}_{i:02d}" for i in range(12)]
        self.utils = ["shapes", "config", "registry", "logging_utils", "tensor_utils", "timers"]
        self.classes = {}  # model module -> [class names]
        self.cond_models = set()


def header(r, doc):
    return f'"""{doc}"""\n'


def gen_config(r, pkg):
    lines = [header(r, f"Configuration of {pkg.name}."), "import os", ""]
    for w in WORDS[: r.randint(8, 16)]:
        lines.append(f"{w.upper()}_SIZE = {r.choice([16, 32, 64, 128, 256, 512])}")
    lines += ["", "DEBUG = os.environ.get('ZOO_DEBUG', '0') == '1'",
              f"USE_FAST_PATH = {r.choice(['True', 'False'])}", "",
              "def get(name, default=None):", "    return globals().get(name.upper(), default)", ""]
    return "\n".join(lines) + "\n"


def gen_shapes(r, pkg):
    out = [header(r, "Shape helpers."), "import math", "from typing import List, Sequence, Tuple", ""]
    for i in range(r.randint(6, 12)):
        name = f"{ident(r)}_shape_{i}"
        out += [f"def {name}(dims: Sequence[int], factor: int = {r.randint(2, 8)}) -> Tuple[int, ...]:",
                f'    """Scale the last dim of dims by factor ({i})."""',
                "    dims = list(dims)",
                "    if not dims:",
                "        return ()",
                "    dims[-1] = max(1, dims[-1] * factor // math.gcd(dims[-1], factor))",
                "    return tuple(dims)", ""]
    out += ["def numel(dims: Sequence[int]) -> int:", "    n = 1", "    for d in dims:",
            "        n *= d", "    return n", "",
            "def pad_to(n: int, multiple: int) -> int:",
            "    return (n + multiple - 1) // multiple * multiple", ""]
    return "\n".join(out) + "\n"


def gen_registry(r, pkg):
    return "\n".join([
        header(r, "A registry of model builders."),
        "_BUILDERS = {}", "",
        "def register(name):",
        "    def deco(fn):",
        "        _BUILDERS[name] = fn",
        "        return fn",
        "    return deco", "",
        "def build(name, *args, **kwargs):",
        "    if name not in _BUILDERS:",
        "        raise KeyError(f'unknown model {name!r}; known: {sorted(_BUILDERS)}')",
        "    return _BUILDERS[name](*args, **kwargs)", "",
        "def names():", "    return sorted(_BUILDERS)", ""]) + "\n"


def gen_plain_util(r, pkg, name):
    out = [header(r, f"{name} for {pkg.name}."), "import time", "import logging",
           "from collections import defaultdict", "", "log = logging.getLogger(__name__)", ""]
    for i in range(r.randint(5, 10)):
        fn = f"{ident(r)}_{i}"
        out += [f"def {fn}(items, key=None):",
                "    groups = defaultdict(list)",
                "    for it in items:",
                "        groups[key(it) if key else it].append(it)",
                f"    log.debug('{fn}: %d groups', len(groups))",
                "    return dict(groups)", ""]
    out += ["class Timer:", "    def __init__(self, label):", "        self.label = label",
            "        self.start = None", "",
            "    def __enter__(self):", "        self.start = time.perf_counter()", "        return self", "",
            "    def __exit__(self, *exc):",
            "        log.info('%s took %.3f ms', self.label, (time.perf_counter() - self.start) * 1e3)",
            "        return False", ""]
    return "\n".join(out) + "\n"


def gen_tensor_utils(r, pkg):
    out = [header(r, "Tensor helpers."), "import torch", "import torch.nn.functional as F", ""]
    for i in range(r.randint(5, 9)):
        fn = f"{ident(r)}_{i}"
        op = r.choice(["x.transpose(-1, -2)", "x.reshape(x.shape[0], -1)", "F.softmax(x, dim=-1)",
                       "x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6)", "x.flatten(1)",
                       "torch.cat([x, x], dim=-1)", "x.unsqueeze(1).expand(-1, 4, -1)"])
        out += [f"def {fn}(x):", f"    return {op}", ""]
    return "\n".join(out) + "\n"


def gen_model(r, pkg, mod, with_cond):
    n_cls = r.randint(2, 5)
    classes = [camel(f"{mod}_{ident(r, 1)}_{k}") for k in range(n_cls)]
    pkg.classes[mod] = classes
    out = [header(r, f"Models: {', '.join(classes)}."), "import math", "", "import torch",
           "import torch.nn as nn", "import torch.nn.functional as F", "",
           "from ..utils import config", "from ..utils.shapes import pad_to", ""]
    if r.random() < 0.4:
        out.insert(8, "from ..utils.tensor_utils import *")
    others = [m for m in pkg.models if m != mod and m in pkg.classes]
    if others and r.random() < 0.6:
        o = r.choice(others)
        out.insert(9, f"from .{o} import {pkg.classes[o][0]}")
    for ci, cls in enumerate(classes):
        d = r.choice([64, 128, 256, 512])
        h = r.choice([2, 4, 8])
        act = r.choice(ACTS)
        norm = r.choice(NORMS)
        out += [f"class {cls}(nn.Module):",
                f'    """A {r.choice(NOUNS)} block: {d} features, {h} heads."""', "",
                f"    def __init__(self, dim={d}, heads={h}, dropout={r.choice([0.0, 0.1, 0.2])}):",
                "        super().__init__()",
                "        self.dim = dim",
                "        self.heads = heads",
                "        self.qkv = nn.Linear(dim, 3 * dim)",
                "        self.out = nn.Linear(dim, dim)",
                f"        self.norm = nn.{norm}(dim)" if norm != "GroupNorm" else "        self.norm = nn.GroupNorm(1, dim)",
                "        self.drop = nn.Dropout(dropout)",
                f"        self.ffn = nn.Sequential(nn.Linear(dim, 4 * dim), nn.{ACT_MODULES[act]}(), nn.Linear(4 * dim, dim))",
                ""]
        out += ["    def _split(self, x):",
                "        b, t, c = x.shape",
                "        return x.reshape(b, t, self.heads, c // self.heads).transpose(1, 2)", "",
                "    def _attend(self, q, k, v):",
                "        scale = 1.0 / math.sqrt(q.shape[-1])",
                "        w = torch.matmul(q, k.transpose(-1, -2)) * scale",
                "        return torch.matmul(F.softmax(w, dim=-1), v)", ""]
        if with_cond and ci == 0:
            kind = r.choice(["shape", "shape", "meta", "data"])
            pred = {"shape": f"x.shape[1] > {r.choice([128, 256, 512, 1024])}",
                    "meta": "x.dim() == 3",
                    "data": "x.sum() > 0"}[kind]
            out += ["    def _short(self, x):", "        return self.ffn(x)", "",
                    "    def _long(self, x):",
                    "        q, k, v = self.qkv(x).chunk(3, dim=-1)",
                    "        y = self._attend(self._split(q), self._split(k), self._split(v))",
                    "        return y.transpose(1, 2).reshape(x.shape)", "",
                    "    def forward(self, x):",
                    "        x = self.norm(x)",
                    f"        y = torch.cond({pred}, self._long, self._short, (x,))",
                    "        return x + self.drop(self.out(y))", ""]
            pkg.cond_models.add((mod, cls))
        else:
            out += ["    def forward(self, x):",
                    "        h = self.norm(x)",
                    "        q, k, v = self.qkv(h).chunk(3, dim=-1)",
                    "        y = self._attend(self._split(q), self._split(k), self._split(v))",
                    "        y = y.transpose(1, 2).reshape(h.shape)",
                    "        x = x + self.drop(self.out(y))",
                    "        return x + self.drop(self.ffn(x))", ""]
        for j in range(r.randint(1, 4)):
            out += [f"    def {ident(r)}_{j}(self, x, n={r.randint(1, 9)}):",
                    "        for _ in range(n):",
                    "            x = x + 0.5 * self.ffn(x)",
                    f"        return x.clamp(-{r.randint(2, 9)}.0, {r.randint(2, 9)}.0)", ""]
    out += [f"def build_{mod}(**kwargs):", f"    return {classes[0]}(**kwargs)", ""]
    return "\n".join(out) + "\n"


def gen_lowering(r, pkg, mod):
    out = [header(r, f"Lowering pass {mod}: rewrites IR nodes into kernels."), "import itertools",
           "from dataclasses import dataclass, field", "from typing import Dict, List, Optional", "",
           "from ..utils.shapes import numel, pad_to", "from ..utils import config", ""]
    if r.random() < 0.5:
        out.insert(6, "from . import ir")
    out += ["@dataclass", "class Node:", "    op: str", "    args: List['Node'] = field(default_factory=list)",
            "    shape: tuple = ()", "    attrs: Dict[str, object] = field(default_factory=dict)", "",
            "_counter = itertools.count()", "",
            "def fresh(prefix='t'):", "    return f'{prefix}{next(_counter)}'", ""]
    for i in range(r.randint(6, 14)):
        op = r.choice(IR_OPS)
        fn = f"lower_{op}_{ident(r, 1)}_{i}"
        out += [f"def {fn}(node: Node, env: Dict[str, str], out: List[str]) -> Optional[str]:",
                f'    """Lower {op}: one loop nest per output tile."""',
                f"    if node.op != '{op}':",
                "        return None",
                "    names = [env.get(id(a), fresh('a')) for a in node.args]",
                "    dst = fresh()",
                "    size = numel(node.shape) if node.shape else 1",
                f"    tile = pad_to(size, {r.choice([4, 8, 16, 32])})",
                "    out.append(f'{dst} = alloc({tile})')",
                "    for i in range(0, tile, 8):",
                f"        out.append(f'  {{dst}}[{{i}}:{{i + 8}}] = {op}(' + ', '.join(n + f'[{{i}}]' for n in names) + ')')",
                "    if config.DEBUG:",
                "        out.append(f'# {node.op} {node.shape} -> {dst}')",
                "    return dst", ""]
    out += ["def run(nodes: List[Node]) -> List[str]:", "    env, out = {}, []",
            "    for n in nodes:", "        for fn in list(globals().values()):",
            "            if callable(fn) and getattr(fn, '__name__', '').startswith('lower_'):",
            "                r = fn(n, env, out)", "                if r:", "                    env[id(n)] = r",
            "                    break", "    return out", ""]
    return "\n".join(out) + "\n"


def gen_ir(r, pkg):
    return "\n".join([header(r, "The IR's node kinds."), "KINDS = (" + ", ".join(repr(o) for o in IR_OPS) + ")", "",
                      "def is_elementwise(op):", "    return op in ('add', 'mul', 'sub', 'div', 'exp', 'log', 'rsqrt', 'where')", ""]) + "\n"


def gen_test(r, pkg, i, trace):
    mods = r.sample([m for m in pkg.models if m in pkg.classes], k=min(3, len(pkg.classes)))
    out = [header(r, f"Tests for {pkg.name} ({i})."), "import unittest", "", "import torch", ""]
    for m in mods:
        out.append(f"from {pkg.name}.models.{m} import {pkg.classes[m][0]}")
    if trace == "export":
        out.append("from torch.export import Dim, export")
    if trace == "make_fx":
        out.append("from torch.fx.experimental.proxy_tensor import make_fx")
    out += ["", f"class Test{camel(pkg.name)}{i}(unittest.TestCase):"]
    for m in mods:
        cls = pkg.classes[m][0]
        d = r.choice([64, 128])
        out += [f"    def test_{m}_shape(self):",
                f"        m = {cls}(dim={d}, heads=4)",
                f"        x = torch.randn(2, {r.choice([16, 32, 300])}, {d})",
                "        self.assertEqual(m(x).shape, x.shape)", ""]
        if trace == "compile":
            out += [f"    def test_{m}_compiled(self):",
                    f"        m = torch.compile({cls}(dim={d}, heads=4))",
                    f"        x = torch.randn(2, 64, {d})",
                    "        self.assertEqual(m(x).shape, x.shape)", ""]
        elif trace == "export":
            out += [f"    def test_{m}_export(self):",
                    f"        m = {cls}(dim={d}, heads=4)",
                    f"        x = torch.randn(2, 64, {d})",
                    "        seq = Dim('seq', min=2, max=4096)",
                    "        ep = export(m, (x,), dynamic_shapes={'x': {1: seq}})",
                    "        self.assertIsNotNone(ep)", ""]
        elif trace == "make_fx":
            out += [f"    def test_{m}_make_fx(self):",
                    f"        m = {cls}(dim={d}, heads=4)",
                    f"        gm = make_fx(m, tracing_mode='symbolic')(torch.randn(2, 64, {d}))",
                    "        self.assertTrue(len(list(gm.graph.nodes)) > 0)", ""]
    out += ["", "if __name__ == '__main__':", "    unittest.main()", ""]
    return "\n".join(out) + "\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--packages", type=int, default=48)
    ap.add_argument("--seed", type=int, default=20260101)
    a = ap.parse_args()
    r = random.Random(a.seed)
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    files = 0
    for p in range(a.packages):
        pkg = Pkg(r, p)
        root = os.path.join(a.out, pkg.name)
        write(os.path.join(root, "__init__.py"), f'"""{pkg.name}."""\n__version__ = "0.{p}.0"\n')
        write(os.path.join(root, "utils", "__init__.py"), "")
        write(os.path.join(root, "utils", "config.py"), gen_config(r, pkg))
        write(os.path.join(root, "utils", "shapes.py"), gen_shapes(r, pkg))
        write(os.path.join(root, "utils", "registry.py"), gen_registry(r, pkg))
        write(os.path.join(root, "utils", "tensor_utils.py"), gen_tensor_utils(r, pkg))
        for u in ("logging_utils", "timers"):
            write(os.path.join(root, "utils", u + ".py"), gen_plain_util(r, pkg, u))
        write(os.path.join(root, "models", "__init__.py"), "")
        for m in pkg.models:
            write(os.path.join(root, "models", m + ".py"), gen_model(r, pkg, m, r.random() < 0.06))
        write(os.path.join(root, "lowering", "__init__.py"), "")
        write(os.path.join(root, "lowering", "ir.py"), gen_ir(r, pkg))
        for lw in pkg.lowerings:
            write(os.path.join(root, "lowering", lw + ".py"), gen_lowering(r, pkg, lw))
        for t in range(10):
            trace = r.choices(["", "compile", "export", "make_fx"], weights=[88, 5, 4, 3])[0]
            write(os.path.join(a.out, "tests", pkg.name, f"test_{t:02d}.py"), gen_test(r, pkg, t, trace))
        files += 1 + 7 + 1 + len(pkg.models) + 2 + len(pkg.lowerings) + 10
    print(f"{a.out}: {files} files")


if __name__ == "__main__":
    main()
