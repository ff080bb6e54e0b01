/*
 * interp.c — the abstract interpreter: evaluates the IR of expressions and
 * statements over abstract values, calls user functions and methods with
 * their arguments (context-sensitive: each call is interpreted with the
 * values it passes, up to a depth and step budget), and drives the whole
 * program: module bodies first, then every function as a host root, then the
 * roots that only decorators and contracts declare.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp.h"

#define MAX_DEPTH 24

typedef enum { ST_NORMAL = 0, ST_RETURN, ST_RAISE, ST_BREAK, ST_CONTINUE } cl_status;

typedef struct {
  cl_val *ret; /* joined return values */
  bool returned;
} frame;

static cl_val *eval(cl_interp *I, cl_env *env, const cl_expr *e);
static cl_status exec_block(cl_interp *I, cl_env *env, const cl_block *b, frame *fr);
static void assign(cl_interp *I, cl_env *env, const cl_expr *target, cl_val *v,
                   const cl_expr *value_expr);

#define BUILTIN_NAMES(X)                                                                      \
  X(len) X(int) X(float) X(bool) X(str) X(range) X(min) X(max) X(abs) X(isinstance) X(print)    \
  X(list) X(tuple) X(dict) X(set) X(super) X(getattr) X(setattr) X(hasattr) X(sum) X(any)       \
  X(all) X(enumerate) X(zip) X(map) X(sorted) X(reversed) X(round) X(type) X(id) X(iter)        \
  X(next) X(callable) X(divmod) X(pow) X(repr) X(format) X(open) X(object) X(property)          \
  X(staticmethod) X(classmethod) X(NotImplementedError) X(ValueError) X(RuntimeError)           \
  X(TypeError) X(AssertionError) X(Exception) X(KeyError) X(IndexError) X(__name__) X(__file__)
/* the names, and their extern values' dotted names (made once, not per lookup) */
#define BUILTIN_NAME(n) #n,
#define BUILTIN_DOTTED(n) "builtins." #n,
static const char *const BUILTINS[] = {BUILTIN_NAMES(BUILTIN_NAME) NULL};
static const char *const BUILTINS_DOTTED[] = {BUILTIN_NAMES(BUILTIN_DOTTED) NULL};

/* "a.b" in the arena, as cl_arena_printf("%s.%s") writes it, without printf */
static const char *dotted(cl_interp *I, const char *a, const char *b) {
  if (!a) a = "(null)";
  if (!b) b = "(null)";
  size_t la = strlen(a), lb = strlen(b);
  char *p = cl_arena_alloc(I->a, la + lb + 2);
  memcpy(p, a, la);
  p[la] = '.';
  memcpy(p + la + 1, b, lb + 1);
  return p;
}

static bool budget_left(cl_interp *I) { return I->steps-- > 0; }

/* ---- calls -------------------------------------------------------------- */

cl_val *cl_arg(cl_args *a, int pos, const char *kw) {
  if (kw)
    for (uint32_t i = 0; i < a->nkw; i++)
      if (cl_streq(a->kwnames[i], kw)) return a->kw[i];
  if (pos >= 0 && (uint32_t)pos < a->npos) return a->pos[pos];
  return NULL;
}

void cl_note_called(cl_interp *I, const cl_func *fn) {
  if (!fn) {
    I->called.null = true;
    return;
  }
  if ((I->called.n + 1) * 2 > I->called.cap) {
    size_t oc = I->called.cap;
    const void **old = I->called.slots;
    I->called.cap = oc ? oc * 2 : 256;
    I->called.slots = cl_xcalloc(I->called.cap, sizeof *I->called.slots);
    for (size_t i = 0; i < oc; i++)
      if (old[i]) {
        size_t j = cl_ptr_slot(old[i], I->called.cap - 1);
        while (I->called.slots[j]) j = (j + 1) & (I->called.cap - 1);
        I->called.slots[j] = old[i];
      }
    free(old);
  }
  size_t m = I->called.cap - 1, j = cl_ptr_slot(fn, m);
  for (; I->called.slots[j]; j = (j + 1) & m)
    if (I->called.slots[j] == fn) return;
  I->called.slots[j] = fn;
  I->called.n++;
}

bool cl_was_called(const cl_interp *I, const cl_func *fn) {
  if (!fn) return I->called.null;
  if (!I->called.cap) return false;
  size_t m = I->called.cap - 1;
  for (size_t j = cl_ptr_slot(fn, m); I->called.slots[j]; j = (j + 1) & m)
    if (I->called.slots[j] == fn) return true;
  return false;
}

static bool on_stack(cl_interp *I, cl_func *fn) {
  for (size_t i = 0; i < I->stack.n; i++)
    if (I->stack.v[i] == fn) return true;
  return false;
}

cl_val *cl_call_function(cl_interp *I, cl_func *fn, cl_val *self, cl_env *closure,
                         cl_modinfo *mod, cl_args *args) {
  if (I->depth >= MAX_DEPTH || on_stack(I, fn) || !budget_left(I)) return cl_v_unknown(I);
  cl_env *env = cl_env_new(I, closure);
  uint32_t pi = 0;
  uint32_t npos = args ? args->npos : 0;
  cl_val *star = NULL, *dstar = NULL;
  for (uint32_t i = 0; i < fn->nparams; i++) {
    cl_param *p = &fn->params[i];
    cl_val *v = NULL;
    if (p->kind == P_VARARGS) {
      uint32_t rest = npos > pi ? npos - pi : 0;
      star = cl_v_tuple(I, VK_TUPLE, rest);
      for (uint32_t k = 0; k < rest; k++) star->items[k] = args->pos[pi + k];
      pi = npos;
      v = star;
    } else if (p->kind == P_KWARGS) {
      dstar = cl_v_new(I, VK_DICT);
      v = dstar;
    } else {
      if (i == 0 && self) {
        v = self;
      } else {
        if (args)
          for (uint32_t k = 0; k < args->nkw; k++)
            if (cl_streq(args->kwnames[k], p->name)) v = args->kw[k];
        if (!v && p->kind == P_NORMAL && pi < npos) v = args->pos[pi++];
        if (!v && p->dflt) v = eval(I, closure, p->dflt);
      }
    }
    cl_env_set(I, env, p->name, v ? v : cl_v_unknown(I));
  }
  const cl_file *saved_file = I->file;
  cl_modinfo *saved_mod = I->curmod;
  I->file = fn->file;
  if (mod) I->curmod = mod;
  I->depth++;
  cl_vec_push(&I->stack, fn);
  cl_val *result;
  if (fn->is_lambda) {
    result = eval(I, env, fn->lambda_body);
  } else {
    frame fr = {0};
    if (fn->lazy_end) cl_parse_body(I->s, fn);
    exec_block(I, env, &fn->body, &fr);
    result = fr.returned ? fr.ret : cl_v_none(I);
    if (!result) result = cl_v_unknown(I);
  }
  I->stack.n--;
  I->depth--;
  I->file = saved_file;
  I->curmod = saved_mod;
  return result;
}

/* Look a name up in a class and its bases. */
static cl_val *class_attr(cl_interp *I, cl_val *cls, const char *name, int depth) {
  if (!cls || cls->k != VK_CLASS || depth > 8) return NULL;
  cl_val *v = cl_obj_get(cls, name);
  if (v) return v;
  cl_val *bases = cl_obj_get(cls, "__bases__");
  if (bases && bases->k == VK_TUPLE)
    for (uint32_t i = 0; i < bases->n; i++) {
      cl_val *r = class_attr(I, bases->items[i], name, depth + 1);
      if (r) return r;
    }
  return NULL;
}

