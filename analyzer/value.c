/* value.c — abstract values: constructors, sizes, joins at control-flow
 * merges, reason chains, instance attributes and environments. */
#include <stdio.h>
#include <string.h>

#include "interp.h"

cl_val *cl_v_new(cl_interp *I, cl_vk k) {
  cl_val *v = cl_arena_alloc(I->a, sizeof *v);
  v->k = k;
  v->rank = -1;
  return v;
}

cl_val *cl_v_unknown(cl_interp *I) { return cl_v_new(I, VK_UNKNOWN); }
cl_val *cl_v_none(cl_interp *I) { return cl_v_new(I, VK_NONE); }

cl_dim cl_dim_const(int64_t v, bool known, const cl_origin *why) {
  cl_dim d = {D_CONST, known, false, v, 0, why, 0};
  return d;
}

cl_val *cl_v_int(cl_interp *I, int64_t v) {
  cl_val *x = cl_v_new(I, VK_INT);
  x->d = cl_dim_const(v, true, NULL);
  return x;
}

cl_val *cl_v_bool(cl_interp *I, bool b) {
  cl_val *x = cl_v_new(I, VK_BOOL);
  x->d = cl_dim_const(b, true, NULL);
  return x;
}

cl_val *cl_v_str(cl_interp *I, const char *s) {
  cl_val *x = cl_v_new(I, VK_STR);
  x->s = s;
  x->d = cl_dim_const(0, false, NULL);
  return x;
}

cl_val *cl_v_extern(cl_interp *I, const char *name) {
  cl_val *x = cl_v_new(I, VK_EXTERN);
  x->s = name;
  return x;
}

cl_val *cl_v_scalar(cl_interp *I, cl_vk k, cl_dim d, bool reads_size, bool meta) {
  cl_val *x = cl_v_new(I, k);
  x->d = d;
  x->reads_size = reads_size;
  x->meta = meta;
  return x;
}

cl_val *cl_v_tuple(cl_interp *I, cl_vk k, uint32_t n) {
  cl_val *x = cl_v_new(I, k);
  x->n = n;
  x->items = cl_arena_alloc(I->a, (n ? n : 1) * sizeof(cl_val *));
  return x;
}

cl_val *cl_v_tensor(cl_interp *I, int rank) {
  cl_val *t = cl_v_new(I, VK_TENSOR);
  t->rank = rank;
  if (rank > 0) t->dims = cl_arena_alloc(I->a, (size_t)rank * sizeof(cl_dim));
  return t;
}

cl_val *cl_v_tensor_like(cl_interp *I, const cl_val *src) {
  cl_val *t = cl_v_tensor(I, src->rank);
  if (src->rank > 0) memcpy(t->dims, src->dims, (size_t)src->rank * sizeof(cl_dim));
  t->dflt = src->dflt;
  t->fake = src->fake;
  t->maybe_scalar = false;
  return t;
}

cl_val *cl_v_obj(cl_interp *I, cl_objkind kind) {
  cl_val *v = cl_v_new(I, VK_OBJ);
  v->obj = cl_arena_alloc(I->a, sizeof(cl_obj));
  v->obj->kind = kind;
  v->obj->dynamic = -1;
  v->obj->file = I->file;
  return v;
}

const cl_origin *cl_origin_new(cl_interp *I, const cl_file *f, cl_span sp, const char *why,
                               const char *fix, const cl_origin *prev) {
  cl_origin *o = cl_arena_alloc(I->a, sizeof *o);
  o->file = f;
  o->span = sp;
  o->why = why;
  o->fix = fix;
  o->prev = prev;
  return o;
}

const cl_origin *cl_origin_fixspec(cl_interp *I, const cl_origin *o, cl_fixkind kind,
                                   const cl_file *f, const cl_expr *expr, const cl_expr *arg,
                                   int dim, const char *param) {
  if (!o || !expr || !f) return o;
  cl_fixspec *fx = cl_arena_alloc(I->a, sizeof *fx);
  fx->kind = kind;
  fx->file = f;
  fx->expr = expr;
  fx->arg = arg;
  fx->dim = dim;
  fx->param = param;
  ((cl_origin *)o)->fixspec = fx;
  return o;
}

/* An int read from a size: `x.shape[1]`. The read is a step of the chain. */
cl_val *cl_v_from_dim(cl_interp *I, const cl_dim *d, const cl_file *f, cl_span read,
                      const char *what) {
  cl_dim nd = *d;
  if (d->k == D_CONST && I->mode == MODE_TRACED) {
    char quoted[96];
    if (!what && f && read.end > read.start) {
      /* name the read by its source text: `x.shape[1]` */
      size_t n = read.end - read.start;
      const char *src = f->bytes + read.start;
      if (n > 60 || memchr(src, '\n', n)) snprintf(quoted, sizeof quoted, "this size");
      else snprintf(quoted, sizeof quoted, "`%.*s`", (int)n, src);
      what = quoted;
    }
    if (!what) what = "this size";
    const char *msg = d->has_val
        ? cl_arena_printf(I->a, "%s is the plain int %lld here, not a SymInt", what,
                          (long long)d->val)
        : cl_arena_printf(I->a, "%s is a plain int here, not a SymInt", what);
    nd.why = cl_origin_new(I, f, read, msg, NULL, d->why);
  }
  return cl_v_scalar(I, VK_INT, nd, true, false);
}

