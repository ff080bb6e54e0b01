/*
 * cxx_ast.c — walk a libclang translation unit for what the C++ rules read.
 *
 * Registrations: each TORCH_LIBRARY* macro defines a function
 * `void TORCH_LIBRARY_..._init_<ns>...(torch::Library &m)` (in libtorch and
 * in the shims alike); its namespace and dispatch key are read back from the
 * macro's text at the function's expansion point. In its body, `m.def(...)`
 * gives an op schema (and with a function, a catch-all kernel) and
 * `m.impl(name, fn)` a kernel for the block's key; fn is a function, `&fn`,
 * TORCH_FN(fn), a lambda, or torch::dispatch(key, fn).
 *
 * Kernels: the tensors of a kernel are its tensor parameters and the locals
 * computed from them; its size variables are the locals computed from their
 * sizes. In the body (and in the helpers of this file it passes them to) it
 * records every size read of those tensors (x.size(1), x.sizes(), numel(),
 * sym_size(1).guard_int(...) ...) and every `if`, `?:` and `switch` whose
 * condition reads one. Branches that only check (TORCH_CHECK, a throw) or
 * come from a macro are not branches of the kernel's logic.
 */
#include <clang-c/Index.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cxx.h"

typedef struct {
  const char *name;
  CXCursor c;
} fndef;

typedef struct {
  condlint_session *s;
  cl_file *f;
  CXTranslationUnit tu;
  CXFile main;
  cl_arena *a;
  cl_vec *ops, *kernels;
  fndef *defs;
  size_t ndefs, capdefs;
} ast;

/* ---- small helpers ------------------------------------------------------- */

static char *str_of(ast *A, CXString cs) {
  const char *c = clang_getCString(cs);
  char *r = cl_arena_strdup(A->a, c ? c : "");
  clang_disposeString(cs);
  return r;
}

static const char *spelling(ast *A, CXCursor c) { return str_of(A, clang_getCursorSpelling(c)); }

static bool loc_off(ast *A, CXSourceLocation loc, uint32_t *off) {
  CXFile file;
  unsigned line, col, o;
  clang_getSpellingLocation(loc, &file, &line, &col, &o);
  if (!(file && clang_File_isEqual(file, A->main))) clang_getExpansionLocation(loc, &file, &line, &col, &o);
  if (!(file && clang_File_isEqual(file, A->main)) || o > A->f->len) return false;
  *off = o;
  return true;
}

static bool expansion_off(ast *A, CXSourceLocation loc, uint32_t *off) {
  CXFile file;
  unsigned line, col, o;
  clang_getExpansionLocation(loc, &file, &line, &col, &o);
  if (!(file && clang_File_isEqual(file, A->main)) || o > A->f->len) return false;
  *off = o;
  return true;
}

static bool cursor_offs(ast *A, CXCursor c, uint32_t *start, uint32_t *end) {
  CXSourceRange r = clang_getCursorExtent(c);
  if (!loc_off(A, clang_getRangeStart(r), start)) return false;
  if (!loc_off(A, clang_getRangeEnd(r), end) || *end < *start) *end = *start;
  return true;
}

static cl_span span_of(ast *A, uint32_t start, uint32_t end) { return cl_cxx_span(A->f, start, end); }

/* The source text of [start, end) on one line, blanks squeezed. */
static const char *text_of(ast *A, uint32_t start, uint32_t end) {
  if (end > A->f->len) end = (uint32_t)A->f->len;
  if (end < start) end = start;
  if (end - start > 160) end = start + 160;
  char *t = cl_arena_alloc(A->a, end - start + 1);
  size_t k = 0;
  bool blank = false;
  for (uint32_t i = start; i < end; i++) {
    char c = A->f->bytes[i];
    if (isspace((unsigned char)c)) {
      blank = true;
      continue;
    }
    if (blank && k) t[k++] = ' ';
    blank = false;
    t[k++] = c;
  }
  t[k] = 0;
  return t;
}

typedef struct {
  CXCursor *v;
  size_t n, cap;
} cursors;

static void cursors_push(cursors *cs, CXCursor c) {
  if (cs->n == cs->cap) {
    cs->cap = cs->cap ? cs->cap * 2 : 8;
    cs->v = cl_xrealloc(cs->v, cs->cap * sizeof *cs->v);
  }
  cs->v[cs->n++] = c;
}

static bool cursors_has(const cursors *cs, CXCursor c) {
  for (size_t i = 0; i < cs->n; i++)
    if (clang_equalCursors(cs->v[i], c)) return true;
  return false;
}

static enum CXChildVisitResult collect_child(CXCursor c, CXCursor parent, CXClientData d) {
  cursors_push(d, c);
  return CXChildVisit_Continue;
}

static cursors children(CXCursor c) {
  cursors cs = {0};
  clang_visitChildren(c, collect_child, &cs);
  return cs;
}

/* Strip implicit nodes (casts, parentheses, temporaries) off an expression. */
static CXCursor strip(CXCursor c) {
  for (int i = 0; i < 16; i++) {
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr) return c;
    cursors cs = children(c);
    if (cs.n != 1) {
      free(cs.v);
      return c;
    }
    c = cs.v[0];
    free(cs.v);
  }
  return c;
}

/* A type that is, holds or refers to at::Tensor (Tensor, TensorBase, lists,
 * optionals, references) — not TensorOptions or TensorIterator. */
static bool tensor_type(ast *A, CXType t) {
  const char *sp = str_of(A, clang_getTypeSpelling(clang_getCanonicalType(t)));
  for (const char *p = strstr(sp, "at::Tensor"); p; p = strstr(p + 1, "at::Tensor")) {
    const char *q = p + 10;
    if (!strncmp(q, "Base", 4)) q += 4;
    if (!(isalnum((unsigned char)*q) || *q == '_')) return true;
  }
  return false;
}

static bool is_function_kind(enum CXCursorKind k) {
  return k == CXCursor_FunctionDecl || k == CXCursor_CXXMethod || k == CXCursor_FunctionTemplate;
}

static CXCursor find_def(ast *A, const char *name) {
  for (size_t i = 0; i < A->ndefs; i++)
    if (!strcmp(A->defs[i].name, name)) return A->defs[i].c;
  return clang_getNullCursor();
}

