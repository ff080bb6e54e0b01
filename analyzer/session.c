/*
 * session.c — the library's front door: a session collects files, runs the
 * pipeline (prefilter → parse → analyse → rules → suppress) and owns the
 * findings, which it sorts so that output never depends on scheduling.
 */
#define _GNU_SOURCE /* qsort_r */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "config.h"
#include "cxx.h"
#include "internal.h"
#include "prefilter.h"
#include "report.h"
#include "results.h"
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

static void pipeline_free(condlint_session *s);

condlint_session *condlint_session_new(void) {
  condlint_session *s = cl_xcalloc(1, sizeof *s);
  s->arena = cl_arena_new();
  s->error = cl_xstrdup("");
  return s;
}

static void pipeline_close_cache(condlint_session *s);

void condlint_session_free(condlint_session *s) {
  if (!s) return;
  pipeline_close_cache(s); /* its writer may still be encoding the files' IR */
  for (size_t i = 0; i < s->files.n; i++) {
    cl_file *f = s->files.v[i];
    if (!f->borrowed) file_free(f); /* a document's file is the document's */
  }
  cl_vec_free(&s->files);
  for (size_t i = 0; i < s->diags.n; i++) {
    condlint_diag *d = s->diags.v[i];
    cl_diag_free(d);
  }
  cl_vec_free(&s->diags);
  cl_facts_free(s->facts);
  cl_cxx_session_free(s);
  pipeline_free(s);
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

/* Source offsets are 32-bit; a file past this (or /dev/zero) is refused. */
#define MAX_SOURCE ((size_t)256 << 20)

int cl_read_source(const char *path, char **out, size_t *len, char **err) {
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
    if (n > MAX_SOURCE) {
      *err = cl_xasprintf("%s: larger than 256 MiB: not a source file to check", path);
      fclose(fp);
      free(buf);
      return CONDLINT_EIO;
    }
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

/* ---- the pipeline's state (the stages are under "the pipeline" below) ----- */

/* What add_path learnt of a file it has not read yet. */
typedef struct {
  bool lazy;       /* bytes not read: the pipeline reads them when it needs them */
  bool discovered; /* found by add_path: a file the user asked to check */
  bool named;      /* named on the command line: parsed whatever it holds */
  bool has_key;
  cl_statkey key;
} addinfo;

typedef struct {
  double t_add, t_scan, t_select, t_load, t_heavy, t_parse, t_analyze, t_rest;
  size_t files, read, own, entry, link, given, skipped, parsed, loaded, on_demand, relinked;
  bool replayed; /* the findings came from results.c */
} pstats;

struct cl_pipeline {
  char *cache_dir; /* NULL: the default directory */
  bool cache_on;
  cl_file **slots; /* abspath -> file, over s->files[0 .. indexed) */
  size_t nslots, nused, indexed;
  char *dir, *realdir; /* add_discovered's last directory, and its realpath */
  addinfo *info;       /* by file index: what add_path learnt */
  size_t ninfo;
  cl_vec skipped;      /* checked files the prefilter ruled out: no longer in s->files */
  size_t kept;         /* s->files.n after the prefilter (link.c appends after) */
  bool *relink;        /* kept[i] was parsed to link only: checked again after the analysis */
  pstats st;
  cl_cache *cache;     /* open from the scan to the end of the analysis */
  cl_buf args;         /* the paths added, for the results key */
  const char *no_results; /* why the run's findings are not recorded (results.c), or NULL */
  cl_results *results; /* the recorder, while the run is recordable */
  cl_buf config_id;    /* cl_config_identity when the recorder was made */
};

static struct cl_pipeline *pipe_get(condlint_session *s) {
  if (!s->pipe) s->pipe = cl_xcalloc(1, sizeof *s->pipe);
  return s->pipe;
}

static size_t path_slot(const char *k) { return (size_t)cl_hash128(k, strlen(k), 11).lo; }

static void index_insert(struct cl_pipeline *P, cl_file *f) {
  if ((P->nused + 1) * 2 > P->nslots) {
    size_t old = P->nslots;
    cl_file **os = P->slots;
    P->nslots = old ? old * 2 : 1024;
    P->slots = cl_xcalloc(P->nslots, sizeof *P->slots);
    P->nused = 0;
    for (size_t i = 0; i < old; i++)
      if (os[i]) index_insert(P, os[i]);
    free(os);
  }
  size_t m = P->nslots - 1, i = path_slot(f->abspath) & m;
  while (P->slots[i]) {
    if (!strcmp(P->slots[i]->abspath, f->abspath)) return; /* the first one keeps the name */
    i = (i + 1) & m;
  }
  P->slots[i] = f;
  P->nused++;
}

static void index_reset(struct cl_pipeline *P) {
  free(P->slots);
  P->slots = NULL;
  P->nslots = P->nused = P->indexed = 0;
}

/* Already in the session (a path given twice, or a directory and a file in it)? */
static cl_file *find_by_abspath(condlint_session *s, const char *abspath) {
  struct cl_pipeline *P = pipe_get(s);
  if (P->indexed > s->files.n) index_reset(P);
  for (; P->indexed < s->files.n; P->indexed++) index_insert(P, s->files.v[P->indexed]);
  if (!P->nslots) return NULL;
  size_t m = P->nslots - 1, i = path_slot(abspath) & m;
  for (; P->slots[i]; i = (i + 1) & m)
    if (!strcmp(P->slots[i]->abspath, abspath)) return P->slots[i];
  return NULL;
}

/* For link.c: the session's file of a canonical path (hashed, not a scan). */
cl_file *cl_session_find_abspath(condlint_session *s, const char *abspath);
cl_file *cl_session_find_abspath(condlint_session *s, const char *abspath) {
  return find_by_abspath(s, abspath);
}

/* realpath(path), with one realpath per directory for the files of a walk
 * (a file that is not a link resolves to its directory's realpath and its
 * name); *st gets the stat of what path names. NULL when it is gone. */
static char *canonical_path(struct cl_pipeline *P, const char *path, struct stat *st) {
  if (lstat(path, st) != 0) return NULL;
  if (S_ISLNK(st->st_mode)) return stat(path, st) == 0 ? realpath(path, NULL) : NULL;
  const char *slash = strrchr(path, '/');
  char *dir = slash ? cl_xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : cl_xstrdup(".");
  if (!P->dir || strcmp(P->dir, dir)) {
    free(P->dir);
    free(P->realdir);
    P->dir = dir;
    P->realdir = realpath(dir, NULL);
  } else {
    free(dir);
  }
  if (!P->realdir) return realpath(path, NULL);
  const char *base = slash ? slash + 1 : path;
  return cl_xasprintf("%s%s%s", P->realdir, strcmp(P->realdir, "/") ? "/" : "", base);
}

static void set_addinfo(struct cl_pipeline *P, int index, bool lazy, bool named,
                        const struct stat *st) {
  if ((size_t)index >= P->ninfo) {
    size_t n = P->ninfo ? P->ninfo : 256;
    while (n <= (size_t)index) n *= 2;
    P->info = cl_xrealloc(P->info, n * sizeof *P->info);
    memset(P->info + P->ninfo, 0, (n - P->ninfo) * sizeof *P->info);
    P->ninfo = n;
  }
  addinfo *ai = &P->info[index];
  ai->lazy = lazy;
  ai->discovered = true;
  ai->named = named;
  ai->has_key = st != NULL;
  if (st)
    ai->key = (cl_statkey){(uint64_t)st->st_size,
                           (uint64_t)st->st_mtim.tv_sec * 1000000000u + (uint64_t)st->st_mtim.tv_nsec,
                           (uint64_t)st->st_ino, (uint64_t)st->st_dev};
}

typedef struct {
  condlint_session *s;
  char *err;
  const char *root; /* the path named by the caller */
  char *realroot;   /* its realpath, once needed */
  bool rooted;      /* realroot was computed (it may be NULL) */
} add_ctx;

/* A file of the walk is not read here: the pipeline reads it only if the
 * verdict cache does not already know it. A file named explicitly is read
 * now, so that an unreadable one is an error of add_path. */
static int add_discovered(void *ud, const char *path, const char *real, const struct stat *known,
                          bool explicit_arg) {
  add_ctx *c = ud;
  struct cl_pipeline *P = pipe_get(c->s);
  struct stat st;
  char *rp = real && known ? cl_xstrdup(real) : canonical_path(P, path, &st);
  if (real && known) st = *known;
  if (!c->rooted) c->realroot = realpath(c->root, NULL), c->rooted = true;
  bool excluded = false;
  int xrc = rp && c->realroot
                ? cl_config_excluded_real(c->s, c->realroot, rp, explicit_arg, &excluded)
                : cl_config_excluded(c->s, c->root, path, explicit_arg, &excluded);
  if (xrc != 0 || excluded) free(rp);
  if (xrc != 0) return xrc; /* the session's error names the bad configuration */
  if (excluded) return 0;
  cl_file *dup = rp ? find_by_abspath(c->s, rp) : NULL;
  if (dup) {
    free(rp);
    dup->checked = true;
    return 0;
  }
  char *bytes = NULL;
  size_t len = 0;
  if (explicit_arg || !rp) {
    char *err = NULL;
    if (cl_read_source(path, &bytes, &len, &err) != 0) {
      free(rp);
      if (!explicit_arg) { /* vanished or unreadable during the walk: skip it */
        free(err);
        return 0;
      }
      c->err = err;
      return CONDLINT_EIO;
    }
  }
  cl_file *f = cl_xcalloc(1, sizeof *f);
  f->path = display_path(path);
  f->abspath = rp ? rp : cl_xstrdup(f->path);
  f->bytes = bytes;
  f->len = len;
  f->checked = true;
  if (bytes) cl_file_index_lines(f);
  f->index = (int)c->s->files.n;
  cl_vec_push(&c->s->files, f);
  set_addinfo(P, f->index, bytes == NULL, explicit_arg, rp ? &st : NULL);
  return 0;
}

static double now_s(void);

int condlint_session_add_path(condlint_session *s, const char *path) {
  add_ctx c = {s, NULL, path, NULL, false};
  cl_buf_str(&pipe_get(s)->args, path);
  char *err = NULL;
  double t0 = now_s();
  int rc = cl_discover(path, add_discovered, &c, &err);
  free(c.realroot);
  pipe_get(s)->st.t_add += now_s() - t0;
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
  pipe_get(s)->no_results = "source not read from a file";
  if (len > MAX_SOURCE) {
    cl_session_set_error(s, "%s: larger than 256 MiB: not a source file to check", path);
    return CONDLINT_EUSAGE;
  }
  cl_file *f = cl_session_add_bytes(s, path, cl_xstrndup(bytes, len), len, true);
  f->in_memory = true;
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

void cl_diag_free(condlint_diag *d) {
  if (!d) return;
  free(d->related);
  free(d->rel);
  free(d->edits);
  free(d->edit_pos);
  free(d);
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
      cl_diag_free(d);
      continue;
    }
    s->diags.v[keep++] = d;
  }
  s->diags.n = keep;
  for (size_t i = 0; i < s->diags.n; i++) {
    condlint_diag *d = s->diags.v[i];
    /* a fix is edits of the finding's own file (the output formats give
     * edits no path of their own): one that edits another file (mark_dynamic
     * where the model is compiled) is advice, never applied to this one */
    for (size_t j = 0; j < d->nedits; j++)
      if (d->edits[j].file != d->loc.file) {
        free(d->edits);
        d->edits = NULL;
        d->nedits = 0;
        if (d->applicability > CONDLINT_FIX_DISPLAY_ONLY) d->applicability = CONDLINT_FIX_DISPLAY_ONLY;
        break;
      }
    d->primary = resolve(s, &d->loc);
    d->primary.message = NULL;
    free(d->rel);
    d->rel = cl_xcalloc(d->nrelated ? d->nrelated : 1, sizeof(condlint_location));
    for (size_t j = 0; j < d->nrelated; j++) d->rel[j] = resolve(s, &d->related[j]);
    free(d->edit_pos);
    d->edit_pos = d->nedits ? cl_xcalloc(d->nedits, sizeof(condlint_edit)) : NULL;
    for (size_t j = 0; j < d->nedits; j++) {
      condlint_location l = resolve(s, &d->edits[j]);
      d->edit_pos[j] = (condlint_edit){l.path, l.line, l.column, l.end_line, l.end_column,
                                       d->edits[j].start, d->edits[j].end, d->edits[j].message};
    }
  }
  if (s->diags.n > 1) qsort(s->diags.v, s->diags.n, sizeof(void *), diag_cmp);
  /* the same finding reached twice (a file named twice) is reported once */
  size_t w = 0;
  for (size_t i = 0; i < s->diags.n; i++) {
    condlint_diag *d = s->diags.v[i];
    if (w && diag_cmp(&s->diags.v[w - 1], &s->diags.v[i]) == 0) {
      cl_diag_free(d);
      continue;
    }
    s->diags.v[w++] = d;
  }
  s->diags.n = w;
}

/* ---- the pipeline --------------------------------------------------------- */

/* The stages between adding the files and the analysis:
 *   scan (parallel)   each file's prefilter verdict (prefilter.c): from the
 *                     verdict cache while its stat, or else its content, is
 *                     unchanged (then a file is not even read), else from a
 *                     scan of its bytes;
 *   select            the tiers; the files ruled out leave s->files;
 *   load (parallel)   the kept files' bytes, and their summaries (IR and
 *                     parse findings) from the summary cache;
 *   parse             the rest: heavy files first, one at a time while the
 *                     process has one thread (parse.c's crash trial forks),
 *                     then in parallel; each parse is stored in the cache.
 * Output never depends on the scheduling: findings are sorted at the end.
 * CONDLINT_PREFILTER=off parses every file (a reference to compare against);
 * CONDLINT_PREFILTER=broad applies the one-tier cl_prefilter_match, whose
 * skipped files stay in the session unparsed. CONDLINT_STATS=1 prints what
 * each stage did, and its time, on stderr. */

typedef struct {
  void (*fn)(void *ud, size_t i);
  void *ud;
  size_t n, next;
} par;

static void *par_worker(void *arg) {
  par *p = arg;
  for (;;) {
    size_t i = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED);
    if (i >= p->n) return NULL;
    p->fn(p->ud, i);
  }
}

