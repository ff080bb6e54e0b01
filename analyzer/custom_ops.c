/*
 * custom_ops.c — Inductor custom-op range dispatch (SEMANTICS.md §4).
 * Custom ops are registered with @torch.library.custom_op("ns::name") or
 * torch.library.define("ns::name", schema) and called as the decorated
 * function or torch.ops.ns.name. register_custom_op_autotuning(op, ...,
 * dispatch_on={"tensor_name", "dim"}, split_points=[...]) asks Inductor to
 * build a cond over that size; the cond survives only when the size is
 * symbolic in the compiled (or exported) graph. So each traced call of the
 * op is a "dispatch site" whose outcome per context is the dynamism of
 * tensor_name's dim there, and the registration is checked on its own
 * (CL205-CL208).
 */
#include <stdlib.h>
#include <string.h>

#include "cxx_py.h"
#include "interp.h"

typedef struct {
  const char *name;       /* "ns::name" */
  const char **params;
  bool *is_tensor;        /* per param: annotated or typed Tensor */
  bool *typed;            /* per param: the type is known */
  uint32_t nparams;
  const cl_file *file;
  cl_span span;
  cl_val *fake;           /* the register_fake kernel, computing output sizes */
} op_def;

typedef struct {
  const char *name;
  const cl_file *file;
  cl_span span;           /* the callee of the call */
  int ctx;
  cl_val **pos;
  uint32_t npos;
  const char **kwnames;
  cl_val **kw;
  uint32_t nkw;
} op_call;

typedef struct {
  const char *name;
  const cl_file *file;
  cl_span span;
  const char *tensor_name;
  int64_t dim;
  bool valid;             /* a complete range dispatch to check calls against */
} op_reg;

/* "ns::name", "torch.ops.ns.name", "torch.ops.ns.name.default" → "ns::name" */
static const char *canonical(cl_interp *I, const char *s) {
  if (!s) return NULL;
  if (strstr(s, "::")) {
    const char *dot = strchr(s, '.');
    return dot ? cl_arena_strndup(I->a, s, (size_t)(dot - s)) : s;
  }
  if (strncmp(s, "torch.ops.", 10)) return NULL;
  const char *ns = s + 10, *dot = strchr(ns, '.');
  if (!dot) return NULL;
  const char *nm = dot + 1, *end = strchr(nm, '.');
  size_t nl = end ? (size_t)(end - nm) : strlen(nm);
  return cl_arena_printf(I->a, "%.*s::%.*s", (int)(dot - ns), ns, (int)nl, nm);
}

static op_def *find_op(cl_interp *I, const char *name) {
  if (!name) return NULL;
  for (size_t i = 0; i < I->ops.n; i++) {
    op_def *d = I->ops.v[i];
    if (cl_streq(d->name, name)) return d;
  }
  return NULL;
}

static bool annotation_is_tensor(const cl_expr *a) {
  if (!a) return false;
  if (a->kind == E_NAME) return cl_streq(a->s, "Tensor");
  if (a->kind == E_ATTR) return cl_streq(a->s, "Tensor");
  return false;
}

/* A name that is not "ns::op" (canonical gave NULL) is no op PyTorch would
 * register: custom_op and define raise on it. */
static void define_from_func(cl_interp *I, const char *name, cl_func *fn, cl_span sp) {
  if (!name || find_op(I, name)) return;
  op_def *d = cl_arena_alloc(I->a, sizeof *d);
  d->name = name;
  d->nparams = fn->nparams;
  d->params = cl_arena_alloc(I->a, (fn->nparams + 1) * sizeof(char *));
  d->is_tensor = cl_arena_alloc(I->a, fn->nparams + 1);
  d->typed = cl_arena_alloc(I->a, fn->nparams + 1);
  for (uint32_t i = 0; i < fn->nparams; i++) {
    d->params[i] = fn->params[i].name;
    d->typed[i] = fn->params[i].annotation != NULL;
    d->is_tensor[i] = annotation_is_tensor(fn->params[i].annotation);
  }
  d->file = I->file;
  d->span = sp;
  cl_vec_push(&I->ops, d);
}

