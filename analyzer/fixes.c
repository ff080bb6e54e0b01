/*
 * fixes.c — machine-applicable fixes. The interpreter records a fix recipe
 * (facts.h cl_fixspec) on the step of a reason chain that made a size
 * concrete; here a recipe becomes text edits, computed from the IR's spans and
 * the file's bytes, marked safe or unsafe (Ruff's split):
 *   safe    int(x.shape[d]) -> x.shape[d]; DimDynamic.STATIC -> DYNAMIC at the
 *           index; torch._dynamo.mark_dynamic(x, d) before the compiled call
 *   unsafe  make_fx tracing_mode="symbolic"; FakeTensorMode(shape_env=ShapeEnv());
 *           a Dim in export's dynamic_shapes
 * Unsafe fixes change more of the trace than the one cond. condlint_session_fix
 * applies them (atomically, temp file + rename) or prints a unified diff.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "facts.h"

typedef struct {
  uint32_t start, end;
  char *text;
} edit;

typedef struct {
  edit e[4];
  int n;
  bool safe;
} edits;

static void add(edits *es, uint32_t start, uint32_t end, char *text) {
  if (es->n < 4) es->e[es->n++] = (edit){start, end, text};
  else free(text);
}

static void clear(edits *es) {
  for (int i = 0; i < es->n; i++) free(es->e[i].text);
  es->n = 0;
}

static const cl_expr *keyword(const cl_expr *call, const char *name) {
  for (uint32_t i = 1; i < call->nkids; i++)
    if (call->kids[i]->kind == E_KEYWORD && !strcmp(call->kids[i]->s, name)) return call->kids[i]->kids[0];
  return NULL;
}

static char *src_text(const cl_file *f, const cl_expr *e) {
  return cl_xstrndup(f->bytes + e->span.start, e->span.end - e->span.start);
}

/* Insert `kw=value` as the call's last argument, before its ')'. */
static bool add_keyword(edits *es, const cl_file *f, const cl_expr *call, const char *text) {
  uint32_t close = call->span.end;
  if (close == 0 || f->bytes[close - 1] != ')') return false;
  close--;
  uint32_t p = close;
  while (p > call->span.start && (f->bytes[p - 1] == ' ' || f->bytes[p - 1] == '\n' || f->bytes[p - 1] == '\t'))
    p--;
  bool has_args = call->nkids > 1;
  bool trailing_comma = p > call->span.start && f->bytes[p - 1] == ',';
  add(es, p, p, cl_xasprintf("%s%s", has_args && !trailing_comma ? ", " : trailing_comma ? " " : "", text));
  return true;
}

/* Is `name` bound at the top of the module (import or assignment)? */
static bool module_binds(const cl_file *f, const char *name) {
  const cl_block *b = &f->mod->body;
  for (uint32_t i = 0; i < b->n; i++) {
    const cl_stmt *s = b->v[i];
    if (s->kind == S_IMPORT || s->kind == S_IMPORTFROM)
      for (uint32_t k = 0; k < s->nnames; k++) {
        const char *bound = s->names[k].alias ? s->names[k].alias : s->names[k].name;
        if (s->kind == S_IMPORT && !s->names[k].alias) {
          const char *dot = strchr(bound, '.');
          if (dot ? !strncmp(bound, name, (size_t)(dot - bound)) && !name[dot - bound] : !strcmp(bound, name))
            return true;
        } else if (!strcmp(bound, name)) {
          return true;
        }
      }
  }
  return false;
}

/* `from MODULE import NAME` after the module's last top-level import. */
static void add_import(edits *es, const cl_file *f, const char *module, const char *name) {
  if (module_binds(f, name)) return;
  const cl_block *b = &f->mod->body;
  uint32_t at = 0;
  for (uint32_t i = 0; i < b->n; i++)
    if (b->v[i]->kind == S_IMPORT || b->v[i]->kind == S_IMPORTFROM) at = b->v[i]->span.end;
  if (at) add(es, at, at, cl_xasprintf("\nfrom %s import %s", module, name));
  else add(es, 0, 0, cl_xasprintf("from %s import %s\n", module, name));
}