static bool class_is_torch_module(cl_val *cls, int depth) {
  if (!cls || depth > 8) return false;
  if (cls->k == VK_EXTERN) return cls->s && strstr(cls->s, "Module") != NULL;
  if (cls->k != VK_CLASS) return false;
  cl_val *bases = cl_obj_get(cls, "__bases__");
  if (bases && bases->k == VK_TUPLE)
    for (uint32_t i = 0; i < bases->n; i++)
      if (class_is_torch_module(bases->items[i], depth + 1)) return true;
  return false;
}

cl_val *cl_instantiate(cl_interp *I, cl_val *cls, cl_args *args) {
  cl_val *inst = cl_v_new(I, VK_INST);
  inst->cls = cls->cls;
  inst->obj = cl_arena_alloc(I->a, sizeof(cl_obj));
  cl_obj_set(I, inst->obj, "__class__", cls);
  cl_val *init = class_attr(I, cls, "__init__", 0);
  if (init && init->k == VK_FUNC) cl_call_function(I, init->func, inst, init->closure, init->mod, args);
  return inst;
}

cl_val *cl_get_attr(cl_interp *I, cl_val *obj, const char *name, const cl_expr *at) {
  if (!obj) return cl_v_unknown(I);
  if (obj->meta && obj->k == VK_STR) /* x.device.type, x.dtype.is_floating_point */
    return cl_v_scalar(I, VK_STR, cl_dim_const(0, false, NULL), false, true);
  switch (obj->k) {
  case VK_TENSOR: return cl_tensor_attr(I, obj, name, at);
  case VK_EXTERN: return cl_v_extern(I, dotted(I, obj->s, name));
  case VK_MODULE: {
    cl_val *v = obj->mod && obj->mod->env ? cl_env_get_local(obj->mod->env, name) : NULL;
    if (v) return v;
    /* a submodule: import pkg.sub */
    bool found = false;
    if (obj->mod && obj->mod->file) {
      const char *dotted = cl_arena_printf(I->a, "%s.%s", obj->s ? obj->s : "", name);
      v = cl_import_module(I, dotted, 0, &found);
      if (found) return v;
    }
    return cl_v_unknown(I);
  }
  case VK_INST: {
    cl_val *v = cl_obj_get(obj, name);
    if (v) return v;
    cl_val *cls = cl_obj_get(obj, "__class__");
    v = class_attr(I, cls, name, 0);
    if (v && v->k == VK_OBJ && v->obj->kind == OBJ_COMPILED && v->obj->target &&
        v->obj->target->k == VK_FUNC) {
      /* a @torch.compile'd method: compile the method bound to this instance */
      cl_val *b = cl_v_new(I, VK_BOUND);
      b->func = v->obj->target->func;
      b->self = obj;
      b->closure = v->obj->target->closure;
      b->mod = v->obj->target->mod;
      cl_val *c = cl_v_obj(I, OBJ_COMPILED);
      *c->obj = *v->obj;
      c->obj->target = b;
      v->obj->ncalls++; /* the decorated method is reached through instances */
      return c;
    }
    if (v && v->k == VK_FUNC) {
      cl_val *b = cl_v_new(I, VK_BOUND);
      b->func = v->func;
      b->self = obj;
      b->closure = v->closure;
      b->mod = v->mod;
      return b;
    }
    if (v) return v;
    if (cl_streq(name, "training")) return cl_v_bool(I, true);
    return cl_v_unknown(I);
  }
  case VK_CLASS: {
    cl_val *v = class_attr(I, obj, name, 0);
    return v ? v : cl_v_unknown(I);
  }
  case VK_OBJ: {
    if (obj->obj->kind == OBJ_CUSTOMOP) return cl_customop_attr(I, obj, name);
    if (obj->obj->kind == OBJ_FAKEMODE && cl_streq(name, "shape_env")) {
      if (!obj->obj->has_shape_env) return cl_v_none(I);
      cl_val *se = cl_obj_get(obj, "shape_env");
      return se ? se : cl_v_obj(I, OBJ_SHAPEENV);
    }
    cl_val *v = cl_obj_get(obj, name);
    return v ? v : cl_v_unknown(I);
  }
  case VK_UNKNOWN:
    /* metadata reads are static whatever the value is */
    if (cl_streq(name, "ndim") || cl_streq(name, "dtype") || cl_streq(name, "device") ||
        cl_streq(name, "is_cuda") || cl_streq(name, "shape"))
      return cl_tensor_attr(I, cl_v_tensor(I, -1), name, at);
    return cl_v_unknown(I);
  default: return cl_v_unknown(I);
  }
}

cl_val *cl_call_value(cl_interp *I, cl_val *callee, cl_args *args) {
  if (!callee) return cl_v_unknown(I);
  switch (callee->k) {
  case VK_FUNC: {
    if (I->mode == MODE_HOST) cl_note_called(I, callee->func);
    return cl_call_function(I, callee->func, NULL, callee->closure, callee->mod, args);
  }
  case VK_BOUND:
    if (I->mode == MODE_HOST) cl_note_called(I, callee->func);
    return cl_call_function(I, callee->func, callee->self, callee->closure, callee->mod, args);
  case VK_CLASS: return cl_instantiate(I, callee, args);
  case VK_INST: {
    if (callee->obj && callee->obj->compiled_module && I->mode == MODE_HOST)
      return cl_tracing_obj_call(I, callee, args);
    cl_val *fwd = cl_get_attr(I, callee, "forward", NULL);
    if (fwd->k != VK_BOUND && fwd->k != VK_OBJ) fwd = cl_get_attr(I, callee, "__call__", NULL);
    return fwd->k == VK_BOUND || fwd->k == VK_OBJ ? cl_call_value(I, fwd, args) : cl_v_unknown(I);
  }
  case VK_OBJ: return cl_tracing_obj_call(I, callee, args);
  case VK_EXTERN: {
    if (cl_is_cond(callee)) return cl_cond_site(I, args);
    if (callee->s && !strncmp(callee->s, "torch.ops.", 10)) {
      bool h = false;
      size_t before = cl_customop_state(I);
      cl_val *r = cl_customop_invoke(I, callee, args, &h);
      cl_customop_touch(I, before, false);
      if (h) return r;
    }
    if (cl_v_is_extern(callee, "run_and_get_code") && args->npos >= 1) {
      /* torch._inductor.utils.run_and_get_code(fn, *args) calls fn(*args) */
      cl_args rest = *args;
      rest.pos = args->pos + 1;
      rest.npos = args->npos - 1;
      cl_val *r = cl_v_tuple(I, VK_TUPLE, 2);
      r->items[0] = cl_call_value(I, args->pos[0], &rest);
      r->items[1] = cl_v_unknown(I);
      return r;
    }
    if (callee->s && cl_streq(callee->s, "nnmod.Sequential") && args->npos == 1) {
      cl_val *x = args->pos[0];
      for (uint32_t i = 0; i < callee->n; i++) {
        cl_args a = {0};
        a.pos = &x;
        a.npos = 1;
        a.call = args->call;
        x = cl_call_value(I, callee->items[i], &a);
      }
      return x;
    }
    if (callee->s && cl_streq(callee->s, "nnmod.Linear") && args->npos >= 1 &&
        args->pos[0]->k == VK_TENSOR && args->pos[0]->rank > 0) {
      /* nn.Linear(in, out)(x): the last dim becomes out_features, a plain int */
      cl_val *x = args->pos[0];
      cl_val *out = callee->n >= 2 ? callee->items[1] : NULL;
      cl_val *r = cl_v_tensor_like(I, x);
      r->dims[x->rank - 1] = out && out->k == VK_INT ? out->d : (cl_dim){0};
      if (r->dims[x->rank - 1].k == D_SYM) r->dims[x->rank - 1] = (cl_dim){0};
      return r;
    }
    const char *tail = cl_v_extern_tail(callee);
    bool handled = false;
    cl_val *r = cl_tracing_call(I, callee, tail, callee->s, args, &handled);
    if (handled) return r;
    r = cl_torch_function(I, tail, callee->s, args, &handled);
    if (handled) return r;
    return cl_v_unknown(I);
  }
  default: return cl_v_unknown(I);
  }
}

