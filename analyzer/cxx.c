/*
 * cxx.c — the C++ stage's driver: which files it reads, the PCRE2 prefilter,
 * the libclang command line (compile_commands.json or the shim headers), the
 * parse itself, and the session-wide view of every file's ops and kernels
 * for the rules and the Python side. See cxx.h and docs/cxx.md.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <clang-c/CXCompilationDatabase.h>
#include <clang-c/Index.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cxx.h"

struct cl_cxx {
  pthread_mutex_t lock;
  cl_vec units;               /* unit*, in the order parsing finished */
  cl_vec ops, kernels;        /* every unit's, in file order (built once, after parsing) */
  bool merged;
  CXCompilationDatabase db;   /* NULL: no compile_commands.json */
  char *ccdir;
};

typedef struct {
  int file;
  cl_vec ops, kernels;
} unit;

static pthread_mutex_t create_lock = PTHREAD_MUTEX_INITIALIZER;

static struct cl_cxx *state(condlint_session *s) {
  pthread_mutex_lock(&create_lock);
  if (!s->cxx) {
    s->cxx = cl_xcalloc(1, sizeof *s->cxx);
    pthread_mutex_init(&s->cxx->lock, NULL);
  }
  pthread_mutex_unlock(&create_lock);
  return s->cxx;
}

void cl_cxx_session_free(condlint_session *s) {
  struct cl_cxx *cx = s->cxx;
  if (!cx) return;
  for (size_t i = 0; i < cx->units.n; i++) {
    unit *u = cx->units.v[i];
    cl_vec_free(&u->ops);
    cl_vec_free(&u->kernels);
    free(u);
  }
  cl_vec_free(&cx->units);
  cl_vec_free(&cx->ops);
  cl_vec_free(&cx->kernels);
  if (cx->db) clang_CompilationDatabase_dispose(cx->db);
  free(cx->ccdir);
  pthread_mutex_destroy(&cx->lock);
  free(cx);
  s->cxx = NULL;
}

/* ---- which files --------------------------------------------------------- */

static const char *const SUFFIXES[] = {".cpp", ".cc", ".cxx", ".c++", ".cu", ".cuh",
                                       ".h",   ".hh", ".hpp", ".hxx", NULL};

bool cl_cxx_is_source(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  if (!dot || dot == base) return false;
  for (const char *const *sfx = SUFFIXES; *sfx; sfx++)
    if (!strcmp(dot, *sfx)) return true;
  return false;
}

static bool is_cuda(const char *path) {
  const char *dot = strrchr(path, '.');
  return dot && (!strcmp(dot, ".cu") || !strcmp(dot, ".cuh"));
}

/* ---- prefilter ----------------------------------------------------------- */

static pcre2_code *prefilter_re;
static pthread_once_t prefilter_once = PTHREAD_ONCE_INIT;

static void prefilter_compile(void) {
  int err;
  PCRE2_SIZE off;
  prefilter_re = pcre2_compile((PCRE2_SPTR) "\\bTORCH_LIBRARY(?:_FRAGMENT|_IMPL)?\\s*\\(",
                               PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
  if (prefilter_re) pcre2_jit_compile(prefilter_re, PCRE2_JIT_COMPLETE);
}

bool cl_cxx_prefilter_match(const char *bytes, size_t len) {
  pthread_once(&prefilter_once, prefilter_compile);
  if (!prefilter_re) return true;
  pcre2_match_data *md = pcre2_match_data_create(1, NULL);
  int rc = pcre2_match(prefilter_re, (PCRE2_SPTR)bytes, len, 0, 0, md, NULL);
  pcre2_match_data_free(md);
  return rc >= 0 || rc == PCRE2_ERROR_JIT_STACKLIMIT;
}

/* ---- shims and compile_commands.json ------------------------------------- */

static char *shim_dir;
static pthread_once_t shim_once = PTHREAD_ONCE_INIT;

static bool is_dir(const char *p) {
  struct stat st;
  return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* $CONDLINT_SHIMS, the source tree's shims/ (a build tree), or
 * ../share/condlint/shims beside the executable (an install). */
static void find_shims(void) {
  const char *env = getenv("CONDLINT_SHIMS");
  if (env && is_dir(env)) {
    shim_dir = cl_xstrdup(env);
    return;
  }
#ifdef CONDLINT_SOURCE_DIR
  if (is_dir(CONDLINT_SOURCE_DIR "/shims")) {
    shim_dir = cl_xstrdup(CONDLINT_SOURCE_DIR "/shims");
    return;
  }
#endif
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) {
      *slash = 0;
      char *cand = cl_xasprintf("%s/../share/condlint/shims", exe);
      if (is_dir(cand)) {
        shim_dir = cand;
        return;
      }
      free(cand);
    }
  }
}

