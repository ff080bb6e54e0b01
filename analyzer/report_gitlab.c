/* report_gitlab.c — a GitLab Code Quality report (a JSON array in the Code
 * Climate issue format, uploaded as artifacts:reports:codequality):
 *   {"description": "CL101 message", "check_name": "CL101",
 *    "fingerprint": "…", "severity": "major",
 *    "location": {"path": "pkg/ops.py", "lines": {"begin": 14}}}
 * Severities: error → major, warning → minor, info → info (critical and
 * blocker are left to problems that stop a build, which findings do not). */
#include <jansson.h>
#include <stdlib.h>

#include "report.h"

static const char *gitlab_severity(condlint_severity s) {
  return s == CONDLINT_SEVERITY_ERROR ? "major" : s == CONDLINT_SEVERITY_WARNING ? "minor" : "info";
}

int cl_report_gitlab(const condlint_session *s, FILE *out) {
  json_t *arr = json_array();
  for (size_t i = 0; i < s->diags.n; i++) {
    const condlint_diag *d = s->diags.v[i];
    char *desc = cl_xasprintf("%s %s", d->code, d->message);
    char *dc = cl_utf8_clean(desc);
    char *path = cl_report_path(d->primary.path);
    char *pc = cl_utf8_clean(path);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:{s:i}}}", "description", dc,
                          "check_name", d->code, "fingerprint", d->fingerprint, "severity",
                          gitlab_severity(d->severity), "location", "path", pc, "lines", "begin",
                          (int)(d->primary.line ? d->primary.line : 1));
    free(desc);
    free(dc);
    free(path);
    free(pc);
    if (!o) {
      json_decref(arr);
      return CONDLINT_EINTERNAL;
    }
    json_array_append_new(arr, o);
  }
  int rc = json_dumpf(arr, out, JSON_INDENT(2) | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
  fputc('\n', out);
  json_decref(arr);
  return rc ? CONDLINT_EIO : 0;
}
