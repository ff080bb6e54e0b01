/*
 * schema.c — parse PyTorch operator schema strings (see schema.h) with PCRE2:
 * one pattern for the operator name, one for an argument, one for a return.
 * The argument list is split at top-level commas by hand first, because a
 * default may hold commas ("int[2] k=[1, 1]") and an alias parentheses.
 * Patterns are compiled once and shared by every thread; each call gets its
 * own match data.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

/* ns::name.overload, then '(' or the end. */
static const char NAME_RE[] =
    "^(?:([A-Za-z_][A-Za-z0-9_]*)::)?([A-Za-z_][A-Za-z0-9_]*)(?:\\.([A-Za-z_][A-Za-z0-9_]*))?"
    "\\s*(\\(|$)";

/* A type: base, alias annotation, T? | T[N] | T?[N] | T[N]?. */
#define TYPE_RE                                                                  \
  "([A-Za-z_][A-Za-z0-9_]*)\\s*(?:\\(\\s*([^()]*?)\\s*\\))?\\s*(\\?)?\\s*"        \
  "(?:\\[\\s*([0-9]*)\\s*\\])?\\s*(\\?)?"

/* An argument: type, name (a space unless the type ends in ) ] ?), default. */
static const char ARG_RE[] = "^" TYPE_RE "(?:\\s+|(?<=[)\\]?]))([A-Za-z_][A-Za-z0-9_]*)"
                             "\\s*(?:=\\s*(\\S.*?))?\\s*$";

/* A return: type, then an optional name. */
static const char RET_RE[] = "^" TYPE_RE "(?:(?:\\s+|(?<=[)\\]?]))([A-Za-z_][A-Za-z0-9_]*))?\\s*$";

enum { G_BASE = 1, G_ALIAS, G_EOPT, G_LEN, G_OPT, G_NAME, G_DFLT };

static pcre2_code *re_name, *re_arg, *re_ret;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static pcre2_code *compile(const char *pat) {
  int err;
  PCRE2_SIZE off;
  pcre2_code *c = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_DOTALL, &err, &off, NULL);
  if (!c) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(err, buf, sizeof buf);
    fprintf(stderr, "condlint: internal error: schema pattern: %s at %zu\n", (char *)buf, (size_t)off);
    abort();
  }
  pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
  return c;
}

static void compile_all(void) {
  re_name = compile(NAME_RE);
  re_arg = compile(ARG_RE);
  re_ret = compile(RET_RE);
}

typedef struct {
  cl_arena *a;
  const char *s;
  pcre2_match_data *md;
} parser;

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/* Group g of the last match as an arena string, or NULL when it did not take part. */
static const char *group(parser *p, const char *subject, int g) {
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);
  if (ov[2 * g] == PCRE2_UNSET) return NULL;
  return cl_arena_strndup(p->a, subject + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
}

static uint32_t group_start(parser *p, int g, uint32_t dflt) {
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);
  return ov[2 * g] == PCRE2_UNSET ? dflt : (uint32_t)ov[2 * g];
}

static int fail(cl_schema *out, const char *msg, size_t at) {
  out->error = msg;
  out->error_at = (uint32_t)at;
  return CL_SCHEMA_EINVALID;
}

static cl_schema_base classify(const char *base) {
  if (!strcmp(base, "Tensor")) return CL_ST_TENSOR;
  if (!strcmp(base, "int")) return CL_ST_INT;
  if (!strcmp(base, "SymInt")) return CL_ST_SYMINT;
  if (!strcmp(base, "float")) return CL_ST_FLOAT;
  if (!strcmp(base, "bool")) return CL_ST_BOOL;
  return CL_ST_OTHER;
}

