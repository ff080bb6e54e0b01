/* value.c — abstract values: constructors, sizes, joins at control-flow
 * merges, reason chains, instance attributes and environments. */
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <string.h>

#include "interp.h"

cl_val *cl_v_new(cl_interp *I, cl_vk k) {
  /* zeroed inline: values are the most frequent allocation */
  cl_val *v = cl_arena_alloc_uninit(I->a, sizeof *v);
  *v = (cl_val){.k = k, .rank = -1};
  return v;
}

/* The unknown value and None: one of each for the process. They were the
 * most frequent allocations (torch 2.11: 3.6 and 0.45 million of 8 million
 * values, 184 bytes each, written zero), and nothing is ever learnt about
 * either in place: code that refines a value makes a new one. They live in
 * a page of their own, made read-only, so that a write to one (which would
 * change every unknown of the run) is a crash the tests and fuzzers find,
 * not wrong findings. */
static cl_val *shared; /* [0] unknown, [1] None */
static cl_val shared_fallback[2] = {{.k = VK_UNKNOWN, .rank = -1}, {.k = VK_NONE, .rank = -1}};
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;

static void shared_init(void) {
  long page = sysconf(_SC_PAGESIZE);
  size_t len = page > 0 ? (size_t)page : 4096;
  void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    shared = shared_fallback;
    return;
  }
  shared = p;
  memcpy(shared, shared_fallback, sizeof shared_fallback);
  mprotect(p, len, PROT_READ);
}

cl_val *cl_v_unknown(cl_interp *I) {
  (void)I;
  pthread_once(&shared_once, shared_init);
  return &shared[0];
}

cl_val *cl_v_none(cl_interp *I) {
  (void)I;
  pthread_once(&shared_once, shared_init);
  return &shared[1];
}

