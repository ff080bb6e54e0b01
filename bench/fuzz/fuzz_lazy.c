/*
 * fuzz_lazy.c — libFuzzer target for skeletons (analyzer/parse_lazy.c and
 * parse.c): the input is one source file, parsed whole and as a skeleton
 * whose function bodies are then all parsed as a call would. When the whole
 * parse reports nothing (no CL901/CL903/CL904), the skeleton's IR must be
 * the whole parse's (encoded, comments aside): a difference traps, as does
 * any crash or sanitizer report on either path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "serialize.h"

static const char PATH[] = "/nonexistent-condlint-fuzz/pkg/mod.py";

static void materialize(condlint_session *s, cl_block *b) {
  for (uint32_t i = 0; i < b->n; i++) {
    cl_stmt *st = b->v[i];
    if (st->kind == S_FUNCDEF && st->func && st->func->lazy_end) cl_parse_body(s, st->func);
    if (st->kind == S_CLASSDEF && st->cls) materialize(s, &st->cls->body);
    materialize(s, &st->body);
    materialize(s, &st->orelse);
    materialize(s, &st->final);
  }
}

static void encode(cl_file *f, cl_buf *out) {
  uint32_t nc = f->mod->ncomments;
  f->mod->ncomments = 0;
  cl_ser_module(f, out);
  f->mod->ncomments = nc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  condlint_session *whole = condlint_session_new(), *lazy = condlint_session_new();
  char *a = malloc(size + 1), *b = malloc(size + 1);
  memcpy(a, data, size);
  memcpy(b, data, size);
  a[size] = b[size] = 0;
  cl_file *f = cl_session_add_bytes(whole, PATH, a, size, true); /* each session owns its bytes */
  cl_file *g = cl_session_add_bytes(lazy, PATH, b, size, true);
  g->lazy_bodies = true;
  cl_parse_file(whole, f);
  cl_parse_file(lazy, g);
  if (g->mod) materialize(lazy, &g->mod->body);
  if (f->mod && g->mod && condlint_session_diag_count(whole) == 0) {
    cl_buf x = {0}, y = {0};
    encode(f, &x);
    encode(g, &y);
    if (x.n != y.n || memcmp(x.p, y.p, x.n) || condlint_session_diag_count(lazy))
      __builtin_trap(); /* the skeleton is not the whole parse */
    cl_buf_free(&x);
    cl_buf_free(&y);
  }
  condlint_session_free(whole);
  condlint_session_free(lazy);
  return 0;
}
