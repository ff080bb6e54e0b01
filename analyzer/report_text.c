/* report_text.c — the default, compiler-style output:
 *   path:line:col: error: message [CL101]
 *      14 |     return torch.cond(x.shape[1] <= 512, small, large, (x,))
 *         |            ^^^^^^^^^^
 *   path:30:5: note: traced here by make_fx(f) ...
 *     = help: pass tracing_mode="symbolic" to make_fx
 * and a summary footer. */
#include <string.h>

#include "internal.h"

static const char *sev_name(condlint_severity s) {
  return s == CONDLINT_SEVERITY_ERROR ? "error" : s == CONDLINT_SEVERITY_WARNING ? "warning" : "info";
}

static const char *sev_color(condlint_severity s) {
  return s == CONDLINT_SEVERITY_ERROR ? "\033[1;31m" : s == CONDLINT_SEVERITY_WARNING ? "\033[1;33m" : "\033[1;36m";
}

static cl_file *file_by_path(const condlint_session *s, const char *path) {
  for (size_t i = 0; i < s->files.n; i++) {
    cl_file *f = s->files.v[i];
    if (!strcmp(f->path, path)) return f;
  }
  return NULL;
}

/* Print the source line and underline columns [c0, c1) of it (1-based chars). */
static void snippet(FILE *out, const cl_file *f, unsigned line, unsigned c0, unsigned c1,
                    int color) {
  size_t len;
  const char *text = cl_file_line(f, line, &len);
  if (len > 400) len = 400; /* a 10 MB line is shown cut */
  int w = fprintf(out, "%5u | ", line);
  fwrite(text, 1, len, out);
  fputc('\n', out);
  fprintf(out, "%*s| ", w - 2, "");
  unsigned col = 1;
  for (size_t i = 0; i < len && col < c0; i++) {
    unsigned char ch = (unsigned char)text[i];
    if ((ch & 0xC0) == 0x80) continue;
    fputc(ch == '\t' ? '\t' : ' ', out);
    col++;
  }
  unsigned shown = 1; /* columns of the text shown, which may be cut */
  for (size_t i = 0; i < len; i++)
    if (((unsigned char)text[i] & 0xC0) != 0x80) shown++;
  if (c1 > shown + 1) c1 = shown + 1;
  if (c1 <= c0) c1 = c0 + 1;
  if (color) fputs("\033[1;31m", out);
  for (unsigned i = c0; i < c1; i++) fputc('^', out);
  if (color) fputs("\033[0m", out);
  fputc('\n', out);
}

int cl_report_text(const condlint_session *s, int color, FILE *out) {
  size_t counts[3] = {0, 0, 0};
  for (size_t i = 0; i < s->diags.n; i++) {
    const condlint_diag *d = s->diags.v[i];
    const condlint_location *l = &d->primary;
    counts[d->severity]++;
    if (color)
      fprintf(out, "\033[1m%s:%u:%u:\033[0m %s%s:\033[0m \033[1m%s\033[0m [%s]\n", l->path,
              l->line, l->column, sev_color(d->severity), sev_name(d->severity), d->message,
              d->code);
    else
      fprintf(out, "%s:%u:%u: %s: %s [%s]\n", l->path, l->line, l->column,
              sev_name(d->severity), d->message, d->code);
    const cl_file *f = file_by_path(s, l->path);
    if (f) {
      unsigned end = l->end_line == l->line ? l->end_column : l->column + 1;
      size_t len;
      cl_file_line(f, l->line, &len);
      if (l->end_line != l->line) end = (unsigned)len + 1;
      snippet(out, f, l->line, l->column, end, color);
    }
    for (size_t k = 0; k < d->nrelated; k++) {
      const condlint_location *r = &d->rel[k];
      if (color)
        fprintf(out, "\033[1m%s:%u:%u:\033[0m \033[1;34mnote:\033[0m %s\n", r->path, r->line,
                r->column, r->message ? r->message : "");
      else
        fprintf(out, "%s:%u:%u: note: %s\n", r->path, r->line, r->column,
                r->message ? r->message : "");
    }
    if (d->fix) fprintf(out, "  = help: %s\n", d->fix);
    fputc('\n', out);
  }
  size_t files = condlint_session_file_count(s);
  char based[96] = ""; /* findings a --baseline hid */
  if (s->baselined)
    snprintf(based, sizeof based, "%zu baselined finding%s not shown", s->baselined,
             s->baselined == 1 ? "" : "s");
  if (s->diags.n == 0) {
    fprintf(out, "All checks passed (%zu file%s checked%s%s).\n", files, files == 1 ? "" : "s",
            *based ? ", " : "", based);
  } else {
    fprintf(out, "Found %zu error%s, %zu warning%s, %zu info in %zu file%s checked%s%s%s.\n",
            counts[2], counts[2] == 1 ? "" : "s", counts[1], counts[1] == 1 ? "" : "s",
            counts[0], files, files == 1 ? "" : "s", *based ? " (" : "", based,
            *based ? ")" : "");
  }
  return 0;
}
