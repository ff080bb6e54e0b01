/*
 * interp.h — the abstract interpreter's values and state, shared by the
 * analysis files: value.c (abstract values and joins), interp.c (statements,
 * expressions, calls, the program driver), torch_ops.c (how tensor ops move
 * sizes), tracing.c (entry points, fake tensors, cond sites) and link.c
 * (modules and imports).
 *
 * The model: every tensor carries one abstract size per dim — CONST (a plain
 * int in this context, maybe with its value), SYM (a SymInt) or UNK — plus
 * the chain of reasons that made it so. Host code (not traced) runs with
 * real tensors; an entry point (make_fx, export, compile, ...) turns its
 * arguments into traced tensors with the dynamism of its context and runs
 * the traced function; a torch.cond met while traced records the abstract
 * value of its predicate for that context.
 */
#ifndef CONDLINT_INTERP_H
#define CONDLINT_INTERP_H
#include <string.h>

#include "facts.h"

typedef enum { D_UNK = 0, D_CONST, D_SYM } cl_dk;

typedef struct {
  cl_dk k : 8;
  bool has_val;          /* CONST: its value; SYM: the example value (hint) */
  bool has_min;          /* SYM: a declared minimum (Dim min=) */
  uint32_t sym;          /* SYM: the symbol's identity, 0 for a derived expression */
  int64_t val, min;
  const cl_origin *why;  /* how it became concrete or symbolic */
} cl_dim;

typedef enum {
  VK_UNKNOWN = 0, VK_NONE, VK_BOOL, VK_INT, VK_FLOAT, VK_STR, VK_TENSOR, VK_SIZE, VK_TUPLE,
  VK_LIST, VK_DICT, VK_FUNC, VK_BOUND, VK_CLASS, VK_INST, VK_MODULE, VK_EXTERN, VK_OBJ
} cl_vk;

/* Kinds of VK_OBJ: objects of the tracing APIs whose state the model reads. */
typedef enum {
  OBJ_NONE = 0, OBJ_FAKEMODE, OBJ_SHAPEENV, OBJ_SYMCTX, OBJ_DIM, OBJ_DIMDYN, OBJ_TRACER,
  OBJ_COMPILED, OBJ_SOURCE, OBJ_CUSTOMOP_FACTORY, OBJ_CUSTOMOP, OBJ_FAKEDECO
} cl_objkind;

typedef struct cl_val cl_val;
/* Interpreter steps a root may take: a checked file's module body (scripts
 * trace there), a function traced because a decorator or a contract says it
 * is (a tracing context itself), and a function run as host code with
 * unknown arguments, of which a large repository has thousands. Past it,
 * what is left of the root is unknown. On the torch package 150,000 host
 * steps (400,000 before) leave the findings of every corpus unchanged and
 * take the analysis from 4.1 to 2.2 s (docs/performance.md). */
#define CL_MODULE_STEPS 400000
#define CL_TRACED_ROOT_STEPS 400000
#define CL_HOST_ROOT_STEPS 150000

typedef struct cl_env cl_env;

/* A hash index over a names array (positions + 1), for the scopes and
 * objects with many names. Valid for names[0 .. n) of its owner only: a
 * copied env or object (a fork, `*o = *p`) rebuilds its own. */
typedef struct {
  uint32_t *slots;
  uint32_t cap, n;
  const void *owner;
} cl_nameidx;
typedef struct cl_modinfo cl_modinfo;

/* The marks mark_dynamic and mark_static put on a tensor's dims (0 none,
 * 1 dynamic, 2 static), and the sizes of a compiled function's first call.
 * Rare, so out of line; in perm (their origins too), and never written
 * after they are made: a change makes a new one, since `*o = *p` copies of
 * an object share them. */
typedef struct {
  int8_t mark[16];
  const cl_origin *why[16];
} cl_marks;
typedef struct {
  int64_t first[8][8];             /* the tensor args' sizes (-1 unknown), an int arg's value */
  int rank[8];                     /* sizes recorded per arg; -2: an int */
} cl_firstcall;

/* Mutable state shared by every copy of a value: instance attributes, the
 * marks mark_dynamic puts on a tensor, the settings of API objects. Every
 * instance and class has one, so what few objects need is out of line. */