static bool fix_tracing_mode(edits *es, const cl_fixspec *fx) {
  const cl_expr *v = keyword(fx->expr, "tracing_mode");
  if (v) add(es, v->span.start, v->span.end, cl_xstrdup("\"symbolic\""));
  else if (!add_keyword(es, fx->file, fx->expr, "tracing_mode=\"symbolic\"")) return false;
  es->safe = false;
  return true;
}

static bool fix_shape_env(edits *es, const cl_fixspec *fx) {
  if (keyword(fx->expr, "shape_env")) return false; /* shape_env=None: leave it to the user */
  if (!add_keyword(es, fx->file, fx->expr, "shape_env=ShapeEnv()")) return false;
  add_import(es, fx->file, "torch.fx.experimental.symbolic_shapes", "ShapeEnv");
  es->safe = false;
  return true;
}

/* A Dim for dim d of `param`: a new dynamic_shapes, or an entry in a literal one. */
static bool fix_export_dim(edits *es, const cl_fixspec *fx) {
  const char *p = fx->param;
  if (!p || !*p) return false;
  for (const char *q = p; *q; q++)
    if (!(*q == '_' || (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9')))
      return false; /* a nested input: no literal to write */
  const char *dimname = fx->dim ? cl_xasprintf("%s_%d", p, fx->dim) : cl_xasprintf("%s_0", p);
  const cl_expr *spec = keyword(fx->expr, "dynamic_shapes");
  bool ok = false;
  if (!spec) {
    char *t = cl_xasprintf("dynamic_shapes={\"%s\": {%d: Dim(\"%s\")}}", p, fx->dim, dimname);
    ok = add_keyword(es, fx->file, fx->expr, t);
    free(t);
  } else if (spec->kind == E_DICT) {
    const cl_expr *entry = NULL;
    for (uint32_t i = 0; i + 1 < spec->nkids; i += 2)
      if (spec->kids[i]->kind == E_STR && spec->kids[i]->s && !strcmp(spec->kids[i]->s, p)) entry = spec->kids[i + 1];
    if (entry && entry->kind == E_DICT) {
      add(es, entry->span.start + 1, entry->span.start + 1,
          cl_xasprintf("%d: Dim(\"%s\")%s", fx->dim, dimname, entry->nkids ? ", " : ""));
      ok = true;
    } else if (!entry) {
      add(es, spec->span.start + 1, spec->span.start + 1,
          cl_xasprintf("\"%s\": {%d: Dim(\"%s\")}%s", p, fx->dim, dimname, spec->nkids ? ", " : ""));
      ok = true;
    }
  }
  free((char *)dimname);
  if (!ok) return false;
  add_import(es, fx->file, "torch.export", "Dim");
  es->safe = false;
  return true;
}

/* torch._dynamo.mark_dynamic(arg, d) on the line before the compiled call. */
static bool fix_mark_dynamic(edits *es, const cl_fixspec *fx) {
  const cl_file *f = fx->file;
  if (!fx->arg || (fx->arg->kind != E_NAME && fx->arg->kind != E_ATTR)) return false;
  if (!module_binds(f, "torch")) return false;
  uint32_t ls = fx->expr->span.start;
  while (ls > 0 && f->bytes[ls - 1] != '\n') ls--;
  uint32_t ind = ls;
  while (ind < f->len && (f->bytes[ind] == ' ' || f->bytes[ind] == '\t')) ind++;
  /* the call's line must start a statement: the line before must not continue */
  if (ls > 0) {
    uint32_t q = ls - 1;
    while (q > 0 && (f->bytes[q - 1] == ' ' || f->bytes[q - 1] == '\r')) q--;
    char prev = q > 0 ? f->bytes[q - 1] : '\n';
    if (strchr("([{,\\+-*/=", prev)) return false;
  }
  char *arg = src_text(f, fx->arg);
  add(es, ls, ls, cl_xasprintf("%.*storch._dynamo.mark_dynamic(%s, %d)\n", (int)(ind - ls), f->bytes + ls, arg, fx->dim));
  free(arg);
  es->safe = true;
  return true;
}

static bool fix_dimdyn(edits *es, const cl_fixspec *fx) {
  const cl_expr *sizes = keyword(fx->expr, "dynamic_sizes");
  if (!sizes && fx->expr->nkids > 1 && fx->expr->kids[1]->kind != E_KEYWORD) sizes = fx->expr->kids[1];
  if (!sizes || (sizes->kind != E_LIST && sizes->kind != E_TUPLE) || fx->dim < 0 || (uint32_t)fx->dim >= sizes->nkids)
    return false;
  const cl_expr *el = sizes->kids[fx->dim];
  if (el->kind != E_ATTR || strcmp(el->s, "STATIC")) return false;
  add(es, el->span.end - 6, el->span.end, cl_xstrdup("DYNAMIC"));
  es->safe = true;
  return true;
}

static bool fix_drop_int(edits *es, const cl_fixspec *fx) {
  const cl_expr *call = fx->expr;
  if (call->kind != E_CALL || call->nkids != 2 || call->kids[1]->kind == E_KEYWORD) return false;
  add(es, call->span.start, call->span.end, src_text(fx->file, call->kids[1]));
  es->safe = true;
  return true;
}

static bool compute(const cl_fixspec *fx, edits *es) {
  es->n = 0;
  if (!fx || !fx->expr || !fx->file || !fx->file->mod) return false;
  bool ok = false;
  switch (fx->kind) {
  case FIX_TRACING_MODE: ok = fix_tracing_mode(es, fx); break;
  case FIX_SHAPE_ENV: ok = fix_shape_env(es, fx); break;
  case FIX_EXPORT_DIM: ok = fix_export_dim(es, fx); break;
  case FIX_MARK_DYNAMIC: ok = fix_mark_dynamic(es, fx); break;
  case FIX_DIMDYN_DYNAMIC: ok = fix_dimdyn(es, fx); break;
  case FIX_DROP_INT: ok = fix_drop_int(es, fx); break;
  default: break;
  }
  if (!ok) clear(es);
  return ok && es->n > 0;
}

void cl_fix_attach(condlint_session *s, condlint_diag *d, const cl_origin *why) {
  const cl_origin *w = why;
  while (w && !w->fix) w = w->prev;
  if (!w) return;
  d->applicability = CONDLINT_FIX_DISPLAY_ONLY;
  edits es;
  if (!w->fixspec || !compute(w->fixspec, &es)) return;
  d->edits = cl_xcalloc((size_t)es.n, sizeof(cl_loc));
  for (int i = 0; i < es.n; i++) {
    d->edits[i].file = w->fixspec->file->index;
    d->edits[i].start = es.e[i].start;
    d->edits[i].end = es.e[i].end;
    d->edits[i].message = cl_arena_strdup(s->arena, es.e[i].text);
  }
  d->nedits = (size_t)es.n;
  d->applicability = es.safe ? CONDLINT_FIX_SAFE : CONDLINT_FIX_UNSAFE;
  clear(&es);
}

/* ---- the public accessors ---------------------------------------------------- */

condlint_fix_applicability condlint_diag_fix_applicability(const condlint_diag *d) {
  if (d->applicability) return d->applicability;
  return d->fix ? CONDLINT_FIX_DISPLAY_ONLY : CONDLINT_FIX_NONE;
}

size_t condlint_diag_edit_count(const condlint_diag *d) { return d->nedits; }

/* diag accessors do not reach the session; the session fills edit positions */
condlint_edit condlint_diag_edit(const condlint_diag *d, size_t i) {
  condlint_edit e = {0};
  if (i >= d->nedits || !d->edit_pos) return e;
  return d->edit_pos[i];
}

/* ---- applying ------------------------------------------------------------------ */

typedef struct {
  uint32_t start, end;
  const char *text;
} flat_edit;

static int cmp_edit(const void *a, const void *b) {
  const flat_edit *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  return x->end < y->end ? -1 : x->end > y->end;
}

static char *apply_edits(const cl_file *f, flat_edit *e, size_t n, size_t *outlen) {
  size_t len = f->len;
  for (size_t i = 0; i < n; i++) len += strlen(e[i].text);
  char *out = cl_xmalloc(len + 1);
  size_t w = 0;
  uint32_t pos = 0;
  for (size_t i = 0; i < n; i++) {
    memcpy(out + w, f->bytes + pos, e[i].start - pos);
    w += e[i].start - pos;
    size_t tl = strlen(e[i].text);
    memcpy(out + w, e[i].text, tl);
    w += tl;
    pos = e[i].end;
  }
  memcpy(out + w, f->bytes + pos, f->len - pos);
  w += f->len - pos;
  out[w] = 0;
  *outlen = w;
  return out;
}

/* Line starts of a buffer. */
static size_t lines_of(const char *b, size_t len, size_t **starts) {
  size_t n = 1;
  for (size_t i = 0; i < len; i++)
    if (b[i] == '\n' && i + 1 < len) n++;
  *starts = cl_xmalloc((n + 1) * sizeof(size_t));
  size_t k = 0;
  (*starts)[k++] = 0;
  for (size_t i = 0; i < len; i++)
    if (b[i] == '\n' && i + 1 < len) (*starts)[k++] = i + 1;
  (*starts)[n] = len;
  return len ? n : 0;
}

static void put_line(FILE *out, char tag, const char *b, size_t *st, size_t i) {
  size_t s = st[i], e = st[i + 1];
  fputc(tag, out);
  fwrite(b + s, 1, e - s, out);
  if (e == s || b[e - 1] != '\n') fputs("\n\\ No newline at end of file\n", out);
}

/* A unified diff of one file: the edits give the changed line ranges, so
 * every hunk is exact without a general diff algorithm. */
static void unified_diff(FILE *out, const char *path, const cl_file *f, const char *nb, size_t nlen,
                         flat_edit *e, size_t n) {
  size_t *os, *ns;
  size_t on = lines_of(f->bytes, f->len, &os), nn = lines_of(nb, nlen, &ns);
  fprintf(out, "--- a/%s\n+++ b/%s\n", path, path);
  /* the old line range of each edit, merged when within 6 lines */
  long delta = 0; /* new bytes minus old bytes before the current group */
  size_t i = 0;
  while (i < n) {
    size_t first_line = 0, last_line = 0;
    for (size_t l = 0; l < on; l++)
      if (os[l] <= e[i].start) first_line = l;
    size_t j = i;
    long group_delta = 0;
    for (;;) {
      size_t el = first_line;
      for (size_t l = 0; l < on; l++)
        if (os[l] <= (e[j].end > e[j].start ? e[j].end - 1 : e[j].start)) el = l;
      if (el > last_line) last_line = el;
      group_delta += (long)strlen(e[j].text) - (long)(e[j].end - e[j].start);
      if (j + 1 >= n) break;
      size_t next_first = 0;
      for (size_t l = 0; l < on; l++)
        if (os[l] <= e[j + 1].start) next_first = l;
      if (next_first > last_line + 6) break;
      j++;
    }
    size_t c0 = first_line >= 3 ? first_line - 3 : 0;
    size_t c1 = last_line + 3 < on ? last_line + 3 : on - 1;
    /* the same region in the new text: from the byte where c0 starts */
    size_t nstart_byte = (size_t)((long)os[c0] + delta);
    size_t nend_byte = (size_t)((long)os[c1 + 1] + delta + group_delta);
    size_t nc0 = 0, nc1 = 0;
    for (size_t l = 0; l < nn; l++) {
      if (ns[l] <= nstart_byte) nc0 = l;
      if (ns[l] < nend_byte) nc1 = l;
    }
    /* context lines are equal on both sides: trim them from the changed core */
    size_t pre = 0;
    while (c0 + pre <= c1 && nc0 + pre <= nc1 && os[c0 + pre + 1] - os[c0 + pre] == ns[nc0 + pre + 1] - ns[nc0 + pre] &&
           !memcmp(f->bytes + os[c0 + pre], nb + ns[nc0 + pre], os[c0 + pre + 1] - os[c0 + pre]))
      pre++;
    size_t post = 0;
    while (c1 >= c0 + pre + post && nc1 >= nc0 + pre + post && os[c1 - post + 1] - os[c1 - post] == ns[nc1 - post + 1] - ns[nc1 - post] &&
           !memcmp(f->bytes + os[c1 - post], nb + ns[nc1 - post], os[c1 - post + 1] - os[c1 - post]))
      post++;
    fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", c0 + 1, c1 - c0 + 1, nc0 + 1, nc1 - nc0 + 1);
    for (size_t l = c0; l < c0 + pre; l++) put_line(out, ' ', f->bytes, os, l);
    for (size_t l = c0 + pre; l + post <= c1; l++) put_line(out, '-', f->bytes, os, l);
    for (size_t l = nc0 + pre; l + post <= nc1; l++) put_line(out, '+', nb, ns, l);
    for (size_t l = c1 - post + 1; l <= c1; l++) put_line(out, ' ', f->bytes, os, l);
    delta += group_delta;
    i = j + 1;
  }
  free(os);
  free(ns);
}

static int write_atomically(condlint_session *s, const char *path, const char *bytes, size_t len) {
  struct stat st;
  mode_t mode = 0644;
  if (stat(path, &st) == 0) mode = st.st_mode & 07777;
  char *tmp = cl_xasprintf("%s.condlint-fix.XXXXXX", path);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    cl_session_set_error(s, "%s: cannot write the fixed file: %s", path, strerror(errno));
    free(tmp);
    return CONDLINT_EIO;
  }
  size_t w = 0;
  while (w < len) {
    ssize_t k = write(fd, bytes + w, len - w);
    if (k < 0) {
      if (errno == EINTR) continue;
      break;
    }
    w += (size_t)k;
  }
  int ok = w == len && fchmod(fd, mode) == 0 && fsync(fd) == 0;
  if (close(fd) != 0) ok = 0;
  if (!ok || rename(tmp, path) != 0) {
    cl_session_set_error(s, "%s: cannot write the fixed file: %s", path, strerror(errno));
    unlink(tmp);
    free(tmp);
    return CONDLINT_EIO;
  }
  free(tmp);
  return 0;
}

int condlint_session_fix(condlint_session *s, int unsafe, FILE *diff) {
  int applied = 0;
  for (size_t fi = 0; fi < s->files.n; fi++) {
    cl_file *f = s->files.v[fi];
    if (!f->checked || (f->in_memory && !diff)) continue;
    flat_edit *fe = NULL;
    size_t n = 0, cap = 0;
    int fixes = 0;
    for (size_t i = 0; i < s->diags.n; i++) {
      condlint_diag *d = s->diags.v[i];
      if (!d->nedits || d->loc.file != f->index) continue;
      if (d->applicability != CONDLINT_FIX_SAFE && !(unsafe && d->applicability == CONDLINT_FIX_UNSAFE)) continue;
      /* all edits of one fix apply, or none (an overlap defers it) */
      bool clash = false;
      for (size_t k = 0; k < d->nedits && !clash; k++)
        for (size_t j = 0; j < n; j++) {
          bool same = fe[j].start == d->edits[k].start && fe[j].end == d->edits[k].end &&
                      !strcmp(fe[j].text, d->edits[k].message);
          if (same) continue; /* the same import added by two fixes */
          if (d->edits[k].start < fe[j].end + (fe[j].start == fe[j].end) &&
              fe[j].start < d->edits[k].end + (d->edits[k].start == d->edits[k].end))
            clash = true;
          if (d->edits[k].file != f->index) clash = true;
        }
      if (clash) continue;
      for (size_t k = 0; k < d->nedits; k++) {
        bool dup = false;
        for (size_t j = 0; j < n; j++)
          if (fe[j].start == d->edits[k].start && fe[j].end == d->edits[k].end && !strcmp(fe[j].text, d->edits[k].message))
            dup = true;
        if (dup) continue;
        if (n == cap) fe = cl_xrealloc(fe, (cap = cap ? cap * 2 : 8) * sizeof *fe);
        fe[n++] = (flat_edit){d->edits[k].start, d->edits[k].end, d->edits[k].message};
      }
      fixes++;
    }
    if (!n) {
      free(fe);
      continue;
    }
    qsort(fe, n, sizeof *fe, cmp_edit);
    size_t nlen;
    char *nb = apply_edits(f, fe, n, &nlen);
    int rc = 0;
    if (diff) unified_diff(diff, f->path, f, nb, nlen, fe, n);
    else rc = write_atomically(s, f->path, nb, nlen);
    free(nb);
    free(fe);
    if (rc) return rc;
    applied += fixes;
  }
  return applied;
}