static bool has_body(CXCursor c) {
  cursors cs = children(c);
  bool b = cs.n && clang_getCursorKind(cs.v[cs.n - 1]) == CXCursor_CompoundStmt;
  free(cs.v);
  return b;
}

/* ---- pass 1: function definitions of the main file ----------------------- */

static bool in_main(ast *A, CXCursor c) {
  uint32_t off;
  return expansion_off(A, clang_getCursorLocation(c), &off);
}

static enum CXChildVisitResult collect_defs(CXCursor c, CXCursor parent, CXClientData d) {
  ast *A = d;
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_Namespace || k == CXCursor_LinkageSpec || k == CXCursor_ClassDecl ||
      k == CXCursor_StructDecl || k == CXCursor_ClassTemplate) {
    clang_visitChildren(c, collect_defs, A);
    return CXChildVisit_Continue;
  }
  if (!is_function_kind(k) || !clang_isCursorDefinition(c) || !in_main(A, c)) return CXChildVisit_Continue;
  if (A->ndefs == A->capdefs) {
    A->capdefs = A->capdefs ? A->capdefs * 2 : 32;
    A->defs = cl_xrealloc(A->defs, A->capdefs * sizeof *A->defs);
  }
  A->defs[A->ndefs].name = spelling(A, c);
  A->defs[A->ndefs].c = c;
  A->ndefs++;
  return CXChildVisit_Continue;
}

/* ---- kernels ------------------------------------------------------------- */

typedef struct kwalk {
  ast *A;
  cursors tensors;   /* declarations of the input tensors and what is computed from them */
  cursors sizes;     /* declarations of the size variables */
  cl_vec reads, branches;
  const char *via;   /* the helper being walked, NULL in the kernel itself */
  cursors stack;     /* helpers being walked (no recursion) */
  int depth;
} kwalk;

typedef struct {
  kwalk *K;
  const cursors *set;
  bool hit;
} refs_ctx;

static enum CXChildVisitResult refs_visit(CXCursor c, CXCursor parent, CXClientData d) {
  refs_ctx *r = d;
  if (clang_getCursorKind(c) == CXCursor_DeclRefExpr) {
    CXCursor ref = clang_getCursorReferenced(c);
    if (!clang_Cursor_isNull(ref) && cursors_has(r->set, ref)) {
      r->hit = true;
      return CXChildVisit_Break;
    }
  }
  return CXChildVisit_Recurse;
}

/* Does the expression c name a declaration of set? */
static bool refs(kwalk *K, CXCursor c, const cursors *set) {
  if (!set->n) return false;
  refs_ctx r = {K, set, false};
  if (clang_getCursorKind(c) == CXCursor_DeclRefExpr) refs_visit(c, c, &r);
  if (!r.hit) clang_visitChildren(c, refs_visit, &r);
  return r.hit;
}

/* x.method(...) → the object expression and the method's name. */
static bool member_call(ast *A, CXCursor call, CXCursor *obj, const char **method) {
  if (clang_getCursorKind(call) != CXCursor_CallExpr) return false;
  cursors cs = children(call);
  bool ok = false;
  if (cs.n && clang_getCursorKind(cs.v[0]) == CXCursor_MemberRefExpr) {
    cursors ms = children(cs.v[0]);
    if (ms.n) {
      *obj = ms.v[0];
      *method = spelling(A, cs.v[0]);
      ok = true;
    }
    free(ms.v);
  }
  free(cs.v);
  return ok;
}

typedef struct {
  const char *name;
  int nargs;          /* -1: any */
  bool symbolic;
} size_api;

static const size_api SIZE_APIS[] = {
    {"size", 1, false},         {"sizes", 0, false},          {"numel", 0, false},
    {"stride", 1, false},       {"strides", 0, false},        {"storage_offset", 0, false},
    {"nbytes", 0, false},       {"sym_size", 1, true},        {"sym_sizes", 0, true},
    {"sym_numel", 0, true},     {"sym_stride", 1, true},      {"sym_strides", 0, true},
    {"sym_storage_offset", 0, true}, {"sym_nbytes", 0, true}, {NULL, 0, false}};

/* SymInt methods that turn a symbolic size into a plain int. */
static bool specializes(const char *m) {
  return !strcmp(m, "guard_int") || !strcmp(m, "expect_int") || !strcmp(m, "as_int_unchecked");
}

static bool read_of(kwalk *K, CXCursor call, cl_cxx_read *out, bool want_symbolic);
static bool find_read(kwalk *K, CXCursor c, cl_cxx_read *out);

typedef struct {
  kwalk *K;
  cl_cxx_read read;
  bool hit;
  bool symbolic_too;
} find_ctx;

static enum CXChildVisitResult find_read_visit(CXCursor c, CXCursor parent, CXClientData d) {
  find_ctx *fc = d;
  if (read_of(fc->K, c, &fc->read, fc->symbolic_too)) {
    fc->hit = true;
    return CXChildVisit_Break;
  }
  if (clang_getCursorKind(c) == CXCursor_DeclRefExpr && fc->symbolic_too) {
    CXCursor ref = clang_getCursorReferenced(c);
    if (!clang_Cursor_isNull(ref) && cursors_has(&fc->K->sizes, ref)) {
      uint32_t s, e;
      if (cursor_offs(fc->K->A, c, &s, &e)) {
        fc->read.span = span_of(fc->K->A, s, e);
        fc->read.text = text_of(fc->K->A, s, e);
        fc->read.method = "";
        fc->read.symbolic = false;
        fc->read.via = fc->K->via;
        fc->hit = true;
        return CXChildVisit_Break;
      }
    }
  }
  return CXChildVisit_Recurse;
}

/* The first size read (any: symbolic too, and size variables) in c. */
static bool find_read(kwalk *K, CXCursor c, cl_cxx_read *out) {
  find_ctx fc = {.K = K, .symbolic_too = true};
  if (find_read_visit(c, c, &fc) != CXChildVisit_Break) clang_visitChildren(c, find_read_visit, &fc);
  if (fc.hit) *out = fc.read;
  return fc.hit;
}

/* Is call a size read of one of the kernel's tensors? Concrete ones always;
 * symbolic ones when want_symbolic. */