static void push_arg(cl_interp *I, cl_args *a, size_t *cap, cl_val *v) {
  if (a->npos == *cap) {
    *cap = *cap ? *cap * 2 : 8;
    cl_val **nv = cl_arena_alloc(I->a, *cap * sizeof(cl_val *));
    if (a->npos) memcpy(nv, a->pos, a->npos * sizeof(cl_val *));
    a->pos = nv;
  }
  a->pos[a->npos++] = v;
}

static void push_kw(cl_interp *I, cl_args *a, size_t *cap, const char *name, cl_val *v) {
  if (a->nkw == *cap) {
    *cap = *cap ? *cap * 2 : 8;
    cl_val **nv = cl_arena_alloc(I->a, *cap * sizeof(cl_val *));
    const char **nn = cl_arena_alloc(I->a, *cap * sizeof(char *));
    if (a->nkw) {
      memcpy(nv, a->kw, a->nkw * sizeof(cl_val *));
      memcpy(nn, a->kwnames, a->nkw * sizeof(char *));
    }
    a->kw = nv;
    a->kwnames = nn;
  }
  a->kwnames[a->nkw] = name;
  a->kw[a->nkw++] = v;
}

static void eval_args(cl_interp *I, cl_env *env, const cl_expr *call, cl_args *a) {
  memset(a, 0, sizeof *a);
  a->call = call;
  size_t pcap = 0, kcap = 0;
  for (uint32_t i = 1; i < call->nkids; i++) {
    const cl_expr *k = call->kids[i];
    if (k->kind == E_KEYWORD) {
      push_kw(I, a, &kcap, k->s, eval(I, env, k->kids[0]));
    } else if (k->kind == E_STARRED) {
      cl_val *v = eval(I, env, k->kids[0]);
      if (v->k == VK_TUPLE || v->k == VK_LIST)
        for (uint32_t j = 0; j < v->n; j++) push_arg(I, a, &pcap, v->items[j]);
      else push_arg(I, a, &pcap, cl_v_unknown(I));
    } else if (k->kind == E_DSTARRED) {
      cl_val *v = eval(I, env, k->kids[0]);
      if (v->k == VK_DICT)
        for (uint32_t j = 0; j + 1 < v->n; j += 2)
          if (v->items[j]->k == VK_STR && v->items[j]->s)
            push_kw(I, a, &kcap, v->items[j]->s, v->items[j + 1]);
    } else {
      push_arg(I, a, &pcap, eval(I, env, k));
    }
  }
}

/* ---- expressions -------------------------------------------------------- */

static cl_val *lookup_name(cl_interp *I, cl_env *env, const char *name) {
  cl_val *v = cl_env_lookup(env, name);
  if (v) return v;
  for (size_t i = 0; BUILTINS[i]; i++)
    if (BUILTINS[i][0] == name[0] && cl_streq(BUILTINS[i], name))
      return cl_v_extern(I, BUILTINS_DOTTED[i]);
  return cl_v_unknown(I);
}

static cl_val *eval_seq(cl_interp *I, cl_env *env, const cl_expr *e, cl_vk k) {
  cl_vec items = {0};
  for (uint32_t i = 0; i < e->nkids; i++) {
    const cl_expr *x = e->kids[i];
    if (x->kind == E_STARRED) {
      cl_val *v = eval(I, env, x->kids[0]);
      if (v->k == VK_TUPLE || v->k == VK_LIST) {
        for (uint32_t j = 0; j < v->n; j++) cl_vec_push(&items, v->items[j]);
        continue;
      }
      cl_vec_free(&items);
      return cl_v_new(I, k == VK_TUPLE ? VK_UNKNOWN : VK_UNKNOWN);
    }
    cl_vec_push(&items, eval(I, env, x));
  }
  cl_val *t = cl_v_tuple(I, k, (uint32_t)items.n);
  for (size_t i = 0; i < items.n; i++) t->items[i] = items.v[i];
  cl_vec_free(&items);
  return t;
}

static cl_val *subscript(cl_interp *I, cl_val *v, cl_val *idx, const cl_expr *at) {
  if (v->k == VK_TENSOR) return cl_tensor_subscript(I, v, idx, at);
  if (v->k == VK_SIZE) {
    if (idx->k == VK_INT && idx->d.k == D_CONST && idx->d.has_val) {
      int i = (int)idx->d.val;
      if (v->rank >= 0 && (i >= v->rank || i < -v->rank)) return cl_v_unknown(I);
      cl_dim d = cl_dim_of(v, i);
      return cl_v_from_dim(I, &d, I->file, at->span, NULL);
    }
    if (idx->k == VK_EXTERN && cl_v_is_extern(idx, "slice") && v->rank >= 0) {
      int64_t lo = 0, hi = v->rank;
      cl_val *a = idx->items[0], *b = idx->items[1];
      if (a && a->k == VK_INT && a->d.has_val) lo = a->d.val < 0 ? a->d.val + v->rank : a->d.val;
      if (b && b->k == VK_INT && b->d.has_val) hi = b->d.val < 0 ? b->d.val + v->rank : b->d.val;
      if (lo < 0) lo = 0;
      if (hi > v->rank) hi = v->rank;
      if (hi < lo) hi = lo;
      cl_val *s = cl_v_new(I, VK_SIZE);
      s->rank = (int)(hi - lo);
      s->dims = cl_arena_alloc(I->a, (size_t)(s->rank ? s->rank : 1) * sizeof(cl_dim));
      for (int64_t i = lo; i < hi; i++) s->dims[i - lo] = v->dims[i];
      return s;
    }
    return cl_v_unknown(I);
  }
  if (v->k == VK_TUPLE || v->k == VK_LIST) {
    if (idx->k == VK_INT && idx->d.k == D_CONST && idx->d.has_val) {
      int64_t i = idx->d.val;
      if (i < 0) i += v->n;
      if (i >= 0 && i < (int64_t)v->n) return v->items[i];
    }
    return cl_v_unknown(I);
  }
  if (v->k == VK_DICT && idx->k == VK_STR && idx->s) {
    for (uint32_t j = 0; j + 1 < v->n; j += 2)
      if (v->items[j]->k == VK_STR && v->items[j]->s && cl_streq(v->items[j]->s, idx->s))
        return v->items[j + 1];
    return cl_v_unknown(I);
  }
  if (v->k == VK_DICT && idx->k == VK_INT && idx->d.has_val) {
    for (uint32_t j = 0; j + 1 < v->n; j += 2)
      if (v->items[j]->k == VK_INT && v->items[j]->d.has_val && v->items[j]->d.val == idx->d.val)
        return v->items[j + 1];
  }
  return cl_v_unknown(I);
}