cl_dim cl_dim_of(const cl_val *t, int i) {
  cl_dim unk = {0};
  if (t->rank < 0) {
    /* unknown rank: a contract may still pin a few leading dims */
    if (t->dims && i >= 0 && i < 16 && t->dims[i].k != D_UNK) return t->dims[i];
    return t->dflt;
  }
  if (i < 0) i += t->rank;
  if (i < 0 || i >= t->rank) return unk;
  return t->dims[i];
}

cl_dim cl_dim_from_val(const cl_val *v) {
  cl_dim unk = {0};
  if (!v) return unk;
  if (v->k == VK_INT || v->k == VK_BOOL) return v->d;
  return unk;
}

/* Python's integer arithmetic on int64: a result that int64 cannot hold
 * (Python's ints are unbounded) and a true division that is not exact have
 * no known value. '/' is floor division, 'd' true division. */
static int64_t apply(char op, int64_t a, int64_t b, bool *ok) {
  int64_t r;
  *ok = true;
  switch (op) {
  case '+': if (!__builtin_add_overflow(a, b, &r)) return r; break;
  case '-': if (!__builtin_sub_overflow(a, b, &r)) return r; break;
  case '*': if (!__builtin_mul_overflow(a, b, &r)) return r; break;
  case '/': case 'd': case '%':
    if (b == 0 || (b == -1 && a == INT64_MIN)) break;
    r = a % b;
    if (op == 'd') {
      if (r == 0) return a / b;
      break;
    }
    if (op == '%') return r != 0 && ((r < 0) != (b < 0)) ? r + b : r;
    return a / b - (r != 0 && ((r < 0) != (b < 0))); /* floor */
  case '<': return a < b ? a : b;   /* min */
  case '>': return a > b ? a : b;   /* max */
  }
  *ok = false;
  return 0;
}

/* Arithmetic on sizes: symbolic if either side is, concrete if both are. */
cl_dim cl_dim_combine(cl_interp *I, const cl_dim *a, const cl_dim *b, char op) {
  cl_dim r = {0};
  if (a->k == D_SYM || b->k == D_SYM) {
    r.k = D_SYM;
    r.why = a->k == D_SYM ? a->why : b->why;
  } else if (a->k == D_CONST && b->k == D_CONST) {
    r.k = D_CONST;
    r.why = a->why ? a->why : b->why;
  } else {
    return r;
  }
  if (a->has_val && b->has_val) {
    bool ok;
    r.val = apply(op, a->val, b->val, &ok);
    r.has_val = ok;
  }
  (void)I;
  return r;
}

static cl_dim join_dim(const cl_dim *a, const cl_dim *b) {
  cl_dim r = *a;
  if (a->k != b->k) {
    cl_dim unk = {0};
    return unk;
  }
  if (!(a->has_val && b->has_val && a->val == b->val)) r.has_val = false;
  return r;
}

cl_val *cl_v_join(cl_interp *I, cl_val *a, cl_val *b) {
  if (!a) return b;
  if (!b || a == b) return a;
  if (a->k != b->k) return cl_v_unknown(I);
  switch (a->k) {
  case VK_NONE: return a;
  case VK_BOOL: case VK_INT: case VK_FLOAT: {
    cl_val *r = cl_v_scalar(I, a->k, join_dim(&a->d, &b->d), a->reads_size || b->reads_size,
                            a->meta && b->meta);
    return r;
  }
  case VK_STR: return a->s && b->s && !strcmp(a->s, b->s) ? a : cl_v_str(I, NULL);
  case VK_TENSOR: case VK_SIZE: {
    if (a->rank != b->rank) {
      cl_val *t = cl_v_new(I, a->k);
      t->rank = -1;
      return t;
    }
    cl_val *t = a->k == VK_TENSOR ? cl_v_tensor_like(I, a) : cl_v_new(I, VK_SIZE);
    if (a->k == VK_SIZE) {
      t->rank = a->rank;
      if (a->rank > 0) t->dims = cl_arena_alloc(I->a, (size_t)a->rank * sizeof(cl_dim));
    }
    for (int i = 0; i < a->rank; i++) t->dims[i] = join_dim(&a->dims[i], &b->dims[i]);
    t->dflt = join_dim(&a->dflt, &b->dflt);
    t->param = a->param && b->param;
    t->fake = a->fake && b->fake;
    return t;
  }
  case VK_TUPLE: case VK_LIST: {
    if (a->n != b->n) return cl_v_new(I, a->k == VK_TUPLE ? VK_UNKNOWN : VK_LIST);
    cl_val *t = cl_v_tuple(I, a->k, a->n);
    for (uint32_t i = 0; i < a->n; i++) t->items[i] = cl_v_join(I, a->items[i], b->items[i]);
    return t;
  }
  case VK_EXTERN: return a->s && b->s && !strcmp(a->s, b->s) ? a : cl_v_unknown(I);
  case VK_FUNC: return a->func == b->func ? a : cl_v_unknown(I);
  case VK_CLASS: case VK_INST: return a->cls == b->cls && a->obj == b->obj ? a : cl_v_unknown(I);
  case VK_OBJ: return a->obj == b->obj ? a : cl_v_unknown(I);
  default: return cl_v_unknown(I);
  }
}