/* "(Tensor x, int n, SymInt[] s) -> Tensor": argument names and tensor-ness. */
static void define_from_schema(cl_interp *I, const char *name, const char *schema, cl_span sp) {
  if (!name || find_op(I, name) || !schema) return;
  const char *open = strchr(schema, '('), *close = open ? strchr(open, ')') : NULL;
  if (!open || !close) return;
  op_def *d = cl_arena_alloc(I->a, sizeof *d);
  d->name = name;
  d->params = cl_arena_alloc(I->a, 32 * sizeof(char *));
  d->is_tensor = cl_arena_alloc(I->a, 32);
  d->typed = cl_arena_alloc(I->a, 32);
  const char *p = open + 1;
  while (p < close && d->nparams < 32) {
    const char *end = memchr(p, ',', (size_t)(close - p));
    if (!end) end = close;
    /* "Tensor(a!) x=None" → type then name */
    const char *q = p;
    while (q < end && *q == ' ') q++;
    const char *tstart = q;
    while (q < end && *q != ' ') q++;
    const char *tend = q;
    while (q < end && *q == ' ') q++;
    const char *nstart = q;
    while (q < end && *q != ' ' && *q != '=') q++;
    if (q > nstart && strncmp(tstart, "*", 1)) {
      d->params[d->nparams] = cl_arena_strndup(I->a, nstart, (size_t)(q - nstart));
      d->typed[d->nparams] = true;
      d->is_tensor[d->nparams] = !strncmp(tstart, "Tensor", 6) && (tend - tstart == 6 || tstart[6] == '(' || tstart[6] == '?');
      d->nparams++;
    }
    p = end + 1;
  }
  d->file = I->file;
  d->span = sp;
  cl_vec_push(&I->ops, d);
}

static bool int_value(const cl_val *v, int64_t *out) {
  if (v && v->k == VK_INT && v->d.k == D_CONST && v->d.has_val) {
    *out = v->d.val;
    return true;
  }
  return false;
}

static cl_val *dict_get(cl_val *d, const char *key) {
  if (!d || d->k != VK_DICT) return NULL;
  for (uint32_t j = 0; j + 1 < d->n; j += 2)
    if (d->items[j]->k == VK_STR && d->items[j]->s && cl_streq(d->items[j]->s, key)) return d->items[j + 1];
  return NULL;
}

static void check_split_points(cl_interp *I, cl_val *sp, cl_span at) {
  if (sp->k != VK_LIST && sp->k != VK_TUPLE) {
    if (sp->k != VK_UNKNOWN)
      cl_record_event(I, "CL207", I->file, at, "split_points must be a non-empty list of integers",
                      "pass split_points=[512, 2048] (sorted, positive, no duplicates)");
    return;
  }
  if (sp->n == 0) {
    cl_record_event(I, "CL207", I->file, at, "split_points is empty: there is no range to dispatch on",
                    "give at least one split point");
    return;
  }
  int64_t prev = 0;
  for (uint32_t i = 0; i < sp->n; i++) {
    int64_t v;
    if (!int_value(sp->items[i], &v)) {
      if (sp->items[i]->k == VK_UNKNOWN || (sp->items[i]->k == VK_INT && sp->items[i]->d.k != D_CONST)) return;
      cl_record_event(I, "CL207", I->file, at,
                      cl_arena_printf(I->a, "split_points[%u] is not an integer", i),
                      "split points are sizes: positive integers");
      return;
    }
    if (v <= 0) {
      cl_record_event(I, "CL207", I->file, at,
                      cl_arena_printf(I->a, "split_points[%u] is %lld: split points must be positive", i, (long long)v),
                      "split points are sizes: positive integers");
      return;
    }
    if (i && v == prev) {
      cl_record_event(I, "CL207", I->file, at,
                      cl_arena_printf(I->a, "split_points repeats %lld: the range between them is empty", (long long)v),
                      "remove the duplicate split point");
      return;
    }
    if (i && v < prev) {
      cl_record_event(I, "CL207", I->file, at,
                      "split_points is not sorted: PyTorch rejects it (\"split_points must be sorted in ascending order\")",
                      "sort split_points in ascending order");
      return;
    }
    prev = v;
  }
}

