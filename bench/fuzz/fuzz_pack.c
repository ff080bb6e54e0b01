/*
 * fuzz_pack.c — libFuzzer target for the cache's pack files
 * (analyzer/cache_pack.c), which a run reads from disk whatever state a
 * crash, a disk or a user left them in. The input is written as a pack; the
 * keys its index would name (read from where the index would be, without
 * the reader's checks) are looked up; then eight more copies and a pack the
 * target writes make more than 8 packs, so closing merges them, and every
 * key found before must give the same bytes from the merged pack.
 * With CONDLINT_FUZZ_EMIT_SEEDS=DIR, writes a few well-formed packs there
 * and exits (bench/fuzz/run.sh makes the seeds so).
 */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache_pack.h"

static char dir[64];
static char pdir[96];

static void empty_dir(void) {
  DIR *d = opendir(pdir);
  struct dirent *e;
  char p[512];
  while (d && (e = readdir(d)))
    if (e->d_name[0] != '.' || (e->d_name[1] && strcmp(e->d_name, ".."))) {
      snprintf(p, sizeof p, "%s/%s", pdir, e->d_name);
      unlink(p);
    }
  if (d) closedir(d);
}

static void cleanup(void) {
  empty_dir();
  rmdir(pdir);
  rmdir(dir);
}

static void put_file(const char *name, const uint8_t *data, size_t size) {
  char p[256];
  snprintf(p, sizeof p, "%s/%s", pdir, name);
  FILE *f = fopen(p, "wb");
  if (!f) abort();
  if (size && fwrite(data, 1, size, f) != size) abort();
  fclose(f);
}

static uint64_t le64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
  return v;
}

static void emit_seeds(const char *out) {
  for (int k = 1; k <= 4; k++) {
    empty_dir();
    cl_packs *P = cl_packs_new(pdir);
    for (int i = 0; i < k; i++) {
      char blob[64];
      int n = snprintf(blob, sizeof blob, "CLSM summary %d of %d", i, k);
      cl_hash key = cl_hash128(blob, (size_t)n, 9);
      cl_packs_put(P, key, blob, (size_t)n);
    }
    cl_packs_close(P);
    DIR *d = opendir(pdir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
      if (e->d_name[0] == '.') continue;
      char from[512], to[512];
      snprintf(from, sizeof from, "%s/%s", pdir, e->d_name);
      snprintf(to, sizeof to, "%s/seed-%d.pack", out, k);
      FILE *in = fopen(from, "rb"), *o = fopen(to, "wb");
      int c;
      while (in && o && (c = fgetc(in)) != EOF) fputc(c, o);
      if (in) fclose(in);
      if (o) fclose(o);
    }
    if (d) closedir(d);
  }
}

#define MAXKEYS 64

/* The work directory; the seeds, when asked for, before any input (an exit
 * during an input would be reported as a crash of that input). */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/condlint-fuzz-pack.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) abort();
  snprintf(pdir, sizeof pdir, "%s/p", dir);
  if (mkdir(pdir, 0700) != 0) abort();
  atexit(cleanup);
  const char *seeds = getenv("CONDLINT_FUZZ_EMIT_SEEDS");
  if (seeds && *seeds) {
    emit_seeds(seeds);
    exit(0);
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  empty_dir();
  put_file("a.pack", data, size);

  /* the keys the index would name, if the trailer's count were right */
  cl_hash keys[MAXKEYS];
  size_t nk = 0;
  if (size >= 24) {
    uint64_t n = le64(data + size - 24);
    size_t room = (size - 24) / 32;
    if (n > room) n = room;
    const uint8_t *idx = data + size - 24 - n * 32;
    for (uint64_t i = 0; i < n && nk < MAXKEYS; i++)
      keys[nk++] = (cl_hash){le64(idx + 32 * i), le64(idx + 32 * i + 8)};
  }
  keys[nk < MAXKEYS ? nk++ : MAXKEYS - 1] = cl_hash128(data, size, 1); /* most likely a miss */

  uint8_t *before[MAXKEYS];
  size_t blen[MAXKEYS];
  cl_packs *P = cl_packs_new(pdir);
  for (size_t i = 0; i < nk; i++) before[i] = cl_packs_get(P, keys[i], 1 << 20, &blen[i]);
  cl_packs_close(P);

  /* eight more copies and one more pack: closing merges the ten */
  for (int c = 0; c < 8; c++) {
    char name[32];
    snprintf(name, sizeof name, "copy%d.pack", c);
    put_file(name, data, size);
  }
  P = cl_packs_new(pdir);
  static const char blob[] = "CLSM one more";
  cl_hash extra = cl_hash128(blob, sizeof blob, 2);
  if (!cl_packs_put(P, extra, blob, sizeof blob)) abort();
  if (!cl_packs_close(P)) abort();

  P = cl_packs_new(pdir);
  size_t el;
  uint8_t *e = cl_packs_get(P, extra, 1 << 20, &el);
  if (!e || el != sizeof blob || memcmp(e, blob, el)) abort(); /* the run's own blob survives the merge */
  free(e);
  for (size_t i = 0; i < nk; i++) {
    size_t al;
    uint8_t *after = cl_packs_get(P, keys[i], 1 << 20, &al);
    /* a blob found before the merge is found after it, the same (the
     * copies all hold the same one); none appears from nowhere */
    if (!before[i] != !after || (after && (al != blen[i] || memcmp(after, before[i], al)))) abort();
    free(after);
    free(before[i]);
  }
  cl_packs_close(P);
  return 0;
}
