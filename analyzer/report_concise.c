/* report_concise.c — one line per finding, for editors' error parsers and
 * grep:  path:line:col: CODE message */
#include "report.h"

int cl_report_concise(const condlint_session *s, int color, FILE *out) {
  for (size_t i = 0; i < s->diags.n; i++) {
    const condlint_diag *d = s->diags.v[i];
    const condlint_location *l = &d->primary;
    if (color) {
      const char *c = d->severity == CONDLINT_SEVERITY_ERROR     ? "\033[1;31m"
                      : d->severity == CONDLINT_SEVERITY_WARNING ? "\033[1;33m"
                                                                 : "\033[1;36m";
      fprintf(out, "\033[1m%s:%u:%u:\033[0m %s%s\033[0m %s\n", l->path, l->line, l->column, c,
              d->code, d->message);
    } else {
      fprintf(out, "%s:%u:%u: %s %s\n", l->path, l->line, l->column, d->code, d->message);
    }
  }
  return 0;
}