static bool read_of(kwalk *K, CXCursor call, cl_cxx_read *out, bool want_symbolic) {
  CXCursor obj;
  const char *m;
  if (!member_call(K->A, call, &obj, &m)) return false;
  int nargs = clang_Cursor_getNumArguments(call);
  bool symbolic = false, hit = false;
  for (const size_api *api = SIZE_APIS; api->name; api++)
    if (!strcmp(m, api->name) && (api->nargs < 0 || api->nargs == nargs)) {
      if (!tensor_type(K->A, clang_getCursorType(obj)) || !refs(K, obj, &K->tensors)) return false;
      symbolic = api->symbolic;
      hit = true;
      break;
    }
  if (!hit && specializes(m)) {
    /* x.sym_size(1).guard_int(...), n.expect_int() of a SymInt size variable */
    cl_cxx_read inner;
    hit = find_read(K, obj, &inner);
    symbolic = false;
  }
  if (!hit || (symbolic && !want_symbolic)) return false;
  uint32_t s, e;
  if (!cursor_offs(K->A, call, &s, &e)) return false;
  out->span = span_of(K->A, s, e);
  out->text = text_of(K->A, s, e);
  out->method = m;
  out->symbolic = symbolic;
  out->via = K->via;
  return true;
}

static void push_read(kwalk *K, const cl_cxx_read *r) {
  for (size_t i = 0; i < K->reads.n; i++)
    if (((cl_cxx_read *)K->reads.v[i])->span.start == r->span.start) return;
  cl_cxx_read *c = cl_arena_alloc(K->A->a, sizeof *c);
  *c = *r;
  cl_vec_push(&K->reads, c);
}

static bool starts_with_kw(ast *A, uint32_t off, const char *kw) {
  size_t l = strlen(kw);
  const char *b = A->f->bytes;
  return off + l <= A->f->len && !memcmp(b + off, kw, l) &&
         (off + l == A->f->len || !(isalnum((unsigned char)b[off + l]) || b[off + l] == '_'));
}

typedef struct {
  ast *A;
  bool hit;
} fail_ctx;

static enum CXChildVisitResult fail_visit(CXCursor c, CXCursor parent, CXClientData d) {
  fail_ctx *fc = d;
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_CXXThrowExpr) fc->hit = true;
  else if (k == CXCursor_CallExpr) {
    const char *n = spelling(fc->A, c);
    if (strstr(n, "CheckFail") || strstr(n, "AssertFail") || strstr(n, "torchCheck")) fc->hit = true;
  }
  return fc->hit ? CXChildVisit_Break : CXChildVisit_Recurse;
}

/* A branch that only fails (throw, TORCH_CHECK(false, ...)): a check. */
static bool only_fails(ast *A, CXCursor branch) {
  fail_ctx fc = {A, false};
  fail_visit(branch, branch, &fc);
  if (!fc.hit) clang_visitChildren(branch, fail_visit, &fc);
  return fc.hit;
}

/* A bool variable (or its negation): a predicate computed earlier. */
static bool bool_var(CXCursor cond) {
  CXCursor c = strip(cond);
  if (clang_getCursorKind(c) == CXCursor_UnaryOperator) {
    cursors cs = children(c);
    if (cs.n == 1) c = strip(cs.v[0]);
    free(cs.v);
  }
  return clang_getCursorKind(c) == CXCursor_DeclRefExpr &&
         clang_getCanonicalType(clang_getCursorType(c)).kind == CXType_Bool;
}

/* Conditions that test a size against 0 or 1 (empty inputs, broadcasting)
 * or for truth: sizes of dynamic dims are at least 2 under tracing, so these
 * decide nothing and guard nothing. */
static bool trivial_condition(const char *t, bool is_bool_var) {
  size_t l = strlen(t);
  while (l >= 2 && t[l - 1] == ')' && t[0] == '(') t++, l -= 2;
  if (strstr(t, "&&") || strstr(t, "||")) return false;
  bool has_cmp = strpbrk(t, "<>=") != NULL;
  if (!has_cmp) {
    /* `n`, `x.numel()`, `!x.numel()`: a test for zero, unless it computes */
    return !is_bool_var && !strpbrk(t, "%+-*/&|^?");
  }
  /* ... op 0|1  or  0|1 op ... */
  size_t e = l;
  while (e && t[e - 1] == ' ') e--;
  if (e && (t[e - 1] == '0' || t[e - 1] == '1')) {
    size_t d = e - 1;
    while (d && t[d - 1] == ' ') d--;
    if (d && strchr("<>=", t[d - 1])) return true;
  }
  size_t b = 0;
  while (b < l && t[b] == ' ') b++;
  if (b < l && (t[b] == '0' || t[b] == '1')) {
    size_t d = b + 1;
    while (d < l && t[d] == ' ') d++;
    if (d < l && strchr("<>=!", t[d])) return true;
  }
  return false;
}

static void walk(kwalk *K, CXCursor c);

static enum CXChildVisitResult walk_visit(CXCursor c, CXCursor parent, CXClientData d) {
  walk(d, c);
  return CXChildVisit_Continue;
}

static void classify_decl(kwalk *K, CXCursor var) {
  cl_cxx_read r;
  if (tensor_type(K->A, clang_getCursorType(var))) {
    if (refs(K, var, &K->tensors)) cursors_push(&K->tensors, var);
  } else if (find_read(K, var, &r)) {
    cursors_push(&K->sizes, var);
  }
}

static void record_branch(kwalk *K, const char *kind, uint32_t at, CXCursor cond) {
  cl_cxx_read r;
  if (!find_read(K, cond, &r)) return;
  uint32_t cs, ce;
  if (!cursor_offs(K->A, cond, &cs, &ce)) return;
  const char *ct = text_of(K->A, cs, ce);
  if (trivial_condition(ct, bool_var(cond))) return;
  cl_cxx_branch *b = cl_arena_alloc(K->A->a, sizeof *b);
  b->kind = kind;
  b->span = span_of(K->A, at, at + (uint32_t)(kind[0] == '?' ? 1 : strlen(kind)));
  b->cond = span_of(K->A, cs, ce);
  b->cond_text = ct;
  b->read = r;
  for (size_t i = 0; i < K->branches.n; i++)
    if (((cl_cxx_branch *)K->branches.v[i])->span.start == b->span.start) return;
  cl_vec_push(&K->branches, b);
}

