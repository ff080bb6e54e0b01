/* baseline.c — accepted findings recorded in a JSON file, so that a project
 * can adopt condlint and fail only on new findings:
 *   {"tool": "condlint", "version": 1,
 *    "findings": [{"fingerprint": "…", "code": "CL101", "path": "…",
 *                  "line": 14, "message": "…"}, …]}
 * Findings are matched by fingerprint alone (fingerprint.c), each recorded
 * entry absorbing one finding; code, path, line and message are there for
 * the people who read the file. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

int condlint_session_write_baseline(const condlint_session *s, const char *path) {
  condlint_session *ms = (condlint_session *)s; /* only the error message changes */
  json_t *findings = json_array();
  for (size_t i = 0; i < s->diags.n; i++) {
    const condlint_diag *d = s->diags.v[i];
    char *p = cl_report_path(d->primary.path), *pc = cl_utf8_clean(p), *mc = cl_utf8_clean(d->message);
    json_array_append_new(findings, json_pack("{s:s, s:s, s:s, s:i, s:s}", "fingerprint",
                                              d->fingerprint, "code", d->code, "path", pc,
                                              "line", (int)d->primary.line, "message", mc));
    free(p);
    free(pc);
    free(mc);
  }
  json_t *root = json_pack("{s:s, s:i, s:o}", "tool", "condlint", "version", 1, "findings", findings);
  char *tmp = cl_xasprintf("%s.tmpXXXXXX", path);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    cl_session_set_error(ms, "%s: %s", path, strerror(errno));
    free(tmp);
    json_decref(root);
    return CONDLINT_EIO;
  }
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  FILE *fp = fdopen(fd, "w");
  int rc = 0;
  if (!fp || json_dumpf(root, fp, JSON_INDENT(2) | JSON_ENSURE_ASCII) != 0 || fputc('\n', fp) == EOF ||
      fflush(fp) != 0 || fsync(fd) != 0)
    rc = CONDLINT_EIO;
  int err = errno;
  if (fp ? fclose(fp) != 0 : close(fd) != 0) rc = CONDLINT_EIO;
  if (rc == 0 && rename(tmp, path) != 0) rc = CONDLINT_EIO, err = errno;
  if (rc) {
    cl_session_set_error(ms, "%s: cannot write the baseline: %s", path, strerror(err ? err : EIO));
    unlink(tmp);
  }
  free(tmp);
  json_decref(root);
  return rc;
}

typedef struct {
  const char *fp;
  bool used;
} entry;

static int entry_cmp(const void *a, const void *b) {
  return strcmp(((const entry *)a)->fp, ((const entry *)b)->fp);
}

int condlint_session_apply_baseline(condlint_session *s, const char *path) {
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    cl_session_set_error(s, "%s: %s", path, strerror(errno));
    return CONDLINT_EIO;
  }
  json_error_t jerr;
  json_t *root = json_loadf(fp, 0, &jerr);
  fclose(fp);
  if (!root) {
    cl_session_set_error(s, "%s:%d:%d: not a condlint baseline: %s", path, jerr.line < 1 ? 1 : jerr.line,
                         jerr.column < 1 ? 1 : jerr.column, jerr.text);
    return CONDLINT_ECONFIG;
  }
  json_t *findings = json_object_get(root, "findings");
  const char *tool = json_string_value(json_object_get(root, "tool"));
  if (!json_is_object(root) || !json_is_array(findings) || !tool || strcmp(tool, "condlint")) {
    cl_session_set_error(s, "%s: not a condlint baseline (an object with \"tool\": \"condlint\" "
                            "and a \"findings\" array)",
                         path);
    json_decref(root);
    return CONDLINT_ECONFIG;
  }
  size_t n = json_array_size(findings);
  entry *e = cl_xcalloc(n ? n : 1, sizeof *e);
  for (size_t i = 0; i < n; i++) {
    e[i].fp = json_string_value(json_object_get(json_array_get(findings, i), "fingerprint"));
    if (!e[i].fp) {
      cl_session_set_error(s, "%s: not a condlint baseline: finding %zu has no \"fingerprint\"",
                           path, i + 1);
      free(e);
      json_decref(root);
      return CONDLINT_ECONFIG;
    }
  }
  qsort(e, n, sizeof *e, entry_cmp);
  size_t w = 0;
  for (size_t i = 0; i < s->diags.n; i++) {
    condlint_diag *d = s->diags.v[i];
    entry key = {d->fingerprint, false};
    entry *hit = n ? bsearch(&key, e, n, sizeof *e, entry_cmp) : NULL;
    if (hit) {
      while (hit > e && !strcmp(hit[-1].fp, d->fingerprint)) hit--;
      while (hit < e + n && !strcmp(hit->fp, d->fingerprint) && hit->used) hit++;
      if (hit == e + n || strcmp(hit->fp, d->fingerprint)) hit = NULL;
    }
    if (hit) {
      hit->used = true;
      s->baselined++;
      cl_diag_free(d);
      continue;
    }
    s->diags.v[w++] = d;
  }
  s->diags.n = w;
  free(e);
  json_decref(root);
  return 0;
}

size_t condlint_session_baselined_count(const condlint_session *s) { return s->baselined; }