static void register_autotuning(cl_interp *I, cl_args *args) {
  cl_val *op = cl_arg(args, 0, "custom_op");
  cl_val *don = cl_arg(args, -1, "dispatch_on");
  cl_val *sp = cl_arg(args, -1, "split_points");
  cl_span at = args->call ? args->call->span : (cl_span){0};
  const char *name = NULL;
  if (op && op->k == VK_OBJ && op->obj->kind == OBJ_CUSTOMOP) name = op->obj->opname;
  else if (op && op->k == VK_EXTERN) name = canonical(I, op->s);
  bool has_don = don && don->k != VK_NONE, has_sp = sp && sp->k != VK_NONE;
  if (!has_don && !has_sp) return; /* plain autotuning: no range dispatch */
  if (has_don != has_sp) {
    cl_record_event(I, "CL208", I->file, at,
                    has_don ? "dispatch_on without split_points: PyTorch requires both for range-based autotuning"
                            : "split_points without dispatch_on: PyTorch requires both for range-based autotuning",
                    has_don ? "add split_points=[...] with the range boundaries"
                            : "add dispatch_on={\"tensor_name\": ..., \"dim\": ...}");
    return;
  }
  check_split_points(I, sp, at);
  if (don->k != VK_DICT) {
    if (don->k != VK_UNKNOWN)
      cl_record_event(I, "CL208", I->file, at,
                      "dispatch_on must be a dict with 'tensor_name' and 'dim' keys",
                      "pass dispatch_on={\"tensor_name\": \"x\", \"dim\": 1}");
    return;
  }
  cl_val *tn = dict_get(don, "tensor_name"), *dim = dict_get(don, "dim");
  if (!tn || !dim) {
    cl_record_event(I, "CL208", I->file, at,
                    cl_arena_printf(I->a, "dispatch_on lacks the '%s' key", !tn ? "tensor_name" : "dim"),
                    "pass dispatch_on={\"tensor_name\": \"x\", \"dim\": 1}");
    return;
  }
  op_reg *r = cl_arena_alloc(I->a, sizeof *r);
  r->name = name;
  r->file = I->file;
  r->span = at;
  r->tensor_name = tn->k == VK_STR ? tn->s : NULL;
  r->valid = r->tensor_name && int_value(dim, &r->dim) && name;
  if (tn->k != VK_STR && tn->k != VK_UNKNOWN)
    cl_record_event(I, "CL205", I->file, at, "dispatch_on['tensor_name'] must be the name of a tensor parameter (a string)",
                    "name the op's tensor parameter, e.g. \"x\"");
  cl_vec_push(&I->regs, r);
}

