/*
 * tracing.c — the tracing contexts (SEMANTICS.md §2) and the cond sites.
 * An entry point turns host tensors into traced ones with the dynamism of its
 * context — make_fx by tracing_mode, torch.export by dynamic_shapes,
 * torch.compile by dynamic= and mark_dynamic/mark_static, FakeTensorMode by
 * its ShapeEnv, from_tensor and StatelessSymbolicContext — then interprets
 * the traced function. A torch.cond met in a traced context records the
 * abstract value of its predicate (CONST folds; SYM and TENSOR are kept).
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "interp.h"

/* ---- contexts and events -------------------------------------------------- */

int cl_context_new(cl_interp *I, const char *desc, const cl_file *f, cl_span sp, int kind) {
  for (size_t i = 0; i < I->facts->contexts.n; i++) {
    cl_context *c = I->facts->contexts.v[i];
    if (c->file == f && c->span.start == sp.start && c->span.end == sp.end &&
        cl_streq(c->desc, desc))
      return (int)i;
  }
  cl_context *c = cl_arena_alloc(I->perm, sizeof *c); /* the facts outlive the root */
  c->desc = cl_str_persist(I, desc);
  c->file = f;
  c->span = sp;
  c->kind = (cl_ctxkind)kind;
  cl_vec_push(&I->facts->contexts, c);
  return (int)I->facts->contexts.n - 1;
}

void cl_record_event(cl_interp *I, const char *code, const cl_file *f, cl_span sp, const char *msg,
              const char *fix) {
  for (size_t i = 0; i < I->facts->events.n; i++) {
    cl_event *e = I->facts->events.v[i];
    if (e->file == f && e->span.start == sp.start && cl_streq(e->code, code)) return;
  }
  cl_event *e = cl_arena_alloc(I->perm, sizeof *e);
  e->code = cl_str_persist(I, code);
  e->file = f;
  e->span = sp;
  e->message = cl_str_persist(I, msg);
  e->fix = cl_str_persist(I, fix);
  cl_vec_push(&I->facts->events, e);
}

static cl_span call_span(cl_args *a) { return a && a->call ? a->call->span : (cl_span){0}; }

static const char *target_name(cl_interp *I, cl_val *t) {
  if (!t) return "?";
  if (t->k == VK_FUNC || t->k == VK_BOUND) return t->func->name;
  if (t->k == VK_INST && t->cls) return cl_arena_printf(I->a, "%s()", t->cls->name);
  return "?";
}

/* ---- turning host values into traced ones ---------------------------------- */

typedef enum { POL_CONCRETE, POL_SYMBOLIC, POL_PERDIM } policy_kind;

typedef struct {
  policy_kind kind;
  const cl_origin *why;   /* CONCRETE: why every size is concrete; SYMBOLIC: why symbolic */
  /* PERDIM: decide(dim) */
  cl_dim (*decide)(cl_interp *I, void *ud, int arg, const char *pname, const cl_val *t, int d);
  void *ud;
  /* PERDIM: a Python int argument (NULL: a constant) */
  cl_dim (*decide_int)(cl_interp *I, void *ud, int arg, const char *pname, const cl_val *v);
} policy;

int cl_context_kind(cl_interp *I) {
  if (I->mode != MODE_TRACED || I->ctx < 0 || (size_t)I->ctx >= I->facts->contexts.n) return -1;
  return (int)((cl_context *)I->facts->contexts.v[I->ctx])->kind;
}

static cl_dim zero_one(cl_interp *I, const cl_dim *src, int d, cl_span sp) {
  const char *why = cl_arena_printf(I->a,
                                    "the example size %lld at dim %d is specialized: sizes 0 "
                                    "and 1 are never symbolic",
                                    (long long)src->val, d);
  const char *fix = cl_arena_printf(I->a, "use an example input whose size at dim %d is at least 2", d);
  return cl_dim_const(src->val, true, cl_origin_new(I, I->file, sp, why, fix, NULL));
}

static cl_dim make_sym(cl_interp *I, const cl_dim *src, int d, const cl_origin *why, cl_span sp) {
  if (src->k != D_SYM && src->has_val && (src->val == 0 || src->val == 1))
    return zero_one(I, src, d, sp);
  cl_dim r = {.k = D_SYM, .has_val = src->has_val, .val = src->val, .why = why, .sym = ++I->next_sym};
  if (src->k == D_SYM) {
    r.has_min = src->has_min;
    r.min = src->min;
    r.sym = src->sym;
  }
  return r;
}

static cl_val *trace_value(cl_interp *I, cl_val *v, policy *p, int arg, const char *pname,
                           cl_span sp, int depth) {
  if (!v || depth > 4) return v;
  if (v->k == VK_TENSOR) {
    if (v->fake && !v->param) return v; /* fakes keep their sizes */
    cl_val *t = cl_v_tensor_like(I, v);
    t->obj = v->obj;
    t->maybe_scalar = v->maybe_scalar;
    t->fake = true;
    int n = v->rank < 0 ? 0 : v->rank;
    for (int d = 0; d <= n; d++) {
      bool is_dflt = d == n;
      if (is_dflt && v->rank >= 0) break;
      const cl_dim *src = is_dflt ? &v->dflt : &v->dims[d];
      cl_dim out;
      if (v->param) {
        out = cl_dim_const(src->val, src->has_val,
                           cl_origin_new(I, I->file, sp,
                                         "an nn.Parameter or buffer: its sizes are always concrete",
                                         "dispatch on a size of an input, not of a weight", NULL));
      } else if (p->kind == POL_CONCRETE) {
        out = cl_dim_const(src->val, src->has_val, p->why);
      } else if (p->kind == POL_SYMBOLIC) {
        out = make_sym(I, src, d, p->why, sp);
      } else {
        out = p->decide(I, p->ud, arg, pname, v, is_dflt ? -1 : d);
      }
      if (is_dflt) t->dflt = out;
      else t->dims[d] = out;
    }
    return t;
  }
  if (v->k == VK_TUPLE || v->k == VK_LIST) {
    cl_val *t = cl_v_tuple(I, v->k, v->n);
    for (uint32_t i = 0; i < v->n; i++) t->items[i] = trace_value(I, v->items[i], p, arg, pname, sp, depth + 1);
    return t;
  }
  if (v->k == VK_DICT) {
    cl_val *t = cl_v_tuple(I, VK_DICT, v->n);
    for (uint32_t i = 0; i < v->n; i++)
      t->items[i] = i % 2 ? trace_value(I, v->items[i], p, arg, pname, sp, depth + 1) : v->items[i];
    return t;
  }
  if (v->k == VK_INT && v->d.k == D_CONST && v->d.has_val && !v->reads_size) {
    /* a Python int argument: symbolic under symbolic tracing, else a constant */
    if (p->kind == POL_SYMBOLIC) {
      if (v->d.val == 0 || v->d.val == 1) return v;
      cl_dim d = {.k = D_SYM, .has_val = true, .val = v->d.val, .why = p->why, .sym = ++I->next_sym};
      return cl_v_scalar(I, VK_INT, d, true, false);
    }
    if (p->kind == POL_PERDIM && p->decide_int)
      return cl_v_scalar(I, VK_INT, p->decide_int(I, p->ud, arg, pname, v), true, false);
    return v;
  }
  return v;
}