static cl_val *eval_call(cl_interp *I, cl_env *env, const cl_expr *e) {
  const cl_expr *fn = e->kids[0];
  cl_args args;
  if (fn->kind == E_ATTR) {
    cl_val *obj = eval(I, env, fn->kids[0]);
    eval_args(I, env, e, &args);
    const char *name = fn->s;
    if (obj->k == VK_TENSOR) return cl_tensor_method(I, obj, name, &args, e);
    if (obj->k == VK_UNKNOWN && (cl_streq(name, "dim") || cl_streq(name, "ndimension") ||
                                 cl_streq(name, "is_floating_point") || cl_streq(name, "is_contiguous")))
      return cl_tensor_method(I, cl_v_tensor(I, -1), name, &args, e); /* metadata of anything */
    if (obj->k == VK_OBJ) {
      bool handled = false;
      cl_val *r = cl_tracing_obj_method(I, obj, name, &args, &handled);
      if (handled) return r;
    }
    if (obj->k == VK_INST && cl_streq(name, "compile") && class_is_torch_module(cl_obj_get(obj, "__class__"), 0)) {
      obj->obj->compiled_module = true;
      cl_val *dyn = cl_arg(&args, -1, "dynamic");
      obj->obj->compiled_dynamic = dyn && (dyn->k == VK_BOOL || dyn->k == VK_INT) && dyn->d.has_val ? (int)dyn->d.val : -1;
      obj->obj->file = I->file;
      obj->obj->span = e->span;
      return cl_v_none(I);
    }
    if (obj->k == VK_INST && (cl_streq(name, "register_buffer") || cl_streq(name, "register_parameter"))) {
      cl_val *nm = cl_arg(&args, 0, "name"), *t = cl_arg(&args, 1, NULL);
      if (nm && nm->k == VK_STR && nm->s && t) {
        if (t->k == VK_TENSOR) {
          t = cl_v_tensor_like(I, t);
          t->param = true;
        }
        cl_obj_set(I, obj->obj, nm->s, t);
      }
      return cl_v_none(I);
    }
    if (obj->k == VK_LIST && cl_streq(name, "append") && args.npos == 1) {
      cl_val **ni = cl_arena_alloc(I->a, (obj->n + 1) * sizeof(cl_val *));
      if (obj->n) memcpy(ni, obj->items, obj->n * sizeof(cl_val *));
      cl_touch(I, EV_VAL, obj);
      ni[obj->n++] = args.pos[0];
      obj->items = ni;
      return cl_v_none(I);
    }
    if (obj->k == VK_DICT && cl_streq(name, "get")) {
      cl_val *k = cl_arg(&args, 0, NULL);
      if (k) {
        cl_val *r = subscript(I, obj, k, e);
        if (r->k != VK_UNKNOWN) return r;
        cl_val *d = cl_arg(&args, 1, NULL);
        return d ? d : cl_v_none(I);
      }
    }
    if (obj->k == VK_SIZE && cl_streq(name, "numel")) {
      cl_val *t = cl_v_tensor(I, obj->rank);
      t->dims = obj->dims;
      t->dflt = obj->dflt;
      return cl_tensor_method(I, t, "numel", &args, e);
    }
    cl_val *callee = cl_get_attr(I, obj, name, fn);
    return cl_call_value(I, callee, &args);
  }
  cl_val *callee = eval(I, env, fn);
  eval_args(I, env, e, &args);
  return cl_call_value(I, callee, &args);
}

static cl_val *eval_compare(cl_interp *I, cl_env *env, const cl_expr *e) {
  if (e->nkids < 2) return cl_v_unknown(I);
  /* ops are space-separated in e->s */
  const char *ops[16];
  char buf[128];
  size_t len = strlen(e->s);
  if (len >= sizeof buf) return cl_v_unknown(I);
  memcpy(buf, e->s, len + 1);
  int nops = 0;
  for (char *tok = strtok(buf, " "); tok && nops < 16; tok = strtok(NULL, " ")) ops[nops++] = tok;
  cl_val *left = eval(I, env, e->kids[0]);
  cl_val *result = NULL;
  for (uint32_t i = 1; i < e->nkids && (int)i - 1 < nops; i++) {
    cl_val *right = eval(I, env, e->kids[i]);
    cl_val *r = cl_compare(I, ops[i - 1], left, right, e);
    if (!result) result = r;
    else {
      /* a < b < c is (a < b) and (b < c): the left side is guarded */
      bool known, t = cl_v_truth(result, &known);
      if (known && !t) return result;
      result = r;
    }
    left = right;
  }
  return result ? result : cl_v_unknown(I);
}

static cl_val *eval_boolop(cl_interp *I, cl_env *env, const cl_expr *e, bool is_and) {
  cl_val *l = eval(I, env, e->kids[0]);
  bool known, t = cl_v_truth(l, &known);
  if (known) {
    if (is_and ? !t : t) return l;
    return eval(I, env, e->kids[1]);
  }
  cl_val *r = eval(I, env, e->kids[1]);
  if (l->k == VK_TENSOR || r->k == VK_TENSOR) return cl_v_unknown(I);
  if ((l->k == VK_BOOL || l->k == VK_INT) && (r->k == VK_BOOL || r->k == VK_INT)) {
    /* a symbolic left side without an example value: either side may be the result */
    if (l->d.k == D_SYM && r->d.k == D_SYM) return cl_v_scalar(I, VK_BOOL, r->d, true, false);
    if (l->d.k == D_CONST && r->d.k == D_CONST)
      return cl_v_scalar(I, VK_BOOL, cl_dim_const(0, false, l->d.why ? l->d.why : r->d.why),
                         l->reads_size || r->reads_size, l->meta && r->meta);
  }
  return cl_v_join(I, l, r);
}

/* The number of kids each kind needs; an IR that breaks it (a damaged cache
 * entry) evaluates to unknown instead of being trusted. */
static uint32_t kids_needed(cl_ekind k) {
  switch (k) {
  case E_ATTR: case E_CALL: case E_UNARY: case E_NOT: case E_KEYWORD: case E_STARRED:
  case E_DSTARRED: return 1;
  case E_SUBSCRIPT: case E_BINOP: case E_COMPARE: case E_AND: case E_OR: case E_WALRUS: return 2;
  case E_IFEXP: case E_SLICE: return 3;
  default: return 0;
  }
}

