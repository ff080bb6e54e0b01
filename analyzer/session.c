/*
 * session.c — the library's front door: a session collects files, runs the
 * pipeline (prefilter → parse → analyse → rules → suppress) and owns the
 * findings, which it sorts so that output never depends on scheduling.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "cxx.h"
#include "internal.h"
#include "report.h"
#include "suppress.h"

static pthread_mutex_t emit_lock = PTHREAD_MUTEX_INITIALIZER;

const char *condlint_version(void) { return CONDLINT_VERSION; }

static void file_free(cl_file *f) {
  if (!f) return;
  free(f->path);
  free(f->abspath);
  free(f->bytes);
  free(f->line_starts);
  cl_arena_free(f->arena);
  free(f);
}

condlint_session *condlint_session_new(void) {
  condlint_session *s = cl_xcalloc(1, sizeof *s);
  s->arena = cl_arena_new();
  s->error = cl_xstrdup("");
  return s;
}

void condlint_session_free(condlint_session *s) {
  if (!s) return;
  for (size_t i = 0; i < s->files.n; i++) {
    cl_file *f = s->files.v[i];
    if (!f->borrowed) file_free(f); /* a document's file is the document's */
  }
  cl_vec_free(&s->files);
  for (size_t i = 0; i < s->diags.n; i++) {
    condlint_diag *d = s->diags.v[i];
    free(d->related);
    free(d->rel);
    free(d);
  }
  cl_vec_free(&s->diags);
  cl_facts_free(s->facts);
  cl_cxx_session_free(s);
  cl_arena_free(s->arena);
  free(s->error);
  free(s);
}

void cl_session_set_error(condlint_session *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char buf[1024];
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  free(s->error);
  s->error = cl_xstrdup(buf);
}

const char *condlint_session_error(const condlint_session *s) { return s->error; }

void condlint_session_set_jobs(condlint_session *s, unsigned jobs) { s->jobs = jobs; }

cl_file *cl_session_file(const condlint_session *s, int index) {
  if (index < 0 || (size_t)index >= s->files.n) return NULL;
  return s->files.v[index];
}

static char *display_path(const char *path) {
  while (path[0] == '.' && path[1] == '/') {
    path += 2;
    while (*path == '/') path++;
  }
  return cl_xstrdup(path);
}

static cl_file *file_new(const char *path, char *bytes, size_t len, bool checked) {
  cl_file *f = cl_xcalloc(1, sizeof *f);
  f->path = display_path(path);
  char *rp = realpath(path, NULL);
  f->abspath = rp ? rp : cl_xstrdup(f->path);
  f->bytes = bytes;
  f->len = len;
  f->checked = checked;
  cl_file_index_lines(f);
  return f;
}

cl_file *cl_session_add_bytes(condlint_session *s, const char *path, char *bytes, size_t len,
                              bool checked) {
  cl_file *f = file_new(path, bytes, len, checked);
  f->index = (int)s->files.n;
  cl_vec_push(&s->files, f);
  return f;
}

static int read_file(const char *path, char **out, size_t *len, char **err) {
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    *err = cl_xasprintf("%s: %s", path, strerror(errno));
    return CONDLINT_EIO;
  }
  size_t cap = 8192, n = 0;
  char *buf = cl_xmalloc(cap);
  for (;;) {
    if (cap - n < 4096) buf = cl_xrealloc(buf, cap *= 2);
    size_t got = fread(buf + n, 1, cap - n - 1, fp);
    n += got;
    if (got == 0) break;
  }
  if (ferror(fp)) {
    *err = cl_xasprintf("%s: %s", path, strerror(errno ? errno : EIO));
    fclose(fp);
    free(buf);
    return CONDLINT_EIO;
  }
  fclose(fp);
  buf[n] = 0;
  *out = buf;
  *len = n;
  return 0;
}

/* Already in the session (a path given twice, or a directory and a file in it)? */
static cl_file *find_by_abspath(condlint_session *s, const char *abspath) {
  for (size_t i = 0; i < s->files.n; i++) {
    cl_file *f = s->files.v[i];
    if (!strcmp(f->abspath, abspath)) return f;
  }
  return NULL;
}

typedef struct {
  condlint_session *s;
  char *err;
  const char *root; /* the path named by the caller */
} add_ctx;