/* Parameter names of what is traced (without self). */
static const char *param_name(cl_val *target, int i) {
  cl_func *fn = NULL;
  int skip = 0;
  if (target && (target->k == VK_FUNC || target->k == VK_BOUND)) {
    fn = target->func;
    skip = target->k == VK_BOUND ? 1 : 0;
  }
  if (target && target->k == VK_INST) {
    cl_val *fwd = cl_obj_get(target, "__class__");
    (void)fwd;
  }
  if (!fn || i + skip >= (int)fn->nparams) return NULL;
  return fn->params[i + skip].name;
}

static cl_val *resolve_forward(cl_interp *I, cl_val *target) {
  if (target && target->k == VK_INST) {
    cl_val *f = cl_get_attr(I, target, "forward", NULL);
    if (f->k == VK_BOUND) return f;
  }
  return target;
}

/* Run the traced function in a new context. */
static cl_val *run_traced(cl_interp *I, cl_val *target, cl_args *args, int ctx, bool dynamo) {
  cl_mode saved_mode = I->mode;
  int saved_ctx = I->ctx;
  bool saved_dynamo = I->dynamo;
  cl_val *saved_active = I->active_mode;
  I->mode = MODE_TRACED;
  I->ctx = ctx;
  I->dynamo = dynamo;
  cl_val *r = cl_call_value(I, target, args);
  I->mode = saved_mode;
  I->ctx = saved_ctx;
  I->dynamo = saved_dynamo;
  I->active_mode = saved_active;
  return r;
}

void cl_context_fail(cl_interp *I, const cl_file *f, cl_span sp, const char *why, const char *fix) {
  if (I->mode != MODE_TRACED) return;
  cl_context *c = I->facts->contexts.v[I->ctx];
  if (!c->failed) cl_record_event(I, "CL209", f, sp, why, fix);
  c->failed = true;
}

static cl_args traced_args(cl_interp *I, cl_args *in, policy *p, cl_val *fwd, cl_span sp) {
  cl_args out = *in;
  out.pos = cl_arena_alloc(I->a, (in->npos + 1) * sizeof(cl_val *));
  out.kw = cl_arena_alloc(I->a, (in->nkw + 1) * sizeof(cl_val *));
  for (uint32_t i = 0; i < in->npos; i++)
    out.pos[i] = trace_value(I, in->pos[i], p, (int)i, param_name(fwd, (int)i), sp, 0);
  for (uint32_t i = 0; i < in->nkw; i++)
    out.kw[i] = trace_value(I, in->kw[i], p, -1, in->kwnames[i], sp, 0);
  return out;
}

/* ---- make_fx ------------------------------------------------------------- */

static cl_val *make_fx_call(cl_interp *I, cl_val *tracer, cl_args *args) {
  cl_obj *o = tracer->obj;
  const char *mode = o->mode ? o->mode : "real";
  cl_val *fwd = resolve_forward(I, o->target);
  const char *desc = cl_arena_printf(I->a, "make_fx(%s) with tracing_mode='%s'",
                                     target_name(I, o->target), mode);
  int ctx = cl_context_new(I, desc, o->file, o->span, CTX_MAKEFX);
  policy p = {0};
  if (cl_streq(mode, "symbolic")) {
    p.kind = POL_SYMBOLIC;
    p.why = cl_origin_new(I, o->file, o->span, "make_fx traces with tracing_mode='symbolic'", NULL, NULL);
  } else {
    p.kind = POL_CONCRETE;
    p.why = cl_origin_new(
        I, o->file, o->span,
        cl_arena_printf(I->a, "make_fx traces with tracing_mode='%s': every size is a plain int", mode),
        "pass tracing_mode=\"symbolic\" to make_fx", NULL);
    cl_origin_fixspec(I, p.why, FIX_TRACING_MODE, o->file, o->expr, NULL, 0, NULL);
  }
  if (cl_streq(mode, "symbolic"))
    for (uint32_t i = 0; i < args->npos; i++)
      if (args->pos[i]->k == VK_TENSOR && args->pos[i]->plain_fake) {
        int saved = I->ctx;
        cl_mode sm = I->mode;
        I->ctx = ctx;
        I->mode = MODE_TRACED;
        cl_context_fail(I, o->file, o->span,
                        "make_fx(tracing_mode='symbolic') raises on fakes of a FakeTensorMode without a "
                        "ShapeEnv (\"shape_env should be set if tracing with 'symbolic'\")",
                        "create the fakes under FakeTensorMode(shape_env=ShapeEnv())");
        I->ctx = saved;
        I->mode = sm;
        return cl_v_unknown(I);
      }
  cl_args ta = traced_args(I, args, &p, fwd, o->span);
  return run_traced(I, fwd, &ta, ctx, false);
}

/* ---- torch.compile -------------------------------------------------------- */

typedef struct {
  cl_obj *marks_src;
  int dynamic;
  cl_span sp;
  const cl_expr *call;
  const cl_file *file;
  const char *name;
  cl_obj *compiled;
  bool recompile;
} compile_ud;

static cl_dim compile_decide(cl_interp *I, void *ud, int arg, const char *pname, const cl_val *t,
                             int d) {
  compile_ud *c = ud;
  const cl_dim *src = d < 0 ? &t->dflt : &t->dims[d];
  cl_obj *marks = t->obj;
  const char *nm = pname ? pname : "the argument";
  if (d >= 0 && d < 16 && marks && marks->marks) {
    if (marks->marks->mark[d] == 2)
      return cl_dim_const(src->val, src->has_val,
                          cl_origin_new(I, marks->file, marks->marks->why[d] ? marks->marks->why[d]->span : c->sp,
                                        cl_arena_printf(I->a, "mark_static makes dim %d of `%s` a plain int", d, nm),
                                        "remove the mark_static call for that dim", NULL));
    if (marks->marks->mark[d] == 1)
      return make_sym(I, src, d, cl_origin_new(I, c->file, c->sp, "marked dynamic", NULL, NULL), c->sp);
  }
  if (c->dynamic == 1 || (c->dynamic == -1 && !I->assume_static))
    return make_sym(I, src, d, cl_origin_new(I, c->file, c->sp, "torch.compile(dynamic=True)", NULL, NULL), c->sp);
  const cl_firstcall *fc = c->recompile ? c->compiled->first : NULL;
  if (fc && d >= 0 && arg >= 0 && arg < 8 && d < 8 && fc->rank[arg] > d && src->has_val && fc->first[arg][d] != src->val)
    return make_sym(I, src, d, cl_origin_new(I, c->file, c->sp, "automatic dynamic after a recompile", NULL, NULL), c->sp);
  const char *why = c->dynamic == 0
      ? cl_arena_printf(I->a, "torch.compile(dynamic=False) compiles dim %d of `%s` as a plain int", d < 0 ? 0 : d, nm)
      : cl_arena_printf(I->a, "the first call of the compiled %s compiles with the example's sizes as plain ints (dynamic=None, no mark_dynamic on dim %d of `%s`)",
                        c->name, d < 0 ? 0 : d, nm);
  const char *fix = cl_arena_printf(I->a,
      "call torch._dynamo.mark_dynamic(%s, %d) before the first call, or compile with dynamic=True",
      pname ? pname : "x", d < 0 ? 0 : d);
  const cl_origin *o = cl_origin_new(I, c->file, c->sp, why, fix, NULL);
  if (c->call && arg >= 0 && (uint32_t)arg + 1 < c->call->nkids && d >= 0) {
    const cl_expr *ae = c->call->kids[arg + 1];
    if (ae->kind != E_KEYWORD && ae->kind != E_STARRED)
      cl_origin_fixspec(I, o, FIX_MARK_DYNAMIC, c->file, c->call, ae, d, NULL);
  }
  return cl_dim_const(src->val, src->has_val, o);
}