cl_val *cl_customop_call(cl_interp *I, const char *tail, const char *full, cl_args *args,
                         bool *handled) {
  *handled = true;
  if (cl_streq(tail, "custom_op") && full && strstr(full, "library")) {
    cl_val *nm = cl_arg(args, 0, "name");
    cl_val *fn = cl_arg(args, -1, "fn");
    cl_val *f = cl_v_obj(I, OBJ_CUSTOMOP_FACTORY);
    f->obj->opname = nm && nm->k == VK_STR ? nm->s : NULL;
    f->obj->span = args->call ? args->call->span : (cl_span){0};
    if (fn && fn->k == VK_FUNC) { /* custom_op("ns::op", fn, mutates_args=()) */
      cl_args a = {0};
      a.pos = &fn;
      a.npos = 1;
      bool h;
      return cl_customop_invoke(I, f, &a, &h);
    }
    return f;
  }
  if (cl_streq(tail, "define") && full && strstr(full, "library")) {
    cl_val *nm = cl_arg(args, 0, "qualname"), *schema = cl_arg(args, 1, "schema");
    if (nm && nm->k == VK_STR && nm->s && schema && schema->k == VK_STR)
      define_from_schema(I, canonical(I, nm->s), schema->s, args->call ? args->call->span : (cl_span){0});
    return cl_v_none(I);
  }
  if ((cl_streq(tail, "register_fake") || cl_streq(tail, "impl_abstract")) && full && strstr(full, "library")) {
    cl_val *nm = cl_arg(args, 0, "op");
    cl_val *d = cl_v_obj(I, OBJ_FAKEDECO);
    d->obj->opname = nm && nm->k == VK_STR ? canonical(I, nm->s) : nm && nm->k == VK_OBJ ? nm->obj->opname : NULL;
    cl_val *fn = cl_arg(args, 1, "func");
    if (fn) {
      cl_args a = {0};
      a.pos = &fn;
      a.npos = 1;
      bool h;
      return cl_customop_invoke(I, d, &a, &h);
    }
    return d;
  }
  if (cl_streq(tail, "register_custom_op_autotuning")) {
    if (I->mode == MODE_HOST) register_autotuning(I, args);
    return cl_v_none(I);
  }
  *handled = false;
  return NULL;
}

cl_val *cl_customop_attr(cl_interp *I, cl_val *op, const char *name) {
  if (cl_streq(name, "register_fake") || cl_streq(name, "register_abstract")) {
    cl_val *d = cl_v_obj(I, OBJ_FAKEDECO);
    d->obj->opname = op->obj->opname;
    return d;
  }
  cl_val *v = cl_obj_get(op, name);
  return v ? v : cl_v_unknown(I);
}

cl_val *cl_customop_invoke(cl_interp *I, cl_val *callee, cl_args *args, bool *handled) {
  *handled = true;
  if (callee->k == VK_OBJ && callee->obj->kind == OBJ_FAKEDECO) {
    cl_val *fn = cl_arg(args, 0, NULL);
    op_def *d = find_op(I, callee->obj->opname);
    if (d && fn && (fn->k == VK_FUNC || fn->k == VK_BOUND)) d->fake = fn;
    return fn ? fn : cl_v_unknown(I);
  }
  if (callee->k == VK_OBJ && callee->obj->kind == OBJ_CUSTOMOP_FACTORY) {
    /* @custom_op("ns::op") applied to the function */
    cl_val *fn = cl_arg(args, 0, NULL);
    if (!fn || fn->k != VK_FUNC || !callee->obj->opname) return cl_v_unknown(I);
    const char *name = canonical(I, callee->obj->opname);
    define_from_func(I, name, fn->func, fn->func->name_span);
    cl_val *op = cl_v_obj(I, OBJ_CUSTOMOP);
    op->obj->opname = name;
    op->obj->target = fn;
    return op;
  }
  const char *name = callee->k == VK_OBJ ? callee->obj->opname : canonical(I, callee->s);
  if (!name) {
    *handled = false;
    return NULL;
  }
  if (I->mode == MODE_TRACED && args->call) {
    op_call *c = cl_arena_alloc(I->a, sizeof *c);
    c->name = name;
    c->file = I->file;
    c->span = args->call->kids[0]->span;
    c->ctx = I->ctx;
    c->pos = args->pos;
    c->npos = args->npos;
    c->kwnames = args->kwnames;
    c->kw = args->kw;
    c->nkw = args->nkw;
    cl_vec_push(&I->opcalls, c);
    cl_cxx_op_call(I, name, args); /* CL302: a size fed to a C++ int argument */
  }
  /* the op's output: its sizes come from the fake kernel when there is one */
  op_def *d = find_op(I, name);
  if (d && d->fake && I->mode == MODE_TRACED) {
    cl_val *r = cl_call_value(I, d->fake, args);
    if (r->k == VK_TENSOR || r->k == VK_TUPLE) return r;
  }
  /* a C++ Meta kernel that reads sizes as ints makes the output concrete */
  return cl_cxx_op_result(I, name, args);
}

