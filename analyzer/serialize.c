/*
 * serialize.c — the IR of one file as bytes and back (see serialize.h).
 *
 * The encoding is a pre-order walk. Integers are LEB128 varints (zigzag for
 * signed ones), so most fields take one byte. Every object (expression,
 * statement, function, class) is written once: its first occurrence is
 * written in full, later ones (a method's enclosing class, a closure's outer
 * function, any node the lowering shares) as a back-reference to its number,
 * so the loaded graph has the same sharing as the parsed one. Strings are
 * written once each and referred to by number afterwards. Optional fields
 * are announced by a presence mask, so that NULL and empty arrays come back
 * as they were. The reader checks every count against the bytes left, every
 * kind against its enum, every back-reference against the kind of object it
 * must name, and the nesting depth; then that what it built is IR the
 * lowering can produce (check_expr, check_stmt...): the fields each kind
 * needs are there, spans lie within the file. A cache entry is checksummed,
 * but the analysis must not depend on that for its memory safety.
 */
#include <stdlib.h>
#include <string.h>

#include "serialize.h"

/* A field added to an IR struct must be added to the encoding (and
 * CL_SER_FORMAT bumped): these sizes are those of the fields encoded below
 * on an LP64 target. */
#if defined(__LP64__)
_Static_assert(sizeof(cl_span) == 8, "cl_span changed: update analyzer/serialize.c");
_Static_assert(sizeof(cl_expr) == 40, "cl_expr changed: update analyzer/serialize.c");
_Static_assert(sizeof(cl_stmt) == 80, "cl_stmt changed: update analyzer/serialize.c");
_Static_assert(sizeof(cl_param) == 40, "cl_param changed: update analyzer/serialize.c");
_Static_assert(sizeof(cl_contract) == 24, "cl_contract changed: update analyzer/serialize.c");
_Static_assert(sizeof(cl_func) == 136, "cl_func changed: update analyzer/serialize.c");
_Static_assert(sizeof(cl_class) == 56, "cl_class changed: update analyzer/serialize.c");
_Static_assert(sizeof(cl_comment) == 16, "cl_comment changed: update analyzer/serialize.c");
_Static_assert(sizeof(cl_module) == 40, "cl_module changed: update analyzer/serialize.c");
_Static_assert(sizeof(cl_alias) == 16, "cl_alias changed: update analyzer/serialize.c");
#endif

#define MAX_NEST 1500 /* the lowering stops at 400 levels of blocks and expressions */

uint64_t cl_ser_layout_signature(void) {
  uint64_t h = 1469598103934665603ull;
  const uint64_t parts[] = {sizeof(cl_span), sizeof(cl_expr), sizeof(cl_stmt), sizeof(cl_param),
                            sizeof(cl_contract), sizeof(cl_func), sizeof(cl_class),
                            sizeof(cl_comment), sizeof(cl_module), sizeof(cl_alias),
                            E_COMPREHENSION, S_OTHER, P_KWONLY, CL_SER_FORMAT};
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) h = (h ^ parts[i]) * 1099511628211ull;
  return h;
}

/* ---- buffer and reader ---------------------------------------------------- */

void cl_buf_put(cl_buf *b, const void *p, size_t n) {
  if (b->cap - b->n < n) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->n < n) cap *= 2;
    b->p = cl_xrealloc(b->p, cap);
    b->cap = cap;
  }
  if (n) memcpy(b->p + b->n, p, n);
  b->n += n;
}

void cl_buf_u8(cl_buf *b, uint8_t v) { cl_buf_put(b, &v, 1); }

void cl_buf_u32le(cl_buf *b, uint32_t v) {
  uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
  cl_buf_put(b, x, 4);
}

void cl_buf_u64le(cl_buf *b, uint64_t v) {
  cl_buf_u32le(b, (uint32_t)v);
  cl_buf_u32le(b, (uint32_t)(v >> 32));
}

void cl_buf_varint(cl_buf *b, uint64_t v) {
  uint8_t x[10];
  size_t n = 0;
  do {
    x[n] = (uint8_t)(v & 0x7f);
    v >>= 7;
    if (v) x[n] |= 0x80;
    n++;
  } while (v);
  cl_buf_put(b, x, n);
}