static cl_dim compile_decide_int(cl_interp *I, void *ud, int arg, const char *pname,
                                 const cl_val *v) {
  compile_ud *c = ud;
  int64_t val = v->d.val;
  const char *nm = pname ? pname : "the argument";
  if (val != 0 && val != 1) {
    if (c->dynamic == 1 || (c->dynamic == -1 && !I->assume_static))
      return (cl_dim){.k = D_SYM, .has_val = true, .val = val, .why = cl_origin_new(I, c->file, c->sp, "dynamic=True", NULL, NULL), .sym = ++I->next_sym};
    const cl_firstcall *fc = c->recompile ? c->compiled->first : NULL;
    if (fc && arg >= 0 && arg < 8 && fc->rank[arg] == -2 && fc->first[arg][0] != val)
      return (cl_dim){.k = D_SYM, .has_val = true, .val = val, .why = cl_origin_new(I, c->file, c->sp, "automatic dynamic", NULL, NULL), .sym = ++I->next_sym};
  }
  return cl_dim_const(val, true,
                      cl_origin_new(I, c->file, c->sp,
                                    cl_arena_printf(I->a, "torch.compile specializes the int argument `%s` to its value %lld on this compile", nm, (long long)val),
                                    "compile with dynamic=True, or pass the size as a tensor dim", NULL));
}

static cl_val *compiled_call(cl_interp *I, cl_val *target, int dynamic, cl_obj *state,
                             cl_args *args) {
  cl_val *fwd = resolve_forward(I, target);
  compile_ud ud = {0};
  ud.dynamic = dynamic;
  ud.sp = call_span(args);
  ud.call = args->call;
  ud.file = I->file;
  ud.name = target_name(I, target);
  ud.compiled = state;
  bool later = state && state->ncalls > 0;
  ud.recompile = later && dynamic == -1 && I->auto_dynamic;
  if (later) {
    /* a recompile happens only when some size differs from the first call
     * (none recorded: a decorated method first reached through instances) */
    const cl_firstcall *fc = state->first;
    bool differs = false;
    for (uint32_t i = 0; fc && i < args->npos && i < 8; i++) {
      cl_val *t = args->pos[i];
      if (t->k == VK_INT && t->d.has_val && fc->rank[i] == -2 && fc->first[i][0] != t->d.val)
        differs = true;
      if (t->k != VK_TENSOR || t->rank < 0) continue;
      for (int d = 0; d < t->rank && d < 8 && d < fc->rank[i]; d++)
        if (t->dims[d].has_val && t->dims[d].val != fc->first[i][d]) differs = true;
    }
    if (!differs) return cl_v_unknown(I); /* the cached graph is reused */
  }
  if (state && state->ncalls == 0) {
    cl_firstcall *fc = cl_arena_alloc(I->perm, sizeof *fc);
    for (uint32_t i = 0; i < args->npos && i < 8; i++) {
      cl_val *t = args->pos[i];
      if (t->k == VK_INT && t->d.has_val) {
        fc->rank[i] = -2;
        fc->first[i][0] = t->d.val;
        continue;
      }
      fc->rank[i] = t->k == VK_TENSOR && t->rank > 0 ? (t->rank < 8 ? t->rank : 8) : 0;
      for (int d = 0; d < fc->rank[i]; d++) fc->first[i][d] = t->dims[d].has_val ? t->dims[d].val : -1;
    }
    state->first = fc;
  }
  if (state) state->ncalls++;
  const char *dyn = dynamic == 1 ? "True" : dynamic == 0 ? "False" : "None";
  const char *desc = later
      ? cl_arena_printf(I->a, "the recompile of torch.compile(%s) for new sizes", ud.name)
      : cl_arena_printf(I->a, "torch.compile(%s, dynamic=%s), first call", ud.name, dyn);
  int ctx = cl_context_new(I, desc, I->file, ud.sp, CTX_COMPILE);
  policy p = {POL_PERDIM, NULL, compile_decide, &ud, compile_decide_int};
  cl_args ta = traced_args(I, args, &p, fwd, ud.sp);
  return run_traced(I, fwd, &ta, ctx, true);
}

/* ---- torch.export -------------------------------------------------------- */

typedef struct {
  cl_val *spec;   /* dynamic_shapes, or NULL */
  cl_val *fwd;
  cl_span sp;
  const cl_expr *call;
  const cl_file *file;
  bool strict;
} export_ud;

/* Is one dim's spec entry symbolic? 1 yes, 0 static, -1 absent, 2 AUTO. */
static int dim_spec(const cl_val *v, bool *has_min, int64_t *min) {
  if (!v || v->k == VK_NONE) return -1;
  if (v->k == VK_OBJ && v->obj->kind == OBJ_DIM) {
    if (v->obj->dim_static) return 0;
    *has_min = v->obj->has_min;
    *min = v->obj->min;
    return 1;
  }
  if (v->k == VK_EXTERN) {
    const char *t = cl_v_extern_tail(v);
    if (cl_streq(t, "STATIC")) return 0;
    if (cl_streq(t, "AUTO")) return 2;
    if (cl_streq(t, "DYNAMIC")) return 1;
  }
  if (v->k == VK_INT) return 0; /* an int pins the size */
  return 1;                     /* an unknown object in the spec: assume it names a Dim */
}

/* A ShapesCollection: a dict keyed by the tensors themselves. */
static bool by_identity(const cl_val *spec) {
  return spec && spec->k == VK_DICT && spec->n >= 2 && spec->items[0]->k == VK_TENSOR;
}

static cl_dim export_dim(cl_interp *I, export_ud *e, const cl_val *t, int d, const cl_val *entry,
                         const char *nm, bool have_spec) {
  const cl_dim *src = d < 0 ? &t->dflt : &t->dims[d];
  int sym = -1;
  bool has_min = false;
  int64_t min = 0;
  if (entry && d >= 0) {
    if (entry->k == VK_DICT) {
      for (uint32_t j = 0; j + 1 < entry->n; j += 2)
        if (entry->items[j]->k == VK_INT && entry->items[j]->d.has_val && entry->items[j]->d.val == d)
          sym = dim_spec(entry->items[j + 1], &has_min, &min);
    } else if ((entry->k == VK_TUPLE || entry->k == VK_LIST) && (uint32_t)d < entry->n) {
      sym = dim_spec(entry->items[d], &has_min, &min);
    } else if (entry->k == VK_UNKNOWN) {
      return (cl_dim){0};
    }
  } else if (entry && entry->k == VK_UNKNOWN) {
    return (cl_dim){0};
  }
  int dd = d < 0 ? 0 : d;
  if (sym >= 1) {
    if (src->k != D_SYM && src->has_val && (src->val == 0 || src->val == 1)) {
      if (sym == 2) /* Dim.AUTO lets export specialize it */
        return zero_one(I, src, dd, e->sp);
      cl_context_fail(I, e->file, e->sp,
                      cl_arena_printf(I->a, "export fails: dim %d of `%s` has a Dim but its example size is %lld, which export specializes (Constraints violated)",
                                      dd, nm, (long long)src->val),
                      cl_arena_printf(I->a, "use an example input whose size at dim %d is at least 2", dd));
    }
    cl_dim r = make_sym(I, src, dd, cl_origin_new(I, e->file, e->sp, "a Dim in dynamic_shapes", NULL, NULL), e->sp);
    if (r.k == D_SYM && has_min) {
      r.has_min = true;
      r.min = min;
    }
    return r;
  }
  const char *why = sym == 0
      ? cl_arena_printf(I->a, "dynamic_shapes marks dim %d of `%s` static: export makes it a plain int", dd, nm)
      : have_spec ? cl_arena_printf(I->a, "dim %d of `%s` has no Dim in dynamic_shapes: export makes it a plain int", dd, nm)
                  : cl_arena_printf(I->a, "torch.export.export without dynamic_shapes makes every size a plain int (dim %d of `%s`)", dd, nm);
  const char *fix = cl_arena_printf(I->a, "add a Dim for dim %d of `%s` to dynamic_shapes, e.g. dynamic_shapes={\"%s\": {%d: Dim(\"%s_%d\")}}",
                                    dd, nm, nm, dd, nm, dd);
  const cl_origin *o = cl_origin_new(I, e->file, e->sp, why, fix, NULL);
  if (sym != 0) cl_origin_fixspec(I, o, FIX_EXPORT_DIM, e->file, e->call, NULL, dd, nm);
  return cl_dim_const(src->val, src->has_val, o);
}