static void walk_branch_stmt(kwalk *K, CXCursor c, const char *kw) {
  uint32_t at, end;
  cursors cs = children(c);
  if (cursor_offs(K->A, c, &at, &end) && starts_with_kw(K->A, at, kw)) {
    /* [init] [condition variable] condition then [else] */
    size_t ci = 0;
    while (ci < cs.n && !clang_isExpression(clang_getCursorKind(cs.v[ci]))) {
      if (clang_getCursorKind(cs.v[ci]) == CXCursor_VarDecl) {
        classify_decl(K, cs.v[ci]);
      } else {
        cursors ds = children(cs.v[ci]);
        for (size_t j = 0; j < ds.n; j++)
          if (clang_getCursorKind(ds.v[j]) == CXCursor_VarDecl) classify_decl(K, ds.v[j]);
        free(ds.v);
      }
      ci++;
    }
    if (ci < cs.n) {
      bool check = false;
      if (!strcmp(kw, "if")) {
        bool has_else = ci + 2 < cs.n;
        check = !has_else && ci + 1 < cs.n && only_fails(K->A, cs.v[ci + 1]);
      }
      if (!check) record_branch(K, kw, at, cs.v[ci]);
    }
  }
  for (size_t i = 0; i < cs.n; i++) walk(K, cs.v[i]);
  free(cs.v);
}

/* The `?` of a ?: written in the source (not in a macro), or 0. */
static uint32_t question_mark(ast *A, CXCursor cond, CXCursor then) {
  uint32_t cs, ce, ts, te;
  if (!cursor_offs(A, cond, &cs, &ce) || !cursor_offs(A, then, &ts, &te) || ts <= ce) return 0;
  for (uint32_t i = ce; i < ts; i++)
    if (A->f->bytes[i] == '?') return i;
  return 0;
}

static void walk_helper_call(kwalk *K, CXCursor call);

static void walk(kwalk *K, CXCursor c) {
  enum CXCursorKind k = clang_getCursorKind(c);
  cl_cxx_read r;
  switch (k) {
  case CXCursor_VarDecl:
    classify_decl(K, c);
    break;
  case CXCursor_BinaryOperator:
  case CXCursor_CompoundAssignOperator: {
    cursors cs = children(c);
    if (cs.n == 2) {
      uint32_t ls, le, rs, re;
      CXCursor lhs = strip(cs.v[0]);
      if (clang_getCursorKind(lhs) == CXCursor_DeclRefExpr && cursor_offs(K->A, cs.v[0], &ls, &le) &&
          cursor_offs(K->A, cs.v[1], &rs, &re) && rs > le) {
        const char *op = text_of(K->A, le, rs);
        bool assign = strchr(op, '=') && !strstr(op, "==") && !strstr(op, "<=") && !strstr(op, ">=") &&
                      !strstr(op, "!=");
        CXCursor var = clang_getCursorReferenced(lhs);
        if (assign && !clang_Cursor_isNull(var)) {
          if (tensor_type(K->A, clang_getCursorType(var))) {
            if (refs(K, cs.v[1], &K->tensors) && !cursors_has(&K->tensors, var)) cursors_push(&K->tensors, var);
          } else if (find_read(K, cs.v[1], &r) && !cursors_has(&K->sizes, var)) {
            cursors_push(&K->sizes, var);
          }
        }
      }
    }
    free(cs.v);
    break;
  }
  case CXCursor_CallExpr:
    if (read_of(K, c, &r, false)) push_read(K, &r);
    walk_helper_call(K, c);
    break;
  case CXCursor_IfStmt:
    walk_branch_stmt(K, c, "if");
    return;
  case CXCursor_SwitchStmt:
    walk_branch_stmt(K, c, "switch");
    return;
  case CXCursor_ConditionalOperator: {
    cursors cs = children(c);
    if (cs.n == 3) {
      uint32_t q = question_mark(K->A, cs.v[0], cs.v[1]);
      if (q) record_branch(K, "?:", q, cs.v[0]);
    }
    free(cs.v);
    break;
  }
  default:
    break;
  }
  clang_visitChildren(c, walk_visit, K);
}

/* Parameters of a function or lambda, in order. */
static cursors params_of(CXCursor fn) {
  cursors ps = {0};
  enum CXCursorKind k = clang_getCursorKind(fn);
  int n = k == CXCursor_LambdaExpr ? -1 : clang_Cursor_getNumArguments(fn);
  if (n >= 0) {
    for (int i = 0; i < n; i++) cursors_push(&ps, clang_Cursor_getArgument(fn, (unsigned)i));
  } else {
    cursors cs = children(fn);
    for (size_t i = 0; i < cs.n; i++)
      if (clang_getCursorKind(cs.v[i]) == CXCursor_ParmDecl) cursors_push(&ps, cs.v[i]);
    free(cs.v);
  }
  return ps;
}

static CXCursor body_of(CXCursor fn) {
  cursors cs = children(fn);
  CXCursor b = clang_getNullCursor();
  if (cs.n && clang_getCursorKind(cs.v[cs.n - 1]) == CXCursor_CompoundStmt) b = cs.v[cs.n - 1];
  free(cs.v);
  return b;
}

/* A call of a helper defined in this file that is passed the kernel's
 * tensors (or sizes): walk the helper with its parameters bound. */
static void walk_helper_call(kwalk *K, CXCursor call) {
  if (K->depth >= 3) return;
  CXCursor callee = clang_getCursorReferenced(call);
  if (clang_Cursor_isNull(callee) || clang_getCursorKind(callee) != CXCursor_FunctionDecl) return;
  CXCursor def = clang_getCursorDefinition(callee);
  if (clang_Cursor_isNull(def) || !in_main(K->A, def) || cursors_has(&K->stack, def)) return;
  CXCursor body = body_of(def);
  if (clang_Cursor_isNull(body)) return;
  int nargs = clang_Cursor_getNumArguments(call);
  cursors ps = params_of(def);
  cursors tensors = {0}, sizes = {0};
  cl_cxx_read r;
  for (int i = 0; i < nargs && (size_t)i < ps.n; i++) {
    CXCursor arg = clang_Cursor_getArgument(call, (unsigned)i);
    if (tensor_type(K->A, clang_getCursorType(ps.v[i]))) {
      if (refs(K, arg, &K->tensors)) cursors_push(&tensors, ps.v[i]);
    } else if (find_read(K, arg, &r)) {
      cursors_push(&sizes, ps.v[i]);
    }
  }
  free(ps.v);
  if (tensors.n || sizes.n) {
    kwalk H = *K;
    H.tensors = tensors;
    H.sizes = sizes;
    H.via = spelling(K->A, def);
    H.depth = K->depth + 1;
    cursors_push(&K->stack, def);
    H.stack = K->stack;
    walk(&H, body);
    K->reads = H.reads;
    K->branches = H.branches;
    K->stack = H.stack;
    K->stack.n--;
    free(H.tensors.v);
    free(H.sizes.v);
  } else {
    free(tensors.v);
    free(sizes.v);
  }
}