void cl_buf_svarint(cl_buf *b, int64_t v) {
  cl_buf_varint(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

void cl_buf_str(cl_buf *b, const char *s) {
  if (!s) {
    cl_buf_varint(b, 0);
    return;
  }
  size_t l = strlen(s);
  cl_buf_varint(b, (uint64_t)l + 1);
  cl_buf_put(b, s, l);
}

void cl_buf_free(cl_buf *b) {
  free(b->p);
  b->p = NULL;
  b->n = b->cap = 0;
}

static bool rd_fail(cl_rd *r) {
  r->bad = true;
  r->p = r->end;
  return false;
}

uint8_t cl_rd_u8(cl_rd *r) {
  if (r->p >= r->end) return (uint8_t)rd_fail(r);
  return *r->p++;
}

uint32_t cl_rd_u32le(cl_rd *r) {
  if (r->end - r->p < 4) return rd_fail(r);
  const uint8_t *p = r->p;
  r->p += 4;
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t cl_rd_u64le(cl_rd *r) {
  uint64_t lo = cl_rd_u32le(r);
  return lo | (uint64_t)cl_rd_u32le(r) << 32;
}

uint64_t cl_rd_varint(cl_rd *r) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (r->p >= r->end) return rd_fail(r);
    uint8_t c = *r->p++;
    v |= (uint64_t)(c & 0x7f) << shift;
    if (!(c & 0x80)) return v;
  }
  return rd_fail(r);
}

int64_t cl_rd_svarint(cl_rd *r) {
  uint64_t v = cl_rd_varint(r);
  return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

const uint8_t *cl_rd_bytes(cl_rd *r, size_t *len) {
  uint64_t l = cl_rd_varint(r);
  *len = 0;
  if (l == 0 || r->bad) return NULL;
  l--;
  if ((uint64_t)(r->end - r->p) < l) {
    rd_fail(r);
    return NULL;
  }
  const uint8_t *p = r->p;
  r->p += l;
  *len = (size_t)l;
  return p;
}

const char *cl_rd_str(cl_rd *r, cl_arena *a, bool *isnull) {
  size_t l;
  const uint8_t *p = cl_rd_bytes(r, &l);
  if (isnull) *isnull = p == NULL;
  return p ? cl_arena_strndup(a, (const char *)p, l) : NULL;
}

/* ---- hash tables for the writer ------------------------------------------ */

typedef struct {
  const void **keys; /* pointers (objects) or strings */
  uint32_t *ids;
  size_t cap, n;
  bool by_content; /* keys are strings compared by content */
} table;

static uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  return x ^ (x >> 33);
}

static uint64_t key_hash(const table *t, const void *k) {
  if (!t->by_content) return mix64((uint64_t)(uintptr_t)k);
  uint64_t h = 1469598103934665603ull;
  for (const unsigned char *s = k; *s; s++) h = (h ^ *s) * 1099511628211ull;
  return mix64(h);
}

static bool key_eq(const table *t, const void *a, const void *b) {
  return t->by_content ? !strcmp(a, b) : a == b;
}

/* The id of k, or UINT32_MAX; with add, k gets id next when absent. */
static uint32_t table_find(table *t, const void *k, bool add, uint32_t next) {
  if (add && (t->n + 1) * 2 > t->cap) {
    table old = *t;
    t->cap = t->cap ? t->cap * 2 : 256;
    t->keys = cl_xcalloc(t->cap, sizeof *t->keys);
    t->ids = cl_xcalloc(t->cap, sizeof *t->ids);
    t->n = 0;
    for (size_t i = 0; i < old.cap; i++)
      if (old.keys[i]) table_find(t, old.keys[i], true, old.ids[i]);
    free(old.keys);
    free(old.ids);
  }
  if (!t->cap) return UINT32_MAX;
  size_t mask = t->cap - 1, i = (size_t)key_hash(t, k) & mask;
  while (t->keys[i]) {
    if (key_eq(t, t->keys[i], k)) return t->ids[i];
    i = (i + 1) & mask;
  }
  if (!add) return UINT32_MAX;
  t->keys[i] = k;
  t->ids[i] = next;
  t->n++;
  return UINT32_MAX;
}

static void table_free(table *t) {
  free(t->keys);
  free(t->ids);
}

/* ---- writing -------------------------------------------------------------- */

typedef struct {
  cl_buf *b;
  const cl_file *f;
  table objs, strs;
  uint32_t nobjs, nstrs;
} writer;

enum { REF_NULL = 0, REF_NEW = 1, REF_BASE = 2 };

static void w_str(writer *w, const char *s) {
  if (!s) {
    cl_buf_varint(w->b, 0);
    return;
  }
  uint32_t id = table_find(&w->strs, s, false, 0);
  if (id != UINT32_MAX) {
    cl_buf_varint(w->b, (uint64_t)id + 2);
    return;
  }
  table_find(&w->strs, s, true, w->nstrs++);
  size_t l = strlen(s);
  cl_buf_varint(w->b, 1);
  cl_buf_varint(w->b, l);
  cl_buf_put(w->b, s, l);
}

/* Write a reference: NULL, a back-reference, or REF_NEW (the caller then
 * writes the object, which got the next number). */
static bool w_ref(writer *w, const void *p) {
  if (!p) {
    cl_buf_varint(w->b, REF_NULL);
    return false;
  }
  uint32_t id = table_find(&w->objs, p, false, 0);
  if (id != UINT32_MAX) {
    cl_buf_varint(w->b, (uint64_t)id + REF_BASE);
    return false;
  }
  table_find(&w->objs, p, true, w->nobjs++);
  cl_buf_varint(w->b, REF_NEW);
  return true;
}

static void w_span(writer *w, cl_span s) {
  cl_buf_varint(w->b, s.start);
  cl_buf_svarint(w->b, (int64_t)s.end - (int64_t)s.start);
}

static void w_expr(writer *w, const cl_expr *e);
static void w_stmt(writer *w, const cl_stmt *s);
static void w_func(writer *w, const cl_func *fn);
static void w_class(writer *w, const cl_class *c);

static void w_exprs(writer *w, cl_expr *const *v, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) w_expr(w, v[i]);
}