/* Walk an argument and its spec together: tensors get per-dim dynamism,
 * dicts, tuples and lists are matched entry by entry. */
static cl_val *export_convert(cl_interp *I, export_ud *e, cl_val *v, cl_val *spec, const char *nm,
                              int depth) {
  if (!v || depth > 6) return v;
  if (v->k == VK_TENSOR) {
    cl_val *entry = spec;
    if (by_identity(spec)) {
      entry = NULL;
      for (uint32_t j = 0; j + 1 < spec->n; j += 2)
        if (spec->items[j] == v) entry = spec->items[j + 1];
    }
    if (v->fake && !v->param) return v;
    cl_val *t = cl_v_tensor_like(I, v);
    t->obj = v->obj;
    t->fake = true;
    if (v->param) {
      for (int d = 0; d < t->rank; d++)
        t->dims[d] = cl_dim_const(v->dims[d].val, v->dims[d].has_val,
                                  cl_origin_new(I, e->file, e->sp, "an nn.Parameter or buffer: its sizes are always concrete",
                                                "dispatch on a size of an input, not of a weight", NULL));
      return t;
    }
    for (int d = 0; d < t->rank; d++) t->dims[d] = export_dim(I, e, v, d, entry, nm, e->spec != NULL);
    if (t->rank < 0) t->dflt = export_dim(I, e, v, -1, entry, nm, e->spec != NULL);
    if (entry && entry->k == VK_DICT && t->rank >= 0)
      for (uint32_t j = 0; j + 1 < entry->n; j += 2)
        if (entry->items[j]->k == VK_INT && entry->items[j]->d.has_val && entry->items[j]->d.val >= t->rank)
          cl_record_event(I, "CL201", e->file, e->sp,
                          cl_arena_printf(I->a, "dynamic_shapes gives a Dim for dim %lld of `%s`, which has only %d dims",
                                          (long long)entry->items[j]->d.val, nm, t->rank),
                          "count dims from 0");
    return t;
  }
  if (v->k == VK_DICT) {
    cl_val *t = cl_v_tuple(I, VK_DICT, v->n);
    for (uint32_t i = 0; i + 1 < v->n; i += 2) {
      t->items[i] = v->items[i];
      cl_val *sub = by_identity(spec) ? spec : NULL;
      if (!sub && spec && spec->k == VK_DICT && v->items[i]->k == VK_STR && v->items[i]->s)
        for (uint32_t j = 0; j + 1 < spec->n; j += 2)
          if (spec->items[j]->k == VK_STR && spec->items[j]->s && cl_streq(spec->items[j]->s, v->items[i]->s))
            sub = spec->items[j + 1];
      const char *knm = v->items[i]->k == VK_STR && v->items[i]->s ? cl_arena_printf(I->a, "%s[\"%s\"]", nm, v->items[i]->s) : nm;
      t->items[i + 1] = export_convert(I, e, v->items[i + 1], sub, knm, depth + 1);
    }
    return t;
  }
  if (v->k == VK_TUPLE || v->k == VK_LIST) {
    cl_val *t = cl_v_tuple(I, v->k, v->n);
    for (uint32_t i = 0; i < v->n; i++) {
      cl_val *sub = by_identity(spec) ? spec
                  : spec && (spec->k == VK_TUPLE || spec->k == VK_LIST) && i < spec->n ? spec->items[i] : NULL;
      t->items[i] = export_convert(I, e, v->items[i], sub, cl_arena_printf(I->a, "%s[%u]", nm, i), depth + 1);
    }
    return t;
  }
  return v; /* ints and other Python values are constants under export */
}

/* The spec of the i-th argument: by parameter name (dict) or by position. */
static cl_val *arg_spec(export_ud *e, int i, const char *pname) {
  cl_val *s = e->spec;
  if (!s || s->k == VK_NONE) return NULL;
  if (by_identity(s)) return s;
  if (s->k == VK_DICT) {
    for (uint32_t j = 0; j + 1 < s->n; j += 2)
      if (pname && s->items[j]->k == VK_STR && s->items[j]->s && cl_streq(s->items[j]->s, pname))
        return s->items[j + 1];
    return NULL;
  }
  if ((s->k == VK_TUPLE || s->k == VK_LIST) && i >= 0 && (uint32_t)i < s->n) return s->items[i];
  if (s->k == VK_UNKNOWN) return s;
  return NULL;
}

/* Returns false when export would reject the spec (nothing is traced then). */
static bool check_export_spec(cl_interp *I, export_ud *e) {
  cl_val *s = e->spec;
  bool ok = true;
  if (!s || s->k != VK_DICT || by_identity(s) || !e->fwd || (e->fwd->k != VK_BOUND && e->fwd->k != VK_FUNC))
    return true;
  cl_func *fn = e->fwd->func;
  for (uint32_t j = 0; j + 1 < s->n; j += 2) {
    cl_val *k = s->items[j];
    if (k->k != VK_STR || !k->s) continue;
    bool found = false;
    for (uint32_t i = 0; i < fn->nparams; i++)
      if (cl_streq(fn->params[i].name, k->s) && fn->params[i].kind != P_VARARGS) found = true;
    if (!found) {
      ok = false;
      cl_record_event(I, "CL202", e->file, e->sp,
                      cl_arena_printf(I->a, "dynamic_shapes names `%s`, which is not a parameter of %s", k->s, fn->qualname),
                      "name the parameters of forward in dynamic_shapes");
    }
  }
  return ok;
}

