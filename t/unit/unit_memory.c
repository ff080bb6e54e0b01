/* unit_memory.c — the arena (zeroed, aligned, stable across chunk growth,
 * big requests) and the pointer vector of analyzer/memory.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "interp.h" /* cl_arena_reset, cl_arena_release, cl_arena_used */

static void test_arena(void) {
  cl_arena_free(NULL);
  ok(1, "cl_arena_free(NULL) is a no-op");

  cl_arena *a = cl_arena_new();
  unsigned char *p = cl_arena_alloc(a, 100);
  int zero = 1;
  for (int i = 0; i < 100; i++) zero &= p[i] == 0;
  ok(zero, "cl_arena_alloc returns zeroed memory");

  int aligned = 1;
  for (size_t n = 1; n < 64; n++) {
    void *q = cl_arena_alloc(a, n);
    aligned &= ((uintptr_t)q % 8) == 0;
  }
  ok(aligned, "every allocation is aligned to 8 bytes (pointers, int64_t, double), whatever the size asked");
  char *e1 = cl_arena_alloc(a, 40), *e2 = cl_arena_alloc(a, 40);
  is_int((int)(e2 - e1), 40, "40-byte blocks (an expression of the IR) lie 40 bytes apart, not 48");

  /* Fill many blocks across several chunks, then check none was overwritten. */
  enum { N = 5000 };
  uint32_t **blocks = malloc(N * sizeof *blocks);
  for (uint32_t i = 0; i < N; i++) {
    blocks[i] = cl_arena_alloc(a, 24 * sizeof(uint32_t));
    for (int k = 0; k < 24; k++) blocks[i][k] = i * 31u + (uint32_t)k;
  }
  int intact = 1;
  for (uint32_t i = 0; i < N; i++)
    for (int k = 0; k < 24; k++) intact &= blocks[i][k] == i * 31u + (uint32_t)k;
  ok(intact, "5000 blocks spread over several chunks keep their contents");
  free(blocks);

  size_t big = 3u << 20; /* larger than any chunk the arena grows to */
  unsigned char *b = cl_arena_alloc(a, big);
  ok(b != NULL && b[0] == 0 && b[big - 1] == 0, "a 3 MiB request gets zeroed memory of its own");
  b[big - 1] = 7;
  unsigned char *after = cl_arena_alloc(a, 16);
  ok(after[0] == 0 && b[big - 1] == 7, "allocating after a big request does not touch it");

  char *s = cl_arena_strndup(a, "torch.cond(x)", 10);
  is_str(s, "torch.cond", "cl_arena_strndup copies n bytes and terminates");
  is_str(cl_arena_strdup(a, "make_fx"), "make_fx", "cl_arena_strdup copies a string");
  ok(cl_arena_strdup(a, NULL) == NULL, "cl_arena_strdup(NULL) is NULL");
  is_str(cl_arena_printf(a, "%s:%d:%d", "m.py", 14, 12), "m.py:14:12",
         "cl_arena_printf formats into the arena");
  cl_arena_free(a); /* every chunk in one call: LeakSanitizer checks it in build-asan */
}

static void test_x(void) {
  char *s = cl_xasprintf("%s-%03d", "CL", 101);
  is_str(s, "CL-101", "cl_xasprintf formats into fresh memory");
  free(s);
  char *d = cl_xstrndup("abcdef", 3);
  is_str(d, "abc", "cl_xstrndup copies n bytes");
  free(d);
  void *z = cl_xmalloc(0);
  ok(z != NULL, "cl_xmalloc(0) gives a pointer that can be freed");
  free(z);
  int *c = cl_xcalloc(8, sizeof(int));
  ok(c[0] == 0 && c[7] == 0, "cl_xcalloc zeroes");
  c = cl_xrealloc(c, 1000 * sizeof(int));
  c[999] = 1;
  ok(c[0] == 0 && c[999] == 1, "cl_xrealloc keeps the old contents");
  free(c);
}

static void test_vec(void) {
  cl_vec v = {0};
  static int items[1000];
  for (int i = 0; i < 1000; i++) cl_vec_push(&v, &items[i]);
  is_int(v.n, 1000, "cl_vec_push grows to 1000 items");
  int order = 1;
  for (int i = 0; i < 1000; i++) order &= v.v[i] == &items[i];
  ok(order, "cl_vec keeps insertion order");
  ok(v.cap >= v.n, "capacity covers the count");
  cl_vec_free(&v);
  ok(v.v == NULL && v.n == 0 && v.cap == 0, "cl_vec_free resets the vector");
  cl_vec_push(&v, &items[0]);
  is_int(v.n, 1, "a freed vector can be reused");
  cl_vec_free(&v);
  cl_vec_free(&v);
  ok(1, "cl_vec_free twice is harmless");
}

/* Resident memory of this process, in KiB (Linux). */
static long rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kib = -1;
  while (f && fgets(line, sizeof line, f))
    if (!strncmp(line, "VmRSS:", 6)) kib = atol(line + 6);
  if (f) fclose(f);
  return kib;
}

/* The interpreter's scratch arena: reset after each root, and the pages a
 * large root touched given back (cl_arena_release). */
static void test_release(void) {
  cl_arena *a = cl_arena_new();
  unsigned char *p = NULL;
  while (cl_arena_used(a, NULL) < (48u << 20)) p = cl_arena_alloc(a, 1 << 16);
  cl_arena_reset(a); /* keeps its last chunk, whose pages stay touched */
  while (cl_arena_used(a, NULL) < (24u << 20)) p = cl_arena_alloc(a, 1 << 16);
  memset(p, 0xab, 1 << 16);
  cl_arena_reset(a);
  long before = rss_kib();
  cl_arena_release(a, 1u << 20);
  long after = rss_kib();
  ok(before > 0 && before - after > 16 * 1024, "cl_arena_release gives back the touched pages past what it keeps");
  diag("RSS %ld -> %ld KiB", before, after);
  int zero = 1;
  unsigned char *last = NULL;
  for (int i = 0; i < 300; i++) {
    last = cl_arena_alloc(a, 1 << 16);
    for (int k = 0; k < (1 << 16); k += 4093) zero &= last[k] == 0;
  }
  ok(zero, "... and what is allocated there again is zeroed");
  memset(last, 0x5a, 1 << 16);
  cl_arena_release(a, 1u << 20); /* in use: a no-op */
  int kept = 1;
  for (int k = 0; k < (1 << 16); k++) kept &= last[k] == 0x5a;
  ok(kept, "release of an arena in use leaves what it holds");
  cl_arena_free(a);
}

int main(void) {
  test_arena();
  test_release();
  test_x();
  test_vec();
  return done_testing();
}
