/* suppress.c — inline suppressions. A comment on the line of a finding's
 * primary location hides it: `# condlint: ignore[CL101]`, `# condlint: ignore`
 * (every code), `# noqa: CL101` (for familiarity; codes of other tools in the
 * same noqa are left alone). `# condlint: skip-file` hides the whole file.
 * A condlint suppression that hides nothing is itself reported (CL902),
 * unless no rule it names is selected for the file (a code the configuration
 * turns off cannot be expected to fire); a code that names no rule at all is
 * reported as such. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "suppress.h"

typedef struct {
  unsigned line;
  cl_span span;
  char codes[16][8];
  int ncodes;     /* 0 with all=true: every code */
  bool all;
  bool used[16];
  bool used_all;
  bool noqa;      /* from a noqa comment: a bare noqa is never reported as unused */
} suppression;

static const char *skip_ws(const char *p) {
  while (*p == ' ' || *p == '\t') p++;
  return p;
}

/* Parse a list of codes "CL101, CL2" into sup; only CL-prefixed codes are kept. */
static void parse_codes(suppression *sup, const char *p, char close) {
  while (*p && *p != close) {
    p = skip_ws(p);
    const char *start = p;
    while (isalnum((unsigned char)*p)) p++;
    size_t l = (size_t)(p - start);
    if (l >= 2 && l < 8 && !strncmp(start, "CL", 2) && sup->ncodes < 16) {
      memcpy(sup->codes[sup->ncodes], start, l);
      sup->codes[sup->ncodes][l] = 0;
      sup->ncodes++;
    }
    p = skip_ws(p);
    if (*p == ',') p++;
    else if (l == 0) break;
  }
}

static bool parse_comment(const char *text, suppression *sup, bool *skip_file) {
  const char *p = skip_ws(text);
  if (!strncmp(p, "condlint:", 9)) {
    p = skip_ws(p + 9);
    if (!strncmp(p, "skip-file", 9)) {
      *skip_file = true;
      return false;
    }
    if (!strncmp(p, "ignore", 6)) {
      p += 6;
      if (*p == '[') parse_codes(sup, p + 1, ']');
      else sup->all = true;
      return sup->all || sup->ncodes > 0;
    }
    return false;
  }
  /* noqa may follow another comment: "# type: ignore  # noqa: CL101" */
  const char *q = strstr(p, "noqa");
  if (!q) q = strstr(p, "NOQA");
  if (!q) return false;
  sup->noqa = true;
  q += 4;
  if (*q == ':') {
    parse_codes(sup, q + 1, 0);
    return sup->ncodes > 0; /* a noqa naming other tools' codes only */
  }
  sup->all = true;
  return true;
}

/* Does code (a full code or a prefix such as CL1) name at least one rule? */
static bool names_a_rule(const char *code) {
  size_t l = strlen(code);
  for (size_t i = 0; i < condlint_rule_count(); i++)
    if (!strncmp(condlint_rule_code(condlint_rule_at(i)), code, l)) return true;
  return false;
}

static bool covers(suppression *sup, const char *code) {
  if (sup->all) {
    sup->used_all = true;
    return true;
  }
  bool hit = false;
  for (int i = 0; i < sup->ncodes; i++) {
    size_t l = strlen(sup->codes[i]);
    if (!strncmp(code, sup->codes[i], l)) { /* prefix: CL1 covers CL101 */
      sup->used[i] = true;
      hit = true;
    }
  }
  return hit;
}

void cl_suppress_apply(condlint_session *s) {
  size_t nfiles = s->files.n;
  for (size_t fi = 0; fi < nfiles; fi++) {
    cl_file *f = s->files.v[fi];
    if (!f->mod || !f->checked) continue;
    bool skip_file = false;
    suppression *sups = cl_xcalloc(f->mod->ncomments ? f->mod->ncomments : 1, sizeof *sups);
    int n = 0;
    for (uint32_t i = 0; i < f->mod->ncomments; i++) {
      suppression sup = {0};
      if (parse_comment(f->mod->comments[i].text, &sup, &skip_file)) {
        sup.span = f->mod->comments[i].span;
        sup.line = cl_file_row(f, sup.span.start) + 1;
        sups[n++] = sup;
      }
    }
    size_t w = 0;
    size_t total = s->diags.n;
    for (size_t i = 0; i < total; i++) {
      condlint_diag *d = s->diags.v[i];
      bool drop = false;
      if (d->loc.file == f->index && strcmp(d->code, "CL902") != 0) {
        if (skip_file) {
          drop = true;
        } else {
          unsigned line, col;
          cl_file_position(f, d->loc.start, &line, &col);
          for (int k = 0; k < n; k++)
            if (sups[k].line == line && covers(&sups[k], d->code)) drop = true;
        }
      }
      if (drop) {
        cl_diag_free(d);
      } else {
        s->diags.v[w++] = d;
      }
    }
    s->diags.n = w;
    for (int k = 0; k < n && !skip_file; k++) {
      suppression *sup = &sups[k];
      if (sup->all) {
        if (!sup->used_all && !sup->noqa)
          cl_emit(s, "CL902", f, sup->span, "unused suppression: it hides no finding", NULL);
        continue;
      }
      for (int c = 0; c < sup->ncodes; c++) {
        if (sup->used[c]) continue;
        char *msg;
        if (!names_a_rule(sup->codes[c]))
          msg = cl_xasprintf("unused suppression: %s is not a condlint rule", sup->codes[c]);
        else if (!cl_config_selected(s, f, sup->codes[c]))
          continue; /* the rule is off here: nothing to hide, nothing stale */
        else
          msg = cl_xasprintf("unused suppression: no %s finding on this line", sup->codes[c]);
        cl_emit(s, "CL902", f, sup->span, msg, NULL);
        free(msg);
      }
    }
    free(sups);
  }
}