int condlint_session_set_compile_commands(condlint_session *s, const char *path) {
  if (!s || !path) return CONDLINT_EUSAGE;
  char *dir = cl_xstrdup(path);
  size_t l = strlen(dir);
  if (l > 5 && !strcmp(dir + l - 5, ".json")) { /* the file itself was named */
    char *slash = strrchr(dir, '/');
    if (slash) *slash = 0;
    else strcpy(dir, ".");
  }
  char *file = cl_xasprintf("%s/compile_commands.json", dir);
  struct stat st;
  if (stat(file, &st) != 0) {
    cl_session_set_error(s, "%s: %s", file, strerror(errno));
    free(file);
    free(dir);
    return CONDLINT_EIO;
  }
  /* check it first: libclang prints its own complaints to stderr */
  json_error_t jerr;
  json_t *root = json_load_file(file, 0, &jerr);
  bool is_array = root && json_is_array(root);
  json_decref(root);
  if (!is_array) {
    if (root) cl_session_set_error(s, "%s: not a compilation database (a JSON array of commands)", file);
    else cl_session_set_error(s, "%s:%d:%d: %s", file, jerr.line, jerr.column, jerr.text);
    free(file);
    free(dir);
    return CONDLINT_ECONFIG;
  }
  CXCompilationDatabase_Error err = CXCompilationDatabase_NoError;
  CXCompilationDatabase db = clang_CompilationDatabase_fromDirectory(dir, &err);
  if (!db || err != CXCompilationDatabase_NoError) {
    if (db) clang_CompilationDatabase_dispose(db);
    cl_session_set_error(s, "%s: not a valid compilation database", file);
    free(file);
    free(dir);
    return CONDLINT_ECONFIG;
  }
  free(file);
  struct cl_cxx *cx = state(s);
  if (cx->db) clang_CompilationDatabase_dispose(cx->db);
  free(cx->ccdir);
  cx->db = db;
  cx->ccdir = dir;
  return 0;
}

/* Flags of a compile command that change how a file parses: include paths,
 * macros, the language standard, forced includes. The rest (output, codegen,
 * warnings, nvcc's own options) is dropped. Relative paths are made absolute
 * against the command's directory. */