static int add_discovered(void *ud, const char *path, bool explicit_arg) {
  add_ctx *c = ud;
  bool excluded = false;
  int xrc = cl_config_excluded(c->s, c->root, path, explicit_arg, &excluded);
  if (xrc != 0) return xrc; /* the session's error names the bad configuration */
  if (excluded) return 0;
  char *rp = realpath(path, NULL);
  cl_file *dup = rp ? find_by_abspath(c->s, rp) : NULL;
  free(rp);
  if (dup) {
    dup->checked = true;
    return 0;
  }
  char *bytes;
  size_t len;
  char *err = NULL;
  if (read_file(path, &bytes, &len, &err) != 0) {
    if (!explicit_arg) { /* vanished or unreadable during the walk: skip it */
      free(err);
      return 0;
    }
    c->err = err;
    return CONDLINT_EIO;
  }
  cl_session_add_bytes(c->s, path, bytes, len, true);
  return 0;
}

int condlint_session_add_path(condlint_session *s, const char *path) {
  add_ctx c = {s, NULL, path};
  char *err = NULL;
  int rc = cl_discover(path, add_discovered, &c, &err);
  if (rc == CONDLINT_ECONFIG) return rc;
  if (rc != 0) {
    cl_session_set_error(s, "%s", err ? err : c.err ? c.err : path);
    free(err);
    free(c.err);
    return rc;
  }
  return 0;
}

int condlint_session_add_source(condlint_session *s, const char *path, const char *bytes,
                                size_t len) {
  if (!path || !bytes) {
    cl_session_set_error(s, "add_source: path and bytes are required");
    return CONDLINT_EUSAGE;
  }
  cl_session_add_bytes(s, path, cl_xstrndup(bytes, len), len, true);
  return 0;
}

/* ---- findings ------------------------------------------------------------ */

extern const condlint_rule *cl_rule_lookup(const char *code, const char **name,
                                           condlint_severity *sev);

condlint_diag *cl_emit(condlint_session *s, const char *code, const cl_file *f, cl_span span,
                       const char *message, const char *fix) {
  condlint_diag *d = cl_xcalloc(1, sizeof *d);
  const char *name = "?";
  condlint_severity sev = CONDLINT_SEVERITY_ERROR;
  cl_rule_lookup(code, &name, &sev);
  d->code = code;
  d->name = name;
  d->severity = sev;
  pthread_mutex_lock(&emit_lock);
  d->message = cl_arena_strdup(s->arena, message);
  d->fix = fix ? cl_arena_strdup(s->arena, fix) : NULL;
  d->loc.file = f ? f->index : -1;
  d->loc.start = span.start;
  d->loc.end = span.end;
  cl_vec_push(&s->diags, d);
  pthread_mutex_unlock(&emit_lock);
  return d;
}

void cl_diag_add_related(condlint_session *s, condlint_diag *d, const cl_file *f, cl_span span,
                         const char *message) {
  pthread_mutex_lock(&emit_lock);
  d->related = cl_xrealloc(d->related, (d->nrelated + 1) * sizeof(cl_loc));
  cl_loc *l = &d->related[d->nrelated++];
  l->file = f ? f->index : -1;
  l->start = span.start;
  l->end = span.end;
  l->message = cl_arena_strdup(s->arena, message);
  pthread_mutex_unlock(&emit_lock);
}

static condlint_location resolve(const condlint_session *s, const cl_loc *l) {
  condlint_location out = {0};
  cl_file *f = cl_session_file(s, l->file);
  out.message = l->message;
  if (!f) {
    out.path = "";
    return out;
  }
  out.path = f->path;
  cl_file_position(f, l->start, &out.line, &out.column);
  cl_file_position(f, l->end, &out.end_line, &out.end_column);
  return out;
}

static int diag_cmp(const void *pa, const void *pb) {
  const condlint_diag *a = *(condlint_diag *const *)pa, *b = *(condlint_diag *const *)pb;
  int c = strcmp(a->primary.path, b->primary.path);
  if (c) return c;
  if (a->primary.line != b->primary.line) return a->primary.line < b->primary.line ? -1 : 1;
  if (a->primary.column != b->primary.column) return a->primary.column < b->primary.column ? -1 : 1;
  c = strcmp(a->code, b->code);
  if (c) return c;
  return strcmp(a->message, b->message);
}