static cl_val *eval(cl_interp *I, cl_env *env, const cl_expr *e) {
  if (!e) return cl_v_none(I);
  if (!budget_left(I)) return cl_v_unknown(I);
  if (e->nkids < kids_needed(e->kind)) return cl_v_unknown(I);
  for (uint32_t i = 0; i < kids_needed(e->kind); i++)
    if (!e->kids[i] && e->kind != E_SLICE) return cl_v_unknown(I);
  switch (e->kind) {
  case E_NAME: return lookup_name(I, env, e->s);
  case E_ATTR: return cl_get_attr(I, eval(I, env, e->kids[0]), e->s, e);
  case E_CALL: return eval_call(I, env, e);
  case E_SUBSCRIPT: return subscript(I, eval(I, env, e->kids[0]), eval(I, env, e->kids[1]), e);
  case E_INT: return cl_v_int(I, e->i);
  case E_FLOAT: {
    cl_val *v = cl_v_new(I, VK_FLOAT);
    bool in_range = e->f > -9.2e18 && e->f < 9.2e18; /* (int64_t) of a larger double is UB */
    v->d = cl_dim_const(in_range ? (int64_t)e->f : 0, in_range && e->f == (double)(int64_t)e->f, NULL);
    return v;
  }
  case E_STR: return cl_v_str(I, e->s);
  case E_TRUE: return cl_v_bool(I, true);
  case E_FALSE: return cl_v_bool(I, false);
  case E_NONE: return cl_v_none(I);
  case E_ELLIPSIS: return cl_v_extern(I, "builtins.Ellipsis");
  case E_TUPLE: return eval_seq(I, env, e, VK_TUPLE);
  case E_LIST: case E_SET: return eval_seq(I, env, e, VK_LIST);
  case E_DICT: {
    cl_val *d = cl_v_tuple(I, VK_DICT, e->nkids);
    uint32_t w = 0;
    for (uint32_t i = 0; i + 1 < e->nkids; i += 2) {
      if (e->kids[i]->kind == E_DSTARRED) {
        cl_val *src = eval(I, env, e->kids[i + 1]);
        if (src->k != VK_DICT) continue;
        cl_val **ni = cl_arena_alloc(I->a, (d->n + src->n + 1) * sizeof(cl_val *));
        if (w) memcpy(ni, d->items, w * sizeof(cl_val *));
        if (src->n) memcpy(ni + w, src->items, src->n * sizeof(cl_val *));
        d->items = ni;
        d->n += src->n;
        w += src->n;
        continue;
      }
      d->items[w++] = eval(I, env, e->kids[i]);
      d->items[w++] = eval(I, env, e->kids[i + 1]);
    }
    d->n = w;
    return d;
  }
  case E_BINOP: return cl_binop(I, e->s, eval(I, env, e->kids[0]), eval(I, env, e->kids[1]), e);
  case E_UNARY: {
    cl_val *v = eval(I, env, e->kids[0]);
    if (v->k == VK_TENSOR) return cl_v_tensor_like(I, v);
    if ((v->k == VK_INT || v->k == VK_FLOAT) && cl_streq(e->s, "-")) {
      cl_val *r = cl_v_scalar(I, v->k, v->d, v->reads_size, v->meta);
      if (v->d.val == INT64_MIN) r->d.has_val = false; /* 2**63 is beyond int64 */
      else r->d.val = -v->d.val;
      return r;
    }
    if (v->k == VK_INT || v->k == VK_FLOAT || v->k == VK_BOOL) return v;
    return cl_v_unknown(I);
  }
  case E_NOT: {
    cl_val *v = eval(I, env, e->kids[0]);
    bool known, t = cl_v_truth(v, &known);
    if (v->k == VK_BOOL || v->k == VK_INT) {
      cl_val *r = cl_v_scalar(I, VK_BOOL, v->d, v->reads_size, v->meta);
      r->d.val = !t;
      return r;
    }
    if (known) return cl_v_bool(I, !t);
    return cl_v_unknown(I);
  }
  case E_COMPARE: return eval_compare(I, env, e);
  case E_AND: return eval_boolop(I, env, e, true);
  case E_OR: return eval_boolop(I, env, e, false);
  case E_IFEXP: {
    cl_val *test = eval(I, env, e->kids[1]);
    bool known, t = cl_v_truth(test, &known);
    if (known) return eval(I, env, e->kids[t ? 0 : 2]);
    return cl_v_join(I, eval(I, env, e->kids[0]), eval(I, env, e->kids[2]));
  }
  case E_LAMBDA: {
    cl_val *f = cl_v_new(I, VK_FUNC);
    f->func = e->lambda;
    f->closure = env;
    f->mod = I->curmod;
    return f;
  }
  case E_SLICE: {
    cl_val *s = cl_v_extern(I, "builtins.slice");
    s->n = 3;
    s->items = cl_arena_alloc(I->a, 3 * sizeof(cl_val *));
    for (int i = 0; i < 3; i++) s->items[i] = e->kids[i] ? eval(I, env, e->kids[i]) : NULL;
    return s;
  }
  case E_STARRED: case E_KEYWORD: case E_DSTARRED: return eval(I, env, e->kids[0]);
  case E_COMPREHENSION: {
    if (e->nkids != 4) return cl_v_unknown(I);
    cl_val *it = eval(I, env, e->kids[2]);
    cl_env *inner = cl_env_new(I, env);
    int64_t n = -1;
    if ((it->k == VK_TUPLE || it->k == VK_LIST) && !it->open_len) n = it->n;
    else if (it->k == VK_EXTERN && cl_v_is_extern(it, "range") && it->n == 1 && it->items[0] &&
             it->items[0]->k == VK_INT && it->items[0]->d.has_val)
      n = it->items[0]->d.val;
    if (n >= 0 && n <= 64 && !e->kids[3]) {
      cl_val *out = cl_v_tuple(I, VK_LIST, (uint32_t)n);
      for (int64_t i = 0; i < n; i++) {
        cl_val *elem = it->k == VK_EXTERN ? cl_v_int(I, i) : it->items[i];
        assign(I, inner, e->kids[1], elem, NULL);
        out->items[i] = eval(I, inner, e->kids[0]);
      }
      return out;
    }
    /* unknown length: one representative element */
    cl_val *elem = (it->k == VK_TUPLE || it->k == VK_LIST) && it->n ? it->items[0] : cl_v_unknown(I);
    assign(I, inner, e->kids[1], elem, NULL);
    cl_val *out = cl_v_tuple(I, VK_LIST, 1);
    out->items[0] = eval(I, inner, e->kids[0]);
    out->open_len = true;
    return out;
  }
  case E_WALRUS: {
    cl_val *v = eval(I, env, e->kids[1]);
    assign(I, env, e->kids[0], v, e->kids[1]);
    return v;
  }
  default: return cl_v_unknown(I);
  }
}

/* ---- statements --------------------------------------------------------- */