static void w_block(writer *w, const cl_block *b) {
  cl_buf_varint(w->b, (uint64_t)b->n << 1 | (b->v != NULL));
  for (uint32_t i = 0; i < b->n; i++) w_stmt(w, b->v[i]);
}

static void w_expr(writer *w, const cl_expr *e) {
  if (!w_ref(w, e)) return;
  cl_buf_varint(w->b, (uint64_t)e->kind);
  w_span(w, e->span);
  uint64_t fbits = 0; /* i, f and lambda share their place: each by its kind */
  if (e->kind == E_FLOAT) memcpy(&fbits, &e->f, sizeof fbits);
  unsigned m = (e->s ? 1u : 0) | (e->kind == E_INT && e->i ? 2u : 0) | (fbits ? 4u : 0) |
               (e->kids ? 8u : 0) | (e->kind == E_LAMBDA && e->lambda ? 16u : 0);
  cl_buf_varint(w->b, m);
  if (m & 1) w_str(w, e->s);
  if (m & 2) cl_buf_svarint(w->b, e->i);
  if (m & 4) cl_buf_u64le(w->b, fbits);
  if (m & 8) {
    cl_buf_varint(w->b, e->nkids);
    w_exprs(w, e->kids, e->nkids);
  }
  if (m & 16) w_func(w, e->lambda);
}

static void w_stmt(writer *w, const cl_stmt *s) {
  if (!w_ref(w, s)) return;
  cl_buf_varint(w->b, (uint64_t)s->kind);
  w_span(w, s->span);
  cl_skind k = s->kind;
  bool imp = k == S_IMPORT || k == S_IMPORTFROM;
  unsigned m = (s->targets ? 1u : 0) | (s->value ? 2u : 0) | (k == S_WITH && s->items ? 4u : 0) |
               (k == S_AUGASSIGN && s->op ? 8u : 0) | (k == S_FUNCDEF && s->func ? 16u : 0) |
               (k == S_CLASSDEF && s->cls ? 32u : 0) | (imp && s->module ? 64u : 0) |
               (imp && s->level ? 128u : 0) | (imp && s->names ? 256u : 0);
  cl_buf_varint(w->b, m);
  cl_buf_varint(w->b, s->ntargets);
  if (m & 1) w_exprs(w, s->targets, s->ntargets);
  if (m & 2) w_expr(w, s->value);
  if (m & 4) w_exprs(w, s->items, s->ntargets);
  if (m & 8) w_str(w, s->op);
  if (cl_stmt_has_blocks(k)) { /* the blocks of the kinds that have them */
    w_block(w, &s->body);
    w_block(w, &s->orelse);
    if (k == S_TRY) w_block(w, &s->final);
  }
  if (m & 16) w_func(w, s->func);
  if (m & 32) w_class(w, s->cls);
  if (m & 64) w_str(w, s->module);
  if (m & 128) cl_buf_svarint(w->b, s->level);
  if (m & 256) {
    cl_buf_varint(w->b, s->nnames);
    for (uint32_t i = 0; i < s->nnames; i++) {
      w_str(w, s->names[i].name);
      w_str(w, s->names[i].alias);
    }
  }
}