static cl_val *call_arg(op_call *c, op_def *d, const char *pname) {
  for (uint32_t i = 0; i < c->nkw; i++)
    if (cl_streq(c->kwnames[i], pname)) return c->kw[i];
  if (!d) return NULL;
  for (uint32_t i = 0; i < d->nparams && i < c->npos; i++)
    if (cl_streq(d->params[i], pname)) return c->pos[i];
  return NULL;
}

static cl_site *dispatch_site(cl_interp *I, op_call *c, op_reg *r) {
  for (size_t i = 0; i < I->facts->dispatch.n; i++) {
    cl_site *s = I->facts->dispatch.v[i];
    if (s->file == c->file && s->callee.start == c->span.start) return s;
  }
  cl_site *s = cl_arena_alloc(I->a, sizeof *s);
  s->file = c->file;
  s->callee = c->span;
  s->op = r->name;
  s->reg_file = r->file;
  s->reg_span = r->span;
  s->dispatch = cl_arena_printf(I->a, "%s.shape[%lld]", r->tensor_name, (long long)r->dim);
  cl_vec_push(&I->facts->dispatch, s);
  return s;
}

void cl_customop_finish(cl_interp *I) {
  for (size_t ri = 0; ri < I->regs.n; ri++) {
    op_reg *r = I->regs.v[ri];
    if (!r->valid) continue;
    op_def *d = find_op(I, r->name);
    if (d) {
      int idx = -1;
      for (uint32_t i = 0; i < d->nparams; i++)
        if (cl_streq(d->params[i], r->tensor_name)) idx = (int)i;
      if (idx < 0 || (d->typed[idx] && !d->is_tensor[idx])) {
        cl_record_event(I, "CL205", r->file, r->span,
                        idx < 0 ? cl_arena_printf(I->a, "dispatch_on names `%s`, which is not a parameter of %s", r->tensor_name, r->name)
                                : cl_arena_printf(I->a, "dispatch_on names `%s`, which is not a tensor parameter of %s", r->tensor_name, r->name),
                        "name a Tensor parameter of the op in dispatch_on['tensor_name']");
        continue;
      }
    }
    bool rank_reported = false;
    for (size_t ci = 0; ci < I->opcalls.n; ci++) {
      op_call *c = I->opcalls.v[ci];
      if (strcmp(c->name, r->name)) continue;
      cl_val *t = call_arg(c, d, r->tensor_name);
      if (!t || t->k != VK_TENSOR) continue;
      if (t->rank >= 0 && (r->dim >= t->rank || r->dim < -t->rank)) {
        if (!rank_reported)
          cl_record_event(I, "CL206", r->file, r->span,
                          cl_arena_printf(I->a, "dispatch_on names dim %lld of `%s`, which has %d dims where %s is called",
                                          (long long)r->dim, r->tensor_name, t->rank, r->name),
                          "name the dim that holds the size to dispatch on, counting from 0");
        rank_reported = true;
        continue;
      }
      const cl_context *ctx = I->facts->contexts.v[c->ctx];
      if (ctx->kind != CTX_COMPILE && ctx->kind != CTX_EXPORT) continue; /* Inductor never sees it */
      cl_dim dim = cl_dim_of(t, (int)r->dim);
      cl_pred pred = dim.k == D_CONST ? PRED_CONST : dim.k == D_SYM ? PRED_SYM : PRED_UNKNOWN;
      const cl_origin *why = dim.why;
      if (pred == PRED_CONST)
        why = cl_origin_new(I, c->file, c->span,
                            cl_arena_printf(I->a, "%s's range dispatch reads %s, a plain int here: Inductor inlines the best implementation for this one size",
                                            r->name, cl_arena_printf(I->a, "%s.shape[%lld]", r->tensor_name, (long long)r->dim)),
                            NULL, dim.why);
      cl_site_record(dispatch_site(I, c, r), c->ctx, pred, why, true);
    }
  }
}