static void keep_flags(cl_vec *out, CXCompileCommand cmd) {
  CXString dirs = clang_CompileCommand_getDirectory(cmd);
  const char *dir = clang_getCString(dirs);
  unsigned n = clang_CompileCommand_getNumArgs(cmd);
  static const char *const WITH_PATH[] = {"-I", "-isystem", "-iquote", "-idirafter", "-include",
                                          "-imacros", "-isysroot", NULL};
  for (unsigned i = 1; i < n; i++) {
    CXString as = clang_CompileCommand_getArg(cmd, i);
    const char *a = clang_getCString(as);
    const char *flag = NULL, *val = NULL;
    CXString next = {0};
    bool took_next = false;
    for (const char *const *w = WITH_PATH; *w; w++) {
      size_t wl = strlen(*w);
      if (strncmp(a, *w, wl)) continue;
      if (a[wl]) {
        if (wl == 2 || !strcmp(*w, "-isysroot")) { /* -Ipath */
          flag = *w;
          val = a + wl;
        }
      } else if (i + 1 < n) {
        next = clang_CompileCommand_getArg(cmd, ++i);
        took_next = true;
        flag = *w;
        val = clang_getCString(next);
      }
      break;
    }
    if (flag) {
      cl_vec_push(out, cl_xstrdup(flag));
      if (val[0] != '/' && dir && *dir) cl_vec_push(out, cl_xasprintf("%s/%s", dir, val));
      else cl_vec_push(out, cl_xstrdup(val));
    } else if ((a[0] == '-' && (a[1] == 'D' || a[1] == 'U') && a[2]) || !strncmp(a, "-std=", 5) ||
               !strncmp(a, "--std=", 6) || !strncmp(a, "--sysroot=", 10) || !strcmp(a, "-nostdinc") ||
               !strcmp(a, "-nostdinc++") || !strncmp(a, "-stdlib=", 8)) {
      cl_vec_push(out, cl_xstrdup(a[1] == '-' && a[2] == 's' && a[3] == 't' ? a + 1 : a));
    } else if ((!strcmp(a, "-D") || !strcmp(a, "-U")) && i + 1 < n) {
      next = clang_CompileCommand_getArg(cmd, ++i);
      took_next = true;
      cl_vec_push(out, cl_xasprintf("%s%s", a, clang_getCString(next)));
    }
    if (took_next) clang_disposeString(next);
    clang_disposeString(as);
  }
  clang_disposeString(dirs);
}

/* The compile command's flags for path: its own entry, else (a header) the
 * first entry of the same directory, else the first entry. */
static bool cc_flags(struct cl_cxx *cx, const char *path, cl_vec *out) {
  if (!cx || !cx->db) return false;
  bool found = false;
  pthread_mutex_lock(&cx->lock);
  CXCompileCommands cmds = clang_CompilationDatabase_getCompileCommands(cx->db, path);
  if (cmds && clang_CompileCommands_getSize(cmds) > 0) {
    keep_flags(out, clang_CompileCommands_getCommand(cmds, 0));
    found = true;
  }
  if (cmds) clang_CompileCommands_dispose(cmds);
  if (!found) {
    cmds = clang_CompilationDatabase_getAllCompileCommands(cx->db);
    unsigned n = cmds ? clang_CompileCommands_getSize(cmds) : 0;
    const char *slash = strrchr(path, '/');
    size_t dl = slash ? (size_t)(slash - path) : 0;
    int pick = n ? 0 : -1;
    for (unsigned i = 0; i < n && dl; i++) {
      CXString fs = clang_CompileCommand_getFilename(clang_CompileCommands_getCommand(cmds, i));
      const char *fn = clang_getCString(fs);
      bool same = fn && !strncmp(fn, path, dl) && fn[dl] == '/' && !strchr(fn + dl + 1, '/');
      clang_disposeString(fs);
      if (same) {
        pick = (int)i;
        break;
      }
    }
    if (pick >= 0) {
      keep_flags(out, clang_CompileCommands_getCommand(cmds, (unsigned)pick));
      found = true;
    }
    if (cmds) clang_CompileCommands_dispose(cmds);
  }
  pthread_mutex_unlock(&cx->lock);
  return found;
}

/* ---- the parse ----------------------------------------------------------- */

/* One CL901 for the first syntax error of the file itself: a region that
 * does not parse may hide findings. Semantic errors (a name the shims do
 * not declare) are expected and say nothing. */
