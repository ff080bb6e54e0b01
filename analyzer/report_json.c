/* report_json.c — the JSON array of DESIGN.md's output contract: code, name,
 * severity, message, path, line, column, end_line, end_column, related, fix.
 * `fix` is null or an object {message, applicability, edits}; a hint with no
 * machine-applicable edit is "display-only". */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *sev_name(condlint_severity s) {
  return s == CONDLINT_SEVERITY_ERROR ? "error" : s == CONDLINT_SEVERITY_WARNING ? "warning" : "info";
}

/* A path as a JSON string; bytes that do not decode as UTF-8 become U+FFFD. */
static json_t *json_path(const char *p) {
  json_t *js = json_string(p);
  if (js) return js;
  size_t n = strlen(p), w = 0;
  char *buf = cl_xmalloc(3 * n + 1);
  for (size_t i = 0; i < n;) {
    unsigned char b = (unsigned char)p[i];
    size_t k = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
    json_t *seq = k > 1 && i + k <= n ? json_stringn(p + i, k) : NULL;
    if (k > 1 && !seq) k = 0;
    json_decref(seq);
    if (!k) {
      memcpy(buf + w, "\xEF\xBF\xBD", 3);
      w += 3;
      i++;
      continue;
    }
    memcpy(buf + w, p + i, k);
    w += k;
    i += k;
  }
  buf[w] = 0;
  js = json_string(buf);
  free(buf);
  return js;
}

int cl_report_json(const condlint_session *s, FILE *out) {
  json_t *arr = json_array();
  for (size_t i = 0; i < s->diags.n; i++) {
    const condlint_diag *d = s->diags.v[i];
    const condlint_location *l = &d->primary;
    json_t *rel = json_array();
    for (size_t k = 0; k < d->nrelated; k++) {
      const condlint_location *r = &d->rel[k];
      json_array_append_new(rel, json_pack("{s:o, s:i, s:i, s:i, s:i, s:s}", "path", json_path(r->path),
                                           "line", (int)r->line, "column", (int)r->column,
                                           "end_line", (int)r->end_line, "end_column",
                                           (int)r->end_column, "message",
                                           r->message ? r->message : ""));
    }
    json_t *fix = json_null();
    if (d->fix) {
      /* Ruff's shape: {message, applicability, edits: [{content, location, end_location}]} */
      json_t *edits = json_array();
      for (size_t k = 0; k < d->nedits; k++) {
        const condlint_edit *e = &d->edit_pos[k];
        json_array_append_new(edits, json_pack("{s:s, s:{s:i, s:i}, s:{s:i, s:i}}", "content",
                                               e->content, "location", "row", (int)e->line,
                                               "column", (int)e->column, "end_location", "row",
                                               (int)e->end_line, "column", (int)e->end_column));
      }
      const char *app = d->applicability == CONDLINT_FIX_SAFE     ? "safe"
                        : d->applicability == CONDLINT_FIX_UNSAFE ? "unsafe"
                                                                  : "display-only";
      fix = json_pack("{s:s, s:s, s:o}", "message", d->fix, "applicability", app, "edits", edits);
    }
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:i, s:i, s:i, s:i, s:o, s:o}", "code",
                          d->code, "name", d->name, "severity", sev_name(d->severity),
                          "message", d->message, "path", json_path(l->path), "line", (int)l->line,
                          "column", (int)l->column, "end_line", (int)l->end_line, "end_column",
                          (int)l->end_column, "related", rel, "fix", fix);
    if (!o) {
      json_decref(arr);
      return CONDLINT_EINTERNAL; /* invalid UTF-8 in a string: cannot happen for our messages */
    }
    json_array_append_new(arr, o);
  }
  json_dumpf(arr, out, JSON_INDENT(2) | JSON_ENSURE_ASCII);
  fputc('\n', out);
  json_decref(arr);
  return 0;
}
