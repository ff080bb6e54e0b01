/*
 * cxx_py.c — the Python side of the C++ custom ops (see cxx_py.h): checks a
 * traced torch.ops.ns.op call against the op's C++ schema (CL302), and gives
 * the output of an op whose Meta kernel concretizes sizes concrete dims.
 */
#include <string.h>

#include "cxx_py.h"

/* The expression of the i-th positional argument, or of keyword `name`. */
static const cl_expr *arg_expr(const cl_args *args, int pos, const char *name) {
  const cl_expr *call = args->call;
  if (!call) return NULL;
  int k = 0;
  for (uint32_t i = 1; i < call->nkids; i++) {
    const cl_expr *e = call->kids[i];
    if (e->kind == E_KEYWORD) {
      if (name && e->s && !strcmp(e->s, name)) return e->kids[0];
    } else if (e->kind == E_STARRED || e->kind == E_DSTARRED) {
      return NULL; /* positions are unknown past a *args */
    } else if (k++ == pos) {
      return e;
    }
  }
  return NULL;
}

/* A symbolic size in v: an int, or an item of a list, tuple or torch.Size. */
static const cl_dim *symbolic_size(const cl_val *v) {
  if (!v) return NULL;
  switch (v->k) {
  case VK_INT:
    return v->d.k == D_SYM ? &v->d : NULL;
  case VK_TUPLE:
  case VK_LIST:
    for (uint32_t i = 0; i < v->n; i++)
      if (v->items[i] && v->items[i]->k == VK_INT && v->items[i]->d.k == D_SYM) return &v->items[i]->d;
    return NULL;
  case VK_SIZE:
    if (v->rank < 0) return v->dflt.k == D_SYM ? &v->dflt : NULL;
    for (int i = 0; i < v->rank; i++)
      if (v->dims[i].k == D_SYM) return &v->dims[i];
    return NULL;
  default:
    return NULL;
  }
}

void cl_cxx_op_call(cl_interp *I, const char *name, const cl_args *args) {
  if (I->mode != MODE_TRACED || !name || !args) return;
  const cl_cxx_op *op = cl_cxx_find_op(I->s, name);
  if (!op) return;
  const cl_context *ctx = I->ctx >= 0 && (size_t)I->ctx < I->facts->contexts.n ? I->facts->contexts.v[I->ctx] : NULL;
  int pos = 0;
  for (uint32_t i = 0; i < op->schema.nargs; i++) {
    const cl_schema_arg *a = &op->schema.args[i];
    int my_pos = a->kwarg_only ? -1 : pos++;
    if (a->base != CL_ST_INT) continue;
    const cl_val *v = NULL;
    for (uint32_t k = 0; k < args->nkw; k++)
      if (!strcmp(args->kwnames[k], a->name)) v = args->kw[k];
    if (!v && my_pos >= 0 && (uint32_t)my_pos < args->npos) v = args->pos[my_pos];
    if (!symbolic_size(v)) continue;
    const cl_expr *e = arg_expr(args, my_pos, a->name);
    const char *text = e && e->span.end > e->span.start && I->file
                           ? cl_arena_strndup(I->a, I->file->bytes + e->span.start, e->span.end - e->span.start)
                           : "a size";
    bool is_export = ctx && ctx->kind == CTX_EXPORT;
    const char *msg = cl_arena_printf(
        I->a,
        "schema argument `%s %s` of %s is typed %s, and a traced call feeds it `%s`, a symbolic size: "
        "the dispatcher turns it into a plain int64 with a guard, specializing the size%s",
        a->type, a->name, op->name, a->is_list ? "int[] (not SymInt[])" : "int (not SymInt)", text,
        is_export ? " (torch.export with a Dim on it fails: \"Constraints violated\")"
                  : " to the example's value");
    const char *fix = cl_arena_printf(I->a, "declare it `%s %s` in the schema and take %s in the kernels",
                                      a->is_list ? "SymInt[]" : "SymInt", a->name,
                                      a->is_list ? "c10::SymIntArrayRef" : "c10::SymInt");
    size_t before = I->facts->events.n;
    cl_record_event(I, "CL302", op->file, op->arg_spans[i], msg, fix);
    cl_event *ev = NULL;
    if (I->facts->events.n > before) {
      ev = I->facts->events.v[I->facts->events.n - 1];
    } else if (is_export) {
      /* already reported from another context: an export says more */
      for (size_t k = 0; k < I->facts->events.n; k++) {
        cl_event *x = I->facts->events.v[k];
        if (x->file == op->file && x->span.start == op->arg_spans[i].start && !strcmp(x->code, "CL302") &&
            !strstr(x->message, "Constraints violated"))
          ev = x;
      }
      if (ev) ev->message = msg;
    }
    if (ev && e) {
      ev->rel_file = I->file;
      ev->rel_span = e->span;
      ev->rel_message = cl_arena_printf(I->a, "`%s` is symbolic here, under %s", text, ctx ? ctx->desc : "tracing");
    }
  }
}

/* Does a tensor argument have a symbolic dim? */
static bool symbolic_tensor_arg(const cl_args *args) {
  for (uint32_t i = 0; args && i < args->npos + args->nkw; i++) {
    const cl_val *v = i < args->npos ? args->pos[i] : args->kw[i - args->npos];
    if (!v || v->k != VK_TENSOR) continue;
    if (v->rank < 0 ? v->dflt.k == D_SYM : false) return true;
    for (int d = 0; d < v->rank; d++)
      if (v->dims[d].k == D_SYM) return true;
  }
  return false;
}

cl_val *cl_cxx_op_result(cl_interp *I, const char *name, const cl_args *args) {
  const cl_cxx_kernel *k = NULL;
  const cl_cxx_read *rd = name && I->mode == MODE_TRACED && symbolic_tensor_arg(args)
                              ? cl_cxx_meta_concrete(I->s, name, &k)
                              : NULL;
  cl_val *t = cl_v_tensor(I, -1);
  if (!rd) return t;
  /* the kernel specializes the symbolic sizes it reads: export fails on it
   * ("Constraints violated"), make_fx gets plain ints (t/corpus/cxx_001, 003) */
  cl_origin *why = (cl_origin *)cl_origin_new(
      I, k->file, rd->span,
      cl_arena_printf(I->a, "the %s kernel of %s reads `%s` as a plain int: the op's output sizes are concrete",
                      k->key, k->op, rd->text),
      "use the sym_* size APIs in the C++ kernel (sym_size, sym_sizes, sym_numel) and at::empty_symint", NULL);
  why->specialized = true;
  t->dflt = cl_dim_const(0, false, why);
  return t;
}