static cl_cxx_keyclass key_class(const char *key) {
  if (!*key || !strcmp(key, "CompositeImplicitAutograd") || !strcmp(key, "CatchAll")) return CXX_KEY_CIA;
  if (!strcmp(key, "Meta")) return CXX_KEY_META;
  if (!strncmp(key, "CompositeExplicitAutograd", 25)) return CXX_KEY_CEA;
  if (!strncmp(key, "Autograd", 8) && strcmp(key, "AutogradOther")) return CXX_KEY_AUTOGRAD;
  return CXX_KEY_OTHER;
}

static void analyse_kernel(ast *A, CXCursor fn, cl_cxx_kernel *k) {
  CXCursor body = body_of(fn);
  if (clang_Cursor_isNull(body)) return;
  k->has_body = true;
  kwalk K = {0};
  K.A = A;
  cursors ps = params_of(fn);
  for (size_t i = 0; i < ps.n; i++)
    if (tensor_type(A, clang_getCursorType(ps.v[i]))) cursors_push(&K.tensors, ps.v[i]);
  free(ps.v);
  cursors_push(&K.stack, fn);
  walk(&K, body);
  k->nreads = (uint32_t)K.reads.n;
  k->reads = cl_arena_alloc(A->a, (K.reads.n ? K.reads.n : 1) * sizeof(cl_cxx_read));
  for (size_t i = 0; i < K.reads.n; i++) k->reads[i] = *(cl_cxx_read *)K.reads.v[i];
  k->nbranches = (uint32_t)K.branches.n;
  k->branches = cl_arena_alloc(A->a, (K.branches.n ? K.branches.n : 1) * sizeof(cl_cxx_branch));
  for (size_t i = 0; i < K.branches.n; i++) k->branches[i] = *(cl_cxx_branch *)K.branches.v[i];
  cl_vec_free(&K.reads);
  cl_vec_free(&K.branches);
  free(K.tensors.v);
  free(K.sizes.v);
  free(K.stack.v);
}

/* ---- registrations ------------------------------------------------------- */

typedef struct {
  const char *kind; /* TORCH_LIBRARY, TORCH_LIBRARY_FRAGMENT, TORCH_LIBRARY_IMPL */
  const char *ns;
  const char *key;  /* "" unless _IMPL */
} library;

/* The kernel an argument of m.impl / m.def names. */
typedef struct {
  CXCursor fn;        /* definition (function or lambda); null when not found */
  const char *name;
  const char *key;    /* torch::dispatch(key, fn): the key, else NULL */
  bool lambda;
  bool found;         /* a function was named, even without a definition here */
} kernel_ref;

typedef struct {
  ast *A;
  kernel_ref *kr;
} kref_ctx;

static const char *enum_name(ast *A, CXCursor c) {
  /* torch::dispatch(c10::DispatchKey::Meta, f) or (c10::kCPU, f) */
  cursors stack = {0};
  cursors_push(&stack, c);
  const char *res = NULL;
  while (stack.n && !res) {
    CXCursor x = stack.v[--stack.n];
    if (clang_getCursorKind(x) == CXCursor_DeclRefExpr) {
      CXCursor ref = clang_getCursorReferenced(x);
      const char *n = spelling(A, x);
      if (clang_getCursorKind(ref) == CXCursor_EnumConstantDecl) res = n;
      else if (n[0] == 'k' && isupper((unsigned char)n[1])) res = n + 1;
    }
    cursors cs = children(x);
    for (size_t i = cs.n; i-- > 0;) cursors_push(&stack, cs.v[i]);
    free(cs.v);
  }
  free(stack.v);
  return res;
}

static enum CXChildVisitResult kref_visit(CXCursor c, CXCursor parent, CXClientData d) {
  kref_ctx *kc = d;
  kernel_ref *kr = kc->kr;
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_LambdaExpr) {
    kr->fn = c;
    kr->name = "lambda";
    kr->lambda = kr->found = true;
    return CXChildVisit_Break;
  }
  if (k == CXCursor_CallExpr && !strcmp(spelling(kc->A, c), "dispatch") && clang_Cursor_getNumArguments(c) == 2) {
    const char *key = enum_name(kc->A, clang_Cursor_getArgument(c, 0));
    if (key) kr->key = key;
    kref_visit(clang_Cursor_getArgument(c, 1), c, kc);
    if (!kr->found) clang_visitChildren(clang_Cursor_getArgument(c, 1), kref_visit, kc);
    return CXChildVisit_Break;
  }
  if (k == CXCursor_DeclRefExpr) {
    CXCursor ref = clang_getCursorReferenced(c);
    if (is_function_kind(clang_getCursorKind(ref))) {
      /* a function defined here wins; else the innermost one named
       * (fn of a wrapper such as TORCH_FN(fn)) */
      const char *name = spelling(kc->A, ref);
      CXCursor def = clang_getCursorDefinition(ref);
      if (clang_Cursor_isNull(def) || !in_main(kc->A, def)) def = find_def(kc->A, name);
      kr->name = name;
      kr->fn = def;
      kr->found = true;
      if (!clang_Cursor_isNull(def)) return CXChildVisit_Break;
    }
  }
  return CXChildVisit_Recurse;
}

/* Tokens of [start, end) of the main file: the identifiers that name a
 * function defined here (TORCH_FN(fn) of libtorch hides fn in a template
 * argument). */
