/*
 * server.c — `condlint server`: a language server (LSP 3.17) on stdin and
 * stdout. It keeps every Python file of the workspace folders in memory, the
 * open documents as the editor edits them (incremental sync, UTF-16
 * positions), and after a pause in the edits (debounce) re-analyses the open
 * documents of a folder together, with the workspace files they import, in
 * one session: an edit in one file updates the findings of the files it
 * affects. Documents are parsed incrementally by the library
 * (condlint_document); an analysis that a newer edit supersedes is dropped
 * before it publishes. Findings become diagnostics with their chain as
 * related information; code actions add a suppression comment, hover
 * explains a finding's rule. Nothing the client sends can stop the server:
 * bad framing, bad JSON or bad parameters are answered per the protocol.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "condlint/condlint.h"
#include "lsp.h"
#include "prefilter.h"

#define DEFAULT_DEBOUNCE_MS 30
#define MAX_FILE_BYTES (16u << 20)        /* a workspace file larger is not read */
#define MAX_WORKSPACE_BYTES (512u << 20)  /* what the workspace copies may hold */
#define MAX_ABORTS 2 /* analyses dropped in a row before one is let through */

/* JSON-RPC and LSP error codes */
enum {
  E_PARSE = -32700,
  E_INVALID_REQUEST = -32600,
  E_METHOD_NOT_FOUND = -32601,
  E_INVALID_PARAMS = -32602,
  E_INTERNAL = -32603,
  E_NOT_INITIALIZED = -32002
};

typedef struct {
  int64_t sl, sc, el, ec;
} lrange;

/* A finding as published, for hover and code actions. */
typedef struct {
  char code[16];
  char *name, *message, *fix, *fingerprint;
  lrange r;
  condlint_fix_applicability applicability;
  json_t *edits; /* a machine-applicable fix: {uri: [TextEdit]}, or NULL */
} finding;

/* A file the server knows: an open document, a workspace file, or a file an
 * analysis loaded to resolve an import. */
typedef struct {
  char *path;      /* canonical (realpath where it exists); the library's path */
  char *uri;       /* the client's URI for an open document */
  int folder;      /* the workspace folder it lies in (0: none) */
  bool open, python, exists, imported;
  int64_t version; /* of an open document */
  char *text;
  size_t len, cap;
  lsp_lines lines, nlines; /* protocol lines, \n lines; n == 0: to build */
  condlint_document *doc;
  bool doc_stale; /* text changed since it was handed to doc */
  struct timespec mtime; /* of the disk copy read (closed files) */
  off_t size;
  /* what was last published for it */
  json_t *published; /* the diagnostics array */
  int64_t published_version;
  bool has_published;
  finding *f;
  size_t nf;
  cl_scan scan;   /* the prefilter's verdict on text, when scanned */
  bool scanned, scan_stale;
} wfile;

typedef struct {
  char *path; /* NULL for folder 0: files outside every workspace folder */
  condlint_config *config;
  bool dirty; /* to analyse */
} folder;

typedef struct {
  lsp_reader *in;
  int out;
  bool eof, gone, quit, initialized, shutdown;
  json_t **q; /* messages read, not yet handled */
  size_t qhead, qlen, qcap;
  /* client capabilities */
  bool watch_dynamic, markdown, document_changes;
  bool trace; /* CONDLINT_SERVER_TRACE: log each analysis' times to stderr */
  int debounce_ms;
  folder *folders;
  size_t nfolders;
  wfile **slots; /* path -> file, open addressing */
  size_t nslots, nfiles;
  size_t workspace_bytes;
  bool pending; /* some folder is dirty */
  double deadline;
  int aborts;
  int64_t next_id;
  char *config_error;     /* the last one shown */
  char *config_error_uri; /* where its diagnostic was published */
  const char *last_uri;   /* cache of the last URI looked up */
  wfile *last_w;
  /* closed workspace files that trace an open document (through imports):
   * analysed with it, as `condlint check` of the folder would */
  wfile **entries;
  size_t nentries;
  bool entries_stale;
} server;

/* ---- small things --------------------------------------------------------- */

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    fputs("condlint server: out of memory\n", stderr);
    abort();
  }
  return p;
}

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) {
    fputs("condlint server: out of memory\n", stderr);
    abort();
  }
  return q;
}

static char *xstrdup(const char *s) {
  size_t n = strlen(s);
  char *p = xmalloc(n + 1);
  memcpy(p, s, n + 1);
  return p;
}