static void assign(cl_interp *I, cl_env *env, const cl_expr *target, cl_val *v,
                   const cl_expr *value_expr) {
  if (!target) return;
  switch (target->kind) {
  case E_NAME: cl_env_set(I, env, target->s, v); return;
  case E_TUPLE: case E_LIST: {
    uint32_t n = target->nkids;
    int star = -1;
    for (uint32_t i = 0; i < n; i++)
      if (target->kids[i]->kind == E_STARRED) star = (int)i;
    for (uint32_t i = 0; i < n; i++) {
      const cl_expr *t = target->kids[i];
      cl_val *item = NULL;
      if (star < 0) {
        if (v->k == VK_TUPLE || v->k == VK_LIST) {
          if (v->n == n) item = v->items[i];
        } else if (v->k == VK_SIZE) {
          if (v->rank < 0 || v->rank == (int)n) {
            cl_dim d = cl_dim_of(v, (int)i);
            /* cl_v_from_dim reads the name only for a plain int while traced */
            const char *what = d.k == D_CONST && I->mode == MODE_TRACED
                ? cl_arena_printf(I->a, "the size unpacked into `%s` (dim %u)",
                                  t->kind == E_NAME ? t->s : "?", i)
                : NULL;
            item = cl_v_from_dim(I, &d, I->file, value_expr ? value_expr->span : t->span, what);
          }
        }
      }
      if (t->kind == E_STARRED) assign(I, env, t->kids[0], cl_v_unknown(I), NULL);
      else assign(I, env, t, item ? item : cl_v_unknown(I), NULL);
    }
    return;
  }
  case E_ATTR: {
    cl_val *obj = eval(I, env, target->kids[0]);
    if (obj->k == VK_EXTERN && obj->s && cl_streq(obj->s, "torch._dynamo.config")) {
      bool known, t = cl_v_truth(v, &known);
      if (known && cl_streq(target->s, "automatic_dynamic_shapes")) I->auto_dynamic = t;
      if (known && cl_streq(target->s, "assume_static_by_default")) I->assume_static = t;
      return;
    }
    if ((obj->k == VK_INST || obj->k == VK_OBJ) && obj->obj) {
      cl_obj_set(I, obj->obj, target->s, v);
    }
    return;
  }
  case E_SUBSCRIPT: {
    cl_val *obj = eval(I, env, target->kids[0]);
    cl_val *key = eval(I, env, target->kids[1]);
    if (obj->k == VK_DICT) {
      cl_touch(I, EV_VAL, obj);
      for (uint32_t j = 0; j + 1 < obj->n; j += 2)
        if (key->k == VK_STR && key->s && obj->items[j]->k == VK_STR && obj->items[j]->s &&
            cl_streq(obj->items[j]->s, key->s)) {
          obj->items[j + 1] = v;
          return;
        }
      cl_val **ni = cl_arena_alloc(I->a, (obj->n + 2) * sizeof(cl_val *));
      if (obj->n) memcpy(ni, obj->items, obj->n * sizeof(cl_val *));
      ni[obj->n] = key;
      ni[obj->n + 1] = v;
      obj->items = ni;
      obj->n += 2;
    }
    return;
  }
  case E_STARRED: assign(I, env, target->kids[0], cl_v_unknown(I), NULL); return;
  default: return;
  }
}

/* Copy an env's own bindings, so that two branches can run apart. */
static cl_env *env_fork(cl_interp *I, cl_env *e) {
  cl_env *c = cl_env_new(I, e->parent);
  c->n = c->cap = e->n;
  if (e->n) { /* filled whole: not zeroed first */
    c->names = cl_arena_alloc_uninit(I->a, e->n * sizeof(char *));
    c->vals = cl_arena_alloc_uninit(I->a, e->n * sizeof(cl_val *));
    memcpy(c->names, e->names, e->n * sizeof(char *));
    memcpy(c->vals, e->vals, e->n * sizeof(cl_val *));
  } else {
    c->names = cl_arena_alloc(I->a, sizeof(char *));
    c->vals = cl_arena_alloc(I->a, sizeof(cl_val *));
  }
  if (e->idx.owner == e && e->idx.n == e->n && e->idx.cap) {
    /* the same names at the same positions: the copy's index is e's */
    c->idx = e->idx;
    c->idx.owner = c;
    c->idx.slots = cl_arena_alloc_uninit(I->a, e->idx.cap * sizeof(uint32_t));
    memcpy(c->idx.slots, e->idx.slots, e->idx.cap * sizeof(uint32_t));
  }
  return c;
}

/* Merge the bindings of branch b into e, joining values that differ. */
static void env_merge(cl_interp *I, cl_env *e, cl_env *b) {
  for (uint32_t i = 0; i < b->n; i++) {
    if (i < e->n && e->names[i] == b->names[i]) {
      /* both forks of one env: the names they had are at the same positions
       * (a name is bound once), so this is cl_env_get_local / cl_env_set */
      cl_val *old = e->vals[i];
      if (old == b->vals[i]) continue;
      cl_val *j = cl_v_join(I, old, b->vals[i]);
      cl_touch(I, EV_ENV, e);
      e->vals[i] = j;
      continue;
    }
    cl_val *old = cl_env_get_local(e, b->names[i]);
    if (old == b->vals[i]) continue;
    cl_env_set(I, e, b->names[i], old ? cl_v_join(I, old, b->vals[i]) : b->vals[i]);
  }
}

static void env_replace(cl_interp *I, cl_env *e, cl_env *src) {
  cl_touch(I, EV_ENV, e);
  e->names = src->names;
  e->vals = src->vals;
  e->n = src->n;
  e->cap = src->cap;
  /* src's index describes these arrays: e takes it over (src is dropped) */
  e->idx = src->idx;
  e->idx.owner = src->idx.owner == src ? (const void *)e : NULL;
}

static void ret_join(cl_interp *I, frame *fr, cl_val *v) {
  fr->ret = fr->returned ? cl_v_join(I, fr->ret, v) : v;
  fr->returned = true;
}

static cl_val *apply_decorators(cl_interp *I, cl_env *env, cl_func *fn, cl_val *f) {
  for (uint32_t i = fn->ndecorators; i-- > 0;) {
    cl_val *d = eval(I, env, fn->decorators[i]);
    if (d->k == VK_EXTERN || d->k == VK_OBJ) {
      bool is_compile = cl_v_is_extern(d, "compile") || (d->k == VK_OBJ && d->obj->kind == OBJ_COMPILED);
      if (!is_compile && d->k == VK_EXTERN) {
        /* other decorators (torch.no_grad, functools.wraps...) keep the function */
        const char *tail = cl_v_extern_tail(d);
        if (tail && (cl_streq(tail, "staticmethod") || cl_streq(tail, "classmethod") ||
                     cl_streq(tail, "property") || cl_streq(tail, "no_grad") ||
                     cl_streq(tail, "inference_mode") || cl_streq(tail, "wraps") ||
                     cl_streq(tail, "lru_cache") || cl_streq(tail, "cache")))
          continue;
      }
      cl_args a = {0};
      a.pos = cl_arena_alloc(I->a, sizeof(cl_val *));
      a.pos[0] = f;
      a.npos = 1;
      a.call = fn->decorators[i];
      cl_val *r = cl_call_value(I, d, &a);
      if (r->k == VK_OBJ) f = r;
      continue;
    }
    /* a user decorator: assume it returns a wrapper that calls the function */
  }
  return f;
}

static cl_status exec_stmt(cl_interp *I, cl_env *env, const cl_stmt *s, frame *fr);

static cl_status exec_block(cl_interp *I, cl_env *env, const cl_block *b, frame *fr) {
  for (uint32_t i = 0; i < b->n; i++) {
    if (!b->v[i]) continue; /* an IR from a damaged cache entry: skip, never crash */
    cl_status st = exec_stmt(I, env, b->v[i], fr);
    if (st != ST_NORMAL) return st;
  }
  return ST_NORMAL;
}

static cl_status exec_branches(cl_interp *I, cl_env *env, const cl_block *a, const cl_block *b,
                               frame *fr) {
  cl_env *ea = env_fork(I, env), *eb = env_fork(I, env);
  cl_status sa = exec_block(I, ea, a, fr), sb = exec_block(I, eb, b, fr);
  bool fa = sa == ST_NORMAL, fb = sb == ST_NORMAL;
  if (fa && fb) {
    env_replace(I, env, ea);
    env_merge(I, env, eb);
  } else if (fa) {
    env_replace(I, env, ea);
  } else if (fb) {
    env_replace(I, env, eb);
  } else {
    return sa == ST_RETURN || sb == ST_RETURN ? ST_RETURN : sa;
  }
  return ST_NORMAL;
}

