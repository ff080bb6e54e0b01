/*
 * serialize.h — the lowered IR of one file (cl_module and everything under it)
 * as a compact, position-independent byte string, and back into a file's
 * arena: what the summary cache (cache.c) stores. Also the byte buffer and
 * the bounds-checked reader that the cache's other files use.
 * Module prefix: cl_ser_ (IR), cl_buf_ (writing), cl_rd_ (reading).
 */
#ifndef CONDLINT_SERIALIZE_H
#define CONDLINT_SERIALIZE_H

#include "internal.h"

/* Bump when the encoding or the IR (internal.h) changes shape: a cache
 * written with another format is ignored. serialize.c also checks the sizes
 * of the IR structs at compile time, so that a field added to one of them
 * cannot be silently left out of the encoding. */
#define CL_SER_FORMAT 3

/* ---- a growable byte buffer (malloc'd) ------------------------------------ */

typedef struct {
  uint8_t *p;
  size_t n, cap;
} cl_buf;

void cl_buf_put(cl_buf *b, const void *p, size_t n);
void cl_buf_u8(cl_buf *b, uint8_t v);
void cl_buf_u32le(cl_buf *b, uint32_t v);
void cl_buf_u64le(cl_buf *b, uint64_t v);
void cl_buf_varint(cl_buf *b, uint64_t v); /* LEB128 */
void cl_buf_svarint(cl_buf *b, int64_t v); /* zigzag, then LEB128 */
/* A string: its length + 1 as a varint, then its bytes; NULL is a single 0. */
void cl_buf_str(cl_buf *b, const char *s);
void cl_buf_free(cl_buf *b);

/* ---- a reader that never reads past the end ------------------------------- */

typedef struct {
  const uint8_t *p, *end;
  bool bad; /* set by the first read past the end or of a malformed value */
} cl_rd;

uint8_t cl_rd_u8(cl_rd *r);
uint32_t cl_rd_u32le(cl_rd *r);
uint64_t cl_rd_u64le(cl_rd *r);
uint64_t cl_rd_varint(cl_rd *r);
int64_t cl_rd_svarint(cl_rd *r);
/* A string written by cl_buf_str, copied into arena a (NUL-terminated);
 * *isnull is set for NULL (may be NULL). Returns NULL on NULL or error. */
const char *cl_rd_str(cl_rd *r, cl_arena *a, bool *isnull);
/* The bytes of a string written by cl_buf_str, not copied: *len, or NULL. */
const uint8_t *cl_rd_bytes(cl_rd *r, size_t *len);

/* ---- the IR --------------------------------------------------------------- */

/* Append the encoding of f's module (f->mod, which must be set) to out. */
void cl_ser_module(const cl_file *f, cl_buf *out);

/* Decode a module written by cl_ser_module into f's arena (created if
 * needed); the functions and classes point to f. Reads from r and returns
 * the module, or NULL (with r->bad set) when the bytes are not a valid
 * encoding: every count, index, kind and back-reference is checked. */
cl_module *cl_deser_module(cl_file *f, cl_rd *r);

/* A signature of the IR's layout (struct sizes and enum ranges): part of the
 * cache key, so that a cache written by a build with another IR is ignored. */
uint64_t cl_ser_layout_signature(void);

#endif
