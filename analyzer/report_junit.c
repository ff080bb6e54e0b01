/* report_junit.c — JUnit XML, which CI systems show as test results: one
 * testsuite "condlint" with one failing testcase per finding (classname: the
 * file; name: location and code), the finding in the failure's message and
 * the whole diagnostic, notes and help included, as its text. Every string
 * is escaped for XML 1.0: markup characters as entities, bytes that are not
 * valid UTF-8 and control characters XML cannot carry as U+FFFD. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

static void put_xml(FILE *out, const char *s, bool attr) {
  char *clean = cl_utf8_clean(s ? s : "");
  for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
    unsigned char c = *p;
    switch (c) {
      case '&': fputs("&amp;", out); break;
      case '<': fputs("&lt;", out); break;
      case '>': fputs("&gt;", out); break;
      case '"': fputs(attr ? "&quot;" : "\"", out); break;
      case '\'': fputs(attr ? "&apos;" : "'", out); break;
      case '\n': fputs(attr ? "&#10;" : "\n", out); break;
      case '\t': fputs(attr ? "&#9;" : "\t", out); break;
      case '\r': fputs("&#13;", out); break;
      default:
        if (c < 0x20 || c == 0x7F) fputs("\xEF\xBF\xBD", out);
        else fputc(c, out);
    }
  }
  free(clean);
}

int cl_report_junit(const condlint_session *s, FILE *out) {
  size_t n = s->diags.n;
  fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
  fprintf(out, "<testsuites name=\"condlint\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n", n, n);
  fprintf(out,
          "  <testsuite name=\"condlint\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
          "skipped=\"0\">\n",
          n, n);
  for (size_t i = 0; i < n; i++) {
    const condlint_diag *d = s->diags.v[i];
    const condlint_location *l = &d->primary;
    char *path = cl_report_path(l->path);
    char *name = cl_xasprintf("%s:%u:%u %s %s", path, l->line, l->column, d->code, d->name);
    fputs("    <testcase name=\"", out);
    put_xml(out, name, true);
    fputs("\" classname=\"", out);
    put_xml(out, path, true);
    fputs("\" file=\"", out);
    put_xml(out, path, true);
    fprintf(out, "\" line=\"%u\">\n", l->line);
    fputs("      <failure type=\"", out);
    put_xml(out, d->code, true);
    fputs("\" message=\"", out);
    put_xml(out, d->message, true);
    fputs("\">", out);
    char *body = cl_xasprintf("%s:%u:%u: %s: %s [%s]", path, l->line, l->column,
                              cl_severity_name(d->severity), d->message, d->code);
    put_xml(out, body, false);
    free(body);
    for (size_t k = 0; k < d->nrelated; k++) {
      const condlint_location *r = &d->rel[k];
      char *note = cl_xasprintf("\n%s:%u:%u: note: %s", r->path, r->line, r->column,
                                r->message ? r->message : "");
      put_xml(out, note, false);
      free(note);
    }
    if (d->fix) {
      char *help = cl_xasprintf("\nhelp: %s", d->fix);
      put_xml(out, help, false);
      free(help);
    }
    fputs("</failure>\n    </testcase>\n", out);
    free(name);
    free(path);
  }
  fputs("  </testsuite>\n</testsuites>\n", out);
  return 0;
}
