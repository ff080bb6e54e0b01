/* facts.h — what the analysis concludes, for the rules to read: every cond
 * site with its outcome in each tracing context that reached it, and the
 * setup mistakes (CL2xx) that the interpreter met on the way. Rules never see
 * the interpreter; they read only this. */
#ifndef CONDLINT_FACTS_H
#define CONDLINT_FACTS_H
#include "internal.h"

typedef enum { PRED_UNKNOWN = 0, PRED_CONST, PRED_SYM, PRED_TENSOR } cl_pred;

/* A machine-applicable fix, as a recipe: fixes.c turns it into text edits. */
typedef enum {
  FIX_NONE = 0,
  FIX_TRACING_MODE,   /* make_fx(..., tracing_mode="symbolic")      unsafe */
  FIX_SHAPE_ENV,      /* FakeTensorMode(shape_env=ShapeEnv())        unsafe */
  FIX_EXPORT_DIM,     /* a Dim for `param`'s dim in dynamic_shapes    unsafe */
  FIX_MARK_DYNAMIC,   /* torch._dynamo.mark_dynamic(arg, dim) first  safe */
  FIX_DIMDYN_DYNAMIC, /* DimDynamic.STATIC -> DYNAMIC at `index`      safe */
  FIX_DROP_INT        /* int(x.shape[d]) -> x.shape[d]                safe */
} cl_fixkind;

typedef struct {
  cl_fixkind kind;
  const cl_file *file;
  const cl_expr *expr;   /* the call the edit is about */
  const cl_expr *arg;    /* MARK_DYNAMIC: the argument expression */
  int dim;               /* the dim, or the index into dynamic_sizes */
  const char *param;     /* EXPORT_DIM: the parameter name */
} cl_fixspec;

/* One step of a reason chain: "x.shape[1] is concrete here", "make_fx traces
 * with real tensors here". Linked from the most recent step backwards. */
typedef struct cl_origin {
  const cl_file *file;
  cl_span span;
  const char *why;
  const char *fix;        /* the fix this step suggests, or NULL */
  bool specialized;       /* int()/len() turned a symbolic size into an int */
  const cl_fixspec *fixspec; /* the machine-applicable form of fix, or NULL */
  const struct cl_origin *prev;
} cl_origin;

/* The outcome of one cond site in one tracing context. */
typedef struct {
  int context;            /* index into cl_facts.contexts */
  cl_pred pred;           /* joined over every evaluation in the context */
  bool mixed;             /* evaluations in this context disagreed */
  bool reads_size;        /* the CONST predicate read a tensor size */
  const cl_origin *why;   /* for a CONST predicate: why it is concrete */
} cl_outcome;

typedef enum { CTX_MAKEFX = 0, CTX_COMPILE, CTX_EXPORT, CTX_CONTRACT } cl_ctxkind;

typedef struct {
  const char *desc;       /* "make_fx(f) (tracing_mode='real')" */
  const cl_file *file;
  cl_span span;
  cl_ctxkind kind;        /* Inductor lowers only compile and export contexts */
  bool failed;            /* the trace raises (CL209): it builds no artifact */
} cl_context;

typedef struct {
  const cl_file *file;
  cl_span callee;         /* the `torch.cond` callee: the primary location */
  cl_span pred_span;
  const char *callee_text;
  cl_outcome *outs;
  size_t nouts, capouts;
  unsigned meta_evals;    /* evaluations that were CONST without reading a size */
  unsigned other_evals;   /* evaluations that read a size, or were symbolic or a tensor */
  /* range-dispatch sites (the cond Inductor builds for a custom op call) */
  const char *op;         /* "ns::name" */
  const cl_file *reg_file;
  cl_span reg_span;
  const char *dispatch;   /* "x.shape[1]" */
} cl_site;

/* A setup finding met while interpreting (CL2xx). */
typedef struct {
  const char *code;
  const cl_file *file;
  cl_span span;
  const char *message;
  const char *fix;
  const cl_file *rel_file;
  cl_span rel_span;
  const char *rel_message;
} cl_event;

struct cl_facts {
  cl_arena *arena;
  cl_vec sites;     /* cl_site* */
  cl_vec dispatch;  /* cl_site*: custom-op calls with a range dispatch */
  cl_vec contexts;  /* cl_context* */
  cl_vec events;    /* cl_event* */
};

/* Classification used by the CL1xx rules. */
typedef enum {
  SITE_NO_FINDING, SITE_STATIC_META, SITE_FOLDS_ALL, SITE_SPECIALIZED, SITE_FOLDS_SOME
} cl_site_class;
cl_site_class cl_site_classify(const cl_facts *facts, const cl_site *site);

/* Would cl_site_record keep the `why` it is given? (The caller then copies
 * the chain out of the root's scratch memory.) */
bool cl_site_stores(const cl_site *s, int ctx, cl_pred pred);
/* Record one evaluation of a site in a context (joined with earlier ones). */
void cl_site_record(cl_site *s, int ctx, cl_pred pred, const cl_origin *why, bool reads_size);

/* Emit the chain of a folding outcome as related locations. */
void cl_facts_emit_chain(condlint_session *s, condlint_diag *d, const cl_origin *why);
/* The first fix suggested along a chain. */
const char *cl_origin_fix(const cl_origin *why);
/* Attach the machine-applicable fix of a chain (if any) to a finding. */
void cl_fix_attach(condlint_session *s, condlint_diag *d, const cl_origin *why);

#endif