static void finalize(condlint_session *s) {
  /* files loaded only to resolve imports report nothing */
  size_t keep = 0;
  for (size_t i = 0; i < s->diags.n; i++) {
    condlint_diag *d = s->diags.v[i];
    cl_file *f = cl_session_file(s, d->loc.file);
    if (f && !f->checked) {
      free(d->related);
      free(d);
      continue;
    }
    s->diags.v[keep++] = d;
  }
  s->diags.n = keep;
  for (size_t i = 0; i < s->diags.n; i++) {
    condlint_diag *d = s->diags.v[i];
    d->primary = resolve(s, &d->loc);
    d->primary.message = NULL;
    free(d->rel);
    d->rel = cl_xcalloc(d->nrelated ? d->nrelated : 1, sizeof(condlint_location));
    for (size_t j = 0; j < d->nrelated; j++) d->rel[j] = resolve(s, &d->related[j]);
  }
  if (s->diags.n > 1) qsort(s->diags.v, s->diags.n, sizeof(void *), diag_cmp);
  /* the same finding reached twice (a file named twice) is reported once */
  size_t w = 0;
  for (size_t i = 0; i < s->diags.n; i++) {
    condlint_diag *d = s->diags.v[i];
    if (w && diag_cmp(&s->diags.v[w - 1], &s->diags.v[i]) == 0) {
      free(d->related);
      free(d->rel);
      free(d);
      continue;
    }
    s->diags.v[w++] = d;
  }
  s->diags.n = w;
}

/* ---- the pipeline --------------------------------------------------------- */

typedef struct {
  condlint_session *s;
  size_t next;
  pthread_mutex_t lock;
} pool;

static void *parse_worker(void *ud) {
  pool *p = ud;
  for (;;) {
    pthread_mutex_lock(&p->lock);
    size_t i = p->next++;
    pthread_mutex_unlock(&p->lock);
    if (i >= p->s->files.n) return NULL;
    cl_file *f = p->s->files.v[i];
    if (f->mod) continue;
    if (cl_cxx_is_source(f->path)) { /* C++ custom ops: libclang (cxx.c) */
      cl_cxx_parse_file(p->s, f);
      continue;
    }
    if (!cl_prefilter_match(f->bytes, f->len)) {
      f->skip = true;
      continue;
    }
    cl_parse_file(p->s, f);
  }
}

static void parse_all(condlint_session *s) {
  unsigned jobs = s->jobs;
  if (!jobs) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    jobs = n > 0 ? (unsigned)n : 1;
  }
  if (jobs > 64) jobs = 64;
  if (jobs > s->files.n) jobs = (unsigned)(s->files.n ? s->files.n : 1);
  pool p = {s, 0, PTHREAD_MUTEX_INITIALIZER};
  for (size_t i = 0; i < s->files.n; i++) { /* heavy files first, while single-threaded */
    cl_file *f = s->files.v[i];
    if (!f->mod && !cl_cxx_is_source(f->path) && cl_parse_is_heavy(f) &&
        cl_prefilter_match(f->bytes, f->len))
      cl_parse_file(s, f);
  }
  if (jobs <= 1) {
    parse_worker(&p);
    return;
  }
  pthread_t *th = cl_xcalloc(jobs, sizeof *th);
  unsigned started = 0;
  for (unsigned i = 0; i < jobs; i++)
    if (pthread_create(&th[i], NULL, parse_worker, &p) == 0) started++;
  if (!started) parse_worker(&p);
  for (unsigned i = 0; i < started; i++) pthread_join(th[i], NULL);
  free(th);
}

int condlint_session_analyze(condlint_session *s) {
  if (s->analysed) {
    cl_session_set_error(s, "the session was already analysed");
    return CONDLINT_EUSAGE;
  }
  s->analysed = true;
  int rc = cl_config_prepare(s);
  if (rc != 0) return rc;
  parse_all(s);
  cl_analyze_program(s); /* may load imported files on demand */
  cl_rules_run(s);
  cl_suppress_apply(s);
  cl_config_apply(s); /* select, ignore, per-file-ignores, severity */
  finalize(s);
  cl_fingerprint_all(s);
  return 0;
}

size_t condlint_session_file_count(const condlint_session *s) {
  size_t n = 0;
  for (size_t i = 0; i < s->files.n; i++)
    if (((cl_file *)s->files.v[i])->checked) n++;
  return n;
}

size_t condlint_session_diag_count(const condlint_session *s) { return s->diags.n; }

const condlint_diag *condlint_session_diag(const condlint_session *s, size_t i) {
  return i < s->diags.n ? s->diags.v[i] : NULL;
}

const char *condlint_diag_code(const condlint_diag *d) { return d->code; }
const char *condlint_diag_name(const condlint_diag *d) { return d->name; }
condlint_severity condlint_diag_severity(const condlint_diag *d) { return d->severity; }
const char *condlint_diag_message(const condlint_diag *d) { return d->message; }
condlint_location condlint_diag_location(const condlint_diag *d) { return d->primary; }
size_t condlint_diag_related_count(const condlint_diag *d) { return d->nrelated; }
condlint_location condlint_diag_related(const condlint_diag *d, size_t i) {
  condlint_location none = {0};
  return i < d->nrelated ? d->rel[i] : none;
}
const char *condlint_diag_fix(const condlint_diag *d) { return d->fix; }