static cl_status exec_stmt(cl_interp *I, cl_env *env, const cl_stmt *s, frame *fr) {
  if (!budget_left(I)) return ST_RETURN;
  if ((s->kind == S_FOR || s->kind == S_AUGASSIGN) && (!s->ntargets || !s->targets || !s->targets[0]))
    return ST_NORMAL; /* a damaged IR */
  if (s->kind == S_WITH && s->ntargets && (!s->items || !s->targets)) return ST_NORMAL;
  if (s->kind == S_AUGASSIGN && !s->op) return ST_NORMAL;
  if ((s->kind == S_FUNCDEF && !s->func) || (s->kind == S_CLASSDEF && !s->cls)) return ST_NORMAL;
  switch (s->kind) {
  case S_EXPR: eval(I, env, s->value); return ST_NORMAL;
  case S_ASSIGN: {
    cl_val *v = eval(I, env, s->value);
    for (uint32_t i = 0; i < s->ntargets; i++) assign(I, env, s->targets[i], v, s->value);
    return ST_NORMAL;
  }
  case S_AUGASSIGN: {
    cl_val *cur = eval(I, env, s->targets[0]);
    char op[8];
    size_t l = strlen(s->op);
    if (l < 2 || l > 4) return ST_NORMAL;
    memcpy(op, s->op, l - 1);
    op[l - 1] = 0;
    assign(I, env, s->targets[0], cl_binop(I, op, cur, eval(I, env, s->value), s->value), NULL);
    return ST_NORMAL;
  }
  case S_RETURN: ret_join(I, fr, s->value ? eval(I, env, s->value) : cl_v_none(I)); return ST_RETURN;
  case S_IF: {
    cl_val *t = eval(I, env, s->value);
    bool known, truth = cl_v_truth(t, &known);
    if (known) return exec_block(I, env, truth ? &s->body : &s->orelse, fr);
    return exec_branches(I, env, &s->body, &s->orelse, fr);
  }
  case S_FOR: {
    cl_val *it = eval(I, env, s->value);
    if ((it->k == VK_TUPLE || it->k == VK_LIST) && it->n <= 32 && !it->open_len) {
      for (uint32_t i = 0; i < it->n; i++) {
        assign(I, env, s->targets[0], it->items[i], NULL);
        cl_status st = exec_block(I, env, &s->body, fr);
        if (st == ST_BREAK) return ST_NORMAL;
        if (st == ST_RETURN || st == ST_RAISE) return st;
      }
      return exec_block(I, env, &s->orelse, fr);
    }
    /* unknown iteration count: the body may run or not */
    cl_val *elem = cl_v_unknown(I);
    if (it->k == VK_EXTERN && cl_v_is_extern(it, "range"))
      elem = cl_v_scalar(I, VK_INT, cl_dim_const(0, false, NULL), false, false);
    else if ((it->k == VK_TUPLE || it->k == VK_LIST) && it->n) elem = it->items[0];
    cl_env *body = env_fork(I, env);
    assign(I, body, s->targets[0], elem, NULL);
    cl_status st = exec_block(I, body, &s->body, fr);
    if (st == ST_NORMAL || st == ST_BREAK || st == ST_CONTINUE) env_merge(I, env, body);
    return ST_NORMAL;
  }
  case S_WHILE: {
    eval(I, env, s->value);
    cl_env *body = env_fork(I, env);
    cl_status st = exec_block(I, body, &s->body, fr);
    if (st == ST_NORMAL || st == ST_BREAK || st == ST_CONTINUE) env_merge(I, env, body);
    return ST_NORMAL;
  }
  case S_WITH: {
    cl_val *saved = I->active_mode;
    for (uint32_t i = 0; i < s->ntargets; i++) {
      cl_val *v = eval(I, env, s->items[i]);
      if (v->k == VK_OBJ && v->obj->kind == OBJ_FAKEMODE) I->active_mode = v;
      if (s->targets[i]) assign(I, env, s->targets[i], v, s->items[i]);
    }
    cl_status st = exec_block(I, env, &s->body, fr);
    I->active_mode = saved;
    return st;
  }
  case S_TRY: {
    cl_status st = exec_block(I, env, &s->body, fr);
    if (s->orelse.n) {
      cl_env *h = env_fork(I, env);
      cl_status hs = exec_block(I, h, &s->orelse, fr);
      if (hs == ST_NORMAL) env_merge(I, env, h);
    }
    cl_status fs = exec_block(I, env, &s->final, fr);
    if (fs != ST_NORMAL) return fs;
    return st == ST_RAISE ? ST_NORMAL : st;
  }
  case S_FUNCDEF: {
    cl_val *f = cl_v_new(I, VK_FUNC);
    f->func = s->func;
    f->closure = env;
    f->mod = I->curmod;
    f = apply_decorators(I, env, s->func, f);
    cl_env_set(I, env, s->func->name, f);
    return ST_NORMAL;
  }
  case S_CLASSDEF: {
    cl_val *c = cl_v_new(I, VK_CLASS);
    c->cls = s->cls;
    c->mod = I->curmod;
    c->obj = cl_arena_alloc(I->a, sizeof(cl_obj));
    cl_val *bases = cl_v_tuple(I, VK_TUPLE, s->cls->nbases);
    for (uint32_t i = 0; i < s->cls->nbases; i++) bases->items[i] = eval(I, env, s->cls->bases[i]);
    cl_obj_set(I, c->obj, "__bases__", bases);
    cl_env *cenv = cl_env_new(I, env);
    frame cf = {0};
    exec_block(I, cenv, &s->cls->body, &cf);
    for (uint32_t i = 0; i < cenv->n; i++) {
      cl_val *v = cenv->vals[i];
      if (v->k == VK_FUNC && v->closure != env) {
        cl_touch(I, EV_VAL, v);
        v->closure = env; /* methods do not see class scope */
      }
      cl_obj_set(I, c->obj, cenv->names[i], v);
    }
    cl_env_set(I, env, s->cls->name, c);
    return ST_NORMAL;
  }
  case S_IMPORT: {
    for (uint32_t i = 0; i < s->nnames; i++) {
      const cl_alias *al = &s->names[i];
      bool found = false;
      cl_val *m = cl_import_module(I, al->name, 0, &found);
      if (al->alias) {
        cl_env_set(I, env, al->alias, m);
      } else {
        /* import a.b.c binds a */
        const char *dot = strchr(al->name, '.');
        if (dot) {
          const char *top = cl_arena_strndup(I->a, al->name, (size_t)(dot - al->name));
          bool f2 = false;
          cl_env_set(I, env, top, cl_import_module(I, top, 0, &f2));
        } else {
          cl_env_set(I, env, al->name, m);
        }
      }
    }
    return ST_NORMAL;
  }
  case S_IMPORTFROM: {
    for (uint32_t i = 0; i < s->nnames; i++) {
      const cl_alias *al = &s->names[i];
      if (cl_streq(al->name, "*")) continue;
      cl_val *v = cl_import_from(I, s->module, s->level, al->name);
      cl_env_set(I, env, al->alias ? al->alias : al->name, v);
    }
    return ST_NORMAL;
  }
  case S_RAISE: return ST_RAISE;
  case S_BREAK: return ST_BREAK;
  case S_CONTINUE: return ST_CONTINUE;
  case S_ASSERT: if (s->value) eval(I, env, s->value); return ST_NORMAL;
  default: return ST_NORMAL;
  }
}

