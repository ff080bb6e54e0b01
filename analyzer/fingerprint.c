/* fingerprint.c — a stable identity for each finding, shared by SARIF's
 * partialFingerprints, GitLab's fingerprint and baselines. It hashes what
 * does not change when code moves up or down: the code, the file's path, the
 * whitespace-normalized text of the primary line, and the finding's rank
 * among the findings of that code on equal lines of that file (so two equal
 * lines keep distinct fingerprints). Line numbers and messages (which may
 * quote line numbers) stay out. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

static uint64_t fnv(uint64_t h, const void *data, size_t n) {
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ULL;
  return h;
}

static uint64_t fnv_str(uint64_t h, const char *s) { return fnv(h, s, strlen(s) + 1); }

typedef struct {
  uint64_t base;
  size_t index;
} keyed;

static int keyed_cmp(const void *pa, const void *pb) {
  const keyed *a = pa, *b = pb;
  if (a->base != b->base) return a->base < b->base ? -1 : 1;
  return a->index < b->index ? -1 : a->index > b->index;
}

void cl_fingerprint_all(condlint_session *s) {
  size_t n = s->diags.n;
  keyed *k = cl_xcalloc(n ? n : 1, sizeof *k);
  for (size_t i = 0; i < n; i++) {
    condlint_diag *d = s->diags.v[i];
    uint64_t h = 1469598103934665603ULL;
    h = fnv_str(h, "condlint/v1");
    h = fnv_str(h, d->code);
    char *path = cl_report_path(d->primary.path ? d->primary.path : "");
    h = fnv_str(h, path);
    free(path);
    const cl_file *f = cl_session_file(s, d->loc.file);
    if (f) {
      size_t len;
      const char *text = cl_file_line(f, d->primary.line, &len);
      /* whitespace runs count as one space; leading and trailing ones not at all */
      bool space = false, any = false;
      for (size_t j = 0; j < len; j++) {
        char c = text[j];
        if (c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r') {
          space = any;
          continue;
        }
        if (space) h = fnv(h, " ", 1);
        h = fnv(h, &c, 1);
        space = false;
        any = true;
      }
    }
    k[i].base = h;
    k[i].index = i;
  }
  qsort(k, n, sizeof *k, keyed_cmp);
  unsigned long long occ = 0;
  for (size_t i = 0; i < n; i++) {
    occ = i && k[i].base == k[i - 1].base ? occ + 1 : 0;
    char buf[32];
    int bl = snprintf(buf, sizeof buf, "#%llu", occ);
    uint64_t h = fnv(k[i].base, buf, (size_t)bl);
    condlint_diag *d = s->diags.v[k[i].index];
    snprintf(d->fingerprint, sizeof d->fingerprint, "%016llx", (unsigned long long)h);
  }
  free(k);
}

const char *condlint_diag_fingerprint(const condlint_diag *d) { return d->fingerprint; }