static void w_func(writer *w, const cl_func *fn) {
  if (!w_ref(w, fn)) return;
  w_str(w, fn->name);
  w_str(w, fn->qualname);
  w_span(w, fn->span);
  w_span(w, fn->name_span);
  unsigned m = (fn->params ? 1u : 0) | (fn->decorators ? 2u : 0) | (fn->contracts ? 4u : 0) |
               (fn->is_lambda ? 8u : 0) | (fn->lambda_body ? 16u : 0) | (fn->file == w->f ? 32u : 0) |
               (fn->lazy_end ? 64u : 0);
  cl_buf_varint(w->b, m);
  if (m & 1) {
    cl_buf_varint(w->b, fn->nparams);
    for (uint32_t i = 0; i < fn->nparams; i++) {
      const cl_param *p = &fn->params[i];
      w_str(w, p->name);
      w_expr(w, p->dflt);
      w_expr(w, p->annotation);
      cl_buf_varint(w->b, (uint64_t)p->kind);
      w_span(w, p->span);
    }
  }
  if (m & 2) {
    cl_buf_varint(w->b, fn->ndecorators);
    w_exprs(w, fn->decorators, fn->ndecorators);
  }
  w_block(w, &fn->body);
  w_class(w, fn->cls);
  w_func(w, fn->outer);
  if (m & 4) {
    cl_buf_varint(w->b, fn->ncontracts);
    for (uint32_t i = 0; i < fn->ncontracts; i++) {
      const cl_contract *c = &fn->contracts[i];
      w_str(w, c->param);
      cl_buf_svarint(w->b, c->dim);
      cl_buf_u8(w->b, c->dynamic);
      w_span(w, c->span);
    }
  }
  if (m & 16) w_expr(w, fn->lambda_body);
  if (m & 64) cl_buf_varint(w->b, fn->lazy_end - fn->span.start);
}

static void w_class(writer *w, const cl_class *c) {
  if (!w_ref(w, c)) return;
  w_str(w, c->name);
  w_span(w, c->span);
  unsigned m = (c->bases ? 1u : 0) | (c->file == w->f ? 2u : 0);
  cl_buf_varint(w->b, m);
  if (m & 1) {
    cl_buf_varint(w->b, c->nbases);
    w_exprs(w, c->bases, c->nbases);
  }
  w_block(w, &c->body);
}

void cl_ser_module(const cl_file *f, cl_buf *out) {
  writer w = {0};
  w.b = out;
  w.f = f;
  w.strs.by_content = true;
  const cl_module *m = f->mod;
  unsigned mask = (m->comments ? 1u : 0) | (m->dotted ? 2u : 0);
  cl_buf_varint(out, mask);
  w_block(&w, &m->body);
  if (mask & 1) {
    cl_buf_varint(out, m->ncomments);
    for (uint32_t i = 0; i < m->ncomments; i++) {
      w_span(&w, m->comments[i].span);
      w_str(&w, m->comments[i].text);
    }
  }
  if (mask & 2) w_str(&w, m->dotted);
  table_free(&w.objs);
  table_free(&w.strs);
}

/* ---- reading -------------------------------------------------------------- */

typedef enum { OB_EXPR = 1, OB_STMT, OB_FUNC, OB_CLASS } obkind;

typedef struct {
  cl_rd *r;
  cl_file *f;
  cl_arena *a;
  void **objs;
  uint8_t *kinds;
  size_t nobjs, capobjs;
  const char **strs;
  size_t nstrs, capstrs;
  int depth;
} reader;

static bool bad(reader *d) {
  d->r->bad = true;
  d->r->p = d->r->end;
  return false;
}

/* A count of items that each take at least one byte. */
static bool r_count(reader *d, uint64_t *n) {
  *n = cl_rd_varint(d->r);
  if (d->r->bad || *n > (uint64_t)(d->r->end - d->r->p) || *n > UINT32_MAX) return bad(d);
  return true;
}