/* End of the bracketed group opening at s[i] (one past its closer), or 0. */
static size_t skip_group(const char *s, size_t i, size_t end) {
  int depth = 0;
  char quote = 0;
  for (; i < end; i++) {
    char c = s[i];
    if (quote) {
      if (c == '\\' && i + 1 < end) i++;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') quote = c;
    else if (c == '(' || c == '[') depth++;
    else if (c == ')' || c == ']') {
      if (--depth == 0) return i + 1;
      if (depth < 0) return 0;
    }
  }
  return 0;
}

/* Split s[start, end) at top-level commas into trimmed pieces. */
typedef struct {
  uint32_t start, end;
} piece;

static int split(const char *s, size_t start, size_t end, piece **out, uint32_t *n, cl_arena *a,
                 size_t *bad) {
  uint32_t cap = 8, k = 0;
  piece *v = cl_arena_alloc(a, cap * sizeof *v);
  size_t i = start, from = start;
  int depth = 0;
  char quote = 0;
  for (;; i++) {
    bool at_end = i >= end;
    char c = at_end ? ',' : s[i];
    if (!at_end && quote) {
      if (c == '\\' && i + 1 < end) i++;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      continue;
    }
    if (c == '(' || c == '[') depth++;
    else if (c == ')' || c == ']') {
      if (--depth < 0) {
        *bad = i;
        return -1;
      }
    } else if (c == ',' && (depth == 0 || at_end)) {
      size_t b = from, e = i;
      while (b < e && is_space(s[b])) b++;
      while (e > b && is_space(s[e - 1])) e--;
      if (k == cap) {
        piece *nv = cl_arena_alloc(a, 2 * cap * sizeof *nv);
        memcpy(nv, v, cap * sizeof *nv);
        v = nv;
        cap *= 2;
      }
      v[k].start = (uint32_t)b;
      v[k].end = (uint32_t)e;
      k++;
      from = i + 1;
      if (at_end) break;
    }
  }
  if (quote || depth) {
    *bad = end;
    return -1;
  }
  /* "()" is one empty piece: no arguments */
  if (k == 1 && v[0].start == v[0].end) k = 0;
  *out = v;
  *n = k;
  return 0;
}

static int parse_item(parser *p, cl_schema *out, piece pc, bool is_ret, cl_schema_arg *arg) {
  const char *s = p->s;
  size_t len = pc.end - pc.start;
  if (len == 0) return fail(out, is_ret ? "empty return type" : "empty argument", pc.start);
  int rc = pcre2_match(is_ret ? re_ret : re_arg, (PCRE2_SPTR)(s + pc.start), len, 0, 0, p->md, NULL);
  if (rc < 0)
    return fail(out, is_ret ? "expected a return type" : "expected an argument: TYPE NAME[=DEFAULT]",
                pc.start);
  const char *sub = s + pc.start;
  memset(arg, 0, sizeof *arg);
  arg->base_name = group(p, sub, G_BASE);
  arg->base = classify(arg->base_name);
  arg->alias = group(p, sub, G_ALIAS);
  arg->is_mutable = arg->alias && strchr(arg->alias, '!');
  const char *len_s = group(p, sub, G_LEN);
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);
  arg->is_list = ov[2 * G_LEN] != PCRE2_UNSET;
  arg->list_len = -1;
  if (arg->is_list && len_s && *len_s) arg->list_len = (int)strtol(len_s, NULL, 10);
  bool eopt = ov[2 * G_EOPT] != PCRE2_UNSET, opt = ov[2 * G_OPT] != PCRE2_UNSET;
  if (arg->is_list) {
    arg->elem_optional = eopt;
    arg->optional = opt;
  } else {
    arg->optional = eopt || opt;
  }
  const char *name = group(p, sub, G_NAME);
  arg->name = name ? name : "";
  arg->dflt = is_ret ? NULL : group(p, sub, G_DFLT);
  arg->start = pc.start;
  arg->end = pc.end;
  arg->name_start = pc.start + group_start(p, G_NAME, (uint32_t)len);
  /* the type as written, without blanks */
  uint32_t tend = name ? arg->name_start : pc.end;
  char *t = cl_arena_alloc(p->a, tend - pc.start + 1);
  size_t k = 0;
  for (uint32_t i = pc.start; i < tend; i++)
    if (!is_space(s[i])) t[k++] = s[i];
  t[k] = 0;
  arg->type = t;
  return 0;
}