static void kernel_from_tokens(ast *A, uint32_t start, uint32_t end, kernel_ref *kr) {
  CXSourceRange r = clang_getRange(clang_getLocationForOffset(A->tu, A->main, start),
                                   clang_getLocationForOffset(A->tu, A->main, end));
  CXToken *toks = NULL;
  unsigned n = 0;
  clang_tokenize(A->tu, r, &toks, &n);
  for (unsigned i = 0; i < n && !kr->found; i++) {
    if (clang_getTokenKind(toks[i]) != CXToken_Identifier) continue;
    const char *id = str_of(A, clang_getTokenSpelling(A->tu, toks[i]));
    CXCursor def = find_def(A, id);
    if (!clang_Cursor_isNull(def)) {
      kr->fn = def;
      kr->name = id;
      kr->found = true;
    }
  }
  if (toks) clang_disposeTokens(A->tu, toks, n);
}

static kernel_ref resolve_kernel(ast *A, CXCursor arg) {
  kernel_ref kr = {clang_getNullCursor(), NULL, NULL, false, false};
  kref_ctx kc = {A, &kr};
  if (kref_visit(arg, arg, &kc) != CXChildVisit_Break) clang_visitChildren(arg, kref_visit, &kc);
  uint32_t s, e;
  if (clang_Cursor_isNull(kr.fn) && cursor_offs(A, arg, &s, &e) && e > s) {
    kernel_ref t = kr;
    t.found = false;
    kernel_from_tokens(A, s, e, &t);
    if (t.found) kr = t;
  }
  return kr;
}

/* The string literal in an argument (a plain literal, TORCH_SELECTIVE_SCHEMA,
 * a conversion): its value and its cursor. */
typedef struct {
  ast *A;
  CXCursor lit;
  bool found;
} lit_ctx;

static enum CXChildVisitResult lit_visit(CXCursor c, CXCursor parent, CXClientData d) {
  lit_ctx *lc = d;
  if (clang_getCursorKind(c) == CXCursor_StringLiteral) {
    lc->lit = c;
    lc->found = true;
    return CXChildVisit_Break;
  }
  return CXChildVisit_Recurse;
}

static const char *string_arg(ast *A, CXCursor arg, CXCursor *lit) {
  lit_ctx lc = {A, clang_getNullCursor(), false};
  if (lit_visit(arg, arg, &lc) != CXChildVisit_Break) clang_visitChildren(arg, lit_visit, &lc);
  if (!lc.found) return NULL;
  *lit = lc.lit;
  /* libclang spells a string literal as clang prints it: one quoted,
   * escaped literal for all its concatenated pieces */
  const char *sp = spelling(A, lc.lit);
  while (*sp && *sp != '"') sp++; /* u8"", L"" */
  if (*sp != '"') return NULL;
  sp++;
  size_t n = strlen(sp);
  if (!n || sp[n - 1] != '"') return NULL;
  char *out = cl_arena_alloc(A->a, n);
  size_t k = 0;
  for (size_t i = 0; i + 1 < n; i++) {
    char c = sp[i];
    if (c != '\\' || i + 2 >= n) {
      out[k++] = c;
      continue;
    }
    c = sp[++i];
    switch (c) {
    case 'n': out[k++] = '\n'; break;
    case 't': out[k++] = '\t'; break;
    case 'r': out[k++] = '\r'; break;
    case 'a': out[k++] = '\a'; break;
    case 'b': out[k++] = '\b'; break;
    case 'f': out[k++] = '\f'; break;
    case 'v': out[k++] = '\v'; break;
    case 'x': {
      unsigned v = 0;
      while (i + 2 < n && isxdigit((unsigned char)sp[i + 1])) {
        char h = sp[++i];
        v = v * 16 + (unsigned)(isdigit((unsigned char)h) ? h - '0' : (tolower((unsigned char)h) - 'a' + 10));
      }
      out[k++] = (char)v;
      break;
    }
    default:
      if (c >= '0' && c <= '7') {
        unsigned v = (unsigned)(c - '0');
        for (int d = 0; d < 2 && i + 2 < n && sp[i + 1] >= '0' && sp[i + 1] <= '7'; d++)
          v = v * 8 + (unsigned)(sp[++i] - '0');
        out[k++] = (char)v;
      } else {
        out[k++] = c; /* \\ \" \' \? */
      }
    }
  }
  out[k] = 0;
  return out;
}

/* Map offsets in a literal's value to the file: the literal's tokens, when
 * each is a plain "..." or R"d(...)d" string without escapes. */
typedef struct {
  uint32_t val, file, len;
} segment;

static bool literal_segments(ast *A, CXCursor lit, const char *value, segment **out, size_t *nout) {
  uint32_t s, e;
  if (!cursor_offs(A, lit, &s, &e) || e <= s) return false;
  CXSourceRange r = clang_getRange(clang_getLocationForOffset(A->tu, A->main, s),
                                   clang_getLocationForOffset(A->tu, A->main, e));
  CXToken *toks = NULL;
  unsigned n = 0;
  clang_tokenize(A->tu, r, &toks, &n);
  segment *segs = cl_arena_alloc(A->a, (n ? n : 1) * sizeof *segs);
  size_t k = 0;
  uint32_t val = 0;
  bool ok = n > 0;
  for (unsigned i = 0; i < n && ok; i++) {
    if (clang_getTokenKind(toks[i]) != CXToken_Literal) {
      ok = false;
      break;
    }
    const char *t = str_of(A, clang_getTokenSpelling(A->tu, toks[i]));
    uint32_t toff;
    if (!loc_off(A, clang_getTokenLocation(A->tu, toks[i]), &toff)) {
      ok = false;
      break;
    }
    size_t tl = strlen(t);
    const char *body;
    size_t bl;
    if (t[0] == '"' && tl >= 2 && t[tl - 1] == '"' && !memchr(t, '\\', tl)) {
      body = t + 1;
      bl = tl - 2;
    } else if (t[0] == 'R' && t[1] == '"') {
      const char *open = strchr(t, '(');
      if (!open) {
        ok = false;
        break;
      }
      size_t dl = (size_t)(open - t - 2);
      body = open + 1;
      if (tl < (size_t)(body - t) + dl + 2) {
        ok = false;
        break;
      }
      bl = tl - (size_t)(body - t) - dl - 2;
    } else {
      ok = false;
      break;
    }
    if (strncmp(value + val, body, bl)) {
      ok = false;
      break;
    }
    segs[k].val = val;
    segs[k].file = toff + (uint32_t)(body - t);
    segs[k].len = (uint32_t)bl;
    k++;
    val += (uint32_t)bl;
  }
  if (toks) clang_disposeTokens(A->tu, toks, n);
  if (!ok || value[val] != 0) return false;
  *out = segs;
  *nout = k;
  return true;
}