static const char *r_str(reader *d) {
  uint64_t t = cl_rd_varint(d->r);
  if (d->r->bad || t == 0) return NULL;
  if (t >= 2) {
    if (t - 2 >= d->nstrs) {
      bad(d);
      return NULL;
    }
    return d->strs[t - 2];
  }
  uint64_t l = cl_rd_varint(d->r);
  if (d->r->bad || l > (uint64_t)(d->r->end - d->r->p)) {
    bad(d);
    return NULL;
  }
  const char *s = cl_arena_strndup(d->a, (const char *)d->r->p, (size_t)l);
  d->r->p += l;
  if (d->nstrs == d->capstrs) {
    d->capstrs = d->capstrs ? d->capstrs * 2 : 256;
    d->strs = cl_xrealloc(d->strs, d->capstrs * sizeof *d->strs);
  }
  d->strs[d->nstrs++] = s;
  return s;
}

static uint32_t r_u32(reader *d) {
  uint64_t v = cl_rd_varint(d->r);
  if (v > UINT32_MAX) bad(d);
  return (uint32_t)v;
}

static cl_span r_span(reader *d) {
  cl_span s;
  s.start = r_u32(d);
  int64_t len = cl_rd_svarint(d->r);
  /* a span lies within the file: start <= end <= len */
  if (len < 0 || len > (int64_t)UINT32_MAX) {
    bad(d);
    len = 0;
  }
  int64_t end = (int64_t)s.start + len;
  if ((uint64_t)end > d->f->len) {
    bad(d);
    end = s.start;
  }
  s.end = (uint32_t)end;
  return s;
}

#define OPEN 0x80 /* kinds[]: the object's fields are still being read */

/* Read a reference: *out gets NULL or an existing object of kind k; returns
 * true when a new object of kind k follows (the caller allocates it and
 * registers it with r_new before reading its fields). Only a function's
 * enclosing class and outer function may name an object still being read
 * (an ancestor): any other such reference would make a cycle. */
static bool r_ref(reader *d, obkind k, void **out, bool ancestor) {
  *out = NULL;
  uint64_t t = cl_rd_varint(d->r);
  if (d->r->bad || t == REF_NULL) return false;
  if (t == REF_NEW) return true;
  t -= REF_BASE;
  if (t >= d->nobjs || (d->kinds[t] & ~OPEN) != k || ((d->kinds[t] & OPEN) && !ancestor))
    return bad(d);
  *out = d->objs[t];
  return false;
}

static size_t r_open(reader *d) { return d->nobjs - 1; }
static void r_close(reader *d, size_t id) {
  d->kinds[id] &= (uint8_t)~OPEN;
  d->depth--;
}

static void *r_new(reader *d, obkind k, size_t size) {
  void *p = cl_arena_alloc(d->a, size);
  if (d->nobjs == d->capobjs) {
    d->capobjs = d->capobjs ? d->capobjs * 2 : 1024;
    d->objs = cl_xrealloc(d->objs, d->capobjs * sizeof *d->objs);
    d->kinds = cl_xrealloc(d->kinds, d->capobjs);
  }
  d->objs[d->nobjs] = p;
  d->kinds[d->nobjs++] = (uint8_t)(k | OPEN);
  return p;
}

static cl_expr *r_expr(reader *d);
static cl_stmt *r_stmt(reader *d);
static cl_func *r_func(reader *d, bool ancestor);
static cl_class *r_class(reader *d, bool ancestor);

static bool enter(reader *d) {
  if (++d->depth > MAX_NEST) return bad(d);
  return true;
}

static cl_expr **r_exprs(reader *d, uint64_t n) {
  cl_expr **v = cl_arena_alloc(d->a, (size_t)n * sizeof *v);
  for (uint64_t i = 0; i < n && !d->r->bad; i++) v[i] = r_expr(d);
  return v;
}

static cl_block r_block(reader *d) {
  cl_block b = {0};
  uint64_t t = cl_rd_varint(d->r), n = t >> 1;
  if (d->r->bad || n > (uint64_t)(d->r->end - d->r->p)) {
    bad(d);
    return b;
  }
  if (t & 1) b.v = cl_arena_alloc(d->a, (size_t)n * sizeof *b.v);
  else if (n) {
    bad(d);
    return b;
  }
  b.n = (uint32_t)n;
  for (uint32_t i = 0; i < b.n && !d->r->bad; i++)
    if (!(b.v[i] = r_stmt(d))) bad(d); /* a block holds statements */
  return b;
}

