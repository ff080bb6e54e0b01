/*
 * fuzz_summary.c — libFuzzer target for the summary cache's decoder
 * (analyzer/serialize.c): a cache entry whose checksum holds but whose bytes
 * were forged or damaged in a way the checksum cannot see must be refused,
 * or decode into IR that the whole analysis can run on.
 *
 * Input: a 4-byte little-endian length N, N bytes of Python source (what the
 * spans point into), then a module encoding (cl_ser_module). The decoded
 * module replaces the file's parse and the session is analysed and rendered.
 *
 * Seeds: with CONDLINT_FUZZ_EMIT_SEEDS=DIR in the environment, the target
 * instead reads Python file names on standard input, writes one seed per
 * file into DIR (its source and the encoding of its parse) and exits; run.sh
 * does that from t/corpus and examples/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "serialize.h"

static const char PATH[] = "/nonexistent-condlint-fuzz/pkg/mod.py";

static void emit_seeds(const char *dir) {
  char name[4096];
  int n = 0;
  while (fgets(name, sizeof name, stdin)) {
    name[strcspn(name, "\n")] = 0;
    FILE *fp = fopen(name, "rb");
    if (!fp) continue;
    char *src = malloc(1 << 20);
    size_t len = fread(src, 1, (1 << 20) - 1, fp);
    fclose(fp);
    condlint_session *s = condlint_session_new();
    cl_file *f = cl_session_add_bytes(s, PATH, cl_xstrndup(src, len), len, true);
    cl_parse_file(s, f);
    cl_buf b = {0};
    uint8_t l4[4] = {(uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16), (uint8_t)(len >> 24)};
    cl_buf_put(&b, l4, 4);
    cl_buf_put(&b, src, len);
    cl_ser_module(f, &b);
    char out[4200];
    snprintf(out, sizeof out, "%s/seed-%04d", dir, n++);
    FILE *o = fopen(out, "wb");
    if (o) {
      fwrite(b.p, 1, b.n, o);
      fclose(o);
    }
    cl_buf_free(&b);
    condlint_session_free(s);
    free(src);
  }
  exit(0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  const char *dir = getenv("CONDLINT_FUZZ_EMIT_SEEDS");
  if (dir && *dir) emit_seeds(dir);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static FILE *devnull;
  if (!devnull) devnull = fopen("/dev/null", "w");
  if (size < 4) return 0;
  size_t len = data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16 | (size_t)data[3] << 24;
  if (len > size - 4) return 0;
  condlint_session *s = condlint_session_new();
  condlint_session_set_jobs(s, 1);
  cl_file *f = cl_session_add_bytes(s, PATH, cl_xstrndup((const char *)data + 4, len), len, true);
  cl_rd r = {data + 4 + len, data + size, false};
  cl_module *m = cl_deser_module(f, &r);
  if (m && !r.bad) {
    f->mod = m;
    if (condlint_session_analyze(s) == 0) condlint_session_render(s, "json", 0, devnull);
  }
  condlint_session_free(s);
  return 0;
}
