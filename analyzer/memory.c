/* memory.c — allocation that aborts on exhaustion, arenas, pointer vectors. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "interp.h"

static void oom(void) {
  fputs("condlint: out of memory\n", stderr);
  abort();
}

void *cl_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) oom();
  return p;
}

void *cl_xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) oom();
  return p;
}

void *cl_xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) oom();
  return p;
}

char *cl_xstrdup(const char *s) { return cl_xstrndup(s, strlen(s)); }

char *cl_xstrndup(const char *s, size_t n) {
  char *p = cl_xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *cl_xasprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) oom();
  char *p = cl_xmalloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

/* Chunks grow geometrically; big requests get a chunk of their own. Blocks
 * are aligned for what the IR and the values hold (pointers, int64_t,
 * double), not for max_align_t's long double: 8 bytes, not 16, which keeps
 * an expression of the IR at 40 bytes rather than 48. */
#define ARENA_ALIGN 8
_Static_assert(_Alignof(void *) <= ARENA_ALIGN && _Alignof(int64_t) <= ARENA_ALIGN &&
                   _Alignof(double) <= ARENA_ALIGN,
               "what the arena holds needs no more than ARENA_ALIGN");

typedef struct chunk {
  struct chunk *next;
  size_t used, cap;
  size_t touched; /* the most used before a reset, since the last release */
  max_align_t data[];
} chunk;

struct cl_arena {
  chunk *head;
  size_t next_cap;
};

cl_arena *cl_arena_new(void) {
  cl_arena *a = cl_xcalloc(1, sizeof *a);
  a->next_cap = 16 * 1024;
  return a;
}

void cl_arena_free(cl_arena *a) {
  if (!a) return;
  for (chunk *c = a->head, *n; c; c = n) {
    n = c->next;
    free(c);
  }
  free(a);
}

void *cl_arena_alloc(cl_arena *a, size_t n) {
  if (!n) n = 1; /* distinct blocks have distinct addresses (value.c's evacuation) */
  n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
  chunk *c = a->head;
  if (!c || c->cap - c->used < n) {
    size_t cap = a->next_cap;
    if (cap < n) cap = n;
    /* up to 64 MiB: the interpreter's scratch arena (cl_arena_owns walks the
     * chunks) stays a few chunks long; untouched pages cost no memory */
    if (a->next_cap < 64 * 1024 * 1024) a->next_cap *= 2;
    c = cl_xmalloc(sizeof(chunk) + cap);
    c->used = 0;
    c->touched = 0;
    c->cap = cap;
    c->next = a->head;
    a->head = c;
  }
  void *p = (char *)c->data + c->used;
  c->used += n;
  memset(p, 0, n);
  return p;
}

/* cl_arena_alloc without the zeroing, for a block the caller fills whole. */
void *cl_arena_alloc_uninit(cl_arena *a, size_t n) {
  if (!n) n = 1;
  n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
  chunk *c = a->head;
  if (c && c->cap - c->used >= n) {
    void *p = (char *)c->data + c->used;
    c->used += n;
    return p;
  }
  return cl_arena_alloc(a, n);
}

/* Does p point into memory a handed out? (A walk over the chunks: the
 * interpreter's scratch arenas have few.) */
bool cl_arena_owns(const cl_arena *a, const void *p) {
  const char *q = p;
  for (const chunk *c = a->head; c; c = c->next)
    if (q >= (const char *)c->data && q < (const char *)c->data + c->used) return true;
  return false;
}

/* Bytes handed out and held. */
size_t cl_arena_used(const cl_arena *a, size_t *held) {
  size_t u = 0, h = 0;
  for (const chunk *c = a->head; c; c = c->next) {
    u += c->used;
    h += c->cap;
  }
  if (held) *held = h;
  return u;
}

/* Forget everything a handed out, keeping its most recent chunk for reuse. */
void cl_arena_reset(cl_arena *a) {
  chunk *keep = a->head;
  if (!keep) return;
  for (chunk *c = keep->next, *n; c; c = n) {
    n = c->next;
    free(c);
  }
  keep->next = NULL;
  if (keep->used > keep->touched) keep->touched = keep->used;
  keep->used = 0;
}

/* Give back the pages of a reset arena's chunk past its first `keep` bytes,
 * as far as they were touched; they come back zeroed on the next touch. */
void cl_arena_release(cl_arena *a, size_t keep) {
  chunk *c = a->head;
  if (!c || c->used || c->touched <= keep) return;
  uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
  uintptr_t lo = ((uintptr_t)c->data + keep + pg - 1) & ~(pg - 1);
  uintptr_t hi = ((uintptr_t)c->data + c->touched) & ~(pg - 1);
  if (hi > lo) madvise((void *)lo, hi - lo, MADV_DONTNEED);
  c->touched = keep;
}

/* Move every chunk of src into dst (which goes on allocating from its own
 * current chunk); src is left empty. */
void cl_arena_adopt(cl_arena *dst, cl_arena *src) {
  chunk *first = src->head;
  if (!first) return;
  chunk *last = first;
  while (last->next) last = last->next;
  if (dst->head) {
    last->next = dst->head->next;
    dst->head->next = first;
  } else {
    dst->head = first;
  }
  src->head = NULL;
}

char *cl_arena_strndup(cl_arena *a, const char *s, size_t n) {
  char *p = cl_arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *cl_arena_strdup(cl_arena *a, const char *s) {
  return s ? cl_arena_strndup(a, s, strlen(s)) : NULL;
}

char *cl_arena_printf(cl_arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) oom();
  char *p = cl_arena_alloc(a, (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

void cl_vec_push(cl_vec *vec, void *p) {
  if (vec->n == vec->cap) {
    vec->cap = vec->cap ? vec->cap * 2 : 8;
    vec->v = cl_xrealloc(vec->v, vec->cap * sizeof(void *));
  }
  vec->v[vec->n++] = p;
}

void cl_vec_free(cl_vec *vec) {
  free(vec->v);
  vec->v = NULL;
  vec->n = vec->cap = 0;
}
