/*
 * CL303 composite-kernel-branches-on-size
 *
 * ## What it does
 * Flags an `if`, `?:` or `switch` in a C++ kernel that tracing runs through
 * — a `CompositeImplicitAutograd` kernel (also what `m.def(schema, fn)` and
 * `m.impl(name, fn)` in a `TORCH_LIBRARY` block register) or an `Autograd`
 * one — whose condition reads a size of an input tensor: `x.sym_size(1) <=
 * 512`, `x.size(1) > n ? a : b`, or a variable computed from a size.
 * Checks that only fail (`TORCH_CHECK`, a `throw`) and tests against 0 or 1
 * are not flagged.
 *
 * ## Why it matters
 * A C++ `if` is not a `torch.cond`: comparing a SymInt guards and returns a
 * plain `bool`. Seen with PyTorch 2.11 (t/corpus/cxx_*): `make_fx` does not
 * record such an op as one node, it runs the kernel and records the ops of
 * the branch the example input takes, so the dispatch is lost from the
 * graph (CompositeImplicitAutograd, catch-all and Autograd kernels alike).
 * `torch.export` keeps a custom op whole, but still runs the kernel on fake
 * tensors: the comparison's guard makes the export fail ("Constraints
 * violated") unless the `Dim`'s range implies it.
 *
 * ## Example
 * ```cpp
 * at::Tensor attn(const at::Tensor& x) {
 *   if (x.sym_size(1) <= 512) return attn_small(x);
 *   return attn_large(x);
 * }
 * TORCH_LIBRARY_IMPL(myops, CompositeImplicitAutograd, m) { m.impl("attn", attn); }
 * ```
 *
 * ## Use instead
 * Keep the op opaque to tracing: register a Meta kernel and backend kernels
 * (CPU, CUDA) so that it stays one node and dispatches at run time; or make
 * the two implementations separate ops and dispatch in Python:
 * ```python
 * torch.cond(x.shape[1] <= 512, torch.ops.myops.attn_small, torch.ops.myops.attn_large, (x,))
 * ```
 */
#include "cxx.h"
#include "rule.h"

void cl_rule_CL303(condlint_session *s, const cl_facts *facts) {
  (void)facts;
  const cl_vec *ks = cl_cxx_kernels(s);
  cl_vec seen = {0};
  for (size_t i = 0; i < ks->n; i++) {
    const cl_cxx_kernel *k = ks->v[i];
    if (k->cls != CXX_KEY_CIA && k->cls != CXX_KEY_AUTOGRAD) continue;
    for (uint32_t b = 0; b < k->nbranches; b++) {
      const cl_cxx_branch *br = &k->branches[b];
      bool dup = false;
      for (size_t j = 0; j + 1 < seen.n; j += 2) {
        const cl_cxx_kernel *sk = seen.v[j];
        const cl_cxx_branch *sb = seen.v[j + 1];
        if (sk->file == k->file && sb->span.start == br->span.start) dup = true;
      }
      if (dup) continue;
      cl_vec_push(&seen, (void *)k);
      cl_vec_push(&seen, (void *)br);
      const char *key = *k->key ? k->key : "CompositeImplicitAutograd (catch-all)";
      char *via = br->read.via ? cl_xasprintf(" (in `%s`, which it calls)", br->read.via) : cl_xstrdup("");
      char *msg = cl_xasprintf(
          "the %s kernel of %s branches on a size (`%s`)%s: make_fx runs this C++ code and keeps "
          "only the branch the example input takes (the dispatch is lost), and torch.export fails "
          "(\"Constraints violated\") unless the Dim's range implies the condition",
          key, k->op, br->cond_text, via);
      condlint_diag *d = cl_emit(s, "CL303", k->file, br->span, msg,
                                 "register a Meta kernel and backend kernels so that the op stays "
                                 "one node, or dispatch in Python with torch.cond over two ops");
      char *rel = cl_xasprintf("`%s` reads the size here", br->read.text);
      cl_diag_add_related(s, d, k->file, br->read.span, rel);
      free(rel);
      rel = cl_xasprintf("`%s` is registered as the %s kernel of %s here", k->fn, key, k->op);
      cl_diag_add_related(s, d, k->file, k->reg, rel);
      free(rel);
      free(msg);
      free(via);
    }
  }
  cl_vec_free(&seen);
}
