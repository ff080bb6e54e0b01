/*
 * internal.h — what the pipeline's stages share: arenas, source files, the
 * Python IR that the parser lowers into, sessions, cond sites and findings.
 * Module prefix: cl_. Nothing here is exported from the shared library.
 */
#ifndef CONDLINT_INTERNAL_H
#define CONDLINT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "condlint/condlint.h"

/* ---- memory --------------------------------------------------------------- */

void *cl_xmalloc(size_t n);
void *cl_xcalloc(size_t n, size_t size);
void *cl_xrealloc(void *p, size_t n);
char *cl_xstrdup(const char *s);
char *cl_xstrndup(const char *s, size_t n);
char *cl_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Bump allocator: everything built for one file lives in one arena, freed in
 * one call. Never freed piecemeal. */
typedef struct cl_arena cl_arena;
cl_arena *cl_arena_new(void);
void cl_arena_free(cl_arena *a);
void *cl_arena_alloc(cl_arena *a, size_t n); /* zeroed */
char *cl_arena_strndup(cl_arena *a, const char *s, size_t n);
char *cl_arena_strdup(cl_arena *a, const char *s);
char *cl_arena_printf(cl_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Growable pointer vector. */
typedef struct {
  void **v;
  size_t n, cap;
} cl_vec;
void cl_vec_push(cl_vec *vec, void *p);
void cl_vec_free(cl_vec *vec);

/* ---- source --------------------------------------------------------------- */

/* A region of a file, in byte offsets; rows and columns are computed from
 * the file's line index when a finding is reported (cl_file_position), not
 * stored in every node of the IR. */
typedef struct {
  uint32_t start, end;
} cl_span;

typedef struct cl_module cl_module;

typedef struct cl_file {
  char *path;        /* as the user named it (display path) */
  char *abspath;     /* canonical, for import resolution; may equal path */
  char *bytes;       /* NUL-terminated copy of the content */
  size_t len;
  uint32_t *line_starts;
  size_t nlines;
  bool checked;      /* findings are reported (false: loaded only to link) */
  bool skip;         /* prefilter said nothing here can matter */
  bool in_memory;    /* from stdin or an editor buffer: never written back */
  bool lazy_bodies;  /* parse it as a skeleton, function bodies when called (parse_lazy.c) */
  cl_arena *arena;   /* owns the IR */
  cl_module *mod;    /* lowered IR, NULL until parsed */
  int index;
  bool borrowed;     /* owned by a condlint_document, not by the session */
  struct condlint_document *doc; /* that document (session.c), or NULL */
} cl_file;

void cl_file_index_lines(cl_file *f);
/* The length of the well-formed UTF-8 sequence at p (no overlongs,
 * surrogates or code points past U+10FFFF), or 0. */
size_t cl_utf8_seq(const unsigned char *p, size_t left);
/* A malloc'd, NUL-terminated copy of s[0..len) with each byte of an invalid
 * sequence replaced by U+FFFD. */
char *cl_utf8_clean_n(const char *s, size_t len);
/* prefix, then path percent-encoded for a URI (unreserved bytes and '/'
 * kept); malloc'd. */
char *cl_uri_from_path(const char *prefix, const char *path);
/* 1-based line and character column of a byte offset. */
void cl_file_position(const cl_file *f, uint32_t byte, unsigned *line, unsigned *col);
/* The 0-based row (line) of a byte offset. */
uint32_t cl_file_row(const cl_file *f, uint32_t byte);
/* The text of a 1-based line, without its newline. */
const char *cl_file_line(const cl_file *f, unsigned line, size_t *len);

/* ---- the Python IR -------------------------------------------------------- */

typedef enum {
  E_UNKNOWN, E_NAME, E_ATTR, E_CALL, E_SUBSCRIPT, E_INT, E_FLOAT, E_STR, E_TRUE, E_FALSE,
  E_NONE, E_ELLIPSIS, E_TUPLE, E_LIST, E_DICT, E_SET, E_BINOP, E_UNARY, E_NOT, E_COMPARE,
  E_AND, E_OR, E_IFEXP, E_LAMBDA, E_SLICE, E_STARRED, E_DSTARRED, E_KEYWORD, E_WALRUS,
  E_COMPREHENSION
} cl_ekind;

typedef struct cl_expr cl_expr;
typedef struct cl_stmt cl_stmt;
typedef struct cl_func cl_func;
typedef struct cl_class cl_class;

/* The node the IR has most of (torch 2.11: ~2.5 million): kept at 40 bytes. */
struct cl_expr {
  cl_ekind kind;
  uint32_t nkids;
  cl_span span;
  const char *s;   /* NAME id, ATTR attribute, KEYWORD name, STR value, BINOP/UNARY/COMPARE ops */
  cl_expr **kids;  /* ATTR: [obj]; CALL: [callee, args...]; SUBSCRIPT: [value, index];
                      COMPARE: operands (ops in s, space-separated); BINOP: [l, r];
                      DICT: k0, v0, k1, v1...; SLICE: [start|NULL, stop|NULL, step|NULL];
                      IFEXP: [body, test, orelse]; KEYWORD/STARRED: [value]; LAMBDA: [body] */
  union {          /* by kind: */
    int64_t i;        /* INT value */
    double f;         /* FLOAT value */
    cl_func *lambda;  /* LAMBDA */
  };
};

typedef enum {
  S_EXPR, S_ASSIGN, S_AUGASSIGN, S_ANNASSIGN, S_RETURN, S_IF, S_FOR, S_WHILE, S_WITH, S_TRY,
  S_FUNCDEF, S_CLASSDEF, S_IMPORT, S_IMPORTFROM, S_RAISE, S_PASS, S_BREAK, S_CONTINUE,
  S_GLOBAL, S_DEL, S_ASSERT, S_OTHER
} cl_skind;

typedef struct {
  const char *name;  /* dotted module name (IMPORT) or the imported name (IMPORTFROM) */
  const char *alias; /* NULL when none */
} cl_alias;

typedef struct cl_block {
  cl_stmt **v;
  uint32_t n;
} cl_block;

/* The second node the IR has most of (torch 2.11: ~150,000): 80 bytes, the
 * fields of one kind sharing their place with those of the others. Read a
 * field of the union only for a kind that has it (cl_stmt_has_blocks). */
struct cl_stmt {
  cl_skind kind;
  uint32_t ntargets;
  cl_span span;
  cl_expr **targets; /* ASSIGN: targets (a = b = v); FOR: [target]; WITH: as-targets (may be NULL) */
  cl_expr *value;    /* ASSIGN/AUGASSIGN/RETURN/EXPR value, IF/WHILE test, FOR iter */
  union {            /* by kind: */
    struct {         /* IF/FOR/WHILE/WITH/TRY; TRY handlers are appended to orelse */
      cl_block body, orelse;
      union {
        cl_block final;    /* TRY */
        cl_expr **items;   /* WITH: context expressions (ntargets of them) */
      };
    };
    const char *op;     /* AUGASSIGN operator */
    cl_func *func;      /* FUNCDEF */
    cl_class *cls;      /* CLASSDEF */
    struct {            /* IMPORT, IMPORTFROM */
      const char *module; /* IMPORTFROM: module ("" for pure relative), dots in level */
      cl_alias *names;    /* IMPORTFROM name "*" for star */
      uint32_t nnames;
      int level;          /* IMPORTFROM: number of leading dots */
    };
  };
};

static inline bool cl_stmt_has_blocks(cl_skind k) {
  return k == S_IF || k == S_FOR || k == S_WHILE || k == S_WITH || k == S_TRY;
}

typedef enum { P_NORMAL, P_VARARGS, P_KWARGS, P_KWONLY } cl_pkind;

typedef struct {
  const char *name;
  cl_expr *dflt;
  cl_expr *annotation; /* NULL when none */
  cl_pkind kind;
  cl_span span;
} cl_param;

/* A dimension contract declared in a comment (# condlint: dynamic x[1]). */
typedef struct {
  const char *param;
  int dim;           /* -1: every dim */
  bool dynamic;      /* false: declared static */
  cl_span span;
} cl_contract;

struct cl_func {
  const char *name;
  const char *qualname; /* Class.method or outer.<locals>.inner style */
  cl_span span, name_span;
  cl_param *params;
  uint32_t nparams;
  cl_expr **decorators;
  uint32_t ndecorators;
  cl_block body;
  cl_class *cls;        /* enclosing class, for methods */
  cl_func *outer;       /* enclosing function, for closures */
  cl_contract *contracts;
  uint32_t ncontracts;
  cl_file *file;
  bool is_lambda;
  uint32_t lazy_end;    /* not 0: the body is `...` until cl_parse_body parses the
                           source up to here (a skeleton's function; parse_lazy.c) */
  cl_expr *lambda_body;
};

struct cl_class {
  const char *name;
  cl_span span;
  cl_expr **bases;
  uint32_t nbases;
  cl_block body;
  cl_file *file;
};

/* Comments the analysis reads: suppressions, contracts, fixture expectations. */
typedef struct {
  cl_span span;
  const char *text; /* without the leading '#' */
} cl_comment;

struct cl_module {
  cl_block body;
  cl_comment *comments;
  uint32_t ncomments;
  const char *dotted;   /* dotted module name guessed from the path (may be NULL) */
};

/* ---- findings ------------------------------------------------------------- */

typedef struct {
  int file;       /* index into the session's files, -1 for none */
  uint32_t start, end;
  char *message;
} cl_loc;

struct condlint_diag {
  const char *code;
  const char *name;
  condlint_severity severity;
  char *message;
  cl_loc loc;
  cl_loc *related;
  size_t nrelated;
  char *fix;
  cl_loc *edits;        /* machine-applicable fix: replace [start, end) with message */
  size_t nedits;
  condlint_fix_applicability applicability;
  /* filled by the session before rendering */
  condlint_location primary;
  condlint_location *rel;
  condlint_edit *edit_pos;
  char fingerprint[17]; /* fingerprint.c */
};

/* ---- the session ---------------------------------------------------------- */

typedef struct cl_facts cl_facts; /* what the analysis concluded (analyzer/facts.h) */

struct condlint_session {
  cl_vec files;       /* cl_file* */
  cl_vec diags;       /* condlint_diag* */
  cl_arena *arena;    /* diagnostics' strings */
  char *error;
  unsigned jobs;
  cl_facts *facts;
  bool analysed;
  condlint_config *config; /* borrowed; NULL: defaults (config.c) */
  size_t baselined;        /* findings dropped by a baseline (baseline.c) */
  struct cl_cxx *cxx;      /* C++ custom ops (cxx.c); NULL until used */
  struct cl_pipeline *pipe; /* prefilter tiers, summary cache, skipped files (session.c) */
  size_t lazy_left, lazy_called; /* skeletons' bodies left, and parsed on call (parse.c) */
};

void cl_session_set_error(condlint_session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
cl_file *cl_session_add_bytes(condlint_session *s, const char *path, char *bytes, size_t len,
                              bool checked);
cl_file *cl_session_file(const condlint_session *s, int index);
/* The run's recorder of what its findings depend on (results.c), or NULL. */
struct cl_results *cl_session_results(condlint_session *s);
/* Read a whole source file (NUL-terminated, at most 256 MiB); *err
 * (malloc'd) names the path on failure. */
int cl_read_source(const char *path, char **out, size_t *len, char **err);

/* Emit a finding. message/fix are copied. Returns the finding so that the
 * caller can add related locations. */
condlint_diag *cl_emit(condlint_session *s, const char *code, const cl_file *f, cl_span span,
                       const char *message, const char *fix);
void cl_diag_add_related(condlint_session *s, condlint_diag *d, const cl_file *f, cl_span span,
                         const char *message);
/* Free a finding and everything it owns (strings live in the session arena). */
void cl_diag_free(condlint_diag *d);

/* ---- stages --------------------------------------------------------------- */

/* discover.c: walk a path; calls back for each *.py file to check. */
/* path: as the walk joined it; real: its canonical path when the walk knows
 * it (a regular file below directories that are not links), else NULL; st:
 * its stat when known, else NULL; explicit_arg: the path named by the caller. */
typedef int (*cl_discover_cb)(void *ud, const char *path, const char *real, const struct stat *st,
                              bool explicit_arg);
int cl_discover(const char *path, cl_discover_cb cb, void *ud, char **err);

/* prefilter.c: true when the bytes may hold something the analysis reads. */
bool cl_prefilter_match(const char *bytes, size_t len);

/* parse.c: parse with tree-sitter, lower into f->mod, report CL901/CL903/CL904. */
void cl_parse_file(condlint_session *s, cl_file *f);
/* parse.c: the body of a skeleton's function (fn->lazy_end set), parsed and
 * lowered into its file's IR, once; CL901/CL904 where it is broken. The
 * analysis calls it before it first runs the function. */
void cl_parse_body(condlint_session *s, cl_func *fn);
/* Are files parsed only to link parsed as skeletons? (Unless
 * CONDLINT_LAZY=off, for diagnosis and the tests that compare.) */
bool cl_lazy_bodies_on(void);
/* parse_guard.c: is f heavy enough that its parse is first tried in a child
 * process (a tree-sitter 0.20.7 crash)? Never where the in-process guard is
 * in place (see cl_parse_guarded). The trial forks only while the process
 * has one thread, so the session parses heavy files before it starts its
 * workers. */
bool cl_parse_is_heavy(const cl_file *f);

/* parse.c, for editors (documents, session.c): cl_parse_file reusing the
 * syntax tree of the file's previous version. memo holds that tree and the
 * bytes it was parsed from (zeroed: none); the parse edits the tree over the
 * bytes that differ (ts_tree_edit), parses with it, and leaves the new
 * version's tree and bytes in memo, which cl_parse_memo_clear frees. When the
 * file keeps its arena across versions, mod is the IR of the previous
 * version (NULL: none that can be reused), lowered from ir_tree, the tree of
 * ir_src (the recovered text when the version did not parse): the top-level
 * statements the edit did not touch are reused from it instead of being
 * lowered again. */
typedef struct {
  struct TSTree *tree;
  char *src;
  size_t len;
  struct TSTree *ir_tree;
  char *ir_src;
  cl_module *mod;   /* in the file's arena; not owned */
  size_t relowered; /* bytes lowered again since the last full lowering */
  bool rescan;      /* mod's comments are not ir_tree's (it had errors): scan them anew */
} cl_parse_memo;
void cl_parse_file_incremental(condlint_session *s, cl_file *f, cl_parse_memo *memo);
void cl_parse_memo_clear(cl_parse_memo *memo);

/* link.c + interp.c: the whole-program analysis, filling s->facts. */
void cl_analyze_program(condlint_session *s);
void cl_facts_free(cl_facts *facts);

/* rules: run every rule of rules/rules.def over the facts. */
void cl_rules_run(condlint_session *s);

/* report_*.c */
int cl_report_text(const condlint_session *s, int color, FILE *out);
int cl_report_json(const condlint_session *s, FILE *out);

#endif