static cl_val *export_call(cl_interp *I, cl_args *args) {
  cl_val *m = cl_arg(args, 0, "mod");
  cl_val *eargs = cl_arg(args, 1, "args");
  cl_val *ekw = cl_arg(args, 2, "kwargs");
  cl_val *strict = cl_arg(args, -1, "strict");
  export_ud e = {0};
  e.spec = cl_arg(args, -1, "dynamic_shapes");
  if (e.spec && e.spec->k == VK_NONE) e.spec = NULL;
  e.sp = call_span(args);
  e.call = args->call;
  e.file = I->file;
  e.fwd = resolve_forward(I, m);
  bool known;
  e.strict = strict && cl_v_truth(strict, &known) && known; /* non-strict is the default in 2.11 */
  if (!m || !eargs || (eargs->k != VK_TUPLE && eargs->k != VK_LIST)) return cl_v_unknown(I);
  cl_args ta = {0};
  ta.call = args->call;
  ta.npos = eargs->n;
  ta.pos = cl_arena_alloc(I->a, (eargs->n + 1) * sizeof(cl_val *));
  if (!check_export_spec(I, &e)) return cl_v_unknown(I);
  const char *desc = cl_arena_printf(I->a, "torch.export.export(%s)%s%s", target_name(I, m),
                                     e.spec ? " with dynamic_shapes" : " without dynamic_shapes",
                                     e.strict ? ", strict" : "");
  int ctx = cl_context_new(I, desc, I->file, e.sp, CTX_EXPORT);
  int saved_ctx = I->ctx;
  cl_mode saved_mode = I->mode;
  I->ctx = ctx; /* conversions may fail the context */
  I->mode = MODE_TRACED;
  for (uint32_t i = 0; i < eargs->n; i++) {
    const char *pname = param_name(e.fwd, (int)i);
    ta.pos[i] = export_convert(I, &e, eargs->items[i], arg_spec(&e, (int)i, pname), pname ? pname : "arg", 0);
  }
  if (ekw && ekw->k == VK_DICT) {
    ta.nkw = ekw->n / 2;
    ta.kwnames = cl_arena_alloc(I->a, (ta.nkw + 1) * sizeof(char *));
    ta.kw = cl_arena_alloc(I->a, (ta.nkw + 1) * sizeof(cl_val *));
    for (uint32_t j = 0; j < ta.nkw; j++) {
      const char *kn = ekw->items[2 * j]->s ? ekw->items[2 * j]->s : "?";
      ta.kwnames[j] = kn;
      ta.kw[j] = export_convert(I, &e, ekw->items[2 * j + 1], arg_spec(&e, -1, kn), kn, 0);
    }
  }
  I->ctx = saved_ctx;
  I->mode = saved_mode;
  run_traced(I, e.fwd, &ta, ctx, e.strict);
  return cl_v_unknown(I);
}

/* ---- fake tensors ---------------------------------------------------------- */

static const char *dimdyn_of(const cl_val *v) {
  if (v && v->k == VK_EXTERN) return cl_v_extern_tail(v);
  return NULL;
}

/* Sizes from a StatelessSymbolicContext, or all symbolic (duck sizing). */
static cl_val *symbolic_sizes(cl_interp *I, cl_val *real, cl_val *ctx, cl_span sp, bool fake_out) {
  int rank = real && real->k == VK_TENSOR ? real->rank : -1;
  cl_val *sizes = ctx && ctx->k == VK_OBJ && ctx->obj->kind == OBJ_SYMCTX ? ctx->obj->sizes : NULL;
  if (sizes && (sizes->k == VK_TUPLE || sizes->k == VK_LIST) && rank >= 0 && (int)sizes->n != rank)
    cl_record_event(I, "CL203", I->file, ctx->obj->span,
             cl_arena_printf(I->a, "this StatelessSymbolicContext gives %u dynamic_sizes for a tensor of %d dims",
                             sizes->n, rank),
             "give one DimDynamic per dim of the tensor");
  cl_val *t = cl_v_tensor(I, rank);
  t->fake = fake_out;
  const cl_origin *sym_why = cl_origin_new(I, I->file, sp, "a symbolic size minted here", NULL, NULL);
  for (int d = 0; d < (rank < 0 ? 0 : rank); d++) {
    const cl_dim *src = &real->dims[d];
    const char *dd = NULL;
    if (sizes && (sizes->k == VK_TUPLE || sizes->k == VK_LIST) && (uint32_t)d < sizes->n) dd = dimdyn_of(sizes->items[d]);
    if (dd && cl_streq(dd, "STATIC")) {
      t->dims[d] = cl_dim_const(src->val, src->has_val,
                                cl_origin_new(I, I->file, ctx->obj->span,
                                              cl_arena_printf(I->a, "DimDynamic.STATIC at index %d of dynamic_sizes makes dim %d a plain int", d, d),
                                              cl_arena_printf(I->a, "use DimDynamic.DYNAMIC at index %d of dynamic_sizes", d), NULL));
      cl_origin_fixspec(I, t->dims[d].why, FIX_DIMDYN_DYNAMIC, ctx->obj->file, ctx->obj->expr, NULL, d, NULL);
    } else if (sizes && !dd && (sizes->k == VK_TUPLE || sizes->k == VK_LIST)) {
      t->dims[d] = (cl_dim){0};
    } else {
      t->dims[d] = make_sym(I, src, d, sym_why, sp);
    }
  }
  if (rank < 0) t->dflt = (cl_dim){0};
  return t;
}

static cl_val *from_tensor(cl_interp *I, cl_val *mode, cl_args *args) {
  cl_val *real = cl_arg(args, 0, "t");
  if (!real) real = cl_arg(args, -1, "tensor");
  cl_val *ctx = cl_arg(args, -1, "symbolic_context");
  cl_val *ss = cl_arg(args, -1, "static_shapes");
  cl_span sp = call_span(args);
  if (!real || real->k != VK_TENSOR) return cl_v_tensor(I, -1);
  if (real->fake) {
    if (ctx && ctx->k != VK_NONE)
      cl_record_event(I, "CL204", I->file, sp,
               "from_tensor on a tensor that is already fake returns it as it is: the "
               "symbolic_context is ignored and its sizes stay what they were",
               "mint symbols from a real or meta tensor with "
               "shape_env.create_symbolic_sizes_strides_storage_offset(...)");
    return real;
  }
  bool known, static_shapes = mode->obj->static_shapes;
  if (ss) {
    bool t = cl_v_truth(ss, &known);
    if (known) static_shapes = t;
  }
  if (!mode->obj->has_shape_env || static_shapes) {
    const char *why = !mode->obj->has_shape_env
        ? "FakeTensorMode() has no ShapeEnv: from_tensor makes every size a plain int"
        : "from_tensor(..., static_shapes=True) makes every size a plain int";
    const char *fix = !mode->obj->has_shape_env ? "create the mode with FakeTensorMode(shape_env=ShapeEnv())"
                                               : "drop static_shapes=True";
    const cl_origin *o = cl_origin_new(I, I->file, sp, why, fix, NULL);
    if (!mode->obj->has_shape_env) cl_origin_fixspec(I, o, FIX_SHAPE_ENV, mode->obj->file, mode->obj->expr, NULL, 0, NULL);
    cl_val *t = cl_v_tensor_like(I, real);
    t->fake = true;
    t->plain_fake = !mode->obj->has_shape_env;
    for (int d = 0; d < t->rank; d++) t->dims[d] = cl_dim_const(real->dims[d].val, real->dims[d].has_val, o);
    if (t->rank < 0) t->dflt = cl_dim_const(0, false, o);
    return t;
  }
  return symbolic_sizes(I, real, ctx, sp, true);
}

/* ---- dispatch from the interpreter ------------------------------------------ */

static bool is_torchish(const char *full) {
  return full && (!strncmp(full, "torch", 5) || !strncmp(full, "functorch", 9));
}