int cl_schema_parse_in(cl_arena *a, const char *s, size_t len, cl_schema *out) {
  pthread_once(&once, compile_all);
  memset(out, 0, sizeof *out);
  out->ns = out->name = out->overload = "";
  if (!s) return fail(out, "no schema", 0);
  if (memchr(s, 0, len)) return fail(out, "NUL byte in the schema", (size_t)((const char *)memchr(s, 0, len) - s));
  parser p = {a, s, pcre2_match_data_create(16, NULL)};
  size_t i = 0;
  while (i < len && is_space(s[i])) i++;
  size_t end = len;
  while (end > i && is_space(s[end - 1])) end--;
  int rc = 0;
  size_t open = i;
  if (i < end && s[i] == '(') {
    /* torch.library.define(name, "(Tensor x) -> Tensor"): the name is elsewhere */
    out->has_args = true;
  } else {
    int m = pcre2_match(re_name, (PCRE2_SPTR)(s + i), end - i, 0, 0, p.md, NULL);
    if (m < 0) {
      rc = fail(out, "expected an operator name", i);
      goto done;
    }
    const char *ns = group(&p, s + i, 1), *ov = group(&p, s + i, 3);
    out->ns = ns ? ns : "";
    out->name = group(&p, s + i, 2);
    out->overload = ov ? ov : "";
    PCRE2_SIZE *vec = pcre2_get_ovector_pointer(p.md);
    out->has_args = vec[8] != vec[9]; /* group 4 matched '(' rather than the end */
    if (!out->has_args) goto done;
    open = i + vec[8];
  }
  size_t close = skip_group(s, open, end);
  if (!close) {
    rc = fail(out, "unbalanced parentheses in the argument list", open);
    goto done;
  }
  piece *args;
  uint32_t nargs;
  size_t bad = 0;
  if (split(s, open + 1, close - 1, &args, &nargs, a, &bad) < 0) {
    rc = fail(out, "unbalanced brackets or quotes in the argument list", bad);
    goto done;
  }
  out->args = cl_arena_alloc(a, (nargs ? nargs : 1) * sizeof(cl_schema_arg));
  bool kwonly = false;
  for (uint32_t k = 0; k < nargs; k++) {
    if (args[k].end - args[k].start == 1 && s[args[k].start] == '*') {
      if (kwonly) {
        rc = fail(out, "a second '*' in the argument list", args[k].start);
        goto done;
      }
      kwonly = true;
      continue;
    }
    cl_schema_arg *arg = &out->args[out->nargs];
    if ((rc = parse_item(&p, out, args[k], false, arg)) < 0) goto done;
    arg->kwarg_only = kwonly;
    out->nargs++;
  }
  /* -> returns */
  size_t j = close;
  while (j < end && is_space(s[j])) j++;
  if (j == end) goto done; /* no returns written */
  if (end - j < 2 || s[j] != '-' || s[j + 1] != '>') {
    rc = fail(out, "expected '->' after the argument list", j);
    goto done;
  }
  j += 2;
  while (j < end && is_space(s[j])) j++;
  if (j == end) {
    rc = fail(out, "expected a return type after '->'", j);
    goto done;
  }
  size_t rstart = j, rend = end;
  if (s[j] == '(') {
    size_t rclose = skip_group(s, j, end);
    if (rclose == end) { /* a parenthesized tuple of returns */
      rstart = j + 1;
      rend = end - 1;
    } else if (!rclose) {
      rc = fail(out, "unbalanced parentheses in the returns", j);
      goto done;
    }
  }
  piece *rets;
  uint32_t nrets;
  if (split(s, rstart, rend, &rets, &nrets, a, &bad) < 0) {
    rc = fail(out, "unbalanced brackets in the returns", bad);
    goto done;
  }
  out->rets = cl_arena_alloc(a, (nrets ? nrets : 1) * sizeof(cl_schema_arg));
  for (uint32_t k = 0; k < nrets; k++) {
    if ((rc = parse_item(&p, out, rets[k], true, &out->rets[k])) < 0) goto done;
    out->nrets++;
  }
done:
  pcre2_match_data_free(p.md);
  return rc;
}

int cl_schema_parse(const char *s, size_t len, cl_schema *out) {
  cl_arena *a = cl_arena_new();
  int rc = cl_schema_parse_in(a, s, len, out);
  out->owned = a;
  return rc;
}

void cl_schema_free(cl_schema *sc) {
  if (!sc) return;
  cl_arena_free(sc->owned);
  sc->owned = NULL;
}

int cl_schema_find_arg(const cl_schema *sc, const char *name) {
  for (uint32_t i = 0; i < sc->nargs; i++)
    if (!strcmp(sc->args[i].name, name)) return (int)i;
  return -1;
}

const char *cl_schema_qualname(cl_arena *a, const cl_schema *sc, const char *ns) {
  const char *n = sc->ns && *sc->ns ? sc->ns : ns ? ns : "";
  if (sc->overload && *sc->overload) return cl_arena_printf(a, "%s::%s.%s", n, sc->name, sc->overload);
  return cl_arena_printf(a, "%s::%s", n, sc->name);
}
