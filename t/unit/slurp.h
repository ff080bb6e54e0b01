/* slurp.h — the unit tests' whole-file read. */
#ifndef CONDLINT_TEST_SLURP_H
#define CONDLINT_TEST_SLURP_H

#include <stdio.h>
#include <stdlib.h>

/* path's bytes, NUL-terminated (malloc'd), their number in *len; NULL when
 * it cannot be read. */
static inline char *slurp(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  if (!fp) return NULL;
  fseek(fp, 0, SEEK_END);
  long n = ftell(fp);
  fseek(fp, 0, SEEK_SET);
  char *b = malloc(n > 0 ? (size_t)n + 1 : 1);
  size_t got = n > 0 ? fread(b, 1, (size_t)n, fp) : 0;
  fclose(fp);
  b[got] = 0;
  *len = got;
  return b;
}

#endif