typedef struct cl_obj {
  cl_objkind kind;
  const char **names;
  cl_val **vals;
  uint32_t nattrs, cap;
  cl_nameidx idx;                  /* value.c: names hashed, past a few */
  const cl_marks *marks;           /* TENSOR marks, or NULL */
  bool has_shape_env, static_shapes; /* FAKEMODE */
  const char *mode;                /* TRACER: tracing_mode */
  cl_val *target;                  /* TRACER, COMPILED: what is traced */
  int dynamic;                     /* COMPILED: -1 None, 0 False, 1 True */
  int ncalls;                      /* COMPILED: calls seen */
  const cl_firstcall *first;       /* COMPILED: the first call's sizes, once called */
  bool dim_static, has_min;        /* DIM */
  int64_t min;
  const char *dyn;                 /* DIMDYN: DYNAMIC, STATIC, DUCK, ... */
  cl_val *sizes;                   /* SYMCTX: the dynamic_sizes list */
  const cl_file *file;             /* where the object was made */
  cl_span span;
  const cl_expr *expr;             /* the call that made it (for fixes) */
  const char *opname;              /* CUSTOMOP: "ns::name" */
  bool compiled_module;            /* INST after model.compile() */
  int compiled_dynamic;
} cl_obj;

/* 128 bytes: torch's sources make millions of these (docs/performance.md) */
struct cl_val {
  cl_vk k;
  bool reads_size;      /* a scalar computed from a tensor size */
  bool meta;            /* a scalar computed from static metadata only */
  bool fake;            /* TENSOR: a FakeTensor */
  bool param;           /* TENSOR: an nn.Parameter or buffer */
  bool maybe_scalar;    /* TENSOR: an argument that may be a Python number */
  bool open_len;        /* LIST: length unknown; items[0] stands for every element */
  bool plain_fake;      /* TENSOR: a fake of a FakeTensorMode without a ShapeEnv */
  union {               /* d means nothing for a TENSOR or a SIZE: check the kind */
    cl_dim d;           /* BOOL, INT, FLOAT (STR, NONE: zero) */
    cl_dim dflt;        /* TENSOR, SIZE of unknown rank: every dim */
  };
  const char *s;        /* STR value; EXTERN dotted name */
  int rank;             /* TENSOR, SIZE: -1 when unknown */
  uint32_t n;
  cl_dim *dims;         /* TENSOR, SIZE: rank entries */
  cl_val **items;       /* TUPLE, LIST; DICT as k0, v0, k1, v1 ... */
  cl_func *func;        /* FUNC, BOUND */
  cl_val *self;         /* BOUND */
  cl_env *closure;      /* FUNC: where it was defined */
  cl_class *cls;        /* CLASS, INST */
  cl_obj *obj;          /* INST, OBJ, TENSOR marks */
  cl_modinfo *mod;      /* MODULE; FUNC/CLASS: defining module */
};

struct cl_env {
  cl_env *parent;
  const char **names;
  cl_val **vals;
  uint32_t n, cap;
  cl_nameidx idx;
};

struct cl_modinfo {
  cl_file *file;
  cl_env *env;
  bool executing, executed;
  const char *pkgdir;   /* directory of the file */
};

/* !strcmp(a, b), the first bytes compared inline: most compares of the
 * interpreter's dispatch chains (b a literal) fail there, without a call. */
static inline bool cl_streq(const char *a, const char *b) {
  return a[0] == b[0] && !strcmp(a, b);
}

/* The slot of a pointer in an open-addressing table of mask + 1 slots. */
static inline size_t cl_ptr_slot(const void *p, size_t mask) {
  uint64_t x = (uint64_t)(uintptr_t)p;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  return (size_t)x & mask;
}

/* memory.c: what the per-root scratch arenas need */
bool cl_arena_owns(const cl_arena *a, const void *p);
void *cl_arena_alloc_uninit(cl_arena *a, size_t n); /* not zeroed */
size_t cl_arena_used(const cl_arena *a, size_t *held);
void cl_arena_reset(cl_arena *a);
void cl_arena_release(cl_arena *a, size_t keep);
void cl_arena_adopt(cl_arena *dst, cl_arena *src);

typedef enum { MODE_HOST = 0, MODE_TRACED } cl_mode;

#define CL_RECENT_ROOTS 128