int condlint_session_render(const condlint_session *s, const char *format, int color, FILE *out) {
  if (!strcmp(format, "text")) return cl_report_text(s, color, out);
  if (!strcmp(format, "json")) return cl_report_json(s, out);
  if (!strcmp(format, "concise")) return cl_report_concise(s, color, out);
  if (!strcmp(format, "sarif")) return cl_report_sarif(s, out);
  if (!strcmp(format, "github")) return cl_report_github(s, out);
  if (!strcmp(format, "gitlab")) return cl_report_gitlab(s, out);
  if (!strcmp(format, "junit")) return cl_report_junit(s, out);
  return CONDLINT_EUSAGE;
}

/* ---- documents: sources kept across sessions (editors) -------------------- */

struct condlint_document {
  char *path;
  cl_file *file;           /* the current text; parsed (mod) once a session needed it */
  cl_parse_memo memo;      /* the previous parse's tree, for the next parse */
  condlint_session *found; /* what the parse reported (CL901, CL903, CL904) */
};

condlint_document *condlint_document_new(const char *path) {
  condlint_document *doc = cl_xcalloc(1, sizeof *doc);
  doc->path = cl_xstrdup(path);
  doc->file = file_new(path, cl_xstrdup(""), 0, true);
  doc->file->borrowed = true;
  return doc;
}

void condlint_document_free(condlint_document *doc) {
  if (!doc) return;
  file_free(doc->file);
  cl_parse_memo_clear(&doc->memo);
  condlint_session_free(doc->found);
  free(doc->path);
  free(doc);
}

void condlint_document_set_text(condlint_document *doc, const char *bytes, size_t len) {
  if (doc->file->len == len && !memcmp(doc->file->bytes, bytes, len)) return;
  file_free(doc->file);
  condlint_session_free(doc->found);
  doc->found = NULL;
  doc->file = file_new(doc->path, cl_xstrndup(bytes, len), len, true);
  doc->file->borrowed = true;
}

const char *condlint_document_text(const condlint_document *doc, size_t *len) {
  if (len) *len = doc->file->len;
  return doc->file->bytes;
}

int condlint_session_add_document(condlint_session *s, condlint_document *doc, int checked) {
  cl_file *f = doc->file;
  cl_file *dup = find_by_abspath(s, f->abspath);
  if (dup) { /* named twice: checked if either asks for it */
    if (checked) dup->checked = true;
    return 0;
  }
  bool check = checked != 0;
  if (check) { /* as for a file named on the command line: force-exclude applies */
    bool excluded = false;
    int rc = cl_config_excluded(s, doc->path, doc->path, true, &excluded);
    if (rc != 0) return rc;
    if (excluded) check = false;
  }
  if (cl_cxx_is_source(f->path)) { /* libclang's parse is the session's: hand it a copy */
    cl_session_add_bytes(s, doc->path, cl_xstrndup(f->bytes, f->len), f->len, check);
    return 0;
  }
  f->checked = check;
  f->index = (int)s->files.n;
  cl_vec_push(&s->files, f);
  /* like parse_all: a checked file the prefilter rules out is not parsed;
   * one that is only there to be imported always is, as link.c would */
  if (!f->mod && (!check || cl_prefilter_match(f->bytes, f->len))) {
    condlint_session_free(doc->found);
    doc->found = condlint_session_new();
    cl_parse_file_incremental(doc->found, f, &doc->memo);
  }
  f->skip = !f->mod;
  /* the parse's findings, once per session */
  for (size_t i = 0; doc->found && i < doc->found->diags.n; i++) {
    const condlint_diag *d = doc->found->diags.v[i];
    cl_span sp = {d->loc.start, d->loc.end, 0, 0, 0, 0};
    condlint_diag *e = cl_emit(s, d->code, f, sp, d->message, d->fix);
    for (size_t k = 0; k < d->nrelated; k++) {
      cl_span rs = {d->related[k].start, d->related[k].end, 0, 0, 0, 0};
      cl_diag_add_related(s, e, f, rs, d->related[k].message);
    }
  }
  return 0;
}

size_t condlint_session_input_count(const condlint_session *s) { return s->files.n; }

const char *condlint_session_input_path(const condlint_session *s, size_t i, int *checked) {
  cl_file *f = cl_session_file(s, (int)i);
  if (checked) *checked = f && f->checked;
  return f ? f->abspath : NULL;
}