static void report_syntax_error(condlint_session *s, cl_file *f, CXTranslationUnit tu, CXFile main) {
  unsigned n = clang_getNumDiagnostics(tu);
  for (unsigned i = 0; i < n; i++) {
    CXDiagnostic d = clang_getDiagnostic(tu, i);
    enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
    CXString cat = clang_getDiagnosticCategoryText(d);
    bool parse_issue = !strcmp(clang_getCString(cat), "Parse Issue");
    clang_disposeString(cat);
    CXFile file;
    unsigned line, col, off;
    clang_getExpansionLocation(clang_getDiagnosticLocation(d), &file, &line, &col, &off);
    if (sev >= CXDiagnostic_Error && parse_issue && file && clang_File_isEqual(file, main) &&
        off <= f->len) {
      CXString msg = clang_getDiagnosticSpelling(d);
      char *text = cl_xasprintf("C++ syntax error (%s): findings in this region may be missing",
                                clang_getCString(msg));
      uint32_t end = off;
      while (end < f->len && f->bytes[end] != '\n' && end - off < 1) end++;
      cl_emit(s, "CL901", f, cl_cxx_span(f, off, end), text, NULL);
      free(text);
      clang_disposeString(msg);
      clang_disposeDiagnostic(d);
      return;
    }
    clang_disposeDiagnostic(d);
  }
}

void cl_cxx_parse_file(condlint_session *s, cl_file *f) {
  if (!cl_cxx_prefilter_match(f->bytes, f->len)) {
    f->skip = true; /* registers nothing: libclang never sees it */
    return;
  }
  struct cl_cxx *cx = state(s);
  if (!f->arena) f->arena = cl_arena_new();
  cl_module *m = cl_arena_alloc(f->arena, sizeof *m);
  cl_cxx_lex_comments(f, &m->comments, &m->ncomments);

  pthread_once(&shim_once, find_shims);
  cl_vec args = {0};
  const char *path = f->abspath;
  if (is_cuda(path)) {
    const char *cu[] = {"-x", "cuda", "--cuda-host-only", "-nocudainc", "-nocudalib"};
    for (size_t i = 0; i < sizeof cu / sizeof *cu; i++) cl_vec_push(&args, cl_xstrdup(cu[i]));
  } else {
    cl_vec_push(&args, cl_xstrdup("-x"));
    cl_vec_push(&args, cl_xstrdup("c++"));
  }
  const char *common[] = {"-std=c++17", "-w", "-ferror-limit=0", "-D__CONDLINT__=1"};
  for (size_t i = 0; i < sizeof common / sizeof *common; i++) cl_vec_push(&args, cl_xstrdup(common[i]));
  bool have_cc = cc_flags(cx, path, &args);
  if (shim_dir) {
    /* with a compilation database the real headers come first; the shims
     * only fill in what its include paths do not find */
    cl_vec_push(&args, cl_xstrdup(have_cc ? "-idirafter" : "-I"));
    cl_vec_push(&args, cl_xstrdup(shim_dir));
  }

  CXIndex idx = clang_createIndex(0, 0);
  struct CXUnsavedFile uf = {path, f->bytes, (unsigned long)f->len};
  CXTranslationUnit tu = NULL;
  enum CXErrorCode rc = clang_parseTranslationUnit2(
      idx, path, (const char *const *)args.v, (int)args.n, &uf, 1,
      CXTranslationUnit_KeepGoing | CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles, &tu);
  unit *u = cl_xcalloc(1, sizeof *u);
  u->file = f->index;
  if (rc == CXError_Success && tu) {
    CXFile main = clang_getFile(tu, path);
    report_syntax_error(s, f, tu, main);
    cl_cxx_walk(s, f, tu, &u->ops, &u->kernels);
    clang_disposeTranslationUnit(tu);
  } else {
    char *msg = cl_xasprintf("libclang could not parse this file (error %d): its ops are not checked", (int)rc);
    cl_emit(s, "CL901", f, cl_cxx_span(f, 0, 0), msg, NULL);
    free(msg);
  }
  clang_disposeIndex(idx);
  for (size_t i = 0; i < args.n; i++) free(args.v[i]);
  cl_vec_free(&args);

  pthread_mutex_lock(&cx->lock);
  cl_vec_push(&cx->units, u);
  cx->merged = false;
  pthread_mutex_unlock(&cx->lock);
  f->mod = m; /* last: a non-NULL mod marks the file as parsed */
}