/* ---- what the lowering produces (parse.c): the invariants the analysis reads under ---- */

/* A dict's `**` marker (E_DSTARRED without a kid) stands only as a key of a
 * dict: anywhere else the analysis reads its kid. */
static bool marker(const cl_expr *e) { return e && e->kind == E_DSTARRED && e->nkids == 0; }

/* n expressions, all present, none a marker. */
static bool all_set(cl_expr *const *v, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (!v || !v[i] || marker(v[i])) return false;
  return true;
}

/* n expressions that may be absent, none a marker. */
static bool none_marker(cl_expr *const *v, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (v && marker(v[i])) return false;
  return true;
}

static bool check_expr(const cl_expr *e) {
  uint32_t n = e->nkids;
  if (n && !e->kids) return false;
  switch (e->kind) {
  case E_NAME: case E_STR: return e->s != NULL;
  case E_ATTR: case E_KEYWORD: case E_UNARY: return e->s && n == 1 && all_set(e->kids, n);
  case E_CALL: return n >= 1 && all_set(e->kids, n);
  case E_SUBSCRIPT: case E_WALRUS: return n == 2 && all_set(e->kids, n);
  case E_BINOP: case E_AND: case E_OR: return e->s && n == 2 && all_set(e->kids, n);
  case E_COMPARE: return e->s && n >= 1 && all_set(e->kids, n);
  case E_NOT: case E_STARRED: return n == 1 && all_set(e->kids, n);
  case E_DSTARRED: return n <= 1 && all_set(e->kids, n); /* 0: a dict's ** marker */
  case E_IFEXP: return n == 3 && all_set(e->kids, n);
  case E_DICT:
    if (n % 2) return false;
    for (uint32_t i = 0; i < n; i += 2) /* key (or marker), value */
      if (!e->kids[i] || !e->kids[i + 1] || marker(e->kids[i + 1])) return false;
    return true;
  case E_SLICE: return n == 3 && none_marker(e->kids, n); /* parts may be absent */
  case E_COMPREHENSION: /* the if is optional */
    return n == 0 || (n == 4 && all_set(e->kids, 3) && none_marker(e->kids + 3, 1));
  case E_LAMBDA: return e->lambda && e->lambda->is_lambda && e->lambda->lambda_body;
  default: return all_set(e->kids, n);
  }
}

static bool check_stmt(const cl_stmt *s) {
  uint32_t n = s->ntargets;
  bool imp = s->kind == S_IMPORT || s->kind == S_IMPORTFROM;
  cl_expr **items = s->kind == S_WITH ? s->items : NULL;
  if ((n && !s->targets && s->kind != S_WITH) || (imp && s->names == NULL && s->nnames)) return false;
  if (marker(s->value) || !none_marker(s->targets, s->targets ? n : 0) ||
      !none_marker(items, items ? n : 0))
    return false;
  bool targets = s->kind == S_WITH || all_set(s->targets, n);
  switch (s->kind) {
  case S_EXPR: case S_IF: case S_WHILE: return s->value != NULL;
  case S_ASSIGN: return s->value && n >= 1 && targets;
  case S_ANNASSIGN: return targets;
  case S_AUGASSIGN: return s->value && s->op && n == 1 && targets;
  case S_FOR: return s->value && n == 1 && targets;
  case S_WITH: return (!n || (s->targets && s->items)) && all_set(s->items, n);
  case S_FUNCDEF: return s->func != NULL;
  case S_CLASSDEF: return s->cls != NULL;
  case S_IMPORTFROM: if (!s->module) return false; /* fall through */
  case S_IMPORT:
    for (uint32_t i = 0; i < s->nnames; i++)
      if (!s->names[i].name) return false;
    return true;
  default: return targets;
  }
}

static bool check_func(const cl_func *fn) {
  if (!fn->name || !fn->qualname || !fn->file || (fn->is_lambda && !fn->lambda_body)) return false;
  if ((fn->nparams && !fn->params) || !all_set(fn->decorators, fn->ndecorators) ||
      (fn->ncontracts && !fn->contracts))
    return false;
  if (marker(fn->lambda_body)) return false;
  for (uint32_t i = 0; i < fn->nparams; i++)
    if (!fn->params[i].name || marker(fn->params[i].dflt) || marker(fn->params[i].annotation))
      return false;
  for (uint32_t i = 0; i < fn->ncontracts; i++)
    if (!fn->contracts[i].param) return false;
  return true;
}