static void mark(cl_interp *I, cl_args *args, int how, const char *api) {
  cl_val *t = cl_arg(args, 0, "t");
  cl_val *dv = cl_arg(args, 1, "index");
  if (!t || t->k != VK_TENSOR || !dv) return;
  if (!t->obj) {
    cl_touch(I, EV_VAL, t);
    t->obj = cl_arena_alloc(I->a, sizeof(cl_obj));
  }
  cl_val *list[16];
  uint32_t n = 0;
  if (dv->k == VK_LIST || dv->k == VK_TUPLE) {
    for (uint32_t i = 0; i < dv->n && n < 16; i++) list[n++] = dv->items[i];
  } else {
    list[n++] = dv;
  }
  for (uint32_t i = 0; i < n; i++) {
    if (list[i]->k != VK_INT || !list[i]->d.has_val) continue;
    int64_t d = list[i]->d.val;
    if (t->rank >= 0 && (d >= t->rank || d < -t->rank)) {
      cl_record_event(I, "CL201", I->file, call_span(args),
               cl_arena_printf(I->a, "%s names dim %lld of a tensor that has %d dims", api, (long long)d, t->rank),
               "name the dim the predicate reads, counting from 0");
      continue;
    }
    if (d < 0 && t->rank >= 0) d += t->rank;
    if (d < 0 || d >= 16) continue;
    cl_marks *mk = cl_arena_alloc(I->perm, sizeof *mk); /* perm: t->obj needs no evacuation */
    if (t->obj->marks) *mk = *t->obj->marks;
    mk->mark[d] = (int8_t)how;
    mk->why[d] = cl_origin_persist(I, cl_origin_new(I, I->file, call_span(args), api, NULL, NULL));
    t->obj->marks = mk;
    t->obj->file = I->file;
  }
}

cl_val *cl_tracing_call(cl_interp *I, cl_val *callee, const char *tail, const char *full,
                        cl_args *args, bool *handled) {
  *handled = true;
  (void)callee;
  if (!tail) {
    *handled = false;
    return NULL;
  }
  {
    bool h = false;
    size_t before = cl_customop_state(I);
    cl_val *r = cl_customop_call(I, tail, full, args, &h);
    /* register_fake stores its kernel in an op's definition */
    cl_customop_touch(I, before, h && (cl_streq(tail, "register_fake") || cl_streq(tail, "impl_abstract")));
    if (h) return r;
  }
  if (cl_streq(tail, "make_fx")) {
    cl_val *tr = cl_v_obj(I, OBJ_TRACER);
    tr->obj->target = cl_arg(args, 0, "f");
    cl_val *m = cl_arg(args, -1, "tracing_mode");
    tr->obj->mode = m && m->k == VK_STR ? m->s : m ? NULL : "real";
    tr->obj->span = call_span(args);
    tr->obj->expr = args->call;
    if (!tr->obj->mode) { /* a tracing_mode the model cannot read */
      return cl_v_unknown(I);
    }
    return tr;
  }
  if (is_torchish(full) && (cl_streq(full, "torch.compile") || cl_streq(tail, "optimize"))) {
    cl_val *c = cl_v_obj(I, OBJ_COMPILED);
    cl_val *dyn = cl_arg(args, -1, "dynamic");
    c->obj->dynamic = -1;
    if (dyn && dyn->k == VK_BOOL && dyn->d.has_val) c->obj->dynamic = (int)dyn->d.val;
    else if (dyn && dyn->k != VK_NONE) return cl_v_unknown(I);
    cl_val *target = cl_streq(tail, "optimize") ? NULL : cl_arg(args, 0, "model");
    c->obj->target = target && (target->k == VK_FUNC || target->k == VK_BOUND || target->k == VK_INST) ? target : NULL;
    c->obj->span = call_span(args);
    c->obj->expr = args->call;
    if (target && !c->obj->target) return cl_v_unknown(I);
    return c;
  }
  if (is_torchish(full) && (cl_streq(tail, "export") || cl_streq(tail, "export_for_training")) &&
      strstr(full, "export"))
    return export_call(I, args);
  if (cl_streq(tail, "mark_dynamic") || cl_streq(tail, "maybe_mark_dynamic") ||
      cl_streq(tail, "mark_unbacked")) {
    if (I->mode == MODE_HOST) mark(I, args, 1, tail);
    return cl_v_none(I);
  }
  if (cl_streq(tail, "mark_static")) {
    if (I->mode == MODE_HOST) mark(I, args, 2, tail);
    return cl_v_none(I);
  }
  if (cl_streq(tail, "FakeTensorMode")) {
    cl_val *m = cl_v_obj(I, OBJ_FAKEMODE);
    cl_val *se = cl_arg(args, -1, "shape_env");
    m->obj->has_shape_env = se && se->k != VK_NONE;
    if (se && se->k == VK_OBJ) cl_obj_set(I, m->obj, "shape_env", se);
    cl_val *ss = cl_arg(args, -1, "static_shapes");
    bool known, st = ss ? cl_v_truth(ss, &known) : !m->obj->has_shape_env;
    m->obj->static_shapes = st;
    m->obj->span = call_span(args);
    m->obj->expr = args->call;
    if (se && se->k == VK_UNKNOWN) return cl_v_unknown(I);
    return m;
  }
  if (cl_streq(tail, "ShapeEnv")) return cl_v_obj(I, OBJ_SHAPEENV);
  if (cl_streq(tail, "ShapesCollection")) return cl_v_tuple(I, VK_DICT, 0);
  if (cl_streq(tail, "StatelessSymbolicContext")) {
    cl_val *c = cl_v_obj(I, OBJ_SYMCTX);
    c->obj->sizes = cl_arg(args, 0, "dynamic_sizes");
    c->obj->span = call_span(args);
    c->obj->expr = args->call;
    return c;
  }
  if (cl_streq(tail, "Dim") && is_torchish(full)) {
    cl_val *d = cl_v_obj(I, OBJ_DIM);
    cl_val *mn = cl_arg(args, -1, "min");
    if (mn && mn->k == VK_INT && mn->d.has_val) {
      d->obj->has_min = true;
      d->obj->min = mn->d.val;
    }
    return d;
  }
  if (cl_streq(tail, "dims") && is_torchish(full)) {
    cl_val *t = cl_v_tuple(I, VK_TUPLE, args->npos);
    for (uint32_t i = 0; i < args->npos; i++) t->items[i] = cl_v_obj(I, OBJ_DIM);
    return t;
  }
  if (cl_streq(tail, "ir_node_to_tensor")) {
    /* an Inductor fake: sizes as dynamic as the compiled graph, unknown here */
    cl_val *t = cl_v_tensor(I, -1);
    t->fake = true;
    return t;
  }
  if (cl_streq(tail, "empty_strided") || cl_streq(tail, "empty")) {
    cl_val *sz = cl_arg(args, 0, "size");
    if (sz && sz->k == VK_SIZE && (I->active_mode || I->mode == MODE_TRACED)) {
      cl_val *t = cl_v_tensor(I, sz->rank);
      if (sz->rank > 0) memcpy(t->dims, sz->dims, (size_t)sz->rank * sizeof(cl_dim));
      t->dflt = sz->dflt;
      t->fake = true;
      return t;
    }
  }
  *handled = false;
  return NULL;
}