/* ---- the session-wide view ----------------------------------------------- */

static int unit_cmp(const void *a, const void *b) {
  const unit *x = *(unit *const *)a, *y = *(unit *const *)b;
  return (x->file > y->file) - (x->file < y->file);
}

static struct cl_cxx *merged(condlint_session *s) {
  struct cl_cxx *cx = state(s);
  pthread_mutex_lock(&cx->lock);
  if (!cx->merged) {
    if (cx->units.n > 1) qsort(cx->units.v, cx->units.n, sizeof(void *), unit_cmp);
    cx->ops.n = cx->kernels.n = 0;
    for (size_t i = 0; i < cx->units.n; i++) {
      unit *u = cx->units.v[i];
      for (size_t j = 0; j < u->ops.n; j++) cl_vec_push(&cx->ops, u->ops.v[j]);
      for (size_t j = 0; j < u->kernels.n; j++) cl_vec_push(&cx->kernels, u->kernels.v[j]);
    }
    cx->merged = true;
  }
  pthread_mutex_unlock(&cx->lock);
  return cx;
}

const cl_vec *cl_cxx_ops(condlint_session *s) { return &merged(s)->ops; }
const cl_vec *cl_cxx_kernels(condlint_session *s) { return &merged(s)->kernels; }

/* op names "ns::name" and "ns::name.overload": same operator? */
static bool same_base(const char *full, const char *base) {
  size_t l = strlen(base);
  return !strncmp(full, base, l) && (full[l] == 0 || full[l] == '.');
}

const cl_cxx_op *cl_cxx_find_op(condlint_session *s, const char *name) {
  if (!name) return NULL;
  const cl_vec *ops = cl_cxx_ops(s);
  const cl_cxx_op *first = NULL;
  bool want_overload = strchr(name, '.') != NULL;
  for (size_t i = 0; i < ops->n; i++) {
    const cl_cxx_op *op = ops->v[i];
    if (!strcmp(op->name, name)) return op;
    if (!want_overload && !first && same_base(op->name, name)) first = op;
  }
  return first;
}

bool cl_cxx_op_has_meta(condlint_session *s, const char *op) {
  const cl_vec *ks = cl_cxx_kernels(s);
  bool has_overload = strchr(op, '.') != NULL;
  for (size_t i = 0; i < ks->n; i++) {
    const cl_cxx_kernel *k = ks->v[i];
    if (k->cls == CXX_KEY_META && (!strcmp(k->op, op) || (!has_overload && same_base(k->op, op))))
      return true;
  }
  return false;
}

const cl_cxx_read *cl_cxx_meta_concrete(condlint_session *s, const char *op,
                                        const cl_cxx_kernel **kernel) {
  const cl_vec *ks = cl_cxx_kernels(s);
  bool meta = cl_cxx_op_has_meta(s, op);
  for (size_t i = 0; i < ks->n; i++) {
    const cl_cxx_kernel *k = ks->v[i];
    if (strcmp(k->op, op) && !same_base(k->op, op)) continue;
    if (!(k->cls == CXX_KEY_META || (k->cls == CXX_KEY_CEA && !meta))) continue;
    const cl_cxx_read *first = NULL;
    for (uint32_t r = 0; r < k->nreads; r++) {
      if (!strcmp(k->reads[r].method, "numel")) return NULL; /* raises: the op has no output */
      if (!k->reads[r].symbolic && !first) first = &k->reads[r];
    }
    if (first) {
      if (kernel) *kernel = k;
      return first;
    }
  }
  return NULL;
}