static bool check_class(const cl_class *c) {
  return c->name && c->file && all_set(c->bases, c->nbases);
}

static cl_expr *r_expr(reader *d) {
  void *old;
  if (!r_ref(d, OB_EXPR, &old, false)) return old;
  if (!enter(d)) return NULL;
  cl_expr *e = r_new(d, OB_EXPR, sizeof *e);
  size_t id = r_open(d);
  uint64_t kind = cl_rd_varint(d->r);
  if (kind > E_COMPREHENSION) bad(d);
  e->kind = (cl_ekind)kind;
  e->span = r_span(d);
  uint64_t m = cl_rd_varint(d->r);
  /* the scalar that shares a place is the one of the kind */
  if (((m & 2) && kind != E_INT) || ((m & 4) && kind != E_FLOAT) || ((m & 16) && kind != E_LAMBDA))
    bad(d), m &= ~(uint64_t)(2 | 4 | 16);
  if (m & 1) e->s = r_str(d);
  if (m & 2) e->i = cl_rd_svarint(d->r);
  if (m & 4) {
    uint64_t bits = cl_rd_u64le(d->r);
    memcpy(&e->f, &bits, sizeof bits);
  }
  if (m & 8) {
    uint64_t n;
    if (r_count(d, &n)) {
      e->nkids = (uint32_t)n;
      e->kids = r_exprs(d, n);
    }
  }
  if (m & 16) e->lambda = r_func(d, false);
  if (!d->r->bad && !check_expr(e)) bad(d);
  r_close(d, id);
  return e;
}

static cl_stmt *r_stmt(reader *d) {
  void *old;
  if (!r_ref(d, OB_STMT, &old, false)) return old;
  if (!enter(d)) return NULL;
  cl_stmt *s = r_new(d, OB_STMT, sizeof *s);
  size_t id = r_open(d);
  uint64_t kind = cl_rd_varint(d->r);
  if (kind > S_OTHER) bad(d);
  s->kind = (cl_skind)kind;
  s->span = r_span(d);
  uint64_t m = cl_rd_varint(d->r), nt;
  /* the fields that share a place are the ones of the kind */
  bool imp = kind == S_IMPORT || kind == S_IMPORTFROM;
  uint64_t allowed = 1 | 2 | (kind == S_WITH ? 4u : 0) | (kind == S_AUGASSIGN ? 8u : 0) |
                     (kind == S_FUNCDEF ? 16u : 0) | (kind == S_CLASSDEF ? 32u : 0) |
                     (imp ? 64u | 128u | 256u : 0);
  if (m & ~allowed) bad(d), m &= allowed;
  if (!r_count(d, &nt)) return NULL;
  s->ntargets = (uint32_t)nt;
  if (m & 1) s->targets = r_exprs(d, nt);
  if (m & 2) s->value = r_expr(d);
  if (m & 4) s->items = r_exprs(d, nt);
  if (m & 8) s->op = r_str(d);
  if (kind <= S_OTHER && cl_stmt_has_blocks((cl_skind)kind)) {
    s->body = r_block(d);
    s->orelse = r_block(d);
    if (kind == S_TRY) s->final = r_block(d);
  }
  if (m & 16) s->func = r_func(d, false);
  if (m & 32) s->cls = r_class(d, false);
  if (m & 64) s->module = r_str(d);
  if (m & 128) {
    int64_t l = cl_rd_svarint(d->r);
    if (l < -1000000 || l > 1000000) bad(d);
    s->level = (int)l;
  }
  if (m & 256) {
    uint64_t n;
    if (r_count(d, &n)) {
      s->nnames = (uint32_t)n;
      s->names = cl_arena_alloc(d->a, (size_t)n * sizeof *s->names);
      for (uint32_t i = 0; i < s->nnames && !d->r->bad; i++) {
        s->names[i].name = r_str(d);
        s->names[i].alias = r_str(d);
      }
    }
  }
  if (!d->r->bad && !check_stmt(s)) bad(d);
  r_close(d, id);
  return s;
}