const char *cl_v_extern_tail(const cl_val *v) {
  if (!v || v->k != VK_EXTERN || !v->s) return NULL;
  const char *dot = strrchr(v->s, '.');
  return dot ? dot + 1 : v->s;
}

bool cl_v_is_extern(const cl_val *v, const char *tail) {
  const char *t = cl_v_extern_tail(v);
  return t && !strcmp(t, tail);
}

/* Python truthiness where it is known. A SymBool with an example value is
 * known too: bool() on it guards and takes that side. */
bool cl_v_truth(const cl_val *v, bool *known) {
  *known = false;
  if (!v) return false;
  switch (v->k) {
  case VK_NONE: *known = true; return false;
  case VK_BOOL: case VK_INT: case VK_FLOAT:
    if (v->d.has_val) {
      *known = true;
      return v->d.val != 0;
    }
    return false;
  case VK_STR:
    if (v->s) {
      *known = true;
      return v->s[0] != 0;
    }
    return false;
  case VK_TUPLE: case VK_LIST: *known = true; return v->n > 0;
  case VK_FUNC: case VK_CLASS: case VK_MODULE: *known = true; return true;
  default: return false;
  }
}

cl_val *cl_obj_get(cl_val *inst, const char *name) {
  if (!inst || !inst->obj) return NULL;
  cl_obj *o = inst->obj;
  for (uint32_t i = 0; i < o->nattrs; i++)
    if (!strcmp(o->names[i], name)) return o->vals[i];
  return NULL;
}

void cl_obj_set(cl_interp *I, cl_obj *o, const char *name, cl_val *v) {
  for (uint32_t i = 0; i < o->nattrs; i++)
    if (!strcmp(o->names[i], name)) {
      o->vals[i] = v;
      return;
    }
  if (o->nattrs == o->cap) {
    uint32_t cap = o->cap ? o->cap * 2 : 8;
    const char **nn = cl_arena_alloc(I->a, cap * sizeof(char *));
    cl_val **nv = cl_arena_alloc(I->a, cap * sizeof(cl_val *));
    if (o->nattrs) {
      memcpy(nn, o->names, o->nattrs * sizeof(char *));
      memcpy(nv, o->vals, o->nattrs * sizeof(cl_val *));
    }
    o->names = nn;
    o->vals = nv;
    o->cap = cap;
  }
  o->names[o->nattrs] = name;
  o->vals[o->nattrs++] = v;
}

cl_env *cl_env_new(cl_interp *I, cl_env *parent) {
  cl_env *e = cl_arena_alloc(I->a, sizeof *e);
  e->parent = parent;
  return e;
}

cl_val *cl_env_get_local(cl_env *e, const char *name) {
  for (uint32_t i = e->n; i-- > 0;)
    if (!strcmp(e->names[i], name)) return e->vals[i];
  return NULL;
}

cl_val *cl_env_lookup(cl_env *e, const char *name) {
  for (; e; e = e->parent) {
    cl_val *v = cl_env_get_local(e, name);
    if (v) return v;
  }
  return NULL;
}

void cl_env_set(cl_interp *I, cl_env *e, const char *name, cl_val *v) {
  for (uint32_t i = 0; i < e->n; i++)
    if (!strcmp(e->names[i], name)) {
      e->vals[i] = v;
      return;
    }
  if (e->n == e->cap) {
    uint32_t cap = e->cap ? e->cap * 2 : 8;
    const char **nn = cl_arena_alloc(I->a, cap * sizeof(char *));
    cl_val **nv = cl_arena_alloc(I->a, cap * sizeof(cl_val *));
    if (e->n) {
      memcpy(nn, e->names, e->n * sizeof(char *));
      memcpy(nv, e->vals, e->n * sizeof(cl_val *));
    }
    e->names = nn;
    e->vals = nv;
    e->cap = cap;
  }
  e->names[e->n] = name;
  e->vals[e->n++] = v;
}