void cl_exec_module_body(cl_interp *I, cl_modinfo *m) {
  frame fr = {0};
  const cl_file *saved = I->file;
  cl_modinfo *saved_mod = I->curmod;
  cl_mode saved_mode = I->mode;
  I->file = m->file;
  I->curmod = m;
  I->mode = MODE_HOST;
  exec_block(I, m->env, &m->file->mod->body, &fr);
  I->file = saved;
  I->curmod = saved_mod;
  I->mode = saved_mode;
}

/* ---- the program driver --------------------------------------------------- */

static cl_val *generic_instance(cl_interp *I, cl_val *cls) {
  for (size_t i = 0; i < I->inits.n; i++)
    if (I->inits.v[i] == cls->cls) return I->inst_cache.v[i];
  cl_vec_push(&I->inits, cls->cls);
  cl_vec_push(&I->inst_cache, NULL);
  size_t slot = I->inits.n - 1;
  cl_val *inst = cl_instantiate(I, cls, NULL);
  I->inst_cache.v[slot] = inst;
  return inst;
}

/* ---- roots and their memory ------------------------------------------------ */

/* custom_ops.c keeps values in its registries (ops, registrations, calls,
 * dispatch sites, events): a root that adds to them keeps its scratch. */
size_t cl_customop_state(cl_interp *I) {
  return I->ops.n + I->regs.n + I->opcalls.n + I->facts->dispatch.n + I->facts->events.n;
}

void cl_customop_touch(cl_interp *I, size_t before, bool stored) {
  if (I->a != I->perm && (stored || cl_customop_state(I) != before)) {
    I->keep = true;
  }
}

void cl_root_begin(cl_interp *I, cl_root_mark *m, long steps) {
  m->ninits = I->inits.n;
  I->keep = false;
  I->a = I->scratch;
  I->steps = steps;
}

void cl_root_end(cl_interp *I, cl_root_mark *m) {
  size_t used = cl_arena_used(I->scratch, NULL);
  if (used > I->st.peak) I->st.peak = used;
  I->a = I->perm;
  if (I->keep) {
    /* custom_ops.c holds what the root made: its scratch joins perm */
    cl_arena_adopt(I->perm, I->scratch);
    I->st.kept++;
  } else {
    /* what older objects now point to in scratch, and the instances made */
    size_t made = I->inst_cache.n - m->ninits;
    cl_evacuate(I, made ? I->inst_cache.v + m->ninits : NULL, made);
    cl_arena_reset(I->scratch);
  }
  /* The scratch keeps the pages the last CL_RECENT_ROOTS roots needed
   * (roots that need much come in runs: the methods of one class); those a
   * larger root touched go back, or they would stay resident to the end of
   * the run, when the rest of the analysis is largest (torch: 21 of 162
   * MiB at the peak; a window of 128 roots costs 16,000 page faults more
   * than one of 1,024, which saves 8 MiB less, and one of 32 10,000 more). */
  I->recent[I->nroots++ % CL_RECENT_ROOTS] = used;
  size_t want = (size_t)1 << 20;
  for (int i = 0; i < CL_RECENT_ROOTS; i++)
    if (I->recent[i] > want) want = I->recent[i];
  cl_arena_release(I->scratch, want);
  I->remembered.n = 0;
  I->keep = false;
}

/* Run a function as a root of host code: its parameters are unknown. */
static void host_root(cl_interp *I, cl_val *f, cl_val *self) {
  cl_root_mark rm;
  bool own = I->a == I->perm;
  if (own) cl_root_begin(I, &rm, CL_HOST_ROOT_STEPS);
  I->steps = CL_HOST_ROOT_STEPS;
  I->mode = MODE_HOST;
  I->active_mode = NULL;
  cl_call_function(I, f->func, self, f->closure, f->mod, NULL);
  I->st.roots++;
  if (I->steps <= 0) I->st.exhausted++;
  I->st.steps += CL_HOST_ROOT_STEPS - (I->steps > 0 ? I->steps : 0);
  if (own) cl_root_end(I, &rm);
}

static void roots_of_module(cl_interp *I, cl_modinfo *m) {
  cl_env *env = m->env;
  for (uint32_t i = 0; i < env->n; i++) {
    cl_val *v = env->vals[i];
    if (v->k == VK_FUNC && v->mod == m && v->func->file == m->file) {
      host_root(I, v, NULL);
    } else if (v->k == VK_CLASS && v->mod == m && v->cls->file == m->file) {
      /* the methods of a class share its generic instance, which its
       * __init__ makes in a scratch of its own and is then copied out */
      cl_root_mark rm;
      cl_root_begin(I, &rm, CL_HOST_ROOT_STEPS);
      I->mode = MODE_HOST;
      generic_instance(I, v);
      cl_root_end(I, &rm);
      cl_val *self = generic_instance(I, v);
      for (uint32_t k = 0; k < v->obj->nattrs; k++) {
        cl_val *meth = v->obj->vals[k];
        if (meth->k != VK_FUNC || meth->func->file != m->file) continue;
        if (cl_streq(meth->func->name, "__init__")) continue;
        bool is_static = false;
        for (uint32_t d = 0; d < meth->func->ndecorators; d++) {
          const cl_expr *de = meth->func->decorators[d];
          if (de->kind == E_NAME && (cl_streq(de->s, "staticmethod") || cl_streq(de->s, "classmethod")))
            is_static = true;
        }
        host_root(I, meth, is_static ? NULL : self);
      }
    }
  }
}

void cl_analyze_program(condlint_session *s) {
  cl_interp I = {0};
  I.s = s;
  I.facts = cl_xcalloc(1, sizeof(cl_facts));
  I.facts->arena = cl_arena_new();
  I.a = I.perm = I.facts->arena;
  I.scratch = cl_arena_new();
  I.auto_dynamic = true;
  I.assume_static = true;
  s->facts = I.facts;
  size_t nfiles = s->files.n;
  for (size_t i = 0; i < nfiles; i++) {
    cl_file *f = s->files.v[i];
    if (!f->mod || !f->checked) continue;
    I.steps = CL_MODULE_STEPS;
    cl_modinfo *m = cl_module_for_file(&I, f);
    cl_module_exec(&I, m);
  }
  for (size_t i = 0; i < I.mods.n; i++) {
    cl_modinfo *m = I.mods.v[i];
    if (m->file->checked) roots_of_module(&I, m);
  }
  cl_decorated_roots(&I);
  cl_customop_finish(&I);
  cl_vec_free(&I.ops);
  cl_vec_free(&I.opcalls);
  cl_vec_free(&I.regs);
  cl_vec_free(&I.mods);
  cl_vec_free(&I.stack);
  free(I.called.slots);
  cl_vec_free(&I.inits);
  cl_vec_free(&I.inst_cache);
  cl_link_free(&I);
  cl_arena_free(I.scratch);
  free(I.remembered.v);
  if (getenv("CONDLINT_STATS")) {
    size_t held;
    cl_arena_used(I.perm, &held);
    fprintf(stderr,
            "condlint: stats: analysis: %zu host roots, %ld steps, %zu out of steps, %zu scratch kept; "
            "%zu evacuated (%.1f MiB copied); largest scratch %.1f MiB, kept memory %.1f MiB\n",
            I.st.roots, I.st.steps, I.st.exhausted, I.st.kept, I.st.evacuated, I.st.copied / 1048576.0, I.st.peak / 1048576.0, held / 1048576.0);
  }
}