cl_dim cl_dim_const(int64_t v, bool known, const cl_origin *why) {
  cl_dim d = {.k = D_CONST, .has_val = known, .val = v, .why = why};
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

const char *cl_str_persist(cl_interp *I, const char *s) {
  if (!s || I->a == I->perm || !cl_arena_owns(I->scratch, s)) return s;
  return cl_arena_strdup(I->perm, s);
}

/* The facts outlive a root: the steps of a chain made during it are copied
 * into perm (iteratively: a chain can be long); older steps are shared. */
const cl_origin *cl_origin_persist(cl_interp *I, const cl_origin *o) {
  if (!o || I->a == I->perm || !cl_arena_owns(I->scratch, o)) return o;
  cl_vec steps = {0};
  const cl_origin *w = o;
  for (; w && cl_arena_owns(I->scratch, w); w = w->prev) cl_vec_push(&steps, (void *)w);
  const cl_origin *prev = w; /* already in perm, or NULL */
  for (size_t i = steps.n; i-- > 0;) {
    const cl_origin *src = steps.v[i];
    cl_origin *n = cl_arena_alloc(I->perm, sizeof *n);
    *n = *src;
    n->why = cl_str_persist(I, src->why);
    n->fix = cl_str_persist(I, src->fix);
    if (src->fixspec && cl_arena_owns(I->scratch, src->fixspec)) {
      cl_fixspec *fx = cl_arena_alloc(I->perm, sizeof *fx);
      *fx = *src->fixspec;
      fx->param = cl_str_persist(I, fx->param);
      n->fixspec = fx;
    }
    n->prev = prev;
    prev = n;
  }
  cl_vec_free(&steps);
  return prev;
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
  cl_touch(I, EV_ORIGIN, o);
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

/* Joins recurse into tuples and lists: past JOIN_DEPTH levels (a value
 * nested 195,000 deep would overflow the stack) the join is unknown. */
#define JOIN_DEPTH 64

static cl_val *join_at(cl_interp *I, cl_val *a, cl_val *b, int depth);

cl_val *cl_v_join(cl_interp *I, cl_val *a, cl_val *b) { return join_at(I, a, b, 0); }

static cl_val *join_at(cl_interp *I, cl_val *a, cl_val *b, int depth) {
  if (!a) return b;
  if (!b || a == b) return a;
  if (a->k != b->k) return cl_v_unknown(I);
  if (depth >= JOIN_DEPTH && (a->k == VK_TUPLE || a->k == VK_LIST))
    return cl_v_new(I, a->k == VK_TUPLE ? VK_UNKNOWN : VK_LIST);
  switch (a->k) {
  case VK_NONE: return a;
  case VK_BOOL: case VK_INT: case VK_FLOAT: {
    cl_val *r = cl_v_scalar(I, a->k, join_dim(&a->d, &b->d), a->reads_size || b->reads_size,
                            a->meta && b->meta);
    return r;
  }
  case VK_STR: return a->s && b->s && cl_streq(a->s, b->s) ? a : cl_v_str(I, NULL);
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
    for (uint32_t i = 0; i < a->n; i++) t->items[i] = join_at(I, a->items[i], b->items[i], depth + 1);
    return t;
  }
  case VK_EXTERN: return a->s && b->s && cl_streq(a->s, b->s) ? a : cl_v_unknown(I);
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
  return t && cl_streq(t, tail);
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

/* ---- names: linear below IDX_MIN, hashed above ---------------------------- */

#define IDX_MIN 12

static uint32_t name_hash(const char *k) {
  uint32_t h = 2166136261u;
  for (; *k; k++) h = (h ^ (unsigned char)*k) * 16777619u;
  return h;
}

static void idx_put(cl_nameidx *x, const char **names, uint32_t pos, uint32_t h) {
  uint32_t m = x->cap - 1, i = h & m;
  (void)names;
  while (x->slots[i]) i = (i + 1) & m;
  x->slots[i] = pos + 1;
}

/* Bring the index of (owner, names[0..n)) up to date; false when none is
 * wanted (few names) or none can be built (no arena). */
static bool idx_sync(cl_arena *a, cl_nameidx *x, const void *owner, const char **names,
                     uint32_t n) {
  if (n < IDX_MIN) return false;
  if (x->owner != owner || x->n > n) {
    if (!a) return false;
    x->owner = owner;
    x->n = 0;
    x->cap = 0;
    x->slots = NULL;
  }
  if (x->n == n) return true;
  if (!a) return false;
  if (n * 2 > x->cap) {
    uint32_t cap = x->cap ? x->cap : 32;
    while (n * 2 > cap) cap *= 2;
    x->slots = cl_arena_alloc(a, cap * sizeof(uint32_t));
    x->cap = cap;
    x->n = 0;
  }
  for (; x->n < n; x->n++) idx_put(x, names, x->n, name_hash(names[x->n]));
  return true;
}

/* The position of name in names[0..n), or -1. With a valid index, the last
 * binding of a name wins as in the linear scan (a name is bound once). The
 * hash is computed only when an index is used (*h, when *hk is false).
 * Names are mostly the IR's shared strings: compare pointers, then the first
 * byte, before strcmp. */
static inline bool name_eq(const char *a, const char *b) {
  return a == b || cl_streq(a, b);
}

static int64_t names_find(const cl_nameidx *x, const void *owner, const char **names, uint32_t n,
                          const char *name, uint32_t *h, bool *hk) {
  if (n >= IDX_MIN && x->owner == owner && x->n == n && x->cap) {
    if (!*hk) {
      *h = name_hash(name);
      *hk = true;
    }
    uint32_t m = x->cap - 1;
    for (uint32_t i = *h & m; x->slots[i]; i = (i + 1) & m) {
      uint32_t p = x->slots[i] - 1;
      if (name_eq(names[p], name)) return p;
    }
    return -1;
  }
  for (uint32_t i = n; i-- > 0;)
    if (name_eq(names[i], name)) return i;
  return -1;
}

cl_val *cl_obj_get(cl_val *inst, const char *name) {
  if (!inst || !inst->obj) return NULL;
  cl_obj *o = inst->obj;
  uint32_t h;
  bool hk = false;
  int64_t p = names_find(&o->idx, o, o->names, o->nattrs, name, &h, &hk);
  return p < 0 ? NULL : o->vals[p];
}

/* Bind name to v in a table of names and values (an object's attributes, an
 * environment's names) owned by owner, growing it and its index. */
static void names_set(cl_interp *I, cl_nameidx *idx, const void *owner, const char ***names,
                      cl_val ***vals, uint32_t *n, uint32_t *cap, const char *name, cl_val *v) {
  uint32_t h;
  bool hk = false;
  idx_sync(I->a, idx, owner, *names, *n);
  int64_t p = names_find(idx, owner, *names, *n, name, &h, &hk);
  if (p >= 0) {
    (*vals)[p] = v;
    return;
  }
  if (*n == *cap) {
    uint32_t c = *cap ? *cap * 2 : 8;
    const char **nn = cl_arena_alloc(I->a, c * sizeof(char *));
    cl_val **nv = cl_arena_alloc(I->a, c * sizeof(cl_val *));
    if (*n) {
      memcpy(nn, *names, *n * sizeof(char *));
      memcpy(nv, *vals, *n * sizeof(cl_val *));
    }
    *names = nn;
    *vals = nv;
    *cap = c;
  }
  (*names)[*n] = name;
  (*vals)[(*n)++] = v;
  if (idx->owner == owner && idx->n + 1 == *n && *n * 2 <= idx->cap) {
    idx_put(idx, *names, idx->n, hk ? h : name_hash(name));
    idx->n++;
  }
}

void cl_obj_set(cl_interp *I, cl_obj *o, const char *name, cl_val *v) {
  cl_touch(I, EV_OBJ, o);
  names_set(I, &o->idx, o, &o->names, &o->vals, &o->nattrs, &o->cap, name, v);
}

cl_env *cl_env_new(cl_interp *I, cl_env *parent) {
  cl_env *e = cl_arena_alloc(I->a, sizeof *e);
  e->parent = parent;
  return e;
}

cl_val *cl_env_get_local(cl_env *e, const char *name) {
  uint32_t h;
  bool hk = false;
  int64_t p = names_find(&e->idx, e, e->names, e->n, name, &h, &hk);
  return p < 0 ? NULL : e->vals[p];
}

cl_val *cl_env_lookup(cl_env *e, const char *name) {
  uint32_t h;
  bool hk = false;
  for (; e; e = e->parent) {
    int64_t p = names_find(&e->idx, e, e->names, e->n, name, &h, &hk);
    if (p >= 0) return e->vals[p];
  }
  return NULL;
}

void cl_env_set(cl_interp *I, cl_env *e, const char *name, cl_val *v) {
  cl_touch(I, EV_ENV, e);
  names_set(I, &e->idx, e, &e->names, &e->vals, &e->n, &e->cap, name, v);
}

/* ---- evacuation: what a root leaves reachable from older objects ------------
 * A root allocates in scratch, which is reset after it. When it wrote into
 * an object older than itself (an instance made by a module body, a module
 * level dict, ...), cl_touch remembered that object; here every scratch
 * block reachable from the remembered objects is copied into perm (once:
 * a forwarding table keeps sharing and identity), iteratively. */

typedef struct {
  cl_interp *I;
  const void **from;
  void **to;
  size_t cap, n;
  cl_vec work; /* pairs: (void *)kind, copy */
} evac;

static void **fwd_slot(evac *E, const void *p, bool *found) {
  if ((E->n + 1) * 2 > E->cap) {
    size_t oc = E->cap;
    const void **of = E->from;
    void **ot = E->to;
    E->cap = oc ? oc * 2 : 1024;
    E->from = cl_xcalloc(E->cap, sizeof *E->from);
    E->to = cl_xcalloc(E->cap, sizeof *E->to);
    for (size_t i = 0; i < oc; i++)
      if (of[i]) {
        size_t j = cl_ptr_slot(of[i], E->cap - 1);
        while (E->from[j]) j = (j + 1) & (E->cap - 1);
        E->from[j] = of[i];
        E->to[j] = ot[i];
      }
    free(of);
    free(ot);
  }
  size_t m = E->cap - 1, i = cl_ptr_slot(p, m);
  for (; E->from[i]; i = (i + 1) & m)
    if (E->from[i] == p) {
      *found = true;
      return &E->to[i];
    }
  *found = false;
  E->from[i] = p;
  E->n++;
  return &E->to[i];
}

static bool in_scratch(evac *E, const void *p) { return p && cl_arena_owns(E->I->scratch, p); }

/* A copy in perm of a block of `size` bytes; objects are queued for their
 * fields (kind >= 0). */
static void *fwd(evac *E, const void *p, size_t size, int kind) {
  if (!in_scratch(E, p)) return (void *)p;
  bool found;
  void **slot = fwd_slot(E, p, &found);
  if (found) return *slot;
  void *c = cl_arena_alloc(E->I->perm, size ? size : 1);
  memcpy(c, p, size);
  *slot = c;
  E->I->st.copied += size;
  if (kind >= 0) {
    cl_vec_push(&E->work, (void *)(uintptr_t)kind);
    cl_vec_push(&E->work, c);
  }
  return c;
}

static const char *fwd_str(evac *E, const char *s) {
  return in_scratch(E, s) ? fwd(E, s, strlen(s) + 1, -1) : s;
}

static void fix_dim(evac *E, cl_dim *d) {
  d->why = fwd(E, d->why, sizeof(cl_origin), EV_ORIGIN);
}

static void fix_val(evac *E, cl_val *v) {
  fix_dim(E, &v->d); /* or v->dflt: the same bytes */
  v->s = fwd_str(E, v->s);
  if (v->dims && in_scratch(E, v->dims)) {
    size_t nd = v->rank > 0 ? (size_t)v->rank : v->rank < 0 ? 16 : 1;
    bool found;
    void **slot = fwd_slot(E, v->dims, &found);
    if (found) {
      v->dims = *slot;
    } else {
      cl_dim *c = cl_arena_alloc(E->I->perm, nd * sizeof(cl_dim));
      memcpy(c, v->dims, nd * sizeof(cl_dim));
      *slot = c;
      E->I->st.copied += nd * sizeof(cl_dim);
      for (size_t i = 0; i < nd; i++) fix_dim(E, &c[i]);
      v->dims = c;
    }
  } else if (v->dims && v->rank > 0) {
    for (int i = 0; i < v->rank; i++) fix_dim(E, &v->dims[i]); /* an older array written in place */
  }
  if (v->items && in_scratch(E, v->items)) {
    size_t n = v->n ? v->n : 1;
    bool found;
    void **slot = fwd_slot(E, v->items, &found);
    if (found) {
      v->items = *slot;
    } else {
      cl_val **c = cl_arena_alloc(E->I->perm, n * sizeof(cl_val *));
      memcpy(c, v->items, n * sizeof(cl_val *));
      *slot = c;
      E->I->st.copied += n * sizeof(cl_val *);
      for (size_t i = 0; i < n; i++) c[i] = fwd(E, c[i], sizeof(cl_val), EV_VAL);
      v->items = c;
    }
  } else if (v->items) {
    /* an older array: its entries may have been written in place */
    for (uint32_t i = 0; i < v->n; i++) v->items[i] = fwd(E, v->items[i], sizeof(cl_val), EV_VAL);
  }
  v->self = fwd(E, v->self, sizeof(cl_val), EV_VAL);
  v->closure = fwd(E, v->closure, sizeof(cl_env), EV_ENV);
  v->obj = fwd(E, v->obj, sizeof(cl_obj), EV_OBJ);
}

/* names and values arrays of an env or object (cap entries, n in use) */
static void fix_names(evac *E, const char ***names, cl_val ***vals, uint32_t n, uint32_t cap) {
  if (cap < n) cap = n;
  if (!cap) cap = 1; /* an empty fork still has arrays */
  bool found;
  if (*names && in_scratch(E, *names)) {
    void **slot = fwd_slot(E, *names, &found);
    if (found) {
      *names = *slot;
    } else {
      const char **c = cl_arena_alloc(E->I->perm, cap * sizeof(char *));
      memcpy(c, *names, n * sizeof(char *));
      *slot = c; /* before the loop: forwarding may grow the table */
      *names = c;
      for (uint32_t i = 0; i < n; i++) c[i] = fwd_str(E, c[i]);
    }
  } else if (*names) {
    for (uint32_t i = 0; i < n; i++) (*names)[i] = fwd_str(E, (*names)[i]);
  }
  if (*vals && in_scratch(E, *vals)) {
    void **slot = fwd_slot(E, *vals, &found);
    if (found) {
      *vals = *slot;
    } else {
      cl_val **c = cl_arena_alloc(E->I->perm, cap * sizeof(cl_val *));
      memcpy(c, *vals, n * sizeof(cl_val *));
      *slot = c;
      *vals = c;
      for (uint32_t i = 0; i < n; i++) c[i] = fwd(E, c[i], sizeof(cl_val), EV_VAL);
    }
  } else if (*vals) {
    for (uint32_t i = 0; i < n; i++) (*vals)[i] = fwd(E, (*vals)[i], sizeof(cl_val), EV_VAL);
  }
}

static void fix_obj(evac *E, cl_obj *o) {
  fix_names(E, &o->names, &o->vals, o->nattrs, o->cap);
  if (o->idx.slots && in_scratch(E, o->idx.slots)) memset(&o->idx, 0, sizeof o->idx);
  o->mode = fwd_str(E, o->mode);
  o->dyn = fwd_str(E, o->dyn);
  o->opname = fwd_str(E, o->opname);
  o->target = fwd(E, o->target, sizeof(cl_val), EV_VAL);
  o->sizes = fwd(E, o->sizes, sizeof(cl_val), EV_VAL);
}

static void fix_env(evac *E, cl_env *e) {
  e->parent = fwd(E, e->parent, sizeof(cl_env), EV_ENV);
  fix_names(E, &e->names, &e->vals, e->n, e->cap);
  if (e->idx.slots && in_scratch(E, e->idx.slots)) memset(&e->idx, 0, sizeof e->idx);
}

static void fix_origin(evac *E, cl_origin *o) {
  o->why = fwd_str(E, o->why);
  o->fix = fwd_str(E, o->fix);
  if (o->fixspec && in_scratch(E, o->fixspec)) {
    cl_fixspec *fx = fwd(E, o->fixspec, sizeof(cl_fixspec), -1);
    fx->param = fwd_str(E, fx->param);
    o->fixspec = fx;
  }
  o->prev = fwd(E, o->prev, sizeof(cl_origin), EV_ORIGIN);
}

static void fix_any(evac *E, int kind, void *p) {
  switch (kind) {
  case EV_VAL: fix_val(E, p); break;
  case EV_OBJ: fix_obj(E, p); break;
  case EV_ENV: fix_env(E, p); break;
  case EV_ORIGIN: fix_origin(E, p); break;
  }
}

void cl_remember(cl_interp *I, cl_evkind kind, void *container) {
  if (I->remembered.n + 2 > I->remembered.cap) {
    I->remembered.cap = I->remembered.cap ? I->remembered.cap * 2 : 64;
    I->remembered.v = cl_xrealloc(I->remembered.v, I->remembered.cap * sizeof(void *));
  }
  I->remembered.v[I->remembered.n++] = (void *)(uintptr_t)kind;
  I->remembered.v[I->remembered.n++] = container;
}

void cl_evacuate(cl_interp *I, void **extra, size_t nextra) {
  if (!I->remembered.n && !nextra) return;
  evac E = {0};
  E.I = I;
  for (size_t i = 0; i < nextra; i++) extra[i] = fwd(&E, extra[i], sizeof(cl_val), EV_VAL);
  /* a container is remembered at each write into it: fix each once (a second
   * pass over one finds nothing left in scratch) */
  size_t nrem = I->remembered.n / 2, scap = 16;
  while (scap < nrem * 2) scap *= 2;
  const void **seen = cl_xcalloc(scap, sizeof *seen);
  for (size_t i = 0; i + 1 < I->remembered.n; i += 2) {
    const void *c = I->remembered.v[i + 1];
    size_t j = cl_ptr_slot(c, scap - 1);
    while (seen[j] && seen[j] != c) j = (j + 1) & (scap - 1);
    if (seen[j]) continue;
    seen[j] = c;
    fix_any(&E, (int)(uintptr_t)I->remembered.v[i], I->remembered.v[i + 1]);
  }
  free(seen);
  while (E.work.n) {
    void *p = E.work.v[--E.work.n];
    int kind = (int)(uintptr_t)E.work.v[--E.work.n];
    fix_any(&E, kind, p);
  }
  I->st.evacuated++;
  I->remembered.n = 0;
  free(E.from);
  free(E.to);
  cl_vec_free(&E.work);
}
