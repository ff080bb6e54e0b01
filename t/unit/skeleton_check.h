/* skeleton_check.h — a skeleton against the whole parse, for the unit test
 * (t/unit/unit_lazy.c) and the fuzz target (bench/fuzz/fuzz_lazy.c). */
#ifndef CONDLINT_TEST_SKELETON_CHECK_H
#define CONDLINT_TEST_SKELETON_CHECK_H

#include <string.h>

#include "internal.h"
#include "serialize.h"

/* Parse every skeleton body of block b, as calls would; count them. */
static inline void skeleton_parse_bodies(condlint_session *s, cl_block *b, size_t *n) {
  for (uint32_t i = 0; i < b->n; i++) {
    cl_stmt *st = b->v[i];
    if (st->kind == S_FUNCDEF && st->func && st->func->lazy_end) {
      cl_parse_body(s, st->func);
      (*n)++;
    }
    if (st->kind == S_CLASSDEF && st->cls) skeleton_parse_bodies(s, &st->cls->body, n);
    if (!cl_stmt_has_blocks(st->kind)) continue;
    skeleton_parse_bodies(s, &st->body, n);
    skeleton_parse_bodies(s, &st->orelse, n);
    if (st->kind == S_TRY) skeleton_parse_bodies(s, &st->final, n);
  }
}

/* f's IR encoded without its comments (a skeleton has none in its bodies). */
static inline void skeleton_encode(cl_file *f, cl_buf *out) {
  uint32_t nc = f->mod->ncomments;
  f->mod->ncomments = 0;
  cl_ser_module(f, out);
  f->mod->ncomments = nc;
}

typedef enum { SKELETON_BROKEN, SKELETON_SAME, SKELETON_DIFFERENT } skeleton_verdict;

/* src[0..len) parsed whole and as a skeleton whose bodies are then all
 * parsed (*nbodies counts them): BROKEN when the whole parse reports
 * something (such a file is parsed whole anyway), else whether the two IRs
 * encode to the same bytes and the skeleton reported nothing. */
static inline skeleton_verdict skeleton_check(const char *path, const char *src, size_t len,
                                              size_t *nbodies) {
  condlint_session *whole = condlint_session_new(), *lazy = condlint_session_new();
  /* each session owns its bytes */
  cl_file *f = cl_session_add_bytes(whole, path, cl_xstrndup(src, len), len, true);
  cl_file *g = cl_session_add_bytes(lazy, path, cl_xstrndup(src, len), len, true);
  g->lazy_bodies = true;
  cl_parse_file(whole, f);
  cl_parse_file(lazy, g);
  skeleton_verdict v = SKELETON_BROKEN;
  if (!condlint_session_diag_count(whole) && f->mod && g->mod) {
    skeleton_parse_bodies(lazy, &g->mod->body, nbodies);
    cl_buf a = {0}, b = {0};
    skeleton_encode(f, &a);
    skeleton_encode(g, &b);
    v = a.n == b.n && !memcmp(a.p, b.p, a.n) && !condlint_session_diag_count(lazy)
            ? SKELETON_SAME
            : SKELETON_DIFFERENT;
    cl_buf_free(&a);
    cl_buf_free(&b);
  }
  condlint_session_free(whole);
  condlint_session_free(lazy);
  return v;
}

#endif
