/* unit_serialize.c — the IR encoding of analyzer/serialize.c (what the
 * summary cache stores): every file of t/corpus and t/fixtures parses, encodes,
 * decodes and encodes again to the same bytes (so every field and every
 * shared node comes back), and damaged encodings are refused or decoded
 * into a well-formed IR, never read out of bounds (run under ASan by
 * test.sh). Run from the top of the source tree. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "slurp.h"
#include "internal.h"
#include "serialize.h"

/* Decode bytes into a fresh file; encode that again into out. */
static bool decode_encode(const char *path, const char *src, size_t len, const uint8_t *p, size_t n,
                          cl_buf *out, bool *decoded) {
  cl_file g = {0};
  g.path = (char *)path;
  g.abspath = (char *)path;
  g.bytes = (char *)src;
  g.len = len;
  cl_rd r = {p, p + n, false};
  g.mod = cl_deser_module(&g, &r);
  *decoded = g.mod != NULL;
  bool whole = g.mod && r.p == r.end;
  if (g.mod) cl_ser_module(&g, out);
  cl_arena_free(g.arena);
  return whole;
}

static size_t biggest_len;
static cl_buf biggest;
static char *biggest_src;
static size_t biggest_src_len;

static void roundtrip_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    ok(0, "%s can be read (run from the top of the tree)", dir);
    return;
  }
  int files = 0, failed = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    size_t l = strlen(e->d_name);
    if (l < 4 || strcmp(e->d_name + l - 3, ".py")) continue;
    char *path = cl_xasprintf("%s/%s", dir, e->d_name);
    size_t len;
    char *src = slurp(path, &len);
    if (!src) {
      free(path);
      continue;
    }
    condlint_session *s = condlint_session_new();
    cl_file *f = cl_session_add_bytes(s, path, src, len, true);
    cl_parse_file(s, f);
    cl_buf a = {0}, b = {0};
    cl_ser_module(f, &a);
    bool decoded;
    bool whole = decode_encode(path, f->bytes, f->len, a.p, a.n, &b, &decoded);
    files++;
    if (!whole || a.n != b.n || memcmp(a.p, b.p, a.n)) {
      failed++;
      diag("%s: %s", path, !whole ? "does not decode" : "decodes to a different IR");
    }
    if (a.n > biggest_len) {
      cl_buf_free(&biggest);
      free(biggest_src);
      biggest = a;
      biggest_len = a.n;
      biggest_src = cl_xstrndup(f->bytes, f->len);
      biggest_src_len = f->len;
    } else {
      cl_buf_free(&a);
    }
    cl_buf_free(&b);
    condlint_session_free(s);
    free(path);
  }
  closedir(d);
  ok(files > 0 && failed == 0, "%s: %d files encode, decode and encode again to the same bytes", dir,
     files);
}

int main(void) {
  roundtrip_dir("t/corpus");
  roundtrip_dir("t/fixtures");
  roundtrip_dir("examples");

  /* damage: every byte flipped in turn (on a prefix), and every truncation */
  if (!biggest_len) return done_testing();
  size_t n = biggest.n < 6000 ? biggest.n : 6000;
  int refused = 0, accepted = 0;
  uint8_t *copy = malloc(biggest.n);
  for (size_t i = 0; i < n; i++) {
    memcpy(copy, biggest.p, biggest.n);
    copy[i] ^= (uint8_t)(0x5a + i);
    cl_buf out = {0};
    bool decoded;
    decode_encode("damaged.py", biggest_src, biggest_src_len, copy, biggest.n, &out, &decoded);
    decoded ? accepted++ : refused++;
    cl_buf_free(&out);
  }
  ok(refused + accepted == (int)n, "%zu one-byte changes: %d refused, %d decoded to a well-formed IR", n,
     refused, accepted);
  int tried = 0, refused_cuts = 0;
  for (size_t len = 0; len < biggest.n; len += 1 + len / 64) {
    cl_buf out = {0};
    bool decoded;
    bool whole = decode_encode("cut.py", biggest_src, biggest_src_len, biggest.p, len, &out, &decoded);
    tried++;
    if (!whole) refused_cuts++;
    cl_buf_free(&out);
  }
  ok(tried > 0 && refused_cuts == tried, "every truncation is refused (%d of %d)", refused_cuts, tried);
  /* a back-reference to an object still being read (a cycle) is refused */
  uint8_t cyc[] = {0x00, 0x03,                   /* module: no comments; a block of 1, v set */
                   0x01, S_EXPR, 0, 0, 0, 0, 0, 0, /* a new statement and its span */
                   0x02, 0x00,                   /* mask: a value; no targets */
                   0x01, E_CALL, 0, 0, 0, 0, 0, 0, /* the value: a new call, its span */
                   0x08, 0x01, 0x03,             /* kids: 1, a reference to the call itself */
                   0x00, 0x00, 0x00};            /* body, orelse, final */
  cl_buf out = {0};
  bool decoded;
  decode_encode("cycle.py", "", 0, cyc, sizeof cyc, &out, &decoded);
  ok(!decoded, "a statement whose value refers back to the statement itself is refused");
  cl_buf_free(&out);
  free(copy);
  cl_buf_free(&biggest);
  free(biggest_src);
  return done_testing();
}