static cl_func *r_func(reader *d, bool ancestor) {
  void *old;
  if (!r_ref(d, OB_FUNC, &old, ancestor)) return old;
  if (!enter(d)) return NULL;
  cl_func *fn = r_new(d, OB_FUNC, sizeof *fn);
  size_t id = r_open(d);
  fn->name = r_str(d);
  fn->qualname = r_str(d);
  fn->span = r_span(d);
  fn->name_span = r_span(d);
  uint64_t m = cl_rd_varint(d->r), n;
  if (m & 1 && r_count(d, &n)) {
    fn->nparams = (uint32_t)n;
    fn->params = cl_arena_alloc(d->a, (size_t)n * sizeof *fn->params);
    for (uint32_t i = 0; i < fn->nparams && !d->r->bad; i++) {
      cl_param *p = &fn->params[i];
      p->name = r_str(d);
      p->dflt = r_expr(d);
      p->annotation = r_expr(d);
      uint64_t k = cl_rd_varint(d->r);
      if (k > P_KWONLY) bad(d);
      p->kind = (cl_pkind)k;
      p->span = r_span(d);
    }
  }
  if (m & 2 && r_count(d, &n)) {
    fn->ndecorators = (uint32_t)n;
    fn->decorators = r_exprs(d, n);
  }
  fn->body = r_block(d);
  fn->cls = r_class(d, true);
  fn->outer = r_func(d, true);
  if (m & 4 && r_count(d, &n)) {
    fn->ncontracts = (uint32_t)n;
    fn->contracts = cl_arena_alloc(d->a, (size_t)n * sizeof *fn->contracts);
    for (uint32_t i = 0; i < fn->ncontracts && !d->r->bad; i++) {
      cl_contract *c = &fn->contracts[i];
      c->param = r_str(d);
      int64_t dim = cl_rd_svarint(d->r);
      if (dim < -1 || dim > 1000000) bad(d);
      c->dim = (int)dim;
      c->dynamic = cl_rd_u8(d->r) != 0;
      c->span = r_span(d);
    }
  }
  fn->is_lambda = (m & 8) != 0;
  if (m & 16) fn->lambda_body = r_expr(d);
  fn->file = m & 32 ? d->f : NULL;
  if (m & 64) { /* a skeleton's body, in this file, ends after its def starts */
    uint64_t rest = cl_rd_varint(d->r);
    if (!(m & 32) || fn->is_lambda || rest == 0 || rest > d->f->len - fn->span.start) bad(d);
    else fn->lazy_end = fn->span.start + (uint32_t)rest;
  }
  if (!d->r->bad && !check_func(fn)) bad(d);
  r_close(d, id);
  return fn;
}

static cl_class *r_class(reader *d, bool ancestor) {
  void *old;
  if (!r_ref(d, OB_CLASS, &old, ancestor)) return old;
  if (!enter(d)) return NULL;
  cl_class *c = r_new(d, OB_CLASS, sizeof *c);
  size_t id = r_open(d);
  c->name = r_str(d);
  c->span = r_span(d);
  uint64_t m = cl_rd_varint(d->r), n;
  if (m & 1 && r_count(d, &n)) {
    c->nbases = (uint32_t)n;
    c->bases = r_exprs(d, n);
  }
  c->body = r_block(d);
  c->file = m & 2 ? d->f : NULL;
  if (!d->r->bad && !check_class(c)) bad(d);
  r_close(d, id);
  return c;
}

cl_module *cl_deser_module(cl_file *f, cl_rd *r) {
  if (!f->arena) f->arena = cl_arena_new();
  reader d = {0};
  d.r = r;
  d.f = f;
  d.a = f->arena;
  cl_module *m = cl_arena_alloc(d.a, sizeof *m);
  uint64_t mask = cl_rd_varint(r);
  m->body = r_block(&d);
  if (mask & 1) {
    uint64_t n;
    if (r_count(&d, &n)) {
      m->ncomments = (uint32_t)n;
      m->comments = cl_arena_alloc(d.a, (size_t)n * sizeof *m->comments);
      for (uint32_t i = 0; i < m->ncomments && !r->bad; i++) {
        m->comments[i].span = r_span(&d);
        m->comments[i].text = r_str(&d);
        if (!m->comments[i].text) bad(&d);
      }
    }
  }
  if (mask & 2) m->dotted = r_str(&d);
  if (!m->dotted) bad(&d); /* the lowering always names the module */
  free(d.objs);
  free(d.kinds);
  free(d.strs);
  return r->bad ? NULL : m;
}
