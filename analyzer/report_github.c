/* report_github.c — GitHub Actions workflow commands, which the runner turns
 * into annotations on the pull request's diff:
 *   ::error title=CL101 cond-predicate-concrete-shape,file=pkg/ops.py,line=14,col=12,endLine=14,endColumn=22::message
 * error → ::error, warning → ::warning, info → ::notice. The message carries
 * the chain of notes and the help line on further lines (%0A). */
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* Data escaping of workflow commands; properties also escape ':' and ','. */
static void put_escaped(FILE *out, const char *s, bool property) {
  for (; *s; s++) {
    char c = *s;
    if (c == '%') fputs("%25", out);
    else if (c == '\r') fputs("%0D", out);
    else if (c == '\n') fputs("%0A", out);
    else if (property && c == ':') fputs("%3A", out);
    else if (property && c == ',') fputs("%2C", out);
    else fputc(c, out);
  }
}

int cl_report_github(const condlint_session *s, FILE *out) {
  for (size_t i = 0; i < s->diags.n; i++) {
    const condlint_diag *d = s->diags.v[i];
    const condlint_location *l = &d->primary;
    const char *cmd = d->severity == CONDLINT_SEVERITY_ERROR     ? "error"
                      : d->severity == CONDLINT_SEVERITY_WARNING ? "warning"
                                                                 : "notice";
    fprintf(out, "::%s title=", cmd);
    char *title = cl_xasprintf("%s %s", d->code, d->name);
    put_escaped(out, title, true);
    free(title);
    char *path = cl_report_path(l->path);
    fputs(",file=", out);
    put_escaped(out, path, true);
    free(path);
    fprintf(out, ",line=%u,col=%u", l->line, l->column);
    if (l->end_line >= l->line) fprintf(out, ",endLine=%u,endColumn=%u", l->end_line, l->end_column);
    fputs("::", out);
    put_escaped(out, d->message, false);
    for (size_t k = 0; k < d->nrelated; k++) {
      const condlint_location *r = &d->rel[k];
      char *msg = cl_xasprintf("\n%s:%u:%u: note: %s", r->path, r->line, r->column,
                               r->message ? r->message : "");
      put_escaped(out, msg, false);
      free(msg);
    }
    if (d->fix) {
      char *msg = cl_xasprintf("\nhelp: %s", d->fix);
      put_escaped(out, msg, false);
      free(msg);
    }
    fputc('\n', out);
  }
  return 0;
}