cl_val *cl_tracing_obj_call(cl_interp *I, cl_val *obj, cl_args *args) {
  if (obj->k == VK_INST) { /* a module after model.compile() */
    cl_obj *o = obj->obj;
    o->compiled_module = false; /* its forward runs traced, not compiled again */
    cl_val *r = compiled_call(I, obj, o->compiled_dynamic, o, args);
    o->compiled_module = true;
    return r;
  }
  cl_obj *o = obj->obj;
  if (o->kind == OBJ_CUSTOMOP || o->kind == OBJ_CUSTOMOP_FACTORY || o->kind == OBJ_FAKEDECO) {
    bool h = false;
    size_t before = cl_customop_state(I);
    cl_val *r = cl_customop_invoke(I, obj, args, &h);
    cl_customop_touch(I, before, o->kind == OBJ_FAKEDECO); /* it sets the op's fake kernel */
    return h ? r : cl_v_unknown(I);
  }
  if (o->kind == OBJ_TRACER) {
    if (I->mode == MODE_TRACED) return cl_v_unknown(I);
    return make_fx_call(I, obj, args);
  }
  if (o->kind == OBJ_COMPILED) {
    if (!o->target) { /* torch.compile(dynamic=...) used as a decorator factory */
      cl_val *f = cl_arg(args, 0, NULL);
      if (!f || (f->k != VK_FUNC && f->k != VK_INST && f->k != VK_BOUND)) return cl_v_unknown(I);
      cl_val *c = cl_v_obj(I, OBJ_COMPILED);
      c->obj->dynamic = o->dynamic;
      c->obj->target = f;
      c->obj->span = o->span;
      c->obj->expr = o->expr;
      return c;
    }
    if (I->mode == MODE_TRACED) return cl_call_value(I, o->target, args); /* inlined */
    if (o->target->k == VK_FUNC) cl_note_called(I, o->target->func);
    return compiled_call(I, o->target, o->dynamic, o, args);
  }
  return cl_v_unknown(I);
}

cl_val *cl_tracing_obj_method(cl_interp *I, cl_val *obj, const char *name, cl_args *args,
                              bool *handled) {
  *handled = true;
  cl_obj *o = obj->obj;
  if (o->kind == OBJ_FAKEMODE && cl_streq(name, "from_tensor")) return from_tensor(I, obj, args);
  if (o->kind == OBJ_FAKEMODE && (cl_streq(name, "__enter__"))) {
    I->active_mode = obj;
    return obj;
  }
  if (o->kind == OBJ_SHAPEENV && cl_streq(name, "create_symbolic_sizes_strides_storage_offset")) {
    cl_val *real = cl_arg(args, 0, "ex");
    cl_val *ctx = cl_arg(args, -1, "symbolic_context");
    cl_val *t = symbolic_sizes(I, real, ctx, call_span(args), false);
    cl_val *sz = cl_v_new(I, VK_SIZE);
    sz->rank = t->rank;
    sz->dims = t->dims;
    sz->dflt = t->dflt;
    cl_val *r = cl_v_tuple(I, VK_TUPLE, 3);
    r->items[0] = sz;
    r->items[1] = cl_v_unknown(I);
    r->items[2] = cl_v_unknown(I);
    return r;
  }
  *handled = false;
  return NULL;
}

/* ---- cond sites ------------------------------------------------------------- */

bool cl_is_cond(const cl_val *callee) {
  if (!callee || callee->k != VK_EXTERN || !callee->s) return false;
  const char *s = callee->s;
  if (!cl_v_is_extern(callee, "cond")) return false;
  return cl_streq(s, "torch.cond") || !strncmp(s, "torch._higher_order_ops", 23) ||
         !strncmp(s, "functorch.experimental.control_flow", 35) || cl_streq(s, "torch.ops.higher_order.cond");
}

static cl_site *site_for(cl_interp *I, const cl_expr *call) {
  const cl_expr *callee = call->kids[0];
  for (size_t i = 0; i < I->facts->sites.n; i++) {
    cl_site *s = I->facts->sites.v[i];
    if (s->file == I->file && s->callee.start == callee->span.start) return s;
  }
  cl_site *s = cl_arena_alloc(I->perm, sizeof *s);
  s->file = I->file;
  s->callee = callee->span;
  s->pred_span = call->nkids > 1 ? call->kids[1]->span : call->span;
  cl_vec_push(&I->facts->sites, s);
  return s;
}

static cl_pred classify(const cl_val *p) {
  if (!p) return PRED_UNKNOWN;
  switch (p->k) {
  case VK_TENSOR: return p->maybe_scalar ? PRED_UNKNOWN : PRED_TENSOR;
  case VK_BOOL: case VK_INT: case VK_FLOAT:
    return p->d.k == D_CONST ? PRED_CONST : p->d.k == D_SYM ? PRED_SYM : PRED_UNKNOWN;
  case VK_NONE: return PRED_CONST;
  case VK_STR: return p->meta ? PRED_CONST : PRED_UNKNOWN;
  default: return PRED_UNKNOWN;
  }
}

cl_val *cl_cond_site(cl_interp *I, cl_args *args) {
  if (!args->call || args->call->nkids < 1) return cl_v_unknown(I);
  cl_site *s = site_for(I, args->call);
  cl_val *pred = cl_arg(args, 0, "pred");
  cl_val *tf = cl_arg(args, 1, "true_fn"), *ff = cl_arg(args, 2, "false_fn");
  cl_val *ops = cl_arg(args, 3, "operands");
  cl_pred pk = classify(pred);
  /* static metadata: CONST without reading a size, in every evaluation */
  if (pk == PRED_CONST && !pred->reads_size) s->meta_evals++;
  else if (pk != PRED_UNKNOWN || (I->mode == MODE_TRACED && pred && pred->k != VK_UNKNOWN))
    s->other_evals++;
  if (I->mode != MODE_TRACED) return cl_v_unknown(I);
  const cl_origin *why = pk == PRED_CONST || pk == PRED_SYM ? pred->d.why : NULL;
  if (cl_site_stores(s, I->ctx, pk)) why = cl_origin_persist(I, why);
  cl_site_record(s, I->ctx, pk, why, pred ? pred->reads_size : false);
  /* trace the branches with the operands: nested conds and calls */
  cl_args bargs = {0};
  if (ops && (ops->k == VK_TUPLE || ops->k == VK_LIST)) {
    bargs.pos = ops->items;
    bargs.npos = ops->n;
  }
  bool known, truth = pred ? cl_v_truth(pred, &known) : false;
  cl_val *r = NULL;
  if (pk != PRED_CONST || !known || truth) r = cl_call_value(I, tf, &bargs);
  if (pk != PRED_CONST || !known || !truth) r = cl_v_join(I, r, cl_call_value(I, ff, &bargs));
  return r ? r : cl_v_unknown(I);
}

/* ---- roots only decorators and contracts declare ----------------------------- */

static cl_val *arg_tensor(cl_interp *I, cl_dim dflt) {
  cl_val *t = cl_v_tensor(I, -1);
  t->dflt = dflt;
  t->maybe_scalar = true;
  t->fake = true;
  return t;
}

static bool was_called(cl_interp *I, cl_func *fn) { return cl_was_called(I, fn); }

static void contract_roots(cl_interp *I, cl_modinfo *m);

/* A function compiled by a decorator that no host code called: its first
 * compile sees arguments of unknown sizes, concrete unless dynamic=True. */