typedef struct {
  condlint_session *s;
  cl_facts *facts;
  cl_arena *a;
  cl_vec mods;          /* cl_modinfo* */
  cl_mode mode;
  int ctx;              /* current context (MODE_TRACED) */
  cl_val *active_mode;  /* FakeTensorMode entered with `with` */
  int depth;
  long steps;
  cl_vec stack;         /* cl_func* being interpreted */
  /* the set of cl_func* that host code called (decorated roots) */
  struct { const void **slots; size_t cap, n; bool null; } called;
  cl_vec inits;         /* cl_class* whose generic instance exists */
  cl_vec inst_cache;    /* cl_val* generic instances, parallel to inits */
  const cl_file *file;  /* file of the code being interpreted */
  cl_modinfo *curmod;
  uint32_t next_sym;    /* identities of minted symbols */
  cl_vec ops, opcalls, regs; /* custom_ops.c */
  bool dynamo;          /* traced by Dynamo (compile, strict export): int()/len() keep SymInts */
  bool auto_dynamic;    /* torch._dynamo.config.automatic_dynamic_shapes */
  bool assume_static;   /* torch._dynamo.config.assume_static_by_default */
  struct cl_linkmemo *link; /* link.c: resolved (directory, module) pairs */
  /* Memory: module bodies, the facts and whatever a root leaves reachable
   * from them live in perm (= facts->arena); a root's values in scratch,
   * forgotten after it unless the root wrote into an object of perm (keep:
   * then its scratch joins perm). I->a is the one allocations go to. */
  cl_arena *perm, *scratch;
  bool keep;
  struct { void **v; size_t n, cap; } remembered; /* (kind, container) pairs */
  size_t recent[CL_RECENT_ROOTS]; /* scratch used by the last roots (cl_root_end) */
  unsigned nroots;
  struct { size_t roots, kept, exhausted, peak, evacuated, copied; long steps; } st;
} cl_interp;

/* interp.c: roots run in the scratch arena; cl_touch before writing into an
 * object that may be older than the current root. */
typedef struct { size_t ninits; } cl_root_mark;
void cl_root_begin(cl_interp *I, cl_root_mark *m, long steps);
void cl_root_end(cl_interp *I, cl_root_mark *m);
size_t cl_customop_state(cl_interp *I);
void cl_customop_touch(cl_interp *I, size_t before, bool stored);
typedef enum { EV_VAL = 0, EV_OBJ, EV_ENV, EV_ORIGIN } cl_evkind;
/* value.c: an object older than the root is written: at the root's end, what
 * it then points to in scratch is copied out (cl_evacuate). */
void cl_remember(cl_interp *I, cl_evkind kind, void *container);
/* extra: more cl_val* slots to copy out (the generic instances made) */
void cl_evacuate(cl_interp *I, void **extra, size_t nextra);
static inline void cl_touch(cl_interp *I, cl_evkind kind, const void *container) {
  if (I->a != I->perm && container && !I->keep && !cl_arena_owns(I->a, container))
    cl_remember(I, kind, (void *)container);
}
/* value.c: a copy in perm of an origin chain (and its strings) made in scratch */
const cl_origin *cl_origin_persist(cl_interp *I, const cl_origin *o);
const char *cl_str_persist(cl_interp *I, const char *s);

/* value.c */
cl_val *cl_v_new(cl_interp *I, cl_vk k);
/* The unknown value and None: one shared value each, read-only (a write
 * crashes). Refine a value by making a new one, never in place. */
cl_val *cl_v_unknown(cl_interp *I);
cl_val *cl_v_none(cl_interp *I);
cl_val *cl_v_int(cl_interp *I, int64_t v);
cl_val *cl_v_bool(cl_interp *I, bool v);
cl_val *cl_v_str(cl_interp *I, const char *s);
cl_val *cl_v_extern(cl_interp *I, const char *name);
cl_val *cl_v_scalar(cl_interp *I, cl_vk k, cl_dim d, bool reads_size, bool meta);
cl_val *cl_v_tuple(cl_interp *I, cl_vk k, uint32_t n);
cl_val *cl_v_tensor(cl_interp *I, int rank);
cl_val *cl_v_tensor_like(cl_interp *I, const cl_val *t);
cl_val *cl_v_obj(cl_interp *I, cl_objkind kind);
cl_val *cl_v_from_dim(cl_interp *I, const cl_dim *d, const cl_file *f, cl_span read,
                      const char *what);
cl_dim cl_dim_const(int64_t v, bool known, const cl_origin *why);
cl_dim cl_dim_of(const cl_val *t, int i);      /* i may be negative */
cl_dim cl_dim_from_val(const cl_val *v);       /* an int value used as a size */
cl_dim cl_dim_combine(cl_interp *I, const cl_dim *a, const cl_dim *b, char op);
cl_val *cl_v_join(cl_interp *I, cl_val *a, cl_val *b);
const cl_origin *cl_origin_new(cl_interp *I, const cl_file *f, cl_span sp, const char *why,
                               const char *fix, const cl_origin *prev);
/* Attach a machine-applicable fix recipe to an origin (returns it). */
const cl_origin *cl_origin_fixspec(cl_interp *I, const cl_origin *o, cl_fixkind kind,
                                   const cl_file *f, const cl_expr *expr, const cl_expr *arg,
                                   int dim, const char *param);