/* The worker threads: --jobs, else one per core (at most 64). */
static unsigned session_jobs(const condlint_session *s) {
  unsigned jobs = s->jobs;
  if (!jobs) {
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    jobs = c > 0 ? (unsigned)c : 1;
  }
  return jobs > 64 ? 64 : jobs;
}

/* fn(ud, i) for every i below n, on the session's worker threads. */
static void run_parallel(const condlint_session *s, size_t n, void (*fn)(void *, size_t),
                         void *ud) {
  unsigned jobs = session_jobs(s);
  if (jobs > n) jobs = (unsigned)(n ? n : 1);
  par p = {fn, ud, n, 0};
  if (jobs <= 1) {
    par_worker(&p);
    return;
  }
  pthread_t th[64];
  unsigned started = 0;
  for (unsigned i = 0; i < jobs; i++)
    if (pthread_create(&th[started], NULL, par_worker, &p) == 0) started++;
  if (!started) par_worker(&p);
  for (unsigned i = 0; i < started; i++) pthread_join(th[i], NULL);
}

/* A joined thread can still be counted for a moment: parse.c forks its
 * crash trial only in a single-threaded process, so wait (briefly) for it. */
static void settle_threads(void) {
  for (int tries = 0; tries < 200; tries++) {
    FILE *fp = fopen("/proc/self/status", "r");
    if (!fp) return;
    char line[256];
    long threads = 1;
    while (fgets(line, sizeof line, fp))
      if (!strncmp(line, "Threads:", 8)) threads = strtol(line + 8, NULL, 10);
    fclose(fp);
    if (threads <= 1) return;
    struct timespec ts = {0, 250000};
    nanosleep(&ts, NULL);
  }
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Read a whole file: 0, or -1. */
static int read_whole(const char *path, char **out, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat st;
  size_t cap = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
  char *buf = cl_xmalloc(cap + 1);
  size_t n = 0;
  for (;;) {
    if (n == cap) buf = cl_xrealloc(buf, (cap *= 2) + 1);
    ssize_t r = read(fd, buf + n, cap - n);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      close(fd);
      free(buf);
      return -1;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  close(fd);
  buf[n] = 0;
  *out = buf;
  *len = n;
  return 0;
}

typedef enum { PF_TIERS = 0, PF_OFF, PF_BROAD } pf_mode;

typedef struct {
  cl_file *f;
  addinfo ai;
  bool cxx, gone, broad, hashed, scanned, loaded;
  cl_hash hash;
  cl_scan scan;
} pfile;

typedef struct {
  condlint_session *s;
  pfile *pf;
  cl_cache *cache;
  pf_mode mode;
  size_t parsed, read; /* counted atomically */
  size_t *order;       /* the parse's order: the largest files first */
} pctx;

/* config.c may say that the configuration declares a dimension contract
 * for a function of f: such a file is in tier 1 whatever it holds. Weak:
 * absent until config.c defines it. */
bool cl_config_has_contracts(condlint_session *s, const cl_file *f) __attribute__((weak));

static bool ensure_bytes(pctx *c, pfile *p) {
  cl_file *f = p->f;
  if (f->bytes) return true;
  if (p->gone || read_whole(f->abspath, &f->bytes, &f->len) != 0) {
    p->gone = true; /* vanished since the walk */
    return false;
  }
  __atomic_fetch_add(&c->read, 1, __ATOMIC_RELAXED);
  return true;
}

static void scan_one(void *ud, size_t i) {
  pctx *c = ud;
  pfile *p = &c->pf[i];
  cl_file *f = p->f;
  if (f->mod || f->borrowed) return; /* a document: parsed already, or left out */
  if (p->cxx) {
    if (ensure_bytes(c, p)) cl_prefilter_scan(f->bytes, f->len, true, &p->scan), p->scanned = true;
    return;
  }
  if (c->mode == PF_OFF) return;
  if (c->mode == PF_BROAD) {
    if (ensure_bytes(c, p)) p->broad = cl_prefilter_match(f->bytes, f->len);
    return;
  }
  cl_hash h;
  if (c->cache && p->ai.has_key &&
      cl_cache_verdict_get(c->cache, f->abspath, &p->ai.key, NULL, &p->hash, &p->scan)) {
    p->hashed = p->scanned = true;
    return;
  }
  if (!ensure_bytes(c, p)) return;
  p->hash = cl_hash128(f->bytes, f->len, 0);
  p->hashed = true;
  if (c->cache && p->ai.has_key &&
      cl_cache_verdict_get(c->cache, f->abspath, &p->ai.key, &p->hash, &h, &p->scan)) {
    p->scanned = true;
    return;
  }
  cl_prefilter_scan(f->bytes, f->len, false, &p->scan);
  p->scanned = true;
}

/* A file's summary is filed under its content hash, and apart when it is a
 * skeleton: the same file, once in tier 1, needs every body parsed (and its
 * bodies' CL901). */
static cl_hash summary_key(const pfile *p) {
  cl_hash h = p->hash;
  if (p->f->lazy_bodies) h.lo ^= 0x736b656c65746f6eull; /* "skeleton" */
  return h;
}

static void load_one(void *ud, size_t i) {
  pctx *c = ud;
  pfile *p = &c->pf[i];
  cl_file *f = p->f;
  if (f->mod || f->skip) return;
  if (!ensure_bytes(c, p)) {
    f->bytes = cl_xstrdup("");
    f->len = 0;
    f->skip = true;
  }
  if (!f->line_starts) cl_file_index_lines(f);
  if (f->skip) return;
  if (p->cxx || !c->cache) return;
  /* a verdict found by stat brought the content hash: trusted while the size agrees */
  if (!p->hashed || !p->ai.has_key || p->ai.key.size != f->len)
    p->hash = cl_hash128(f->bytes, f->len, 0);
  p->hashed = true;
  uint32_t flags;
  p->loaded = cl_cache_summary_load(c->cache, c->s, f, summary_key(p), &flags);
}

static void parse_one(pctx *c, pfile *p) {
  cl_file *f = p->f;
  if (f->mod || p->gone) return;
  if (p->cxx) {
    cl_cxx_parse_file(c->s, f);
    return;
  }
  cl_parse_file(c->s, f);
  __atomic_fetch_add(&c->parsed, 1, __ATOMIC_RELAXED);
  if (!c->cache || !f->mod || !p->hashed) return;
  /* the parse's findings: the only findings of this file so far */
  cl_vec mine = {0};
  bool refused = false;
  pthread_mutex_lock(&emit_lock);
  for (size_t k = 0; k < c->s->diags.n; k++) {
    condlint_diag *d = c->s->diags.v[k];
    if (d->loc.file != f->index) continue;
    cl_vec_push(&mine, d);
    /* a parse refused for a crashed trial may be the machine's doing: not cached */
    if (!strcmp(d->code, "CL904") && !strncmp(d->message, "the parser cannot", 17)) refused = true;
  }
  pthread_mutex_unlock(&emit_lock);
  if (!refused)
    cl_cache_summary_store(c->cache, f, summary_key(p), p->scan.flags,
                           (condlint_diag *const *)mine.v, mine.n);
  cl_vec_free(&mine);
}

static void parse_par(void *ud, size_t i) {
  pctx *c = ud;
  parse_one(c, &c->pf[c->order[i]]);
}

static int by_size(const void *a, const void *b, void *files) {
  const pfile *pf = files;
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  size_t lx = pf[x].f->len, ly = pf[y].f->len;
  return lx != ly ? (lx < ly ? 1 : -1) : (x > y) - (x < y);
}

static void pipeline_run(condlint_session *s) {
  struct cl_pipeline *P = pipe_get(s);
  pstats *st = &P->st;
  size_t n = s->files.n;
  const char *mode_env = getenv("CONDLINT_PREFILTER");
  pctx c = {0};
  c.s = s;
  c.mode = mode_env && !strcmp(mode_env, "off")     ? PF_OFF
           : mode_env && !strcmp(mode_env, "broad") ? PF_BROAD
                                                    : PF_TIERS;
  c.cache = P->cache_on ? cl_cache_open(P->cache_dir) : NULL;
  c.pf = cl_xcalloc(n ? n : 1, sizeof *c.pf);
  for (size_t i = 0; i < n; i++) {
    pfile *p = &c.pf[i];
    p->f = s->files.v[i];
    if (i < P->ninfo) p->ai = P->info[i];
    p->cxx = cl_cxx_is_source(p->f->path);
  }
  st->files = n;

  double t0 = now_s();
  run_parallel(s, n, scan_one, &c);
  double t1 = now_s();
  st->t_scan = t1 - t0;
  for (size_t i = 0; P->results && i < n; i++)
    if (c.pf[i].hashed && !c.pf[i].gone) cl_results_file_hash(P->results, i, c.pf[i].hash);

  /* select */
  cl_select_item *items = cl_xcalloc(n ? n : 1, sizeof *items);
  for (size_t i = 0; i < n; i++) {
    pfile *p = &c.pf[i];
    cl_file *f = p->f;
    if (c.cache && p->scanned && p->hashed && p->ai.has_key && !p->cxx)
      cl_cache_verdict_put(c.cache, f->abspath, &p->ai.key, p->hash, &p->scan);
    items[i].abspath = f->abspath;
    items[i].scan = p->scanned ? &p->scan : NULL;
    /* parsed whatever they hold: files named on the command line or added as
     * source (the prefilter is for what a directory walk finds), C++ */
    items[i].given = f->mod || p->cxx || c.mode == PF_OFF || p->broad ||
                     (c.mode == PF_TIERS && !f->borrowed && (!p->ai.discovered || p->ai.named));
    items[i].own = cl_config_has_contracts && f->checked && cl_config_has_contracts(s, f);
  }
  if (c.mode != PF_BROAD) cl_prefilter_select(items, n);
  else
    for (size_t i = 0; i < n; i++) items[i].tier = items[i].given ? CL_TIER_GIVEN : CL_TIER_SKIP;
  free(P->relink);
  P->relink = cl_xcalloc(n ? n : 1, sizeof *P->relink);
  size_t w = 0;
  for (size_t i = 0; i < n; i++) {
    pfile p = c.pf[i];
    cl_file *f = p.f;
    cl_tier tier = items[i].tier;
    st->own += tier == CL_TIER_OWN;
    st->entry += tier == CL_TIER_ENTRY;
    st->link += tier == CL_TIER_LINK;
    st->given += tier == CL_TIER_GIVEN;
    if (p.gone && !f->mod) { /* vanished since the walk: as if never found */
      cl_scan_free(&c.pf[i].scan);
      if (!f->borrowed) file_free(f);
      continue;
    }
    if (tier == CL_TIER_SKIP || (f->borrowed && !f->mod)) {
      f->skip = true;
      st->skipped++;
      if (P->results && c.mode == PF_TIERS && p.scanned && !p.cxx)
        cl_results_file_scan(P->results, i, cl_scan_hash(&c.pf[i].scan));
      if (c.mode == PF_BROAD || f->borrowed) { /* kept, unparsed: the one-tier filter, a document */
        f->index = (int)w;
        s->files.v[w] = f;
        c.pf[w++] = p;
        continue;
      }
      cl_scan_free(&c.pf[i].scan);
      if (!f->borrowed) { /* keep the name, for the count and for link.c's loads */
        free(f->bytes);
        free(f->line_starts);
        f->bytes = NULL;
        f->line_starts = NULL;
        f->len = f->nlines = 0;
      }
      if (f->checked) cl_vec_push(&P->skipped, f);
      else if (!f->borrowed) file_free(f);
      continue;
    }
    if (tier == CL_TIER_LINK) {
      P->relink[w] = f->checked;
      f->checked = false;
      f->lazy_bodies = cl_lazy_bodies_on();
    }
    f->index = (int)w;
    s->files.v[w] = f;
    c.pf[w++] = p;
  }
  free(items);
  s->files.n = w;
  P->kept = w;
  index_reset(P);
  double t2 = now_s();
  st->t_select = t2 - t1;

  /* load, then parse */
  run_parallel(s, w, load_one, &c);
  double t3 = now_s();
  st->t_load = t3 - t2;
  bool settled = false;
  for (size_t i = 0; i < w; i++) {
    pfile *p = &c.pf[i];
    if (p->f->mod || p->cxx || p->gone || p->f->skip || !cl_parse_is_heavy(p->f)) continue;
    if (!settled) settle_threads(), settled = true;
    parse_one(&c, p);
  }
  double t4 = now_s();
  st->t_heavy = t4 - t3;
  for (size_t i = 0; i < w; i++) /* the one-tier filter's skipped files stay unparsed */
    if (c.pf[i].f->skip) c.pf[i].gone = true;
  /* the largest first, so that no thread is left alone with a large file
   * at the end; what a file's parse gives does not depend on the order */
  c.order = cl_xmalloc((w ? w : 1) * sizeof *c.order);
  for (size_t i = 0; i < w; i++) c.order[i] = i;
  qsort_r(c.order, w, sizeof *c.order, by_size, c.pf);
  run_parallel(s, w, parse_par, &c);
  free(c.order);
  st->t_parse = now_s() - t4;
  for (size_t i = 0; i < w; i++) {
    st->loaded += c.pf[i].loaded;
    cl_scan_free(&c.pf[i].scan);
  }
  st->parsed = c.parsed;
  st->read = c.read;
  if (c.cache) {
    cl_cache_stats cs;
    cl_cache_get_stats(c.cache, &cs);
    if (getenv("CONDLINT_STATS"))
      fprintf(stderr,
              "condlint: stats: cache %s: verdicts %zu by stat, %zu by content, %zu new; "
              "summaries %zu loaded, %zu missing, %zu unusable, %zu written; %zu write errors\n",
              cl_cache_dir(c.cache), cs.verdict_hits, cs.verdict_rehash_hits, cs.verdict_misses,
              cs.summary_hits, cs.summary_misses, cs.summary_bad, cs.summary_writes,
              cs.write_errors);
  }
  P->cache = c.cache;
  free(c.pf);
}

/* After the analysis: the files parsed only to link, and the checked files
 * that link.c loaded on demand, are reported like the others. */
static void pipeline_after_analysis(condlint_session *s) {
  struct cl_pipeline *P = s->pipe;
  if (!P) return;
  for (size_t i = 0; i < P->kept && i < s->files.n; i++)
    if (P->relink && P->relink[i]) {
      ((cl_file *)s->files.v[i])->checked = true;
      P->st.relinked++;
    }
  for (size_t i = P->kept; i < s->files.n; i++) {
    cl_file *f = s->files.v[i];
    P->st.on_demand++;
    for (size_t k = 0; k < P->skipped.n; k++) {
      cl_file *g = P->skipped.v[k];
      if (strcmp(g->abspath, f->abspath)) continue;
      free(f->path); /* link.c named it by its realpath */
      f->path = cl_xstrdup(g->path);
      f->checked = true;
      P->st.relinked++;
      P->skipped.v[k] = P->skipped.v[--P->skipped.n];
      if (!g->borrowed) file_free(g);
      break;
    }
  }
}

static void pipeline_close_cache(condlint_session *s) {
  if (!s->pipe) return;
  cl_cache_close(s->pipe->cache);
  s->pipe->cache = NULL;
}

static void pipeline_free(condlint_session *s) {
  struct cl_pipeline *P = s->pipe;
  if (!P) return;
  for (size_t i = 0; i < P->skipped.n; i++) {
    cl_file *f = P->skipped.v[i];
    if (!f->borrowed) file_free(f);
  }
  cl_vec_free(&P->skipped);
  free(P->cache_dir);
  free(P->slots);
  free(P->dir);
  free(P->realdir);
  free(P->info);
  free(P->relink);
  cl_cache_close(P->cache);
  cl_results_free(P->results);
  cl_buf_free(&P->args);
  cl_buf_free(&P->config_id);
  free(P);
  s->pipe = NULL;
}

static void print_stats(const condlint_session *s) {
  const struct cl_pipeline *P = s->pipe;
  if (!P || !getenv("CONDLINT_STATS")) return;
  const pstats *st = &P->st;
  const char *miss = cl_results_miss(P->results);
  size_t rescanned = cl_results_rescanned(P->results);
  char why[96];
  snprintf(why, sizeof why, "replayed (%zu skipped file%s changed, not %s tier or imports)", rescanned,
           rescanned == 1 ? "" : "s", rescanned == 1 ? "its" : "their");
  fprintf(stderr, "condlint: stats: results: %s%s%s%s\n",
          P->st.replayed ? (rescanned ? why : "replayed (no input changed)")
          : P->no_results ? P->no_results
                          : "recorded",
          miss ? " (the entry found was not replayed: " : "", miss ? miss : "", miss ? ")" : "");
  fprintf(stderr,
          "condlint: stats: %zu files: %zu read, tier 1 %zu, tier 2 %zu, link %zu, given %zu, "
          "skipped %zu; %zu parsed, %zu from the cache, %zu loaded by link.c, %zu reported "
          "after linking\n",
          st->files, st->read, st->own, st->entry, st->link, st->given, st->skipped, st->parsed,
          st->loaded, st->on_demand, st->relinked);
  fprintf(stderr, "condlint: stats: skeletons: %zu function bodies left for a call, %zu called\n",
          s->lazy_left, s->lazy_called);
  fprintf(stderr, "condlint: stats: jobs: %u worker threads\n", session_jobs(s));
  fprintf(stderr,
          "condlint: stats: ms: discovery %.1f, scan %.1f, select %.1f, load %.1f, parse heavy %.1f, "
          "parse %.1f, analysis %.1f, rules and findings %.1f\n",
          st->t_add * 1e3, st->t_scan * 1e3, st->t_select * 1e3, st->t_load * 1e3, st->t_heavy * 1e3,
          st->t_parse * 1e3, st->t_analyze * 1e3, st->t_rest * 1e3);
}

/* ---- the summary cache: settings ------------------------------------------- */

void condlint_session_set_cache(condlint_session *s, const char *dir, int enabled) {
  struct cl_pipeline *P = pipe_get(s);
  free(P->cache_dir);
  P->cache_dir = dir ? cl_xstrdup(dir) : NULL;
  P->cache_on = enabled != 0;
}

int condlint_session_clean_cache(condlint_session *s) {
  struct cl_pipeline *P = pipe_get(s);
  char *err = NULL;
  int rc = cl_cache_clean(P->cache_dir, &err);
  if (rc) cl_session_set_error(s, "%s", err ? err : "cannot remove the cache");
  free(err);
  return rc;
}

static void documents_emit(condlint_session *s);

/* ---- whole runs: results.c ------------------------------------------------- */

cl_results *cl_session_results(condlint_session *s) {
  return s->pipe && !s->pipe->no_results ? s->pipe->results : NULL;
}

/* Make the recorder, unless the run cannot be recorded: its key (what the
 * run was asked) and the walk's files. */
static bool results_begin(condlint_session *s) {
  struct cl_pipeline *P = pipe_get(s);
  const char *mode = getenv("CONDLINT_PREFILTER");
  if (!P->cache_on) P->no_results = "no cache";
  else if (mode && *mode) P->no_results = "CONDLINT_PREFILTER is set";
  else if ((mode = getenv("CONDLINT_LAZY")) && *mode) P->no_results = "CONDLINT_LAZY is set";
  else if ((mode = getenv("CONDLINT_RESULTS")) && !strcmp(mode, "off")) P->no_results = "CONDLINT_RESULTS=off";
  else if (s->cxx) P->no_results = "C++ sources";
  for (size_t i = 0; i < s->files.n && !P->no_results; i++) {
    const cl_file *f = s->files.v[i];
    if (cl_cxx_is_source(f->path)) P->no_results = "C++ sources";
    else if (i >= P->ninfo || !P->info[i].discovered || !P->info[i].has_key || f->borrowed ||
             f->in_memory || f->mod)
      P->no_results = "a file not read from disk";
  }
  if (P->no_results) return false;
  cl_results *r = cl_results_new();
  char *cwd = getcwd(NULL, 0);
  cl_buf id = {0};
  cl_buf_str(&id, cwd ? cwd : "");
  free(cwd);
  cl_buf_varint(&id, P->args.n);
  cl_buf_put(&id, P->args.p, P->args.n);
  cl_results_key(r, id.p, id.n);
  cl_buf_free(&id);
  cl_config_identity(s->config, &P->config_id);
  cl_results_key(r, P->config_id.p, P->config_id.n);
  for (size_t i = 0; i < s->files.n; i++)
    cl_results_file(r, s->files.v[i], P->info[i].named, &P->info[i].key);
  P->results = r;
  return true;
}

/* Record the run, unless the configuration read during it is not the one
 * its key names; then close the cache. */
static void results_end(condlint_session *s) {
  struct cl_pipeline *P = s->pipe;
  if (P->results && !P->no_results) {
    cl_buf id = {0};
    cl_config_identity(s->config, &id);
    if (id.n != P->config_id.n || memcmp(id.p, P->config_id.p, id.n))
      P->no_results = "a configuration file loaded during the analysis";
    cl_buf_free(&id);
    if (!P->no_results) P->no_results = cl_results_disabled(P->results);
    if (!P->no_results) cl_results_store(P->results, s, P->cache);
  }
  cl_cache_close(P->cache);
  P->cache = NULL;
}

int condlint_session_analyze(condlint_session *s) {
  if (s->analysed) {
    cl_session_set_error(s, "the session was already analysed");
    return CONDLINT_EUSAGE;
  }
  s->analysed = true;
  int rc = cl_config_prepare(s);
  if (rc != 0) return rc;
  struct cl_pipeline *P = pipe_get(s);
  double t0 = now_s();
  if (results_begin(s) && cl_results_replay(P->results, s, P->cache_dir)) {
    P->st.replayed = true;
    P->st.files = s->files.n;
    finalize(s);
    cl_fingerprint_all(s);
    P->st.t_rest = now_s() - t0;
    print_stats(s);
    return 0;
  }
  pipeline_run(s);
  documents_emit(s); /* the parse findings of documents parsed before */
  t0 = now_s();
  cl_analyze_program(s); /* may load imported files on demand */
  double t1 = now_s();
  pipeline_after_analysis(s);
  cl_rules_run(s);
  cl_suppress_apply(s);
  cl_config_apply(s); /* select, ignore, per-file-ignores, severity */
  finalize(s);
  cl_fingerprint_all(s);
  results_end(s);
  P->st.t_analyze = t1 - t0;
  P->st.t_rest = now_s() - t1;
  print_stats(s);
  return 0;
}

size_t condlint_session_file_count(const condlint_session *s) {
  size_t n = s->pipe ? s->pipe->skipped.n : 0; /* checked, ruled out by the prefilter */
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
  doc->file->doc = doc;
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

/* The file stays the same object across versions, with its arena: the next
 * parse reuses the previous version's IR there (cl_parse_file_incremental). */
void condlint_document_set_text(condlint_document *doc, const char *bytes, size_t len) {
  cl_file *f = doc->file;
  if (f->len == len && !memcmp(f->bytes, bytes, len)) return;
  condlint_session_free(doc->found);
  doc->found = NULL;
  free(f->bytes);
  free(f->line_starts);
  f->bytes = cl_xstrndup(bytes, len);
  f->len = len;
  cl_file_index_lines(f);
  char *rp = realpath(doc->path, NULL); /* it may exist on disk by now */
  if (rp) {
    free(f->abspath);
    f->abspath = rp;
  }
  f->mod = NULL;
  f->skip = false;
}

const char *condlint_document_text(const condlint_document *doc, size_t *len) {
  if (len) *len = doc->file->len;
  return doc->file->bytes;
}

int condlint_session_add_document(condlint_session *s, condlint_document *doc, int checked) {
  cl_file *f = doc->file;
  pipe_get(s)->no_results = "an editor's document";
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
  return 0;
}

/* What parsing a document reported, once in each session that holds it,
 * when the files have their final places (condlint_session_analyze). */
static void documents_emit(condlint_session *s) {
  for (size_t i = 0; i < s->files.n; i++) {
    cl_file *f = s->files.v[i];
    const condlint_session *found = f->doc && f->doc->file == f ? f->doc->found : NULL;
    for (size_t k = 0; found && k < found->diags.n; k++) {
      const condlint_diag *d = found->diags.v[k];
      cl_span sp = {d->loc.start, d->loc.end};
      condlint_diag *e = cl_emit(s, d->code, f, sp, d->message, d->fix);
      for (size_t r = 0; r < d->nrelated; r++) {
        cl_span rs = {d->related[r].start, d->related[r].end};
        cl_diag_add_related(s, e, f, rs, d->related[r].message);
      }
    }
  }
}

size_t condlint_session_input_count(const condlint_session *s) { return s->files.n; }

const char *condlint_session_input_path(const condlint_session *s, size_t i, int *checked) {
  cl_file *f = cl_session_file(s, (int)i);
  if (checked) *checked = f && f->checked;
  return f ? f->abspath : NULL;
}