static void decorated_root(cl_interp *I, cl_val *v, cl_val *self) {
  if (v->k != VK_OBJ || v->obj->kind != OBJ_COMPILED || !v->obj->target) return;
  cl_val *target = v->obj->target;
  if (target->k != VK_FUNC || was_called(I, target->func) || v->obj->ncalls) return;
  {
      cl_func *fn = target->func;
      int dyn = v->obj->dynamic;
      const char *dyns = dyn == 1 ? "True" : dyn == 0 ? "False" : "None";
      const char *desc = cl_arena_printf(I->a, "@torch.compile(dynamic=%s) on %s", dyns, fn->name);
      int ctx = cl_context_new(I, desc, fn->file, fn->name_span, CTX_COMPILE);
      const cl_origin *why = dyn == 1
          ? cl_origin_new(I, fn->file, fn->name_span, "torch.compile(dynamic=True)", NULL, NULL)
          : cl_origin_new(I, fn->file, fn->name_span,
                          cl_arena_printf(I->a, "@torch.compile(dynamic=%s) compiles the first call with the example's sizes as plain ints", dyns),
                          "call torch._dynamo.mark_dynamic(x, d) on the argument before the first call, or use @torch.compile(dynamic=True)", NULL);
      cl_dim dflt = dyn == 1 ? (cl_dim){.k = D_SYM, .why = why} : cl_dim_const(0, false, why);
      cl_args a = {0};
      uint32_t skip = self ? 1 : 0;
      a.npos = fn->nparams > skip ? fn->nparams - skip : 0;
      a.pos = cl_arena_alloc(I->a, (fn->nparams + 1) * sizeof(cl_val *));
      for (uint32_t k = 0; k < a.npos; k++) a.pos[k] = arg_tensor(I, dflt);
      I->steps = CL_TRACED_ROOT_STEPS;
      cl_val *callee = target;
      if (self) {
        callee = cl_v_new(I, VK_BOUND);
        callee->func = fn;
        callee->self = self;
        callee->closure = target->closure;
        callee->mod = target->mod;
      }
      run_traced(I, callee, &a, ctx, true);
  }
}

void cl_decorated_roots(cl_interp *I) {
  for (size_t mi = 0; mi < I->mods.n; mi++) {
    cl_modinfo *m = I->mods.v[mi];
    if (!m->file->checked) continue;
    cl_root_mark rm; /* one scratch per module: its roots share instances */
    cl_root_begin(I, &rm, CL_TRACED_ROOT_STEPS);
    for (uint32_t i = 0; i < m->env->n; i++) {
      cl_val *v = m->env->vals[i];
      if (v->k == VK_CLASS && v->obj && v->cls && v->cls->file == m->file) {
        cl_val *self = NULL;
        for (uint32_t k = 0; k < v->obj->nattrs; k++) {
          cl_val *meth = v->obj->vals[k];
          if (meth->k != VK_OBJ || meth->obj->kind != OBJ_COMPILED) continue;
          if (!self) {
            I->steps = CL_TRACED_ROOT_STEPS;
            self = cl_instantiate(I, v, NULL);
          }
          decorated_root(I, meth, self);
        }
        continue;
      }
      decorated_root(I, v, NULL);
    }
    contract_roots(I, m);
    cl_root_end(I, &rm);
  }
}

/* `# condlint: dynamic x[1]` / `# condlint: static x[0]` at a function, or
 * the same strings under [tool.condlint.contracts]: the declared contract is a
 * context for a library function nobody traces here. */
static bool parse_contract(const char *text, bool *dynamic, const char **rest) {
  while (*text == ' ') text++;
  if (!strncmp(text, "condlint:", 9)) {
    text += 9;
    while (*text == ' ') text++;
  }
  if (!strncmp(text, "dynamic ", 8)) *dynamic = true, *rest = text + 8;
  else if (!strncmp(text, "static ", 7)) *dynamic = false, *rest = text + 7;
  else return false;
  return true;
}

/* Apply one contract string ("dynamic x[1], y") to the root's arguments. */
static bool apply_contract(cl_interp *I, cl_func *fn, cl_args *a, const char *text,
                           const cl_file *f, cl_span sp, const char *source) {
  bool dynamic, any = false;
  const char *rest;
  if (!parse_contract(text, &dynamic, &rest)) return false;
  char buf[256];
  size_t l = strlen(rest);
  if (l >= sizeof buf) l = sizeof buf - 1;
  memcpy(buf, rest, l);
  buf[l] = 0;
  for (char *tok = strtok(buf, ", "); tok; tok = strtok(NULL, ", ")) {
    char *br = strchr(tok, '[');
    int dim = -1;
    if (br) {
      *br = 0;
      dim = atoi(br + 1);
    }
    for (uint32_t k = 0; k < fn->nparams; k++) {
      if (strcmp(fn->params[k].name, tok)) continue;
      cl_val *t = a->pos[k]->k == VK_TENSOR ? a->pos[k] : cl_v_tensor(I, -1);
      if (!t->dims) t->dims = cl_arena_alloc(I->a, 16 * sizeof(cl_dim));
      t->fake = true;
      const cl_origin *why = cl_origin_new(
          I, f, sp,
          dynamic ? cl_arena_printf(I->a, "declared dynamic by %s", source)
                  : cl_arena_printf(I->a, "declared static by %s: dim %d of `%s` is a plain int", source, dim, tok),
          dynamic ? NULL : "declare the dim dynamic, and trace it symbolically", NULL);
      cl_dim d = dynamic ? (cl_dim){.k = D_SYM, .why = why, .sym = ++I->next_sym} : cl_dim_const(0, false, why);
      if (dim < 0) t->dflt = d;
      else if (dim < 16) t->dims[dim] = d;
      a->pos[k] = t;
      any = true;
    }
  }
  return any;
}

static void contract_roots(cl_interp *I, cl_modinfo *m) {
  cl_module *mod = m->file->mod;
  for (uint32_t i = 0; i < m->env->n; i++) {
    cl_val *v = m->env->vals[i];
    if (v->k != VK_FUNC || v->func->file != m->file) continue;
    cl_func *fn = v->func;
    cl_args a = {0};
    bool any = false;
    a.npos = fn->nparams;
    a.pos = cl_arena_alloc(I->a, (fn->nparams + 1) * sizeof(cl_val *));
    for (uint32_t k = 0; k < fn->nparams; k++) a.pos[k] = cl_v_unknown(I);
    const cl_file *where_file = m->file;
    cl_span where = fn->name_span;
    /* the comments on the def's line, the line before or the line after */
    const cl_file *mf = m->file;
    uint32_t frow = cl_file_row(mf, fn->span.start);
    uint32_t lo = mf->line_starts[frow ? frow - 1 : 0];
    uint32_t hi = frow + 2 < mf->nlines ? mf->line_starts[frow + 2] : UINT32_MAX;
    for (uint32_t c = 0; c < mod->ncomments; c++) {
      const cl_comment *cm = &mod->comments[c];
      if (cm->span.start < lo || cm->span.start >= hi) continue;
      const char *t = cm->text;
      while (*t == ' ') t++;
      if (strncmp(t, "condlint:", 9)) continue;
      if (apply_contract(I, fn, &a, t, m->file, cm->span, "this contract")) {
        any = true;
        where = cm->span;
      }
    }
    const char *const *specs;
    const char *cfg;
    size_t n = cl_config_contracts(I->s, m->file, fn->qualname, &specs, &cfg);
    for (size_t k = 0; k < n; k++)
      if (apply_contract(I, fn, &a, specs[k], m->file, fn->name_span,
                         cl_arena_printf(I->a, "the contract in %s", cfg)))
        any = true;
    if (!any) continue;
    int ctx = cl_context_new(I, cl_arena_printf(I->a, "the declared contract of %s", fn->name), where_file, where, CTX_CONTRACT);
    I->steps = CL_TRACED_ROOT_STEPS;
    run_traced(I, v, &a, ctx, false);
  }
}