static bool map_off(const segment *segs, size_t n, uint32_t val, bool is_end, uint32_t *file) {
  for (size_t i = 0; i < n; i++)
    if (val >= segs[i].val && (val < segs[i].val + segs[i].len || (is_end && val == segs[i].val + segs[i].len))) {
      *file = segs[i].file + (val - segs[i].val);
      return true;
    }
  return false;
}

/* The schema type of a C++ parameter (def(name, fn) infers the schema). */
static const char *schema_type(ast *A, CXType t) {
  const char *sp = str_of(A, clang_getTypeSpelling(clang_getCanonicalType(t)));
  if (!strncmp(sp, "const ", 6)) sp += 6; /* references keep their spelling: "const at::Tensor &" */
  bool opt = strstr(sp, "optional<") != NULL;
  bool list = strstr(sp, "ArrayRef<") || strstr(sp, "vector<");
  const char *base = "Any";
  if (strstr(sp, "at::Tensor")) base = "Tensor";
  else if (strstr(sp, "c10::SymInt")) base = "SymInt";
  else if (strstr(sp, "long") || strstr(sp, "int")) base = "int";
  else if (strstr(sp, "double")) base = "float";
  else if (strstr(sp, "bool")) base = "bool";
  return cl_arena_printf(A->a, "%s%s%s", base, list ? "[]" : "", opt ? "?" : "");
}

static void add_op(ast *A, const library *lib, const char *text, CXCursor lit, const char *qual,
                   cl_schema *sc, uint32_t ls, uint32_t le, CXCursor infer_from) {
  cl_cxx_op *op = cl_arena_alloc(A->a, sizeof *op);
  op->name = qual;
  op->schema = *sc;
  op->file = A->f;
  op->span = span_of(A, ls, le);
  op->arg_spans = cl_arena_alloc(A->a, (sc->nargs ? sc->nargs : 1) * sizeof(cl_span));
  segment *segs = NULL;
  size_t nsegs = 0;
  bool mapped = !clang_Cursor_isNull(lit) && literal_segments(A, lit, text, &segs, &nsegs);
  cursors ps = {0};
  if (!clang_Cursor_isNull(infer_from)) {
    op->inferred = true;
    ps = params_of(infer_from);
  }
  for (uint32_t i = 0; i < sc->nargs; i++) {
    uint32_t fs, fe;
    if (op->inferred && i < ps.n && cursor_offs(A, ps.v[i], &fs, &fe))
      op->arg_spans[i] = span_of(A, fs, fe);
    else if (mapped && map_off(segs, nsegs, sc->args[i].start, false, &fs) &&
             map_off(segs, nsegs, sc->args[i].end, true, &fe) && fe >= fs)
      op->arg_spans[i] = span_of(A, fs, fe);
    else
      op->arg_spans[i] = op->span;
  }
  free(ps.v);
  (void)lib;
  cl_vec_push(A->ops, op);
}

static void add_kernel(ast *A, const library *lib, const char *opname, kernel_ref *kr, uint32_t rs,
                       uint32_t re) {
  cl_cxx_kernel *k = cl_arena_alloc(A->a, sizeof *k);
  k->op = opname;
  k->key = kr->key ? kr->key : lib->key;
  k->cls = key_class(k->key);
  k->fn = kr->name ? kr->name : "?";
  k->file = A->f;
  k->reg = span_of(A, rs, re);
  k->fn_span = k->reg;
  if (!clang_Cursor_isNull(kr->fn)) {
    uint32_t s, e;
    if (kr->lambda) {
      if (cursor_offs(A, kr->fn, &s, &e)) k->fn_span = span_of(A, s, s + 1);
    } else if (loc_off(A, clang_getCursorLocation(kr->fn), &s)) {
      k->fn_span = span_of(A, s, s + (uint32_t)strlen(k->fn));
    }
    analyse_kernel(A, kr->fn, k);
  }
  cl_vec_push(A->kernels, k);
}

/* m.def(...) / m.impl(...) */
static void registration(ast *A, const library *lib, CXCursor call, const char *method) {
  int nargs = clang_Cursor_getNumArguments(call);
  if (nargs < 1) return;
  CXCursor lit = clang_getNullCursor();
  const char *text = string_arg(A, clang_Cursor_getArgument(call, 0), &lit);
  if (!text) return;
  uint32_t rs, re, ls = 0, le = 0;
  if (!cursor_offs(A, call, &rs, &re)) return;
  if (clang_Cursor_isNull(lit) || !cursor_offs(A, lit, &ls, &le)) ls = rs, le = re;
  cl_schema sc;
  if (cl_schema_parse_in(A->a, text, strlen(text), &sc) != 0) return; /* not a schema we can read */
  const char *qual = cl_schema_qualname(A->a, &sc, lib->ns);
  kernel_ref kr = {clang_getNullCursor(), NULL, NULL, false, false};
  if (nargs >= 2) kr = resolve_kernel(A, clang_Cursor_getArgument(call, 1));
  if (!strcmp(method, "def")) {
    if (sc.has_args) {
      add_op(A, lib, text, lit, qual, &sc, ls, le, clang_getNullCursor());
    } else if (!clang_Cursor_isNull(kr.fn)) {
      /* def("name", fn): the schema is fn's signature */
      cursors ps = params_of(kr.fn);
      size_t cap = 64;
      char *buf = cl_xmalloc(cap);
      size_t bl = (size_t)snprintf(buf, cap, "%s(", sc.name);
      for (size_t i = 0; i < ps.n; i++) {
        const char *pn = spelling(A, ps.v[i]);
        char *item = cl_xasprintf("%s%s %s", i ? ", " : "", schema_type(A, clang_getCursorType(ps.v[i])),
                                  *pn ? pn : "arg");
        size_t il = strlen(item);
        if (bl + il + 16 >= cap) buf = cl_xrealloc(buf, cap = 2 * (bl + il + 16));
        memcpy(buf + bl, item, il + 1);
        bl += il;
        free(item);
      }
      memcpy(buf + bl, ") -> Any", 9);
      cl_schema inferred;
      if (cl_schema_parse_in(A->a, buf, strlen(buf), &inferred) == 0) {
        inferred.ns = sc.ns;
        inferred.overload = sc.overload;
        add_op(A, lib, buf, clang_getNullCursor(), qual, &inferred, ls, le, kr.fn);
      }
      free(buf);
      free(ps.v);
    }
    if (nargs >= 2 && kr.found) add_kernel(A, lib, qual, &kr, rs, re);
    return;
  }
  /* impl: in a TORCH_LIBRARY / _FRAGMENT block without a key, the catch-all */
  if (nargs >= 2 && kr.found) add_kernel(A, lib, qual, &kr, rs, re);
}