/* CPU time of the process and of its reaped children (the parse trials), ms. */
static double cpu_ms(void) {
  struct rusage self, kids;
  if (getrusage(RUSAGE_SELF, &self) != 0 || getrusage(RUSAGE_CHILDREN, &kids) != 0) return 0;
  double us = (double)(self.ru_utime.tv_sec + self.ru_stime.tv_sec + kids.ru_utime.tv_sec +
                       kids.ru_stime.tv_sec) * 1e6 +
              (double)(self.ru_utime.tv_usec + self.ru_stime.tv_usec + kids.ru_utime.tv_usec +
                       kids.ru_stime.tv_usec);
  return us / 1e3;
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("condlint server: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

static bool ends_with(const char *s, const char *suffix) {
  size_t l = strlen(s), k = strlen(suffix);
  return l >= k && !strcmp(s + l - k, suffix);
}

static const char *base_name(const char *p) {
  const char *b = strrchr(p, '/');
  return b ? b + 1 : p;
}

static bool is_config_name(const char *path) {
  const char *b = base_name(path);
  return !strcmp(b, "pyproject.toml") || !strcmp(b, "condlint.toml") ||
         !strcmp(b, ".condlint.toml");
}

static bool is_python_path(const char *path) {
  return ends_with(path, ".py") || ends_with(path, ".pyi");
}

/* The canonical path of a file path: realpath where it exists. */
static char *canonical(const char *path) {
  char *rp = realpath(path, NULL);
  return rp ? rp : xstrdup(path);
}

static const char *jstr(const json_t *o, const char *key) {
  json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
  return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool jint(const json_t *o, const char *key, int64_t *out) {
  json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
  if (!json_is_integer(v)) return false;
  *out = (int64_t)json_integer_value(v);
  return true;
}

static json_t *jobj(const json_t *o, const char *key) {
  json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
  return json_is_object(v) ? v : NULL;
}

static bool jbool_path(const json_t *o, const char *const *keys) {
  for (; *keys && json_is_object(o); keys++) o = json_object_get(o, *keys);
  return !*keys && json_is_true(o);
}

static bool jposition(const json_t *p, int64_t *line, int64_t *ch) {
  return json_is_object(p) && jint(p, "line", line) && jint(p, "character", ch) && *line >= 0 &&
         *ch >= 0;
}

static bool jrange(const json_t *r, lrange *out) {
  return json_is_object(r) && jposition(json_object_get(r, "start"), &out->sl, &out->sc) &&
         jposition(json_object_get(r, "end"), &out->el, &out->ec);
}

static json_t *jpos(int64_t line, int64_t ch) {
  return json_pack("{s:I, s:I}", "line", (json_int_t)line, "character", (json_int_t)ch);
}

static json_t *jrange_of(const lrange *r) {
  return json_pack("{s:o, s:o}", "start", jpos(r->sl, r->sc), "end", jpos(r->el, r->ec));
}

/* ---- messages out --------------------------------------------------------- */

static void send(server *S, json_t *msg) { /* steals msg */
  if (!S->gone && lsp_write(S->out, msg) != 0) {
    S->gone = true; /* the client went away: stop at the next turn */
    S->quit = true;
  }
  json_decref(msg);
}

static void respond(server *S, json_t *id, json_t *result) {
  send(S, json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id ? id : json_null(), "result",
                    result ? result : json_null()));
}

static void respond_error(server *S, json_t *id, int code, const char *message) {
  send(S, json_pack("{s:s, s:O, s:{s:i, s:o}}", "jsonrpc", "2.0", "id", id ? id : json_null(),
                    "error", "code", code, "message", lsp_jstr(message)));
}

static void notify(server *S, const char *method, json_t *params) {
  send(S, json_pack("{s:s, s:s, s:o}", "jsonrpc", "2.0", "method", method, "params", params));
}

static void show_message(server *S, int type, const char *text) {
  notify(S, "window/showMessage", json_pack("{s:i, s:o}", "type", type, "message", lsp_jstr(text)));
}

/* ---- files ---------------------------------------------------------------- */

static uint64_t hash_str(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static wfile *file_get(server *S, const char *path) {
  if (!S->nslots) return NULL;
  for (size_t i = hash_str(path) & (S->nslots - 1);; i = (i + 1) & (S->nslots - 1)) {
    wfile *w = S->slots[i];
    if (!w) return NULL;
    if (!strcmp(w->path, path)) return w;
  }
}

static void slot_put(wfile **slots, size_t nslots, wfile *w) {
  size_t i = hash_str(w->path) & (nslots - 1);
  while (slots[i]) i = (i + 1) & (nslots - 1);
  slots[i] = w;
}

static size_t folder_of(server *S, const char *path) {
  size_t best = 0, best_len = 0;
  for (size_t i = 1; i < S->nfolders; i++) {
    const char *fp = S->folders[i].path;
    size_t l = strlen(fp);
    if (l > best_len && !strncmp(path, fp, l) && (path[l] == '/' || path[l] == 0 || fp[l - 1] == '/')) {
      best = i;
      best_len = l;
    }
  }
  return best;
}

/* The file at canonical path, created when new (empty, not on disk yet). */
static wfile *file_at(server *S, const char *path) {
  wfile *w = file_get(S, path);
  if (w) return w;
  if ((S->nfiles + 1) * 2 > S->nslots) {
    size_t n = S->nslots ? S->nslots * 2 : 1024;
    wfile **slots = calloc(n, sizeof *slots);
    if (!slots) abort();
    for (size_t i = 0; i < S->nslots; i++)
      if (S->slots[i]) slot_put(slots, n, S->slots[i]);
    free(S->slots);
    S->slots = slots;
    S->nslots = n;
  }
  w = calloc(1, sizeof *w);
  if (!w) abort();
  w->path = xstrdup(path);
  w->folder = (int)folder_of(S, path);
  w->python = is_python_path(path);
  slot_put(S->slots, S->nslots, w);
  S->nfiles++;
  return w;
}

static void findings_clear(wfile *w) {
  for (size_t i = 0; i < w->nf; i++) {
    free(w->f[i].name);
    free(w->f[i].message);
    free(w->f[i].fix);
    free(w->f[i].fingerprint);
    json_decref(w->f[i].edits);
  }
  free(w->f);
  w->f = NULL;
  w->nf = 0;
}

static void text_changed(wfile *w) {
  w->lines.n = 0;
  w->nlines.n = 0;
  w->doc_stale = true;
  w->scan_stale = true;
}

static void set_text(server *S, wfile *w, const char *s, size_t n) {
  (void)S;
  if (w->cap < n + 1) {
    w->cap = n + 1;
    w->text = xrealloc(w->text, w->cap);
  }
  if (n) memcpy(w->text, s, n);
  w->text[n] = 0;
  w->len = n;
  text_changed(w);
}

/* Replace bytes [a, b) of the text by s[0, n). */
static void splice(wfile *w, size_t a, size_t b, const char *s, size_t n) {
  size_t len = w->len - (b - a) + n;
  if (w->cap < len + 1) {
    w->cap = len + 1 + len / 4;
    w->text = xrealloc(w->text, w->cap);
  }
  memmove(w->text + a + n, w->text + b, w->len - b);
  if (n) memcpy(w->text + a, s, n);
  w->len = len;
  w->text[len] = 0;
  text_changed(w);
}

static const lsp_lines *lines_of(wfile *w) {
  if (!w->lines.n) lsp_lines_build(&w->lines, w->text ? w->text : "", w->len, true);
  return &w->lines;
}

static const lsp_lines *nlines_of(wfile *w) {
  if (!w->nlines.n) lsp_lines_build(&w->nlines, w->text ? w->text : "", w->len, false);
  return &w->nlines;
}

/* Read the disk copy of a closed file. false when it is gone or too large. */
static bool read_disk(server *S, wfile *w) {
  struct stat st;
  int fd = open(w->path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)MAX_FILE_BYTES) {
    if (fd >= 0) close(fd);
    w->exists = false;
    set_text(S, w, "", 0);
    return false;
  }
  size_t n = (size_t)st.st_size, got = 0;
  char *buf = xmalloc(n + 1);
  while (got < n) {
    ssize_t r = read(fd, buf + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += (size_t)r;
  }
  close(fd);
  set_text(S, w, buf, got);
  free(buf);
  w->exists = true;
  w->mtime = st.st_mtim;
  w->size = st.st_size;
  return true;
}

/* Has the disk copy of a closed file changed since it was read? */
static bool disk_changed(const wfile *w) {
  struct stat st;
  if (stat(w->path, &st) != 0) return w->exists;
  return !w->exists || st.st_size != w->size || st.st_mtim.tv_sec != w->mtime.tv_sec ||
         st.st_mtim.tv_nsec != w->mtime.tv_nsec;
}

static wfile *file_of_uri(server *S, const char *uri) {
  if (S->last_uri && !strcmp(uri, S->last_uri)) return S->last_w;
  char *path = lsp_uri_to_path(uri);
  char *key = path ? canonical(path) : xstrdup(uri);
  free(path);
  wfile *w = file_get(S, key);
  free(key);
  if (w && w->open) {
    S->last_uri = w->uri;
    S->last_w = w;
  }
  return w;
}

/* ---- configuration ---------------------------------------------------------- */

static condlint_config *config_for(const char *dir) {
  /* the defaults' root is the working directory when the object is made */
  char *cwd = getcwd(NULL, 0);
  if (dir && chdir(dir) != 0) dir = NULL;
  condlint_config *c = condlint_config_new();
  if (dir && cwd && chdir(cwd) != 0) logf_("cannot return to %s", cwd);
  free(cwd);
  return c;
}

static void mark_all_dirty(server *S) {
  for (size_t i = 0; i < S->nfolders; i++) S->folders[i].dirty = true;
  S->pending = true;
  S->deadline = now_ms() + S->debounce_ms;
}

static void reload_configs(server *S) {
  for (size_t i = 0; i < S->nfolders; i++) {
    condlint_config_free(S->folders[i].config);
    S->folders[i].config = config_for(S->folders[i].path);
  }
  mark_all_dirty(S);
}

static void schedule(server *S, int fi) {
  S->folders[fi].dirty = true;
  S->pending = true;
  S->deadline = now_ms() + S->debounce_ms;
}

/* A configuration error: shown once, and published on the file at fault
 * when the message names it (path:line:col: message). */
static void config_error(server *S, const char *msg) {
  if (S->config_error && !strcmp(S->config_error, msg)) return;
  free(S->config_error);
  S->config_error = xstrdup(msg);
  char *text = NULL;
  size_t tl = strlen(msg) + 64;
  text = xmalloc(tl);
  snprintf(text, tl, "condlint: invalid configuration: %s", msg);
  show_message(S, 1, text);
  free(text);
  /* path:line:col: message */
  const char *p = msg;
  const char *c1 = NULL;
  for (const char *q = strchr(p, ':'); q; q = strchr(q + 1, ':')) {
    const char *d = q + 1;
    while (*d >= '0' && *d <= '9') d++;
    if (d > q + 1 && *d == ':') {
      const char *e = d + 1;
      while (*e >= '0' && *e <= '9') e++;
      if (e > d + 1 && *e == ':') {
        c1 = q;
        break;
      }
    }
  }
  if (!c1) return;
  char *path = xmalloc((size_t)(c1 - p) + 1);
  memcpy(path, p, (size_t)(c1 - p));
  path[c1 - p] = 0;
  long line = strtol(c1 + 1, NULL, 10), col = strtol(strchr(c1 + 1, ':') + 1, NULL, 10);
  char *abs = canonical(path);
  free(path);
  free(S->config_error_uri);
  S->config_error_uri = lsp_path_to_uri(abs);
  free(abs);
  lrange r = {line > 0 ? line - 1 : 0, col > 0 ? col - 1 : 0, line > 0 ? line - 1 : 0,
              col > 0 ? col : 1};
  json_t *d = json_pack("{s:o, s:i, s:s, s:s, s:o}", "range", jrange_of(&r), "severity", 1,
                        "source", "condlint", "code", "config", "message", lsp_jstr(msg));
  notify(S, "textDocument/publishDiagnostics",
         json_pack("{s:s, s:[o]}", "uri", S->config_error_uri, "diagnostics", d));
}

static void config_ok(server *S) {
  if (!S->config_error) return;
  free(S->config_error);
  S->config_error = NULL;
  if (S->config_error_uri)
    notify(S, "textDocument/publishDiagnostics",
           json_pack("{s:s, s:[]}", "uri", S->config_error_uri, "diagnostics"));
  free(S->config_error_uri);
  S->config_error_uri = NULL;
}

/* ---- input ---------------------------------------------------------------- */

static void enqueue(server *S, json_t *msg) {
  if (S->qhead + S->qlen == S->qcap) {
    if (S->qhead > 0) {
      memmove(S->q, S->q + S->qhead, S->qlen * sizeof *S->q);
      S->qhead = 0;
    } else {
      S->qcap = S->qcap ? S->qcap * 2 : 64;
      S->q = xrealloc(S->q, S->qcap * sizeof *S->q);
    }
  }
  S->q[S->qhead + S->qlen++] = msg;
}

/* Move the complete messages buffered into the queue; framing errors are
 * answered here (they have no id). true when something was queued. */
static bool drain(server *S) {
  bool any = false;
  for (;;) {
    json_t *msg = NULL;
    lsp_status st = lsp_reader_next(S->in, &msg);
    if (st == LSP_NONE) return any;
    if (st == LSP_MESSAGE) {
      enqueue(S, msg);
      any = true;
    } else if (st == LSP_BAD_HEADER) {
      logf_("skipped a message without a valid Content-Length header");
      respond_error(S, NULL, E_PARSE, "Parse error: a header without a valid Content-Length");
    } else {
      logf_("skipped a message whose body is not JSON");
      respond_error(S, NULL, E_PARSE, "Parse error: the message body is not valid JSON");
    }
  }
}

/* Read what has arrived without waiting; true when a queued message changes
 * what an analysis reads, so that one under way is superseded. */
static bool superseded(server *S) {
  int r;
  while ((r = lsp_reader_fill(S->in, 0)) > 0) {}
  if (r < 0) S->eof = true;
  drain(S);
  for (size_t i = 0; i < S->qlen; i++) {
    const char *m = jstr(S->q[S->qhead + i], "method");
    if (m && (!strcmp(m, "textDocument/didChange") || !strcmp(m, "textDocument/didOpen") ||
              !strcmp(m, "textDocument/didClose") || !strcmp(m, "workspace/didChangeWatchedFiles") ||
              !strcmp(m, "workspace/didChangeWorkspaceFolders") || !strcmp(m, "exit")))
      return true;
  }
  return false;
}

/* ---- analysis and diagnostics ---------------------------------------------- */

static int cmp_path(const void *a, const void *b) {
  return strcmp((*(wfile *const *)a)->path, (*(wfile *const *)b)->path);
}

static void ensure_doc(wfile *w) {
  if (!w->doc) {
    w->doc = condlint_document_new(w->path);
    w->doc_stale = true;
  }
  if (w->doc_stale) {
    condlint_document_set_text(w->doc, w->text ? w->text : "", w->len);
    w->doc_stale = false;
  }
}

static int severity_of(condlint_severity s) {
  return s == CONDLINT_SEVERITY_ERROR ? 1 : s == CONDLINT_SEVERITY_WARNING ? 2 : 3;
}

/* A library location (1-based, characters) as a protocol range in w. */
static lrange range_in(wfile *w, const condlint_location *l) {
  const char *t = w->text ? w->text : "";
  const lsp_lines *nl = nlines_of(w), *ll = lines_of(w);
  size_t a = lsp_offset_of_column(t, w->len, nl, l->line, l->column);
  size_t b = lsp_offset_of_column(t, w->len, nl, l->end_line, l->end_column);
  if (b < a) b = a;
  lrange r;
  lsp_position_of(t, w->len, ll, a, &r.sl, &r.sc);
  lsp_position_of(t, w->len, ll, b, &r.el, &r.ec);
  return r;
}

/* The file a location of the session names, with its text: the server's copy,
 * or the disk's for a file it does not hold yet. */
static wfile *file_for_location(server *S, const char *path) {
  if (!path || !*path) return NULL;
  wfile *w = file_get(S, path);
  if (w) return w;
  char *c = canonical(path);
  w = file_get(S, c);
  if (!w && c[0] == '/') {
    w = file_at(S, c);
    read_disk(S, w);
  }
  free(c);
  return w;
}

static const char *uri_of(wfile *w) {
  if (!w->uri) w->uri = lsp_path_to_uri(w->path);
  return w->uri;
}

/* A finding's machine-applicable fix as {uri: [TextEdit]}, or NULL. The
 * edits' byte offsets are into the texts that were analysed. */
static json_t *fix_edits(server *S, const condlint_diag *d) {
  condlint_fix_applicability a = condlint_diag_fix_applicability(d);
  size_t n = condlint_diag_edit_count(d);
  if ((a != CONDLINT_FIX_SAFE && a != CONDLINT_FIX_UNSAFE) || n == 0) return NULL;
  json_t *changes = json_object();
  for (size_t k = 0; k < n; k++) {
    condlint_edit e = condlint_diag_edit(d, k);
    wfile *ew = file_for_location(S, e.path);
    if (!ew || e.start > ew->len || e.end > ew->len || e.end < e.start) {
      json_decref(changes);
      return NULL;
    }
    lrange r;
    lsp_position_of(ew->text, ew->len, lines_of(ew), e.start, &r.sl, &r.sc);
    lsp_position_of(ew->text, ew->len, lines_of(ew), e.end, &r.el, &r.ec);
    const char *uri = uri_of(ew);
    json_t *list = json_object_get(changes, uri);
    if (!list) json_object_set_new(changes, uri, list = json_array());
    json_array_append_new(list, json_pack("{s:o, s:o}", "range", jrange_of(&r), "newText",
                                          lsp_jstr(e.content)));
  }
  return changes;
}

/* The code action of a finding's machine-applicable fix (`condlint check
 * --fix` makes the same edits). Offered only while the finding is current:
 * the edits' positions are those of the version analysed. */
static void add_fix_actions(server *S, wfile *w, const finding *f, json_t *diag, json_t *actions) {
  if (!f->edits || w->published_version != w->version) return;
  bool safe = f->applicability == CONDLINT_FIX_SAFE;
  char title[512];
  snprintf(title, sizeof title, "Fix %s: %s%s", f->code, f->fix ? f->fix : "apply condlint's fix",
           safe ? "" : " (unsafe: may change more of the trace)");
  json_t *edit;
  if (S->document_changes) {
    json_t *dc = json_array();
    const char *uri;
    json_t *list;
    json_object_foreach(f->edits, uri, list) {
      wfile *ew = file_of_uri(S, uri);
      json_t *ver = ew && ew->open ? json_integer((json_int_t)ew->version) : json_null();
      json_array_append_new(dc, json_pack("{s:{s:s, s:o}, s:O}", "textDocument", "uri", uri,
                                          "version", ver, "edits", list));
    }
    edit = json_pack("{s:o}", "documentChanges", dc);
  } else {
    edit = json_pack("{s:O}", "changes", f->edits);
  }
  json_array_append_new(actions, json_pack("{s:s, s:s, s:[O], s:b, s:o}", "title", title, "kind",
                                           "quickfix", "diagnostics", diag, "isPreferred", safe,
                                           "edit", edit));
}

static json_t *diagnostic_json(server *S, wfile *w, const condlint_diag *d, finding *out) {
  condlint_location l = condlint_diag_location(d);
  lrange r = range_in(w, &l);
  const char *code = condlint_diag_code(d);
  const char *fix = condlint_diag_fix(d);
  const char *msg = condlint_diag_message(d);
  char *text;
  if (fix) {
    size_t n = strlen(msg) + strlen(fix) + 16;
    text = xmalloc(n);
    snprintf(text, n, "%s\nhelp: %s", msg, fix);
  } else {
    text = xstrdup(msg);
  }
  char href[256];
  snprintf(href, sizeof href, "%s%s", CONDLINT_RULE_DOCS_URL, code);
  json_t *rel = json_array();
  for (size_t k = 0; k < condlint_diag_related_count(d); k++) {
    condlint_location rl = condlint_diag_related(d, k);
    wfile *rw = file_for_location(S, rl.path);
    if (!rw) continue;
    lrange rr = range_in(rw, &rl);
    json_array_append_new(rel, json_pack("{s:{s:s, s:o}, s:o}", "location", "uri", uri_of(rw),
                                         "range", jrange_of(&rr), "message",
                                         lsp_jstr(rl.message ? rl.message : "")));
  }
  json_t *o = json_pack("{s:o, s:i, s:s, s:{s:s}, s:s, s:o, s:o, s:{s:o, s:o, s:o}}", "range",
                        jrange_of(&r), "severity", severity_of(condlint_diag_severity(d)), "code",
                        code, "codeDescription", "href", href, "source", "condlint", "message",
                        lsp_jstr(text), "relatedInformation", rel, "data", "name",
                        lsp_jstr(condlint_diag_name(d)), "fingerprint",
                        lsp_jstr(condlint_diag_fingerprint(d)), "fix",
                        fix ? lsp_jstr(fix) : json_null());
  if (!strcmp(code, "CL902")) json_object_set_new(o, "tags", json_pack("[i]", 1)); /* unnecessary */
  snprintf(out->code, sizeof out->code, "%s", code);
  out->name = xstrdup(condlint_diag_name(d));
  out->message = text;
  out->fix = fix ? xstrdup(fix) : NULL;
  out->fingerprint = xstrdup(condlint_diag_fingerprint(d));
  out->r = r;
  out->applicability = condlint_diag_fix_applicability(d);
  out->edits = fix_edits(S, d);
  if (out->edits)
    json_object_set_new(json_object_get(o, "data"), "fixApplicability",
                        json_string(out->applicability == CONDLINT_FIX_SAFE ? "safe" : "unsafe"));
  return o;
}

/* Publish w's diagnostics when they differ from what the client has, or when
 * its version moved (so that the client sees the version they belong to). */
static void publish(server *S, wfile *w, json_t *diags, finding *f, size_t nf) {
  /* compared only when the version stayed (an edit moves it) */
  bool same = w->has_published && w->published && w->published_version == w->version &&
              json_equal(diags, w->published);
  findings_clear(w);
  w->f = f;
  w->nf = nf;
  if (same) {
    json_decref(diags);
    return;
  }
  json_decref(w->published);
  w->published = json_incref(diags);
  w->published_version = w->version;
  w->has_published = true;
  json_t *params = json_pack("{s:s, s:o}", "uri", uri_of(w), "diagnostics", diags);
  if (w->open) json_object_set_new(params, "version", json_integer((json_int_t)w->version));
  notify(S, "textDocument/publishDiagnostics", params);
}

static void unpublish(server *S, wfile *w) {
  if (w->has_published && w->uri)
    notify(S, "textDocument/publishDiagnostics",
           json_pack("{s:s, s:[]}", "uri", w->uri, "diagnostics"));
  findings_clear(w);
  json_decref(w->published);
  w->published = NULL;
  w->has_published = false;
}

/* Files the analysis loaded from disk to resolve imports become context
 * files of every later analysis, read from the server's copy. */
static void learn_imports(server *S, condlint_session *s) {
  for (size_t i = 0; i < condlint_session_input_count(s); i++) {
    int checked = 0;
    const char *p = condlint_session_input_path(s, i, &checked);
    if (!p || checked || !is_python_path(p)) continue;
    wfile *w = file_get(S, p);
    if (!w) {
      if (p[0] != '/') continue;
      w = file_at(S, p);
      read_disk(S, w);
    }
    w->imported = true;
  }
}

static bool same_str(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

/* Scan what changed since the last analysis; a change in what a file
 * imports or whether it traces makes the entries stale. */
static void rescan(server *S) {
  for (size_t i = 0; i < S->nslots; i++) {
    wfile *w = S->slots[i];
    if (!w || !w->python || (w->scanned && !w->scan_stale)) continue;
    cl_scan fresh;
    cl_prefilter_scan(w->text ? w->text : "", w->len, false, &fresh);
    if (!w->scanned || fresh.flags != w->scan.flags || !same_str(fresh.imports, w->scan.imports))
      S->entries_stale = true;
    if (w->scanned) cl_scan_free(&w->scan);
    w->scan = fresh;
    w->scanned = true;
    w->scan_stale = false;
  }
}

/* The closed workspace files that name a tracing entry and import, directly
 * or not, an open document (or a file one imports): the prefilter's tier 2
 * with the open documents as the only tier 1. An open helper module whose
 * cond only a closed script traces gets its finding, as from the CLI. */
static void find_entries(server *S) {
  S->entries_stale = false;
  S->nentries = 0;
  size_t n = 0;
  cl_select_item *items = xmalloc((S->nfiles ? S->nfiles : 1) * sizeof *items);
  cl_scan *scans = xmalloc((S->nfiles ? S->nfiles : 1) * sizeof *scans);
  wfile **of = xmalloc((S->nfiles ? S->nfiles : 1) * sizeof *of);
  bool any_open = false;
  for (size_t i = 0; i < S->nslots && n < S->nfiles; i++) {
    wfile *w = S->slots[i];
    if (!w || !w->python || !w->scanned || w->path[0] != '/' || !(w->open || w->exists)) continue;
    scans[n] = w->scan;
    /* seeds: the open documents only; a closed file with words of its own
     * (tracing_mode=, dynamic_shapes, mark_dynamic...) may trace them too */
    if (!w->open && (scans[n].flags & (CL_SCAN_OWN | CL_SCAN_ENTRY)))
      scans[n].flags = (scans[n].flags & ~(uint32_t)CL_SCAN_OWN) | CL_SCAN_ENTRY;
    items[n] = (cl_select_item){.abspath = w->path, .scan = &scans[n], .own = w->open};
    any_open |= w->open;
    of[n++] = w;
  }
  if (any_open) cl_prefilter_select(items, n);
  for (size_t i = 0; any_open && i < n; i++) {
    if (of[i]->open || items[i].tier != CL_TIER_ENTRY) continue;
    S->entries = xrealloc(S->entries, (S->nentries + 1) * sizeof *S->entries);
    S->entries[S->nentries++] = of[i];
  }
  free(items);
  free(scans);
  free(of);
}

/* Analyse folder fi: its open Python documents (checked), the closed files
 * that trace them (checked, their findings not published) and every file
 * known to be imported (context). false when a newer edit superseded it. */
static bool analyse(server *S, size_t fi) {
  folder *g = &S->folders[fi];
  wfile **open = NULL, **ctx = NULL, **ent = NULL;
  size_t nopen = 0, nctx = 0, nent = 0;
  rescan(S);
  if (S->entries_stale) find_entries(S);
  for (size_t i = 0; i < S->nentries; i++) {
    wfile *w = S->entries[i];
    if ((size_t)w->folder != fi || w->open || !w->exists) continue;
    if (disk_changed(w)) read_disk(S, w); /* no watcher told us */
    if (!w->exists) continue;
    ent = xrealloc(ent, (nent + 1) * sizeof *ent);
    ent[nent++] = w;
  }
  for (size_t i = 0; i < S->nslots; i++) {
    wfile *w = S->slots[i];
    if (!w || !w->python) continue;
    bool is_entry = false;
    for (size_t k = 0; k < nent && !is_entry; k++) is_entry = ent[k] == w;
    if (is_entry) continue;
    if (w->open && (size_t)w->folder == fi) {
      open = xrealloc(open, (nopen + 1) * sizeof *open);
      open[nopen++] = w;
    } else if (w->imported && (w->open || w->exists)) {
      if (!w->open && disk_changed(w)) read_disk(S, w); /* no watcher told us */
      if (!w->open && !w->exists) continue;
      ctx = xrealloc(ctx, (nctx + 1) * sizeof *ctx);
      ctx[nctx++] = w;
    }
  }
  if (nopen == 0) { /* nothing to publish in this folder */
    g->dirty = false;
    free(ctx);
    free(ent);
    return true;
  }
  if (nopen > 1) qsort(open, nopen, sizeof *open, cmp_path);
  if (nctx > 1) qsort(ctx, nctx, sizeof *ctx, cmp_path);
  double t0 = now_ms(), c0 = S->trace ? cpu_ms() : 0;
  condlint_session *s = condlint_session_new();
  condlint_session_set_jobs(s, 1);
  condlint_session_set_config(s, g->config);
  int rc = 0;
  for (size_t i = 0; i < nopen && rc == 0; i++) {
    ensure_doc(open[i]);
    rc = condlint_session_add_document(s, open[i]->doc, 1);
  }
  for (size_t i = 0; i < nent && rc == 0; i++) {
    ensure_doc(ent[i]);
    rc = condlint_session_add_document(s, ent[i]->doc, 1);
  }
  for (size_t i = 0; i < nctx && rc == 0; i++) {
    ensure_doc(ctx[i]);
    rc = condlint_session_add_document(s, ctx[i]->doc, 0);
  }
  bool check_stale = S->aborts < MAX_ABORTS;
  if (rc == 0 && check_stale && superseded(S)) goto stale;
  double t1 = now_ms();
  if (rc == 0) rc = condlint_session_analyze(s);
  double t2 = now_ms();
  if (rc != 0) {
    if (rc == CONDLINT_ECONFIG) config_error(S, condlint_session_error(s));
    else logf_("analysis failed: %s", condlint_session_error(s));
    g->dirty = false;
    goto done;
  }
  if (check_stale && superseded(S)) goto stale;
  config_ok(S);
  learn_imports(S, s);
  /* the findings of each open document, in the session's order */
  json_t **arrays = xmalloc((nopen ? nopen : 1) * sizeof *arrays);
  finding **fs = xmalloc((nopen ? nopen : 1) * sizeof *fs);
  size_t *nfs = calloc(nopen ? nopen : 1, sizeof *nfs);
  if (!nfs) abort();
  for (size_t i = 0; i < nopen; i++) {
    arrays[i] = json_array();
    fs[i] = NULL;
  }
  size_t nd = condlint_session_diag_count(s);
  for (size_t k = 0; k < nd; k++) {
    const condlint_diag *d = condlint_session_diag(s, k);
    condlint_location l = condlint_diag_location(d);
    wfile key = {.path = (char *)l.path};
    wfile *kp = &key;
    wfile **hit = bsearch(&kp, open, nopen, sizeof *open, cmp_path);
    if (!hit) continue;
    size_t i = (size_t)(hit - open);
    fs[i] = xrealloc(fs[i], (nfs[i] + 1) * sizeof(finding));
    json_array_append_new(arrays[i], diagnostic_json(S, open[i], d, &fs[i][nfs[i]]));
    nfs[i]++;
  }
  for (size_t i = 0; i < nopen; i++) publish(S, open[i], arrays[i], fs[i], nfs[i]);
  if (S->trace)
    logf_("analysed %zu open + %zu tracing + %zu imported files: parse %.2f ms, analysis %.2f ms, "
          "publish %.2f ms, cpu %.2f ms", nopen, nent, nctx, t1 - t0, t2 - t1, now_ms() - t2,
          cpu_ms() - c0);
  free(arrays);
  free(fs);
  free(nfs);
  g->dirty = false;
  S->aborts = 0;
done:
  condlint_session_free(s);
  free(open);
  free(ctx);
  free(ent);
  return true;
stale:
  S->aborts++;
  condlint_session_free(s);
  free(open);
  free(ctx);
  free(ent);
  return false;
}

static void run_pending(server *S) {
  S->pending = false;
  for (size_t i = 0; i < S->nfolders && !S->quit; i++) {
    if (!S->folders[i].dirty) continue;
    if (!analyse(S, i)) {
      S->pending = true; /* the superseding edit reschedules it */
      return;
    }
  }
}

/* ---- workspace ------------------------------------------------------------ */

/* Read the Python files of a folder (as `condlint check` finds them:
 * .gitignore honoured, tool directories skipped). */
static void scan_folder(server *S, const char *dir) {
  condlint_session *s = condlint_session_new();
  /* A walk that met unreadable entries fails after adding the readable
   * files: those are still the workspace (the editor still wants them). */
  if (condlint_session_add_path(s, dir) != 0)
    logf_("cannot read all of the workspace folder: %s", condlint_session_error(s));
  size_t n = condlint_session_input_count(s), loaded = 0;
  for (size_t i = 0; i < n; i++) {
    const char *p = condlint_session_input_path(s, i, NULL);
    if (!p || !is_python_path(p)) continue;
    struct stat st;
    if (stat(p, &st) != 0 || S->workspace_bytes + (size_t)st.st_size > MAX_WORKSPACE_BYTES) continue;
    wfile *w = file_at(S, p);
    if (w->open) continue;
    if (read_disk(S, w)) {
      loaded++;
      S->workspace_bytes += w->len;
    }
  }
  condlint_session_free(s);
  logf_("%s: %zu Python files", dir, loaded);
}

static void add_folder(server *S, const char *uri) {
  char *path = lsp_uri_to_path(uri);
  if (!path) {
    logf_("ignoring the workspace folder %s (not a file URI)", uri);
    return;
  }
  char *c = canonical(path);
  free(path);
  for (size_t i = 1; i < S->nfolders; i++)
    if (!strcmp(S->folders[i].path, c)) {
      free(c);
      return;
    }
  S->folders = xrealloc(S->folders, (S->nfolders + 1) * sizeof *S->folders);
  folder *g = &S->folders[S->nfolders++];
  g->path = c;
  g->config = config_for(c);
  g->dirty = false;
  /* files already known may now lie in it */
  for (size_t i = 0; i < S->nslots; i++)
    if (S->slots[i]) S->slots[i]->folder = (int)folder_of(S, S->slots[i]->path);
}

static void remove_folder(server *S, const char *uri) {
  char *path = lsp_uri_to_path(uri);
  if (!path) return;
  char *c = canonical(path);
  free(path);
  for (size_t i = 1; i < S->nfolders; i++) {
    if (strcmp(S->folders[i].path, c)) continue;
    free(S->folders[i].path);
    condlint_config_free(S->folders[i].config);
    memmove(&S->folders[i], &S->folders[i + 1], (S->nfolders - i - 1) * sizeof *S->folders);
    S->nfolders--;
    break;
  }
  free(c);
  for (size_t i = 0; i < S->nslots; i++)
    if (S->slots[i]) S->slots[i]->folder = (int)folder_of(S, S->slots[i]->path);
  mark_all_dirty(S);
}

/* ---- suppression comments ---------------------------------------------------- */

/* Scan a line for where its comment starts, outside strings. *comment: the
 * '#' offset or (size_t)-1; false when the line ends inside a string or with
 * a backslash continuation, where no comment can be added. */
static bool line_comment(const char *s, size_t a, size_t b, size_t *comment) {
  *comment = (size_t)-1;
  char q = 0;
  bool triple = false;
  size_t last = (size_t)-1;
  for (size_t i = a; i < b; i++) {
    char c = s[i];
    if (q) {
      if (c == '\\') {
        i++;
        continue;
      }
      if (c == q) {
        if (!triple) q = 0;
        else if (i + 2 < b && s[i + 1] == q && s[i + 2] == q) {
          q = 0;
          i += 2;
        }
      }
      continue;
    }
    if (c == '#') {
      *comment = i;
      return true;
    }
    if (c == '"' || c == '\'') {
      q = c;
      triple = i + 2 < b && s[i + 1] == c && s[i + 2] == c;
      if (triple) i += 2;
      continue;
    }
    if (c != ' ' && c != '\t' && c != '\r') last = i;
  }
  if (q) return false;
  if (last != (size_t)-1 && s[last] == '\\') return false;
  return true;
}

static const char *skip_ws(const char *p, const char *e) {
  while (p < e && (*p == ' ' || *p == '\t')) p++;
  return p;
}

/* The edit that suppresses code on protocol line `line` of w, or NULL. */
static json_t *suppression_edit(wfile *w, int64_t line, const char *code) {
  const lsp_lines *ll = lines_of(w);
  if (line < 0 || (size_t)line >= ll->n) return NULL;
  const char *t = w->text ? w->text : "";
  size_t a = ll->v[line];
  size_t b = (size_t)line + 1 < ll->n ? ll->v[line + 1] : w->len;
  while (b > a && (t[b - 1] == '\n' || t[b - 1] == '\r')) b--;
  size_t hash;
  if (!line_comment(t, a, b, &hash)) return NULL;
  size_t at, to;
  char *ins;
  size_t cl = strlen(code);
  if (hash != (size_t)-1) {
    const char *p = skip_ws(t + hash + 1, t + b), *e = t + b;
    if ((size_t)(e - p) >= 9 && !strncmp(p, "condlint:", 9)) {
      const char *k = skip_ws(p + 9, e);
      if ((size_t)(e - k) >= 6 && !strncmp(k, "ignore", 6)) {
        k += 6;
        if (k >= e || *k != '[') return NULL; /* a bare ignore hides every code already */
        const char *close = memchr(k, ']', (size_t)(e - k));
        if (!close) return NULL;
        /* already listed? */
        for (const char *c = k + 1; c + cl <= close; c++)
          if (!strncmp(c, code, cl) && (c == k + 1 || c[-1] == ',' || c[-1] == ' ') &&
              (c + cl == close || c[cl] == ',' || c[cl] == ' '))
            return NULL;
        at = to = (size_t)(close - t);
        bool empty = skip_ws(k + 1, close) == close;
        ins = xmalloc(cl + 3);
        snprintf(ins, cl + 3, "%s%s", empty ? "" : ", ", code);
        goto edit;
      }
    }
    /* another comment: the suppression goes first, the comment stays after it */
    at = to = hash;
    ins = xmalloc(cl + 32);
    snprintf(ins, cl + 32, "# condlint: ignore[%s]  ", code);
    goto edit;
  }
  to = b;
  at = b;
  while (at > a && (t[at - 1] == ' ' || t[at - 1] == '\t')) at--;
  ins = xmalloc(cl + 32);
  snprintf(ins, cl + 32, "%s# condlint: ignore[%s]", at > a ? "  " : "", code);
edit:;
  lrange r;
  lsp_position_of(t, w->len, ll, at, &r.sl, &r.sc);
  lsp_position_of(t, w->len, ll, to, &r.el, &r.ec);
  json_t *e = json_pack("{s:o, s:o}", "range", jrange_of(&r), "newText", lsp_jstr(ins));
  free(ins);
  return e;
}

/* The rule code under byte offset `at` of a suppression comment, as [*a, *b). */
static const condlint_rule *code_at(wfile *w, size_t at, size_t *ca, size_t *cb) {
  const lsp_lines *ll = lines_of(w);
  const char *t = w->text ? w->text : "";
  int64_t line, ch;
  lsp_position_of(t, w->len, ll, at, &line, &ch);
  size_t a = ll->v[line];
  size_t b = (size_t)line + 1 < ll->n ? ll->v[line + 1] : w->len;
  size_t hash;
  if (!line_comment(t, a, b, &hash) || hash == (size_t)-1 || at <= hash) return NULL;
  bool marked = false;
  for (size_t i = hash; i + 4 <= b && !marked; i++)
    marked = (i + 9 <= b && !strncmp(t + i, "condlint:", 9)) || !strncmp(t + i, "noqa", 4) ||
             !strncmp(t + i, "NOQA", 4);
  if (!marked) return NULL;
  size_t s = at, e = at;
  while (s > hash && ((t[s - 1] >= 'A' && t[s - 1] <= 'Z') || (t[s - 1] >= '0' && t[s - 1] <= '9')))
    s--;
  while (e < b && ((t[e] >= 'A' && t[e] <= 'Z') || (t[e] >= '0' && t[e] <= '9'))) e++;
  if (e - s < 3 || e - s > 12) return NULL;
  char word[16];
  memcpy(word, t + s, e - s);
  word[e - s] = 0;
  const condlint_rule *r = condlint_rule_find(word);
  if (!r) return NULL;
  *ca = s;
  *cb = e;
  return r;
}

/* ---- requests ------------------------------------------------------------- */

static bool in_range(const lrange *r, int64_t line, int64_t ch) {
  bool after_start = line > r->sl || (line == r->sl && ch >= r->sc);
  bool before_end = line < r->el || (line == r->el && ch <= r->ec);
  return after_start && before_end;
}

static void append_rule_doc(char **buf, size_t *len, const condlint_rule *rule) {
  const char *doc = condlint_rule_doc(rule);
  size_t add = strlen(doc) + 256;
  *buf = xrealloc(*buf, *len + add);
  *len += (size_t)snprintf(*buf + *len, add, "%s\n\n[%s%s](%s%s)\n", doc, CONDLINT_RULE_DOCS_URL,
                           condlint_rule_code(rule), CONDLINT_RULE_DOCS_URL,
                           condlint_rule_code(rule));
}

static void on_hover(server *S, json_t *id, json_t *params) {
  const char *uri = jstr(jobj(params, "textDocument"), "uri");
  int64_t line, ch;
  if (!uri || !jposition(json_object_get(params, "position"), &line, &ch)) {
    respond_error(S, id, E_INVALID_PARAMS, "hover: textDocument.uri and position are required");
    return;
  }
  wfile *w = file_of_uri(S, uri);
  if (!w || !w->open) {
    respond(S, id, NULL);
    return;
  }
  char *buf = NULL;
  size_t len = 0;
  lrange hit = {0, 0, 0, 0};
  bool any = false;
  for (size_t i = 0; i < w->nf; i++) {
    const finding *f = &w->f[i];
    if (!in_range(&f->r, line, ch)) continue;
    size_t add = strlen(f->message) + 64;
    buf = xrealloc(buf, len + add);
    len += (size_t)snprintf(buf + len, add, "%s%s\n\n", any ? "\n---\n\n" : "", f->message);
    const condlint_rule *rule = condlint_rule_find(f->code);
    if (rule) append_rule_doc(&buf, &len, rule);
    if (!any) hit = f->r;
    any = true;
  }
  /* a code written in a suppression comment: that rule's explanation too */
  size_t off = lsp_offset_of(w->text ? w->text : "", w->len, lines_of(w), line, ch), a, b;
  const condlint_rule *rule = code_at(w, off, &a, &b);
  bool shown = false;
  for (size_t i = 0; rule && i < w->nf; i++)
    if (in_range(&w->f[i].r, line, ch) && !strcmp(w->f[i].code, condlint_rule_code(rule)))
      shown = true;
  if (rule && !shown) {
    if (any) {
      buf = xrealloc(buf, len + 8);
      len += (size_t)snprintf(buf + len, 8, "\n---\n\n");
    } else {
      lsp_position_of(w->text, w->len, lines_of(w), a, &hit.sl, &hit.sc);
      lsp_position_of(w->text, w->len, lines_of(w), b, &hit.el, &hit.ec);
    }
    append_rule_doc(&buf, &len, rule);
    any = true;
  }
  if (!any) {
    respond(S, id, NULL);
    return;
  }
  json_t *res = json_pack("{s:{s:s, s:o}, s:o}", "contents", "kind",
                          S->markdown ? "markdown" : "plaintext", "value", lsp_jstr(buf), "range",
                          jrange_of(&hit));
  free(buf);
  respond(S, id, res);
}

/* Does the client's context.only ask for actions of this kind (a prefix of
 * it, such as "source" for "source.fixAll.condlint", or "" for all)? No
 * `only`: every kind. */
static bool wants_kind(json_t *context, const char *kind) {
  json_t *only = json_is_object(context) ? json_object_get(context, "only") : NULL;
  if (!json_is_array(only)) return true;
  size_t i;
  json_t *k;
  json_array_foreach(only, i, k) {
    const char *s = json_string_value(k);
    size_t n = s ? strlen(s) : 0;
    if (s && (n == 0 || (!strncmp(kind, s, n) && (kind[n] == 0 || kind[n] == '.')))) return true;
  }
  return false;
}

/* [start, end) of a TextEdit as (line, character) pairs, packed for comparing. */
static void edit_span(json_t *e, uint64_t *a, uint64_t *b) {
  lrange r = {0};
  jrange(json_object_get(e, "range"), &r);
  *a = ((uint64_t)r.sl << 32) | (uint32_t)r.sc;
  *b = ((uint64_t)r.el << 32) | (uint32_t)r.ec;
}

/* "Fix all safe condlint findings": every safe fix of the document whose
 * edits do not overlap one already taken (the others wait for the next round,
 * as with `condlint check --fix`). */
static void add_fix_all(server *S, wfile *w, json_t *actions) {
  if (w->published_version != w->version) return;
  json_t *changes = json_object();
  size_t taken = 0;
  for (size_t k = 0; k < w->nf; k++) {
    const finding *f = &w->f[k];
    if (!f->edits || f->applicability != CONDLINT_FIX_SAFE) continue;
    bool clash = false;
    const char *uri;
    json_t *list;
    json_object_foreach(f->edits, uri, list) {
      json_t *have = json_object_get(changes, uri);
      size_t i, j;
      json_t *e, *h;
      json_array_foreach(list, i, e) {
        uint64_t a0, a1;
        edit_span(e, &a0, &a1);
        json_array_foreach(have, j, h) {
          uint64_t b0, b1;
          edit_span(h, &b0, &b1);
          bool same = a0 == b0 && a1 == b1 && json_equal(e, h);
          if (!same && a0 <= b1 && b0 <= a1) clash = true;
        }
      }
    }
    if (clash) continue;
    json_object_foreach(f->edits, uri, list) {
      json_t *have = json_object_get(changes, uri);
      if (!have) {
        have = json_array();
        json_object_set_new(changes, uri, have);
      }
      size_t i, j;
      json_t *e, *h;
      json_array_foreach(list, i, e) {
        bool dup = false;
        json_array_foreach(have, j, h) if (json_equal(e, h)) dup = true;
        if (!dup) json_array_append(have, e);
      }
    }
    taken++;
  }
  if (!taken) {
    json_decref(changes);
    return;
  }
  char title[96];
  snprintf(title, sizeof title, "Fix all safe condlint findings (%zu)", taken);
  json_array_append_new(actions, json_pack("{s:s, s:s, s:{s:o}}", "title", title, "kind",
                                           "source.fixAll.condlint", "edit", "changes", changes));
  (void)S;
}

static void on_code_action(server *S, json_t *id, json_t *params) {
  const char *uri = jstr(jobj(params, "textDocument"), "uri");
  lrange range;
  if (!uri || !jrange(json_object_get(params, "range"), &range)) {
    respond_error(S, id, E_INVALID_PARAMS, "codeAction: textDocument.uri and range are required");
    return;
  }
  json_t *context = json_object_get(params, "context");
  json_t *actions = json_array();
  wfile *w = file_of_uri(S, uri);
  if (w && w->open && wants_kind(context, "source.fixAll.condlint")) add_fix_all(S, w, actions);
  if (!w || !w->open || !wants_kind(context, "quickfix")) {
    respond(S, id, actions);
    return;
  }
  /* the client's diagnostics in the range, or ours there */
  json_t *diags = json_array();
  json_t *cd = json_is_object(context) ? json_object_get(context, "diagnostics") : NULL;
  size_t i;
  json_t *d;
  if (json_is_array(cd)) json_array_foreach(cd, i, d) {
      const char *src = jstr(d, "source");
      const char *code = jstr(d, "code");
      lrange r;
      if (code && !strncmp(code, "CL", 2) && (!src || !strcmp(src, "condlint")) &&
          jrange(json_object_get(d, "range"), &r))
        json_array_append(diags, d);
    }
  if (json_array_size(diags) == 0)
    for (size_t k = 0; k < w->nf; k++) {
      const finding *f = &w->f[k];
      if (f->r.el < range.sl || f->r.sl > range.el) continue;
      json_array_append_new(diags, json_pack("{s:o, s:s, s:s, s:o}", "range", jrange_of(&f->r),
                                             "code", f->code, "source", "condlint", "message",
                                             lsp_jstr(f->message)));
    }
  char seen[64][24];
  size_t nseen = 0;
  json_array_foreach(diags, i, d) {
    const char *code = jstr(d, "code");
    lrange r;
    jrange(json_object_get(d, "range"), &r);
    if (!strcmp(code, "CL902")) continue; /* an unused suppression: remove it, not add one */
    char key[24];
    snprintf(key, sizeof key, "%s:%lld", code, (long long)r.sl);
    bool dup = false;
    for (size_t k = 0; k < nseen; k++)
      if (!strcmp(seen[k], key)) dup = true;
    if (dup) continue;
    if (nseen < 64) snprintf(seen[nseen++], sizeof seen[0], "%s", key);
    for (size_t k = 0; k < w->nf; k++) /* the rule's own fix first */
      if (!strcmp(w->f[k].code, code) && w->f[k].r.sl == r.sl)
        add_fix_actions(S, w, &w->f[k], d, actions);
    json_t *edit = suppression_edit(w, r.sl, code);
    if (edit) {
      char title[96];
      snprintf(title, sizeof title, "Suppress %s on this line (# condlint: ignore[%s])", code, code);
      json_t *changes = json_object();
      json_object_set_new(changes, w->uri, json_pack("[o]", edit));
      json_array_append_new(actions, json_pack("{s:s, s:s, s:[O], s:{s:o}}", "title", title,
                                               "kind", "quickfix", "diagnostics", d, "edit",
                                               "changes", changes));
    }
  }
  json_decref(diags);
  respond(S, id, actions);
}

static void on_initialize(server *S, json_t *id, json_t *params) {
  if (S->initialized) {
    respond_error(S, id, E_INVALID_REQUEST, "initialize was already received");
    return;
  }
  json_t *caps = jobj(params, "capabilities");
  static const char *const watch[] = {"workspace", "didChangeWatchedFiles", "dynamicRegistration",
                                      NULL};
  S->watch_dynamic = jbool_path(caps, watch);
  static const char *const dc[] = {"workspace", "workspaceEdit", "documentChanges", NULL};
  S->document_changes = jbool_path(caps, dc);
  json_t *fmt = json_object_get(jobj(jobj(caps, "textDocument"), "hover"), "contentFormat");
  S->markdown = true;
  if (json_is_array(fmt) && json_array_size(fmt) > 0) {
    S->markdown = false;
    size_t i;
    json_t *k;
    json_array_foreach(fmt, i, k) if (json_is_string(k) && !strcmp(json_string_value(k), "markdown"))
        S->markdown = true;
  }
  int64_t debounce;
  if (jint(jobj(params, "initializationOptions"), "debounce", &debounce) && debounce >= 0 &&
      debounce <= 10000)
    S->debounce_ms = (int)debounce;
  json_t *folders = json_is_object(params) ? json_object_get(params, "workspaceFolders") : NULL;
  size_t i;
  json_t *f;
  if (json_is_array(folders) && json_array_size(folders) > 0) {
    json_array_foreach(folders, i, f) {
      const char *uri = jstr(f, "uri");
      if (uri) add_folder(S, uri);
    }
  } else if (jstr(params, "rootUri")) {
    add_folder(S, jstr(params, "rootUri"));
  } else if (jstr(params, "rootPath")) {
    char *u = lsp_path_to_uri(jstr(params, "rootPath"));
    add_folder(S, u);
    free(u);
  }
  S->initialized = true;
  json_t *res = json_pack(
      "{s:{s:s, s:{s:b, s:i, s:{s:b}}, s:b, s:{s:[s, s]}, s:{s:{s:b, s:b}}}, s:{s:s, s:s}}",
      "capabilities", "positionEncoding", "utf-16", "textDocumentSync", "openClose", 1, "change",
      2, "save", "includeText", 0, "hoverProvider", 1, "codeActionProvider", "codeActionKinds",
      "quickfix", "source.fixAll.condlint", "workspace", "workspaceFolders", "supported", 1, "changeNotifications", 1,
      "serverInfo", "name", "condlint", "version", condlint_version());
  respond(S, id, res);
}

static void on_request(server *S, json_t *id, const char *m, json_t *params) {
  if (!strcmp(m, "initialize")) {
    on_initialize(S, id, params);
    return;
  }
  if (!S->initialized) {
    respond_error(S, id, E_NOT_INITIALIZED, "the server is not initialized");
    return;
  }
  if (S->shutdown) {
    respond_error(S, id, E_INVALID_REQUEST, "the server is shutting down");
    return;
  }
  if (!strcmp(m, "shutdown")) {
    S->shutdown = true;
    respond(S, id, NULL);
  } else if (!strcmp(m, "textDocument/hover")) {
    on_hover(S, id, params);
  } else if (!strcmp(m, "textDocument/codeAction")) {
    on_code_action(S, id, params);
  } else {
    respond_error(S, id, E_METHOD_NOT_FOUND, "method not found");
  }
}

/* ---- notifications ---------------------------------------------------------- */

static void on_initialized(server *S) {
  if (S->watch_dynamic) {
    json_t *watchers = json_pack("[{s:s}, {s:s}, {s:s}, {s:s}]", "globPattern", "**/*.py",
                                 "globPattern", "**/pyproject.toml", "globPattern",
                                 "**/condlint.toml", "globPattern", "**/.condlint.toml");
    send(S, json_pack("{s:s, s:I, s:s, s:{s:[{s:s, s:s, s:{s:o}}]}}", "jsonrpc", "2.0", "id",
                      (json_int_t)S->next_id++, "method", "client/registerCapability", "params",
                      "registrations", "id", "condlint-watched-files", "method",
                      "workspace/didChangeWatchedFiles", "registerOptions", "watchers", watchers));
  }
  for (size_t i = 1; i < S->nfolders; i++) scan_folder(S, S->folders[i].path);
}

static void on_did_open(server *S, json_t *params) {
  json_t *td = jobj(params, "textDocument");
  const char *uri = jstr(td, "uri");
  json_t *text = json_object_get(td, "text");
  int64_t version = 0;
  if (!uri || !json_is_string(text)) {
    logf_("didOpen: textDocument.uri and text are required");
    return;
  }
  jint(td, "version", &version);
  char *path = lsp_uri_to_path(uri);
  char *key = path ? canonical(path) : xstrdup(uri);
  free(path);
  wfile *w = file_at(S, key);
  free(key);
  const char *lang = jstr(td, "languageId");
  w->python = (lang && !strcmp(lang, "python")) || is_python_path(w->path);
  w->open = true;
  S->entries_stale = true; /* the seeds changed */
  free(w->uri);
  w->uri = xstrdup(uri);
  w->version = version;
  set_text(S, w, json_string_value(text), json_string_length(text));
  S->last_uri = NULL;
  if (w->python) schedule(S, w->folder);
}

static void on_did_change(server *S, json_t *params) {
  json_t *td = jobj(params, "textDocument");
  const char *uri = jstr(td, "uri");
  json_t *changes = json_object_get(params, "contentChanges");
  if (!uri || !json_is_array(changes)) {
    logf_("didChange: textDocument.uri and contentChanges are required");
    return;
  }
  wfile *w = file_of_uri(S, uri);
  if (!w || !w->open) {
    logf_("didChange for a document that is not open: %s", uri);
    return;
  }
  size_t i;
  json_t *c;
  json_array_foreach(changes, i, c) {
    json_t *text = json_object_get(c, "text");
    if (!json_is_string(text)) {
      logf_("didChange: a change without text");
      continue;
    }
    json_t *range = json_object_get(c, "range");
    if (!range) {
      set_text(S, w, json_string_value(text), json_string_length(text));
      continue;
    }
    lrange r;
    if (!jrange(range, &r)) {
      logf_("didChange: a change with a bad range");
      continue;
    }
    const lsp_lines *ll = lines_of(w);
    size_t a = lsp_offset_of(w->text, w->len, ll, r.sl, r.sc);
    size_t b = lsp_offset_of(w->text, w->len, ll, r.el, r.ec);
    if (b < a) {
      size_t t = a;
      a = b;
      b = t;
    }
    splice(w, a, b, json_string_value(text), json_string_length(text));
  }
  int64_t version;
  if (jint(td, "version", &version)) w->version = version;
  if (w->python) schedule(S, w->folder);
}

static void on_did_save(server *S, json_t *params) {
  const char *uri = jstr(jobj(params, "textDocument"), "uri");
  if (!uri) return;
  char *path = lsp_uri_to_path(uri);
  if (!path) return;
  char *c = canonical(path);
  free(path);
  wfile *w = file_get(S, c);
  if (w && w->open) { /* the disk now holds the buffer: nothing to reread later */
    struct stat st;
    if (stat(w->path, &st) == 0) {
      w->exists = true;
      w->mtime = st.st_mtim;
      w->size = st.st_size;
    }
  }
  if (is_config_name(c)) reload_configs(S);
  free(c);
}

static void on_did_close(server *S, json_t *params) {
  const char *uri = jstr(jobj(params, "textDocument"), "uri");
  if (!uri) return;
  wfile *w = file_of_uri(S, uri);
  if (!w || !w->open) return;
  unpublish(S, w);
  w->open = false;
  S->entries_stale = true; /* the seeds changed */
  S->last_uri = NULL;
  free(w->uri);
  w->uri = NULL;
  w->python = is_python_path(w->path);
  if (w->path[0] == '/') read_disk(S, w); /* the disk's copy is the file again */
  else set_text(S, w, "", 0);
  mark_all_dirty(S); /* open documents that import it see the disk's copy now */
}

static void on_watched_files(server *S, json_t *params) {
  json_t *changes = json_object_get(params, "changes");
  if (!json_is_array(changes)) return;
  size_t i;
  json_t *c;
  bool config = false, any = false;
  json_array_foreach(changes, i, c) {
    const char *uri = jstr(c, "uri");
    int64_t type = 0;
    jint(c, "type", &type);
    char *path = uri ? lsp_uri_to_path(uri) : NULL;
    if (!path) continue;
    char *p = canonical(path);
    free(path);
    if (is_config_name(p)) {
      config = true;
    } else if (is_python_path(p)) {
      wfile *w = file_get(S, p);
      if (!w && type != 3) w = file_at(S, p);
      if (w && !w->open) {
        read_disk(S, w); /* deleted: it no longer exists */
        any = true;
      }
    }
    free(p);
  }
  if (config) reload_configs(S);
  else if (any) mark_all_dirty(S);
}

static void on_folders(server *S, json_t *params) {
  json_t *ev = jobj(params, "event");
  json_t *added = json_object_get(ev, "added"), *removed = json_object_get(ev, "removed");
  size_t i;
  json_t *f;
  if (json_is_array(removed)) json_array_foreach(removed, i, f) {
      const char *uri = jstr(f, "uri");
      if (uri) remove_folder(S, uri);
    }
  if (json_is_array(added)) json_array_foreach(added, i, f) {
      const char *uri = jstr(f, "uri");
      if (!uri) continue;
      size_t before = S->nfolders;
      add_folder(S, uri);
      if (S->nfolders > before) scan_folder(S, S->folders[S->nfolders - 1].path);
    }
  mark_all_dirty(S);
}

static void on_notification(server *S, const char *m, json_t *params) {
  if (!strcmp(m, "exit")) {
    S->quit = true;
    return;
  }
  if (!S->initialized) return; /* dropped, as the protocol says */
  if (!strcmp(m, "initialized")) on_initialized(S);
  else if (!strcmp(m, "textDocument/didOpen")) on_did_open(S, params);
  else if (!strcmp(m, "textDocument/didChange")) on_did_change(S, params);
  else if (!strcmp(m, "textDocument/didSave")) on_did_save(S, params);
  else if (!strcmp(m, "textDocument/didClose")) on_did_close(S, params);
  else if (!strcmp(m, "workspace/didChangeWatchedFiles")) on_watched_files(S, params);
  else if (!strcmp(m, "workspace/didChangeWorkspaceFolders")) on_folders(S, params);
  else if (!strcmp(m, "workspace/didChangeConfiguration")) reload_configs(S);
  /* $/cancelRequest, $/setTrace and the rest: nothing to do */
}

static void handle(server *S, json_t *msg) {
  if (!json_is_object(msg)) {
    respond_error(S, NULL, E_INVALID_REQUEST, "Invalid Request: a message is a JSON object");
    return;
  }
  json_t *id = json_object_get(msg, "id");
  json_t *method = json_object_get(msg, "method");
  json_t *params = json_object_get(msg, "params");
  if (json_is_null(params)) params = NULL; /* sent by some clients for "no params" */
  if (id && !json_is_integer(id) && !json_is_string(id) && !json_is_null(id)) {
    respond_error(S, NULL, E_INVALID_REQUEST, "Invalid Request: id must be a number or a string");
    return;
  }
  if (!method) {
    if (id && (json_object_get(msg, "result") || json_object_get(msg, "error")))
      return; /* the answer to a request of ours (registerCapability) */
    respond_error(S, id, E_INVALID_REQUEST, "Invalid Request: no method");
    return;
  }
  if (!json_is_string(method)) {
    if (id) respond_error(S, id, E_INVALID_REQUEST, "Invalid Request: method must be a string");
    return;
  }
  const char *m = json_string_value(method);
  if (params && !json_is_object(params) && !json_is_array(params)) {
    if (id) respond_error(S, id, E_INVALID_PARAMS, "params must be an object or an array");
    else logf_("%s: params must be an object or an array", m);
    return;
  }
  if (id) on_request(S, id, m, params);
  else on_notification(S, m, params);
}

/* ---- the loop ------------------------------------------------------------- */

static const char SERVER_USAGE[] =
    "usage: condlint server [--debounce MS] [--stdio]\n"
    "\n"
    "A language server (LSP 3.17) on stdin and stdout: diagnostics as you type,\n"
    "quick fixes that add a suppression, the rule's explanation on hover.\n"
    "See docs/editors.md for editor set-ups.\n"
    "\n"
    "  --debounce MS   wait for MS milliseconds without edits before analysing\n"
    "                  (default 30; initializationOptions.debounce sets it too)\n"
    "  --stdio         accepted for clients that pass it; stdio is the transport\n";

static void server_free(server *S) {
  for (size_t i = 0; i < S->nslots; i++) {
    wfile *w = S->slots[i];
    if (!w) continue;
    condlint_document_free(w->doc);
    findings_clear(w);
    lsp_lines_free(&w->lines);
    lsp_lines_free(&w->nlines);
    json_decref(w->published);
    if (w->scanned) cl_scan_free(&w->scan);
    free(w->text);
    free(w->uri);
    free(w->path);
    free(w);
  }
  free(S->slots);
  free(S->entries);
  for (size_t i = 0; i < S->nfolders; i++) {
    free(S->folders[i].path);
    condlint_config_free(S->folders[i].config);
  }
  free(S->folders);
  for (size_t i = 0; i < S->qlen; i++) json_decref(S->q[S->qhead + i]);
  free(S->q);
  free(S->config_error);
  free(S->config_error_uri);
  lsp_reader_free(S->in);
  if (S->out >= 0) close(S->out);
}

int cmd_server(int argc, char **argv) {
  int debounce = DEFAULT_DEBOUNCE_MS;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      fputs(SERVER_USAGE, stdout);
      return 0;
    } else if (!strcmp(argv[i], "--debounce") && i + 1 < argc) {
      char *end;
      long v = strtol(argv[++i], &end, 10);
      if (*end || v < 0 || v > 10000) {
        fprintf(stderr, "condlint server: --debounce wants milliseconds (0-10000)\n");
        return 2;
      }
      debounce = (int)v;
    } else if (!strcmp(argv[i], "--stdio") || !strncmp(argv[i], "--clientProcessId", 17)) {
      /* what generic clients pass; nothing to do */
    } else {
      fprintf(stderr, "condlint server: unknown option '%s'\n%s", argv[i], SERVER_USAGE);
      return 2;
    }
  }
  signal(SIGPIPE, SIG_IGN); /* a client that goes away is a write error, not a signal */
  server S;
  memset(&S, 0, sizeof S);
  /* the protocol owns the real stdout; stray prints go to stderr */
  fflush(stdout);
  S.out = dup(STDOUT_FILENO);
  if (S.out < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    perror("condlint server");
    return 2;
  }
  fcntl(S.out, F_SETFD, FD_CLOEXEC);
  S.in = lsp_reader_new(STDIN_FILENO);
  S.debounce_ms = debounce;
  S.trace = getenv("CONDLINT_SERVER_TRACE") && *getenv("CONDLINT_SERVER_TRACE");
  S.next_id = 1;
  S.folders = xmalloc(sizeof *S.folders);
  S.folders[0].path = NULL;
  S.folders[0].config = condlint_config_new();
  S.folders[0].dirty = false;
  S.nfolders = 1;
  while (!S.quit) {
    if (S.qlen) {
      json_t *msg = S.q[S.qhead++];
      S.qlen--;
      if (!S.qlen) S.qhead = 0;
      handle(&S, msg);
      json_decref(msg);
      continue;
    }
    if (drain(&S)) continue;
    if (S.eof) break;
    int timeout = -1;
    if (S.pending) {
      double left = S.deadline - now_ms();
      timeout = left <= 0 ? 0 : (int)left + 1;
    }
    if (timeout == 0) {
      run_pending(&S);
      continue;
    }
    int r = lsp_reader_fill(S.in, timeout);
    if (r < 0) S.eof = true;
  }
  int status = S.shutdown ? 0 : 1;
  if (S.eof && !S.shutdown) logf_("the client closed the connection without shutdown");
  server_free(&S);
  return status;
}