bool cl_v_is_extern(const cl_val *v, const char *tail);
const char *cl_v_extern_tail(const cl_val *v);
bool cl_v_truth(const cl_val *v, bool *known);
cl_val *cl_obj_get(cl_val *inst, const char *name);
void cl_obj_set(cl_interp *I, cl_obj *o, const char *name, cl_val *v);

/* env */
cl_env *cl_env_new(cl_interp *I, cl_env *parent);
cl_val *cl_env_lookup(cl_env *e, const char *name);
cl_val *cl_env_get_local(cl_env *e, const char *name);
void cl_env_set(cl_interp *I, cl_env *e, const char *name, cl_val *v);

/* interp.c */
typedef struct {
  cl_val **pos;
  uint32_t npos;
  const char **kwnames;
  cl_val **kw;
  uint32_t nkw;
  const cl_expr *call;  /* the call expression, for spans (may be NULL) */
} cl_args;

cl_val *cl_call_value(cl_interp *I, cl_val *callee, cl_args *args);
cl_val *cl_call_function(cl_interp *I, cl_func *fn, cl_val *self, cl_env *closure,
                         cl_modinfo *mod, cl_args *args);
cl_val *cl_arg(cl_args *a, int pos, const char *kw);
/* The set of functions host code called (a set: a root calls the same ones
 * again and again). */
void cl_note_called(cl_interp *I, const cl_func *fn);
bool cl_was_called(const cl_interp *I, const cl_func *fn);
cl_val *cl_get_attr(cl_interp *I, cl_val *obj, const char *name, const cl_expr *at);
cl_val *cl_instantiate(cl_interp *I, cl_val *cls, cl_args *args);

/* torch_ops.c */
cl_val *cl_tensor_method(cl_interp *I, cl_val *t, const char *name, cl_args *args,
                         const cl_expr *at);
cl_val *cl_tensor_attr(cl_interp *I, cl_val *t, const char *name, const cl_expr *at);
cl_val *cl_torch_function(cl_interp *I, const char *tail, const char *full, cl_args *args,
                          bool *handled);
cl_val *cl_tensor_subscript(cl_interp *I, cl_val *t, cl_val *idx, const cl_expr *at);
cl_val *cl_binop(cl_interp *I, const char *op, cl_val *l, cl_val *r, const cl_expr *at);
cl_val *cl_compare(cl_interp *I, const char *op, cl_val *l, cl_val *r, const cl_expr *at);

/* tracing.c */
cl_val *cl_tracing_call(cl_interp *I, cl_val *callee, const char *tail, const char *full,
                        cl_args *args, bool *handled);
cl_val *cl_tracing_obj_call(cl_interp *I, cl_val *obj, cl_args *args);
cl_val *cl_tracing_obj_method(cl_interp *I, cl_val *obj, const char *name, cl_args *args,
                              bool *handled);
bool cl_is_cond(const cl_val *callee);
cl_val *cl_cond_site(cl_interp *I, cl_args *args);
void cl_decorated_roots(cl_interp *I);
/* The current trace raises: it builds no artifact (CL209 at sp). */
void cl_context_fail(cl_interp *I, const cl_file *f, cl_span sp, const char *why, const char *fix);
int cl_context_new(cl_interp *I, const char *desc, const cl_file *f, cl_span sp, int kind);
void cl_record_event(cl_interp *I, const char *code, const cl_file *f, cl_span sp, const char *msg,
              const char *fix);

/* custom_ops.c */
cl_val *cl_customop_call(cl_interp *I, const char *tail, const char *full, cl_args *args,
                         bool *handled);
cl_val *cl_customop_invoke(cl_interp *I, cl_val *callee, cl_args *args, bool *handled);
void cl_customop_finish(cl_interp *I);
cl_val *cl_customop_attr(cl_interp *I, cl_val *op, const char *name);
/* The kind of the current traced context, or -1 in host code. */
int cl_context_kind(cl_interp *I);

/* link.c */
cl_modinfo *cl_module_for_file(cl_interp *I, cl_file *f);
void cl_module_exec(cl_interp *I, cl_modinfo *m);
cl_val *cl_import_module(cl_interp *I, const char *dotted, int level, bool *found);
cl_val *cl_import_from(cl_interp *I, const char *module, int level, const char *name);
void cl_link_free(cl_interp *I);
/* session.c: the session's file of a canonical path, or NULL. */
cl_file *cl_session_find_abspath(condlint_session *s, const char *abspath);

/* interp.c: run a block in an env (used by link.c for module bodies). */
void cl_exec_module_body(cl_interp *I, cl_modinfo *m);

#endif