typedef struct {
  ast *A;
  const library *lib;
} reg_ctx;

static bool is_library_call(ast *A, CXCursor call, const char **method) {
  CXCursor obj;
  if (!member_call(A, call, &obj, method)) return false;
  if (strcmp(*method, "def") && strcmp(*method, "impl")) return false;
  CXCursor ref = clang_getCursorReferenced(call);
  if (!clang_Cursor_isNull(ref) && !strcmp(spelling(A, clang_getCursorSemanticParent(ref)), "Library")) return true;
  const char *t = str_of(A, clang_getTypeSpelling(clang_getCanonicalType(clang_getCursorType(obj))));
  return strstr(t, "torch::Library") != NULL;
}

static enum CXChildVisitResult reg_visit(CXCursor c, CXCursor parent, CXClientData d) {
  reg_ctx *rc = d;
  const char *method;
  if (clang_getCursorKind(c) == CXCursor_CallExpr && is_library_call(rc->A, c, &method)) {
    registration(rc->A, rc->lib, c, method);
    /* chained m.def(...).def(...): the object is the inner call */
    clang_visitChildren(c, reg_visit, rc);
    return CXChildVisit_Continue;
  }
  return CXChildVisit_Recurse;
}

/* TORCH_LIBRARY_IMPL_init_<ns>_<key>_<uid>, TORCH_LIBRARY_FRAGMENT_init_<ns>_<uid>,
 * TORCH_LIBRARY_init_<ns>: the block from the function's name, when the
 * macro's text is not at its expansion point (a wrapper macro). */
static bool library_from_name(ast *A, const char *name, library *lib) {
  const char *p;
  bool impl = false, frag = false;
  if (!strncmp(name, "TORCH_LIBRARY_IMPL_init_", 24)) p = name + 24, impl = true;
  else if (!strncmp(name, "TORCH_LIBRARY_FRAGMENT_init_", 28)) p = name + 28, frag = true;
  else if (!strncmp(name, "TORCH_LIBRARY_init_", 19)) p = name + 19;
  else return false;
  char *s = cl_arena_strdup(A->a, p);
  if (impl || frag) { /* drop _<uid> */
    char *u = strrchr(s, '_');
    if (u && u[1] && strspn(u + 1, "0123456789") == strlen(u + 1)) *u = 0;
  }
  lib->key = "";
  if (impl) {
    char *k = strrchr(s, '_');
    if (!k) return false;
    *k = 0;
    lib->key = k + 1;
  }
  lib->ns = s;
  lib->kind = impl ? "TORCH_LIBRARY_IMPL" : frag ? "TORCH_LIBRARY_FRAGMENT" : "TORCH_LIBRARY";
  return true;
}

/* Is name the function that this TORCH_LIBRARY* invocation defines? */
static bool name_matches(ast *A, const char *name, const library *lib) {
  if (!strcmp(lib->kind, "TORCH_LIBRARY")) return !strcmp(name, cl_arena_printf(A->a, "TORCH_LIBRARY_init_%s", lib->ns));
  const char *want = !strcmp(lib->kind, "TORCH_LIBRARY_IMPL")
                         ? cl_arena_printf(A->a, "TORCH_LIBRARY_IMPL_init_%s_%s_", lib->ns, lib->key)
                         : cl_arena_printf(A->a, "TORCH_LIBRARY_FRAGMENT_init_%s_", lib->ns);
  return !strncmp(name, want, strlen(want));
}

void cl_cxx_walk(condlint_session *s, cl_file *f, void *tup, cl_vec *ops, cl_vec *kernels) {
  ast A = {0};
  A.s = s;
  A.f = f;
  A.tu = tup;
  A.main = clang_getFile(A.tu, f->abspath);
  A.a = f->arena;
  A.ops = ops;
  A.kernels = kernels;
  if (!A.main) return;
  clang_visitChildren(clang_getTranslationUnitCursor(A.tu), collect_defs, &A);
  for (size_t i = 0; i < A.ndefs; i++) {
    const char *name = A.defs[i].name;
    if (strncmp(name, "TORCH_LIBRARY", 13) || !has_body(A.defs[i].c)) continue;
    library lib;
    uint32_t off;
    if (expansion_off(&A, clang_getCursorLocation(A.defs[i].c), &off) &&
        cl_cxx_macro_at(A.a, f->bytes, f->len, off, &lib.kind, &lib.ns, &lib.key)) {
      /* an argument written as a macro (TORCH_LIBRARY(MY_NS, m)): the
       * function's name holds it expanded */
      if (!name_matches(&A, name, &lib)) {
        library byname;
        if (!library_from_name(&A, name, &byname)) continue;
        const char *mark = *lib.key ? strstr(name, cl_arena_printf(A.a, "_%s_", lib.key)) : NULL;
        if (mark && !strcmp(byname.kind, "TORCH_LIBRARY_IMPL") && mark > name + 24) {
          byname.ns = cl_arena_strndup(A.a, name + 24, (size_t)(mark - (name + 24)));
          byname.key = lib.key;
        }
        lib = byname;
      }
    } else if (!library_from_name(&A, name, &lib)) {
      continue;
    }
    reg_ctx rc = {&A, &lib};
    clang_visitChildren(body_of(A.defs[i].c), reg_visit, &rc);
  }
  free(A.defs);
}
