/*
 * parse.c — the Python front end: parse a file with tree-sitter (the
 * parser's copy of it from parse_source.c, run through parse_guard.c),
 * report what does not parse (CL901) and nesting too deep to walk (CL904),
 * then lower the concrete syntax tree into the compact IR of internal.h.
 * Regions that do not parse are skipped; the rest is lowered, so the rest of
 * the file is still checked. Editors re-parse incrementally (below).
 *
 * The lowering reads node kinds as small integers (a table from the
 * grammar's symbols, made once) and fields by ids resolved once, and walks
 * children with one tree cursor onto a stack of nodes: ts_node_child(n, i)
 * and ts_node_named_child(n, i) walk n's children from the first on each
 * call, so a loop over them is quadratic.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

#include "parse.h"

/* Recursion in the lowering is bounded; deeper subtrees become E_UNKNOWN and
 * one CL904 finding. 64 KiB of stack is plenty for this depth. */
#define MAX_DEPTH 400

/* ---- node kinds and fields, resolved once ---------------------------------- */

/* The node types the lowering tells apart, by name (ts_node_type), whatever
 * their symbol or whether they are named: what strcmp on the type did. */
#define NODE_KINDS(X)                                                                             \
  X(aliased_import) X(as_pattern) X(assert_statement) X(assignment) X(attribute)                  \
  X(augmented_assignment) X(await) X(binary_operator) X(block) X(boolean_operator)                \
  X(break_statement) X(call) X(class_definition) X(comment) X(comparison_operator)                \
  X(concatenated_string) X(conditional_expression) X(continue_statement)                          \
  X(decorated_definition) X(decorator) X(default_parameter) X(delete_statement) X(dictionary)     \
  X(dictionary_comprehension) X(dictionary_splat) X(dictionary_splat_pattern) X(dotted_name)      \
  X(elif_clause) X(ellipsis) X(else_clause) X(escape_sequence) X(except_clause)                   \
  X(except_group_clause) X(expression_list) X(expression_statement) X(false) X(finally_clause)    \
  X(float) X(for_in_clause) X(for_statement) X(function_definition) X(future_import_statement)    \
  X(generator_expression) X(global_statement) X(identifier) X(if_clause) X(if_statement)          \
  X(import_from_statement) X(import_prefix) X(import_statement) X(integer) X(keyword_argument)    \
  X(keyword_separator) X(lambda) X(list) X(list_comprehension) X(list_pattern) X(list_splat)      \
  X(list_splat_pattern) X(named_expression) X(none) X(nonlocal_statement) X(not_operator)         \
  X(pair) X(parenthesized_expression) X(parenthesized_list_splat) X(pass_statement)               \
  X(pattern_list) X(raise_statement) X(relative_import) X(return_statement) X(set)                \
  X(set_comprehension) X(slice) X(string) X(string_content) X(subscript) X(true)                  \
  X(try_statement) X(tuple) X(tuple_pattern) X(typed_default_parameter) X(typed_parameter)        \
  X(unary_operator) X(while_statement) X(wildcard_import) X(with_clause) X(with_item)             \
  X(with_statement)

enum {
  K_OTHER = 0,
  K_ERROR,
  K_COLON, /* ":" */
#define KIND_ENUM(name) K_##name,
  NODE_KINDS(KIND_ENUM)
#undef KIND_ENUM
  K_COUNT
};
_Static_assert(K_COUNT < 128, "node kinds must fit in 7 bits");
#define K_STATEMENT 0x80 /* flag: a type ending in _statement or _definition, or decorated_definition */

#define NODE_FIELDS(X)                                                                            \
  X(alias) X(alternative) X(argument) X(arguments) X(attribute) X(body) X(condition)              \
  X(consequence) X(definition) X(function) X(key) X(left) X(module_name) X(name) X(object)        \
  X(operator) X(parameters) X(right) X(superclasses) X(type) X(value)

static struct {
#define FIELD_MEMBER(name) TSFieldId name;
  NODE_FIELDS(FIELD_MEMBER)
#undef FIELD_MEMBER
} F;

static uint8_t *kind_table; /* by symbol (ts_node_symbol), ERROR included: 65536 entries */
static pthread_once_t kinds_once = PTHREAD_ONCE_INIT;

static bool type_is_statement(const char *t) {
  size_t l = strlen(t);
  return (l > 10 && !strcmp(t + l - 10, "_statement")) || (l > 11 && !strcmp(t + l - 11, "_definition")) ||
         !strcmp(t, "decorated_definition");
}

static uint8_t kind_of_name(const char *t) {
  static const char *const names[] = {
#define KIND_NAME(name) #name,
      NODE_KINDS(KIND_NAME)
#undef KIND_NAME
  };
  if (!t) return K_OTHER;
  uint8_t k = K_OTHER;
  if (!strcmp(t, "ERROR")) k = K_ERROR;
  else if (!strcmp(t, ":")) k = K_COLON;
  for (size_t i = 0; k == K_OTHER && i < sizeof names / sizeof names[0]; i++)
    if (!strcmp(t, names[i])) k = (uint8_t)(K_aliased_import + i);
  return (uint8_t)(k | (type_is_statement(t) ? K_STATEMENT : 0));
}

static void kinds_init(void) {
  const TSLanguage *lang = tree_sitter_python();
  /* ts_node_symbol gives the public symbol, which has the name of the node's
   * own (tree-sitter merges only symbols of one name); ERROR is 65535 */
  kind_table = cl_xcalloc(65536, 1);
  uint32_t n = ts_language_symbol_count(lang);
  for (uint32_t i = 0; i < n && i < 65534; i++)
    kind_table[i] = kind_of_name(ts_language_symbol_name(lang, (TSSymbol)i));
  kind_table[65534] = kind_of_name(ts_language_symbol_name(lang, 65534)); /* _ERROR */
  kind_table[65535] = kind_of_name(ts_language_symbol_name(lang, 65535)); /* ERROR */
#define FIELD_INIT(name) F.name = ts_language_field_id_for_name(lang, #name, (uint32_t)strlen(#name));
  NODE_FIELDS(FIELD_INIT)
#undef FIELD_INIT
}

static inline uint8_t kind_flags(TSNode n) { return kind_table[ts_node_symbol(n)]; }
static inline int kind(TSNode n) { return kind_table[ts_node_symbol(n)] & ~K_STATEMENT; }

typedef struct {
  condlint_session *s;
  cl_file *f;
  cl_arena *a;
  const char *src;
  int depth;
  bool too_deep;
  cl_span deep_span;
  const char *qual_prefix;
  cl_class *cls;
  cl_func *func;
  uint32_t *stars;  /* where mask_starred_brackets hid a '*': the items' starts */
  size_t nstars;
  /* the children being lowered, a frame per node on a stack (kids_of) */
  TSTreeCursor cur;
  bool cur_made;
  TSNode *nodes;
  size_t nn, ncap;
  /* results being gathered (exprs, statements...), a frame per list (mark/seal) */
  void **ptrs;
  size_t np, pcap;
  /* the names and short strings lowered so far, each kept once (intern) */
  struct interned *names;
  size_t nnames, names_cap;
  char *sbuf; /* string_value's work buffer */
  size_t sbuf_cap;
  /* a skeleton's blanked bodies (parse_lazy.c), and how many were met */
  const cl_lazy_body *bodies;
  size_t nbodies, met;
  bool skeleton_broken; /* the skeleton's tree is not what the scan found */
} lower_ctx;

typedef struct interned {
  const char *p;
  uint32_t len, hash;
} interned;

static void ctx_free(lower_ctx *c) {
  if (c->cur_made) ts_tree_cursor_delete(&c->cur);
  c->cur_made = false;
  free(c->nodes);
  free(c->ptrs);
  free(c->names);
  free(c->sbuf);
  c->nodes = NULL;
  c->ptrs = NULL;
  c->names = NULL;
  c->sbuf = NULL;
  c->nn = c->ncap = c->np = c->pcap = c->nnames = c->names_cap = c->sbuf_cap = 0;
}

/* The arena's one copy of p[0..n) (NUL-terminated): a file names `self`,
 * `torch` and `x` thousands of times, and the IR, the summary cache and the
 * interpreter's name lookups (which compare pointers first) gain from one
 * copy of each. Strings are never written after the lowering. */
static const char *intern(lower_ctx *c, const char *p, size_t n) {
  if (n > 200) return cl_arena_strndup(c->a, p, n); /* docstrings, messages: seldom twice */
  if ((c->nnames + 1) * 2 > c->names_cap) {
    size_t cap = c->names_cap ? c->names_cap * 2 : 1024;
    interned *v = cl_xcalloc(cap, sizeof *v);
    for (size_t i = 0; i < c->names_cap; i++) {
      if (!c->names[i].p) continue;
      size_t k = c->names[i].hash & (cap - 1);
      while (v[k].p) k = (k + 1) & (cap - 1);
      v[k] = c->names[i];
    }
    free(c->names);
    c->names = v;
    c->names_cap = cap;
  }
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 16777619u;
  size_t k = h & (c->names_cap - 1);
  for (; c->names[k].p; k = (k + 1) & (c->names_cap - 1)) {
    const interned *e = &c->names[k];
    if (e->hash == h && e->len == n && !memcmp(e->p, p, n)) return e->p;
  }
  char *q = cl_arena_strndup(c->a, p, n);
  c->names[k] = (interned){q, (uint32_t)n, h};
  c->nnames++;
  return q;
}

/* Push n's children (only the named ones when named) onto the node stack:
 * they are c->nodes[base .. base + *count), where base is returned. Pop them
 * with c->nn = base. c->nodes may move while they are lowered: index it. */
static size_t kids_of(lower_ctx *c, TSNode n, bool named, uint32_t *count) {
  size_t base = c->nn;
  *count = 0;
  if (ts_node_child_count(n) == 0) return base;
  if (c->cur_made) {
    ts_tree_cursor_reset(&c->cur, n);
  } else {
    c->cur = ts_tree_cursor_new(n);
    c->cur_made = true;
  }
  if (ts_tree_cursor_goto_first_child(&c->cur)) {
    do {
      TSNode k = ts_tree_cursor_current_node(&c->cur);
      if (named && !ts_node_is_named(k)) continue;
      if (c->nn == c->ncap) {
        c->ncap = c->ncap ? c->ncap * 2 : 256;
        c->nodes = cl_xrealloc(c->nodes, c->ncap * sizeof *c->nodes);
      }
      c->nodes[c->nn++] = k;
    } while (ts_tree_cursor_goto_next_sibling(&c->cur));
  }
  *count = (uint32_t)(c->nn - base);
  return base;
}

static void put(lower_ctx *c, void *p) {
  if (c->np == c->pcap) {
    c->pcap = c->pcap ? c->pcap * 2 : 256;
    c->ptrs = cl_xrealloc(c->ptrs, c->pcap * sizeof *c->ptrs);
  }
  c->ptrs[c->np++] = p;
}

/* The pointers put since mark, copied into the arena (a block even when
 * there are none, as before), and popped. */
static void **seal(lower_ctx *c, size_t mark, uint32_t *n) {
  size_t k = c->np - mark;
  void **v = cl_arena_alloc(c->a, k * sizeof(void *));
  if (k) memcpy(v, c->ptrs + mark, k * sizeof(void *));
  c->np = mark;
  *n = (uint32_t)k;
  return v;
}

static cl_span span_of(TSNode n) {
  cl_span s = {ts_node_start_byte(n), ts_node_end_byte(n)};
  return s;
}

static const char *text(lower_ctx *c, TSNode n) {
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  return intern(c, c->src + s, e - s);
}

static TSNode field(TSNode n, TSFieldId id) { return ts_node_child_by_field_id(n, id); }

/* a + sep + b in the arena (what "%s%s%s" printed) */
static const char *concat(lower_ctx *c, const char *a, const char *sep, const char *b) {
  size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
  char *p = cl_arena_alloc(c->a, la + ls + lb + 1);
  memcpy(p, a, la);
  memcpy(p + la, sep, ls);
  memcpy(p + la + ls, b, lb);
  p[la + ls + lb] = 0;
  return p;
}

static cl_expr *new_expr(lower_ctx *c, cl_ekind k, TSNode n) {
  cl_expr *e = cl_arena_alloc(c->a, sizeof *e);
  e->kind = k;
  e->span = span_of(n);
  return e;
}

static void set_kids(lower_ctx *c, cl_expr *e, size_t mark) {
  e->kids = (cl_expr **)seal(c, mark, &e->nkids);
}

static cl_expr *lower_expr(lower_ctx *c, TSNode n);
static cl_block lower_block(lower_ctx *c, TSNode n);
static void lower_stmt(lower_ctx *c, TSNode n);

static cl_expr *unknown(lower_ctx *c, TSNode n) { return new_expr(c, E_UNKNOWN, n); }

static int64_t parse_int(const char *t, size_t n) {
  char buf[64];
  size_t j = 0;
  for (size_t i = 0; i < n && j < sizeof buf - 1; i++)
    if (t[i] != '_') buf[j++] = t[i];
  buf[j] = 0;
  return (int64_t)strtoll(buf, NULL, 0);
}

/* String literal value: the concatenated string_content parts; escapes and
 * interpolations are kept as written (the analysis only compares names).
 * Written into buf (cap bytes); each part of a concatenated_string counts up
 * to its first NUL, as when it was a string of its own. */
static size_t string_into(lower_ctx *c, TSNode n, char *buf, size_t cap) {
  size_t len = 0;
  uint32_t nc;
  size_t b = kids_of(c, n, false, &nc);
  for (uint32_t i = 0; i < nc; i++) {
    TSNode k = c->nodes[b + i];
    int kk = kind(k);
    if (kk == K_string) { /* concatenated_string */
      size_t kcap = ts_node_end_byte(k) - ts_node_start_byte(k) + 1;
      if (len + kcap <= cap) { /* always: the parts do not overlap */
        size_t l = string_into(c, k, buf + len, kcap);
        l = strnlen(buf + len, l);
        if (len + l < cap) len += l;
      } else {
        char *tmp = cl_xmalloc(kcap);
        size_t l = string_into(c, k, tmp, kcap);
        l = strnlen(tmp, l);
        if (len + l < cap) memcpy(buf + len, tmp, l), len += l;
        free(tmp);
      }
    } else if (kk == K_string_content || kk == K_escape_sequence) {
      uint32_t s = ts_node_start_byte(k), e = ts_node_end_byte(k);
      if (len + (e - s) < cap) memcpy(buf + len, c->src + s, e - s), len += e - s;
    }
  }
  c->nn = b;
  return len;
}

static const char *string_value(lower_ctx *c, TSNode n) {
  size_t cap = ts_node_end_byte(n) - ts_node_start_byte(n) + 1;
  if (c->sbuf_cap < cap) {
    free(c->sbuf);
    c->sbuf_cap = cap > 4096 ? cap : 4096;
    c->sbuf = cl_xmalloc(c->sbuf_cap);
  }
  size_t len = string_into(c, n, c->sbuf, cap);
  return intern(c, c->sbuf, strnlen(c->sbuf, len)); /* a C string: up to its first NUL */
}

static cl_expr *lower_slice(lower_ctx *c, TSNode n) {
  cl_expr *e = new_expr(c, E_SLICE, n);
  e->nkids = 3;
  e->kids = cl_arena_alloc(c->a, 3 * sizeof(cl_expr *));
  int part = 0;
  uint32_t nc;
  size_t b = kids_of(c, n, false, &nc);
  for (uint32_t i = 0; i < nc; i++) {
    TSNode k = c->nodes[b + i];
    if (!ts_node_is_named(k)) {
      if (kind(k) == K_COLON) part++;
      continue;
    }
    if (kind(k) == K_comment) continue;
    if (part < 3) e->kids[part] = lower_expr(c, k);
  }
  c->nn = b;
  return e;
}

/* The named children of n but comments, lowered, put after mark. */
static void put_named_exprs(lower_ctx *c, TSNode n) {
  uint32_t nc;
  size_t b = kids_of(c, n, true, &nc);
  for (uint32_t i = 0; i < nc; i++) {
    TSNode ch = c->nodes[b + i];
    if (kind(ch) == K_comment) continue;
    put(c, lower_expr(c, ch));
  }
  c->nn = b;
}

static cl_expr *lower_seq(lower_ctx *c, TSNode n, cl_ekind k) {
  cl_expr *e = new_expr(c, k, n);
  size_t mark = c->np;
  put_named_exprs(c, n);
  set_kids(c, e, mark);
  return e;
}

static cl_expr *wrap1(lower_ctx *c, cl_ekind k, TSNode n, cl_expr *inner, const char *s) {
  cl_expr *e = new_expr(c, k, n);
  e->nkids = 1;
  e->kids = cl_arena_alloc(c->a, sizeof(cl_expr *));
  e->kids[0] = inner;
  e->s = s;
  return e;
}

static cl_func *lower_params(lower_ctx *c, TSNode params, cl_func *fn);

/* [elem for target in iter if cond]: kids = [elem, target, iter, cond|NULL];
 * only the first for-clause is kept (the analysis treats more as unknown). */
static cl_expr *lower_comprehension(lower_ctx *c, TSNode n) {
  cl_expr *e = new_expr(c, E_COMPREHENSION, n);
  TSNode body = field(n, F.body);
  TSNode forc = {0}, ifc = {0};
  int nfor = 0;
  uint32_t nc;
  size_t b = kids_of(c, n, true, &nc);
  for (uint32_t i = 0; i < nc; i++) {
    TSNode k = c->nodes[b + i];
    int kk = kind(k);
    if (kk == K_for_in_clause) {
      if (!nfor++) forc = k;
    } else if (kk == K_if_clause) {
      ifc = k;
    }
  }
  c->nn = b;
  if (ts_node_is_null(body) || nfor != 1 || ts_node_is_null(forc)) return e;
  TSNode l = field(forc, F.left), r = field(forc, F.right);
  if (ts_node_is_null(l) || ts_node_is_null(r)) return e;
  e->nkids = 4;
  e->kids = cl_arena_alloc(c->a, 4 * sizeof(cl_expr *));
  e->kids[0] = lower_expr(c, body);
  e->kids[1] = lower_expr(c, l);
  e->kids[2] = lower_expr(c, r);
  if (!ts_node_is_null(ifc) && ts_node_named_child_count(ifc) > 0)
    e->kids[3] = lower_expr(c, ts_node_named_child(ifc, 0));
  return e;
}

static cl_expr *lower_expr_inner(lower_ctx *c, TSNode n) {
  int k = kind(n);
  switch (k) {
  case K_identifier: {
    cl_expr *e = new_expr(c, E_NAME, n);
    e->s = text(c, n);
    return e;
  }
  case K_integer: {
    cl_expr *e = new_expr(c, E_INT, n);
    uint32_t s = ts_node_start_byte(n), en = ts_node_end_byte(n);
    const char *tx = c->src + s;
    size_t l = strnlen(tx, en - s); /* the text as a string */
    if (l && (tx[l - 1] == 'j' || tx[l - 1] == 'J')) return unknown(c, n);
    e->i = parse_int(tx, l);
    return e;
  }
  case K_attribute: {
    TSNode obj = field(n, F.object), attr = field(n, F.attribute);
    if (ts_node_is_null(obj) || ts_node_is_null(attr)) return unknown(c, n);
    return wrap1(c, E_ATTR, n, lower_expr(c, obj), text(c, attr));
  }
  case K_await:
  case K_as_pattern: { /* as_pattern: only reached outside with-items */
    TSNode kid = ts_node_named_child(n, 0);
    return ts_node_is_null(kid) ? unknown(c, n) : lower_expr(c, kid);
  }
  case K_call: {
    cl_expr *e = new_expr(c, E_CALL, n);
    size_t mark = c->np;
    TSNode fn = field(n, F.function), args = field(n, F.arguments);
    put(c, ts_node_is_null(fn) ? unknown(c, n) : lower_expr(c, fn));
    if (!ts_node_is_null(args)) {
      if (kind(args) == K_generator_expression) put(c, lower_comprehension(c, args));
      else put_named_exprs(c, args);
    }
    set_kids(c, e, mark);
    return e;
  }
  case K_comparison_operator: {
    cl_expr *e = new_expr(c, E_COMPARE, n);
    size_t mark = c->np;
    size_t cap = 64, len = 0;
    char *ops = cl_arena_alloc(c->a, cap);
    uint32_t nc;
    size_t b = kids_of(c, n, false, &nc);
    for (uint32_t i = 0; i < nc; i++) {
      TSNode kid = c->nodes[b + i];
      if (ts_node_is_named(kid)) {
        if (kind(kid) != K_comment) put(c, lower_expr(c, kid));
      } else {
        const char *op = ts_node_type(kid);
        size_t l = strlen(op);
        if (len + l + 2 < cap) {
          if (len) ops[len++] = ' ';
          /* "not in" / "is not" become one token: spaces become '_' */
          for (size_t j = 0; j < l; j++) ops[len++] = op[j] == ' ' ? '_' : op[j];
        }
      }
    }
    c->nn = b;
    ops[len] = 0;
    e->s = ops;
    set_kids(c, e, mark);
    return e;
  }
  case K_conditional_expression: {
    cl_expr *e = lower_seq(c, n, E_IFEXP);
    if (e->nkids != 3) e->kind = E_UNKNOWN;
    return e;
  }
  case K_concatenated_string:
  case K_string: {
    cl_expr *e = new_expr(c, E_STR, n);
    e->s = string_value(c, n);
    return e;
  }
  case K_subscript: {
    cl_expr *e = new_expr(c, E_SUBSCRIPT, n);
    TSNode val = field(n, F.value);
    size_t mark = c->np;
    uint32_t nc;
    size_t b = kids_of(c, n, true, &nc);
    for (uint32_t i = 0; i < nc; i++) {
      TSNode kid = c->nodes[b + i];
      if (ts_node_eq(kid, val) || kind(kid) == K_comment) continue;
      put(c, lower_expr(c, kid));
    }
    c->nn = b;
    e->nkids = 2;
    e->kids = cl_arena_alloc(c->a, 2 * sizeof(cl_expr *));
    /* the value first, as before: its allocations precede the index's tuple */
    cl_expr *v0 = ts_node_is_null(val) ? unknown(c, n) : lower_expr(c, val);
    e->kids[0] = v0;
    if (c->np - mark == 1) {
      e->kids[1] = c->ptrs[mark];
      c->np = mark;
    } else {
      cl_expr *tup = new_expr(c, E_TUPLE, n);
      set_kids(c, tup, mark);
      e->kids[1] = tup;
    }
    return e;
  }
  case K_slice:
    return lower_slice(c, n);
  case K_set:
    return lower_seq(c, n, E_SET);
  case K_set_comprehension:
  case K_dictionary_comprehension:
    return new_expr(c, E_COMPREHENSION, n);
  case K_float: {
    cl_expr *e = new_expr(c, E_FLOAT, n);
    char num[64];
    uint32_t s = ts_node_start_byte(n), l = ts_node_end_byte(n) - s;
    char *t = l < sizeof num ? num : cl_xmalloc(l + 1);
    memcpy(t, c->src + s, l);
    t[l] = 0;
    e->f = strtod(t, NULL);
    if (t != num) free(t);
    return e;
  }
  case K_false:
    return new_expr(c, E_FALSE, n);
  case K_true:
    return new_expr(c, E_TRUE, n);
  case K_tuple:
  case K_tuple_pattern:
  case K_expression_list:
  case K_pattern_list:
    return lower_seq(c, n, E_TUPLE);
  case K_none:
    return new_expr(c, E_NONE, n);
  case K_not_operator: {
    TSNode a = field(n, F.argument);
    return wrap1(c, E_NOT, n, ts_node_is_null(a) ? unknown(c, n) : lower_expr(c, a), "not");
  }
  case K_named_expression: {
    cl_expr *e = new_expr(c, E_WALRUS, n);
    e->nkids = 2;
    e->kids = cl_arena_alloc(c->a, 2 * sizeof(cl_expr *));
    TSNode nm = field(n, F.name), v = field(n, F.value);
    e->kids[0] = ts_node_is_null(nm) ? unknown(c, n) : lower_expr(c, nm);
    e->kids[1] = ts_node_is_null(v) ? unknown(c, n) : lower_expr(c, v);
    return e;
  }
  case K_ellipsis:
    return new_expr(c, E_ELLIPSIS, n);
  case K_list:
  case K_list_pattern:
    return lower_seq(c, n, E_LIST);
  case K_list_splat:
  case K_list_splat_pattern: {
    TSNode kid = ts_node_named_child(n, 0);
    return wrap1(c, E_STARRED, n, ts_node_is_null(kid) ? unknown(c, n) : lower_expr(c, kid), NULL);
  }
  case K_list_comprehension:
  case K_generator_expression:
    return lower_comprehension(c, n);
  case K_lambda: {
    cl_expr *e = new_expr(c, E_LAMBDA, n);
    cl_func *fn = cl_arena_alloc(c->a, sizeof *fn);
    fn->name = "<lambda>";
    fn->qualname = "<lambda>";
    fn->span = fn->name_span = span_of(n);
    fn->is_lambda = true;
    fn->file = c->f;
    fn->cls = NULL;
    fn->outer = c->func;
    TSNode params = field(n, F.parameters), body = field(n, F.body);
    if (!ts_node_is_null(params)) lower_params(c, params, fn);
    cl_func *saved = c->func;
    c->func = fn;
    fn->lambda_body = ts_node_is_null(body) ? unknown(c, n) : lower_expr(c, body);
    c->func = saved;
    e->lambda = fn;
    return e;
  }
  case K_parenthesized_expression: {
    uint32_t nc;
    size_t b = kids_of(c, n, true, &nc);
    for (uint32_t i = 0; i < nc; i++) {
      TSNode kid = c->nodes[b + i];
      if (kind(kid) != K_comment) {
        c->nn = b;
        return lower_expr(c, kid);
      }
    }
    c->nn = b;
    return unknown(c, n);
  }
  case K_parenthesized_list_splat: {
    TSNode kid = ts_node_named_child(n, 0);
    return ts_node_is_null(kid) ? unknown(c, n) : lower_expr(c, kid);
  }
  case K_binary_operator:
  case K_boolean_operator: {
    TSNode l = field(n, F.left), r = field(n, F.right), op = field(n, F.operator);
    bool boolean = k == K_boolean_operator;
    cl_expr *e = new_expr(c, E_BINOP, n);
    e->s = ts_node_is_null(op) ? "?" : ts_node_type(op);
    if (boolean) e->kind = !strcmp(e->s, "and") ? E_AND : E_OR;
    e->nkids = 2;
    e->kids = cl_arena_alloc(c->a, 2 * sizeof(cl_expr *));
    e->kids[0] = ts_node_is_null(l) ? unknown(c, n) : lower_expr(c, l);
    e->kids[1] = ts_node_is_null(r) ? unknown(c, n) : lower_expr(c, r);
    return e;
  }
  case K_unary_operator: {
    TSNode a = field(n, F.argument), op = field(n, F.operator);
    cl_expr *inner = ts_node_is_null(a) ? unknown(c, n) : lower_expr(c, a);
    const char *o = ts_node_is_null(op) ? "?" : ts_node_type(op);
    if (inner->kind == E_INT && !strcmp(o, "-")) { /* fold negative literals */
      inner->i = -inner->i;
      inner->span = span_of(n);
      return inner;
    }
    return wrap1(c, E_UNARY, n, inner, o);
  }
  case K_keyword_argument: {
    TSNode nm = field(n, F.name), v = field(n, F.value);
    return wrap1(c, E_KEYWORD, n, ts_node_is_null(v) ? unknown(c, n) : lower_expr(c, v),
                 ts_node_is_null(nm) ? "?" : text(c, nm));
  }
  case K_dictionary: {
    cl_expr *e = new_expr(c, E_DICT, n);
    size_t mark = c->np;
    uint32_t nc;
    size_t b = kids_of(c, n, true, &nc);
    for (uint32_t i = 0; i < nc; i++) {
      TSNode p = c->nodes[b + i];
      int pk = kind(p);
      if (pk == K_pair) {
        TSNode kk = field(p, F.key), val = field(p, F.value);
        put(c, ts_node_is_null(kk) ? unknown(c, p) : lower_expr(c, kk));
        put(c, ts_node_is_null(val) ? unknown(c, p) : lower_expr(c, val));
      } else if (pk == K_dictionary_splat) {
        TSNode kk = ts_node_named_child(p, 0);
        put(c, new_expr(c, E_DSTARRED, p));
        put(c, ts_node_is_null(kk) ? unknown(c, p) : lower_expr(c, kk));
      }
    }
    c->nn = b;
    set_kids(c, e, mark);
    return e;
  }
  case K_dictionary_splat:
  case K_dictionary_splat_pattern: {
    TSNode kid = ts_node_named_child(n, 0);
    return wrap1(c, E_DSTARRED, n, ts_node_is_null(kid) ? unknown(c, n) : lower_expr(c, kid), NULL);
  }
  }
  return unknown(c, n);
}

/* The item the parser saw without its '*' (mask_starred_brackets) is the
 * outermost expression that starts where the item did: starred again, once. */
static cl_expr *restore_star(lower_ctx *c, TSNode n, cl_expr *e) {
  uint32_t b = ts_node_start_byte(n);
  for (size_t i = 0; i < c->nstars; i++) {
    if (c->stars[i] != b) continue;
    c->stars[i] = UINT32_MAX; /* the inner expressions that start there too */
    cl_expr *st = wrap1(c, E_STARRED, n, e, NULL);
    uint32_t star = b;
    while (star > 0 && c->f->bytes[star - 1] != '*') star--; /* spaces between */
    if (star > 0) star--;
    st->span.start = star;
    return st;
  }
  return e;
}

static cl_expr *lower_expr(lower_ctx *c, TSNode n) {
  if (c->depth >= MAX_DEPTH) {
    if (!c->too_deep) {
      c->too_deep = true;
      c->deep_span = span_of(n);
    }
    return unknown(c, n);
  }
  c->depth++;
  cl_expr *e = lower_expr_inner(c, n);
  c->depth--;
  if (c->nstars) e = restore_star(c, n, e);
  return e;
}

/* ---- statements --------------------------------------------------------- */

static cl_stmt *new_stmt(lower_ctx *c, cl_skind k, TSNode n) {
  cl_stmt *s = cl_arena_alloc(c->a, sizeof *s);
  s->kind = k;
  s->span = span_of(n);
  return s;
}

/* A parameter, into the arena and put (lower_params copies them). */
static void add_param(lower_ctx *c, TSNode nm, TSNode dflt, cl_pkind k, TSNode whole) {
  cl_param *p = cl_arena_alloc(c->a, sizeof *p);
  p->name = ts_node_is_null(nm) ? "?" : text(c, nm);
  p->dflt = ts_node_is_null(dflt) ? NULL : lower_expr(c, dflt);
  TSNode ann = field(whole, F.type);
  if (!ts_node_is_null(ann)) {
    TSNode inner = ts_node_named_child(ann, 0); /* type → expression */
    p->annotation = lower_expr(c, ts_node_is_null(inner) ? ann : inner);
  }
  p->kind = k;
  p->span = span_of(whole);
  put(c, p);
}

static cl_func *lower_params(lower_ctx *c, TSNode params, cl_func *fn) {
  size_t mark = c->np;
  bool kwonly = false;
  TSNode null = {0};
  uint32_t nc;
  size_t b = kids_of(c, params, true, &nc);
  for (uint32_t i = 0; i < nc; i++) {
    TSNode p = c->nodes[b + i];
    int t = kind(p);
    cl_pkind k = kwonly ? P_KWONLY : P_NORMAL;
    if (t == K_identifier) {
      add_param(c, p, null, k, p);
    } else if (t == K_default_parameter || t == K_typed_default_parameter) {
      add_param(c, field(p, F.name), field(p, F.value), k, p);
    } else if (t == K_typed_parameter) {
      TSNode inner = ts_node_named_child(p, 0);
      if (ts_node_is_null(inner)) continue;
      int it = kind(inner);
      if (it == K_list_splat_pattern) {
        add_param(c, ts_node_named_child(inner, 0), null, P_VARARGS, p);
        kwonly = true;
      } else if (it == K_dictionary_splat_pattern) {
        add_param(c, ts_node_named_child(inner, 0), null, P_KWARGS, p);
      } else {
        add_param(c, inner, null, k, p);
      }
    } else if (t == K_list_splat_pattern) {
      add_param(c, ts_node_named_child(p, 0), null, P_VARARGS, p);
      kwonly = true;
    } else if (t == K_dictionary_splat_pattern) {
      add_param(c, ts_node_named_child(p, 0), null, P_KWARGS, p);
    } else if (t == K_keyword_separator) {
      kwonly = true;
    }
  }
  c->nn = b;
  size_t np = c->np - mark;
  fn->nparams = (uint32_t)np;
  fn->params = cl_arena_alloc(c->a, np * sizeof(cl_param));
  for (size_t i = 0; i < np; i++) fn->params[i] = *(cl_param *)c->ptrs[mark + i];
  c->np = mark;
  return fn;
}

/* A skeleton's function whose body was blanked: its body is parsed when
 * called. The blanked body must be what the scan found, a lone `(...)`
 * over the body's bytes, or the skeleton is not used. */
static void mark_lazy(lower_ctx *c, cl_func *fn, TSNode body) {
  uint32_t a = ts_node_start_byte(body), b = ts_node_end_byte(body);
  size_t lo = 0, hi = c->nbodies;
  while (lo < hi) { /* the first blanked body that ends at or after a */
    size_t mid = (lo + hi) / 2;
    if (c->bodies[mid].end < a) lo = mid + 1;
    else hi = mid;
  }
  if (lo == c->nbodies || c->bodies[lo].start >= b) return; /* a body left as it was */
  const cl_stmt *st = fn->body.n == 1 ? fn->body.v[0] : NULL;
  if (!st || st->kind != S_EXPR || !st->value || st->value->kind != E_ELLIPSIS ||
      st->span.start != c->bodies[lo].start || st->span.end != c->bodies[lo].end) {
    c->skeleton_broken = true;
    return;
  }
  fn->lazy_end = c->bodies[lo].end;
  c->met++;
}

/* has_decos: decorated, by the ndecos expressions at c->ptrs[deco_mark...]
 * (copied before anything else is put). */
static cl_func *lower_funcdef(lower_ctx *c, TSNode n, size_t deco_mark, uint32_t ndecos, bool has_decos) {
  cl_func *fn = cl_arena_alloc(c->a, sizeof *fn);
  TSNode nm = field(n, F.name), params = field(n, F.parameters), body = field(n, F.body);
  fn->name = ts_node_is_null(nm) ? "?" : text(c, nm);
  fn->qualname = c->qual_prefix ? concat(c, c->qual_prefix, ".", fn->name) : fn->name;
  fn->span = span_of(n);
  fn->name_span = ts_node_is_null(nm) ? fn->span : span_of(nm);
  fn->file = c->f;
  fn->cls = c->cls;
  fn->outer = c->func;
  if (has_decos) {
    fn->ndecorators = ndecos;
    fn->decorators = cl_arena_alloc(c->a, ndecos * sizeof(cl_expr *));
    for (size_t i = 0; i < ndecos; i++) fn->decorators[i] = c->ptrs[deco_mark + i];
  }
  if (!ts_node_is_null(params)) lower_params(c, params, fn);
  const char *saved_prefix = c->qual_prefix;
  cl_class *saved_cls = c->cls;
  cl_func *saved_fn = c->func;
  c->qual_prefix = concat(c, fn->qualname, ".<locals>", "");
  c->cls = NULL;
  c->func = fn;
  if (!ts_node_is_null(body)) fn->body = lower_block(c, body);
  if (c->nbodies && !ts_node_is_null(body)) mark_lazy(c, fn, body);
  c->qual_prefix = saved_prefix;
  c->cls = saved_cls;
  c->func = saved_fn;
  return fn;
}

static cl_class *lower_classdef(lower_ctx *c, TSNode n) {
  cl_class *cls = cl_arena_alloc(c->a, sizeof *cls);
  TSNode nm = field(n, F.name), sup = field(n, F.superclasses), body = field(n, F.body);
  cls->name = ts_node_is_null(nm) ? "?" : text(c, nm);
  cls->span = span_of(n);
  cls->file = c->f;
  if (!ts_node_is_null(sup)) {
    size_t mark = c->np;
    uint32_t nc;
    size_t b = kids_of(c, sup, true, &nc);
    for (uint32_t i = 0; i < nc; i++) {
      TSNode bn = c->nodes[b + i];
      int bk = kind(bn);
      if (bk != K_comment && bk != K_keyword_argument) put(c, lower_expr(c, bn));
    }
    c->nn = b;
    cls->bases = (cl_expr **)seal(c, mark, &cls->nbases);
  }
  const char *saved_prefix = c->qual_prefix;
  cl_class *saved_cls = c->cls;
  c->qual_prefix = c->qual_prefix ? concat(c, c->qual_prefix, ".", cls->name) : cls->name;
  c->cls = cls;
  if (!ts_node_is_null(body)) cls->body = lower_block(c, body);
  c->qual_prefix = saved_prefix;
  c->cls = saved_cls;
  return cls;
}

static void lower_assignment(lower_ctx *c, TSNode n, TSNode whole) {
  /* a = b = value is nested: collect targets down the right spine */
  size_t mark = c->np;
  TSNode cur = n;
  cl_expr *value = NULL;
  for (;;) {
    TSNode l = field(cur, F.left), r = field(cur, F.right);
    if (!ts_node_is_null(l)) put(c, lower_expr(c, l));
    if (ts_node_is_null(r)) break;
    if (kind(r) == K_assignment) {
      cur = r;
      continue;
    }
    value = lower_expr(c, r);
    break;
  }
  cl_stmt *s = new_stmt(c, value ? S_ASSIGN : S_ANNASSIGN, whole);
  s->value = value;
  s->targets = (cl_expr **)seal(c, mark, &s->ntargets);
  put(c, s);
}

static cl_block seal_block(lower_ctx *c, size_t mark) {
  cl_block b;
  b.v = (cl_stmt **)seal(c, mark, &b.n);
  return b;
}

static cl_block lower_block(lower_ctx *c, TSNode n) {
  size_t mark = c->np;
  if (c->depth >= MAX_DEPTH) { /* statements nested past the limit */
    if (!c->too_deep) {
      c->too_deep = true;
      c->deep_span = span_of(n);
    }
    return seal_block(c, mark);
  }
  c->depth++;
  uint32_t nc;
  size_t b = kids_of(c, n, true, &nc);
  for (uint32_t i = 0; i < nc; i++) lower_stmt(c, c->nodes[b + i]);
  c->nn = b;
  c->depth--;
  return seal_block(c, mark);
}

static void lower_import(lower_ctx *c, TSNode n, bool from) {
  cl_stmt *s = new_stmt(c, from ? S_IMPORTFROM : S_IMPORT, n);
  TSNode modn = field(n, F.module_name);
  if (from) {
    s->module = "";
    if (!ts_node_is_null(modn)) {
      if (kind(modn) == K_relative_import) {
        uint32_t nc;
        size_t b = kids_of(c, modn, true, &nc);
        for (uint32_t i = 0; i < nc; i++) {
          TSNode k = c->nodes[b + i];
          int kk = kind(k);
          if (kk == K_import_prefix) s->level = (int)(ts_node_end_byte(k) - ts_node_start_byte(k));
          else if (kk == K_dotted_name) s->module = text(c, k);
        }
        c->nn = b;
      } else {
        s->module = text(c, modn);
      }
    }
  }
  size_t mark = c->np;
  uint32_t nc;
  size_t b = kids_of(c, n, true, &nc);
  for (uint32_t i = 0; i < nc; i++) {
    TSNode k = c->nodes[b + i];
    if (!ts_node_is_null(modn) && ts_node_eq(k, modn)) continue;
    cl_alias *al = NULL;
    int kk = kind(k);
    if (kk == K_dotted_name) {
      al = cl_arena_alloc(c->a, sizeof *al);
      al->name = text(c, k);
    } else if (kk == K_aliased_import) {
      al = cl_arena_alloc(c->a, sizeof *al);
      TSNode nm = field(k, F.name), as = field(k, F.alias);
      al->name = ts_node_is_null(nm) ? "?" : text(c, nm);
      al->alias = ts_node_is_null(as) ? NULL : text(c, as);
    } else if (kk == K_wildcard_import) {
      al = cl_arena_alloc(c->a, sizeof *al);
      al->name = "*";
    }
    if (al) put(c, al);
  }
  c->nn = b;
  size_t nn = c->np - mark;
  s->nnames = (uint32_t)nn;
  s->names = cl_arena_alloc(c->a, nn * sizeof(cl_alias));
  for (size_t i = 0; i < nn; i++) s->names[i] = *(cl_alias *)c->ptrs[mark + i];
  c->np = mark;
  put(c, s);
}

/* Lower statement n; what it gives is put on the pointer stack. */
static void lower_stmt(lower_ctx *c, TSNode n) {
  if (ts_node_is_missing(n)) return;
  int t = kind(n);
  switch (t) {
  case K_comment:
    return;
  case K_ERROR: {
    /* error recovery: the whole statements tree-sitter still found inside */
    uint32_t nc;
    size_t b = kids_of(c, n, true, &nc);
    for (uint32_t i = 0; i < nc; i++) {
      TSNode k = c->nodes[b + i];
      uint8_t kf = kind_flags(k);
      int kk = kf & ~K_STATEMENT;
      if ((kf & K_STATEMENT) || kk == K_ERROR || kk == K_block) lower_stmt(c, k);
    }
    c->nn = b;
    return;
  }
  case K_expression_statement: {
    uint32_t nc = ts_node_named_child_count(n);
    if (nc == 0) return;
    TSNode k = ts_node_named_child(n, 0);
    int kk = kind(k);
    if (kk == K_assignment) {
      lower_assignment(c, k, n);
    } else if (kk == K_augmented_assignment) {
      cl_stmt *s = new_stmt(c, S_AUGASSIGN, n);
      TSNode l = field(k, F.left), r = field(k, F.right), op = field(k, F.operator);
      s->ntargets = 1;
      s->targets = cl_arena_alloc(c->a, sizeof(cl_expr *));
      s->targets[0] = ts_node_is_null(l) ? unknown(c, k) : lower_expr(c, l);
      s->value = ts_node_is_null(r) ? unknown(c, k) : lower_expr(c, r);
      s->op = ts_node_is_null(op) ? "?" : ts_node_type(op);
      put(c, s);
    } else {
      cl_stmt *s = new_stmt(c, S_EXPR, n);
      s->value = nc > 1 ? lower_seq(c, n, E_TUPLE) : lower_expr(c, k);
      put(c, s);
    }
    return;
  }
  case K_return_statement: {
    cl_stmt *s = new_stmt(c, S_RETURN, n);
    TSNode k = ts_node_named_child(n, 0);
    s->value = ts_node_is_null(k) ? NULL : lower_expr(c, k);
    put(c, s);
    return;
  }
  case K_function_definition: {
    cl_stmt *s = new_stmt(c, S_FUNCDEF, n);
    s->func = lower_funcdef(c, n, 0, 0, false);
    put(c, s);
    return;
  }
  case K_class_definition: {
    cl_stmt *s = new_stmt(c, S_CLASSDEF, n);
    s->cls = lower_classdef(c, n);
    put(c, s);
    return;
  }
  case K_decorated_definition: {
    size_t mark = c->np;
    TSNode def = field(n, F.definition);
    uint32_t nc;
    size_t b = kids_of(c, n, true, &nc);
    for (uint32_t i = 0; i < nc; i++) {
      TSNode k = c->nodes[b + i];
      if (kind(k) == K_decorator) {
        TSNode e = ts_node_named_child(k, 0);
        if (!ts_node_is_null(e)) put(c, lower_expr(c, e));
      }
    }
    c->nn = b;
    /* the decorators stay on the stack while the definition is lowered */
    uint32_t ndecos = (uint32_t)(c->np - mark);
    cl_stmt *s = NULL;
    if (!ts_node_is_null(def)) {
      int dk = kind(def);
      if (dk == K_function_definition) {
        s = new_stmt(c, S_FUNCDEF, n);
        s->func = lower_funcdef(c, def, mark, ndecos, true);
      } else if (dk == K_class_definition) {
        s = new_stmt(c, S_CLASSDEF, n);
        s->cls = lower_classdef(c, def);
      }
    }
    c->np = mark;
    if (s) put(c, s);
    return;
  }
  case K_if_statement: {
    cl_stmt *s = new_stmt(c, S_IF, n);
    TSNode cond = field(n, F.condition), cons = field(n, F.consequence);
    s->value = ts_node_is_null(cond) ? unknown(c, n) : lower_expr(c, cond);
    if (!ts_node_is_null(cons)) s->body = lower_block(c, cons);
    /* elif chains become nested ifs in orelse; past MAX_DEPTH elifs the rest
     * become sibling ifs there, so that walks of the IR stay bounded */
    cl_stmt *tail = s;
    size_t flat = c->np; /* the sibling ifs */
    uint32_t nelif = 0;
    uint32_t nc;
    size_t b = kids_of(c, n, true, &nc);
    for (uint32_t i = 0; i < nc; i++) {
      TSNode k = c->nodes[b + i];
      int kk = kind(k);
      if (kk == K_elif_clause) {
        cl_stmt *e = new_stmt(c, S_IF, k);
        TSNode ec = field(k, F.condition), eb = field(k, F.consequence);
        e->value = ts_node_is_null(ec) ? unknown(c, k) : lower_expr(c, ec);
        if (!ts_node_is_null(eb)) e->body = lower_block(c, eb);
        if (nelif++ >= MAX_DEPTH) {
          put(c, e);
          continue;
        }
        tail->orelse.n = 1;
        tail->orelse.v = cl_arena_alloc(c->a, sizeof(cl_stmt *));
        tail->orelse.v[0] = e;
        tail = e;
      } else if (kk == K_else_clause) {
        TSNode eb = field(k, F.body);
        cl_stmt *last = c->np > flat ? c->ptrs[c->np - 1] : tail;
        if (!ts_node_is_null(eb)) last->orelse = lower_block(c, eb);
      }
    }
    c->nn = b;
    if (c->np > flat) tail->orelse = seal_block(c, flat);
    put(c, s);
    return;
  }
  case K_for_statement:
  case K_while_statement: {
    bool isfor = t == K_for_statement;
    cl_stmt *s = new_stmt(c, isfor ? S_FOR : S_WHILE, n);
    if (isfor) {
      TSNode l = field(n, F.left), r = field(n, F.right);
      s->ntargets = 1;
      s->targets = cl_arena_alloc(c->a, sizeof(cl_expr *));
      s->targets[0] = ts_node_is_null(l) ? unknown(c, n) : lower_expr(c, l);
      s->value = ts_node_is_null(r) ? unknown(c, n) : lower_expr(c, r);
    } else {
      TSNode cond = field(n, F.condition);
      s->value = ts_node_is_null(cond) ? unknown(c, n) : lower_expr(c, cond);
    }
    TSNode body = field(n, F.body), alt = field(n, F.alternative);
    if (!ts_node_is_null(body)) s->body = lower_block(c, body);
    if (!ts_node_is_null(alt)) {
      TSNode ab = field(alt, F.body);
      if (!ts_node_is_null(ab)) s->orelse = lower_block(c, ab);
    }
    put(c, s);
    return;
  }
  case K_with_statement: {
    cl_stmt *s = new_stmt(c, S_WITH, n);
    size_t mark = c->np; /* item, target (NULL: none), item, target... */
    uint32_t nc;
    size_t b = kids_of(c, n, true, &nc);
    for (uint32_t i = 0; i < nc; i++) {
      TSNode k = c->nodes[b + i];
      if (kind(k) != K_with_clause) continue;
      uint32_t nw;
      size_t bw = kids_of(c, k, true, &nw);
      for (uint32_t j = 0; j < nw; j++) {
        TSNode item = c->nodes[bw + j];
        if (kind(item) != K_with_item) continue;
        TSNode v = field(item, F.value);
        if (ts_node_is_null(v)) continue;
        if (kind(v) == K_as_pattern) {
          TSNode e = ts_node_named_child(v, 0), al = field(v, F.alias);
          put(c, ts_node_is_null(e) ? unknown(c, v) : lower_expr(c, e));
          TSNode tgt = ts_node_is_null(al) ? al : ts_node_named_child(al, 0);
          put(c, ts_node_is_null(tgt) ? NULL : lower_expr(c, tgt));
        } else {
          put(c, lower_expr(c, v));
          put(c, NULL);
        }
      }
      c->nn = bw;
    }
    c->nn = b;
    size_t ni = (c->np - mark) / 2;
    s->ntargets = (uint32_t)ni;
    s->items = cl_arena_alloc(c->a, ni * sizeof(cl_expr *));
    s->targets = cl_arena_alloc(c->a, ni * sizeof(cl_expr *));
    for (size_t i = 0; i < ni; i++) {
      s->items[i] = c->ptrs[mark + 2 * i];
      s->targets[i] = c->ptrs[mark + 2 * i + 1];
    }
    c->np = mark;
    TSNode body = field(n, F.body);
    if (!ts_node_is_null(body)) s->body = lower_block(c, body);
    put(c, s);
    return;
  }
  case K_try_statement: {
    cl_stmt *s = new_stmt(c, S_TRY, n);
    TSNode body = field(n, F.body);
    if (!ts_node_is_null(body)) s->body = lower_block(c, body);
    size_t handlers = c->np;
    uint32_t nc;
    size_t b = kids_of(c, n, true, &nc);
    for (uint32_t i = 0; i < nc; i++) {
      TSNode k = c->nodes[b + i];
      int kk = kind(k);
      if (kk == K_except_clause || kk == K_except_group_clause || kk == K_else_clause) {
        uint32_t nh;
        size_t bh = kids_of(c, k, true, &nh);
        for (uint32_t j = 0; j < nh; j++) {
          TSNode hb = c->nodes[bh + j];
          if (kind(hb) == K_block) {
            cl_block blk = lower_block(c, hb);
            for (uint32_t q = 0; q < blk.n; q++) put(c, blk.v[q]);
          }
        }
        c->nn = bh;
      } else if (kk == K_finally_clause) {
        uint32_t nf;
        size_t bf = kids_of(c, k, true, &nf);
        for (uint32_t j = 0; j < nf; j++) {
          TSNode fb = c->nodes[bf + j];
          if (kind(fb) == K_block) s->final = lower_block(c, fb);
        }
        c->nn = bf;
      }
    }
    c->nn = b;
    s->orelse = seal_block(c, handlers);
    put(c, s);
    return;
  }
  case K_import_statement:
    lower_import(c, n, false);
    return;
  case K_import_from_statement:
    lower_import(c, n, true);
    return;
  case K_future_import_statement:
  case K_pass_statement:
    return;
  case K_raise_statement:
    put(c, new_stmt(c, S_RAISE, n));
    return;
  case K_break_statement:
    put(c, new_stmt(c, S_BREAK, n));
    return;
  case K_continue_statement:
    put(c, new_stmt(c, S_CONTINUE, n));
    return;
  case K_assert_statement: {
    cl_stmt *s = new_stmt(c, S_ASSERT, n);
    TSNode k = ts_node_named_child(n, 0);
    s->value = ts_node_is_null(k) ? NULL : lower_expr(c, k);
    put(c, s);
    return;
  }
  case K_global_statement:
  case K_nonlocal_statement:
    put(c, new_stmt(c, S_GLOBAL, n));
    return;
  case K_delete_statement:
    put(c, new_stmt(c, S_DEL, n));
    return;
  case K_block: { /* stray block (error recovery) */
    cl_block bl = lower_block(c, n);
    for (uint32_t i = 0; i < bl.n; i++) put(c, bl.v[i]);
    return;
  }
  }
  /* match, type aliases, print/exec: opaque to the analysis */
  put(c, new_stmt(c, S_OTHER, n));
}

/* ---- errors, comments, UTF-8 --------------------------------------------- */

/* Walk the tree without recursion: report the outermost ERROR and MISSING
 * nodes, collect comments. A subtree without an error and without a '#' in
 * its bytes holds neither, and is not entered. */
static void scan_tree(lower_ctx *c, TSNode root, cl_vec *comments) {
  TSTreeCursor cur = ts_tree_cursor_new(root);
  int reported = 0;
  uint32_t last_err_end = 0;
  uint32_t hash_from = UINT32_MAX, hash_at = 0; /* the first '#' at or after hash_from */
  size_t len = c->f->len;
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&cur);
    bool descend = true;
    int k = kind(n);
    if (ts_node_is_missing(n)) {
      if (reported < 20 && ts_node_start_byte(n) >= last_err_end) {
        const char *ty = ts_node_type(n);
        char *msg = cl_xasprintf("syntax error: expected '%s'; findings in this region may be "
                                 "missing", ty);
        cl_emit(c->s, "CL901", c->f, span_of(n), msg, NULL);
        free(msg);
        reported++;
      }
      descend = false;
    } else if (k == K_ERROR) {
      if (reported < 20 && ts_node_start_byte(n) >= last_err_end) {
        cl_span sp = span_of(n);
        /* underline only the first line of a multi-line region */
        const char *nl = memchr(c->src + sp.start, '\n', sp.end - sp.start);
        if (nl) sp.end = (uint32_t)(nl - c->src);
        cl_emit(c->s, "CL901", c->f, sp,
                "syntax error: this region does not parse; findings in it may be missing", NULL);
        reported++;
        last_err_end = ts_node_end_byte(n);
      }
      descend = true; /* comments inside still count */
    } else if (k == K_comment) {
      cl_comment *cm = cl_arena_alloc(c->a, sizeof *cm);
      cm->span = span_of(n);
      const char *tx = text(c, n);
      cm->text = tx[0] == '#' ? tx + 1 : tx;
      cl_vec_push(comments, cm);
      descend = false;
    } else if (!ts_node_has_error(n)) {
      /* a comment starts with '#' (in the parser's copy, whose offsets and
       * '#' bytes outside blanked lines are the file's) */
      uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
      if (s < hash_from || (hash_at < s && hash_at != UINT32_MAX)) {
        const char *h = s < len ? memchr(c->src + s, '#', len - s) : NULL;
        hash_from = s;
        hash_at = h ? (uint32_t)(h - c->src) : UINT32_MAX;
      }
      descend = hash_at < e;
    }
    if (descend && ts_tree_cursor_goto_first_child(&cur)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&cur)) {
      if (!ts_tree_cursor_goto_parent(&cur)) {
        ts_tree_cursor_delete(&cur);
        return;
      }
    }
  }
}

/* Bytes covered by the outermost ERROR nodes, and the row of the first
 * ERROR or MISSING node: how badly a tree failed, and where. */
static uint32_t error_extent(TSNode root, uint32_t *first_row) {
  TSTreeCursor cur = ts_tree_cursor_new(root);
  uint32_t total = 0;
  bool found = false;
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&cur);
    bool err = kind(n) == K_ERROR || ts_node_is_missing(n);
    if (err) {
      total += ts_node_end_byte(n) - ts_node_start_byte(n) + 1;
      if (!found) *first_row = ts_node_start_point(n).row;
      found = true;
    }
    if (!err && ts_node_has_error(n) && ts_tree_cursor_goto_first_child(&cur)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&cur)) {
      if (!ts_tree_cursor_goto_parent(&cur)) {
        ts_tree_cursor_delete(&cur);
        return total;
      }
    }
  }
}

/* tree-sitter can fold everything after an unclosed bracket into one ERROR.
 * Blank the first line in error (offsets stay the same) and parse again, a
 * few times, keeping the tree that loses least: the rest of the file is then
 * checked. The CL901 findings come from the first parse. */
static TSTree *recover(TSParser **parser, TSTree *tree, const char *src, size_t len, char **owned,
                       const cl_parse_memo *memo) {
  TSNode root = ts_tree_root_node(tree);
  if (!ts_node_has_error(root)) return tree;
  uint32_t row = 0, best = error_extent(root, &row);
  char *copy = cl_xstrndup(src, len);
  for (int attempt = 0; attempt < 8 && best > 0; attempt++) {
    /* blank row `row` */
    size_t pos = 0;
    for (uint32_t r = 0; r < row && pos < len; pos++)
      if (copy[pos] == '\n') r++;
    size_t end = pos;
    while (end < len && copy[end] != '\n') end++;
    if (end == pos && pos >= len) break;
    memset(copy + pos, ' ', end - pos);
    bool refused = false;
    TSTree *t2;
    if (memo) { /* an editor's re-parse (cl_parse_file_incremental): only the
                 * blanked line changed since `tree`, so reuse it */
      TSTree *base = ts_tree_copy(tree);
      TSInputEdit e = {(uint32_t)pos, (uint32_t)end, (uint32_t)end, {row, 0},
                       {row, (uint32_t)(end - pos)}, {row, (uint32_t)(end - pos)}};
      ts_tree_edit(base, &e);
      t2 = cl_parse_guarded(parser, base, copy, len, &refused);
      ts_tree_delete(base);
    } else {
      t2 = cl_parse_guarded(parser, NULL, copy, len, &refused);
    }
    if (!t2) break;
    uint32_t row2 = 0, ext2 = error_extent(ts_tree_root_node(t2), &row2);
    if (ext2 >= best) {
      ts_tree_delete(t2);
      break;
    }
    ts_tree_delete(tree);
    tree = t2;
    best = ext2;
    row = row2;
    free(*owned);
    *owned = cl_xstrndup(copy, len);
  }
  free(copy);
  return tree;
}

static const char *module_name_from_path(cl_arena *a, const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t l = strlen(base);
  if (l > 3 && !strcmp(base + l - 3, ".py")) l -= 3;
  return cl_arena_strndup(a, base, l);
}

/* ---- incremental re-parse (editors: cli/server.c) -------------------------- */

/* The row and byte column of offset `to` in src. */
static TSPoint point_at(const char *src, size_t to) {
  TSPoint p = {0, 0};
  size_t line = 0;
  for (const char *q = src; (q = memchr(q, '\n', to - (size_t)(q - src))) != NULL; q++) {
    p.row++;
    line = (size_t)(q - src) + 1;
  }
  p.column = (uint32_t)(to - line);
  return p;
}

/* The edit that turns old_src into src: one range, between their longest
 * common prefix and suffix, so that it is right whatever edits the editor
 * made and however check_utf8, blank_comment_floods or recover rewrote the
 * parser's copy. */
static TSInputEdit diff_edit(const char *old_src, size_t olen, const char *src, size_t len) {
  size_t pre = 0, suf = 0, lim = olen < len ? olen : len;
  while (pre + 64 <= lim && !memcmp(old_src + pre, src + pre, 64)) pre += 64; /* per keystroke */
  while (pre < lim && old_src[pre] == src[pre]) pre++;
  while (suf + 64 <= lim - pre && !memcmp(old_src + olen - suf - 64, src + len - suf - 64, 64))
    suf += 64;
  while (suf < lim - pre && old_src[olen - 1 - suf] == src[len - 1 - suf]) suf++;
  TSInputEdit e = {(uint32_t)pre, (uint32_t)(olen - suf), (uint32_t)(len - suf),
                   point_at(src, pre), point_at(old_src, olen - suf), point_at(src, len - suf)};
  return e;
}

/* Parse src reusing old, the tree of old_src (NULL: from scratch), edited
 * by diff_edit. old itself is left as it is. */
static TSTree *parse_from(TSParser **parser, const TSTree *old, const char *old_src, size_t olen,
                          const char *src, size_t len, const TSInputEdit *widen,
                          bool *refused) {
  if (!old) return cl_parse_guarded(parser, NULL, src, len, refused);
  TSInputEdit e = diff_edit(old_src, olen, src, len);
  if (widen) { /* the edit runs to the end of the segment: see find_segment */
    e.old_end_byte = widen->old_end_byte;
    e.old_end_point = widen->old_end_point;
    e.new_end_byte = widen->new_end_byte;
    e.new_end_point = widen->new_end_point;
  }
  TSTree *base = ts_tree_copy(old);
  ts_tree_edit(base, &e);
  TSTree *tree = cl_parse_guarded(parser, base, src, len, refused);
  ts_tree_delete(base);
  return tree;
}

/* ---- the statements an edit touches (editors) ------------------------------ */

/* An edit that opens a bracket (typing `x.shape[`) makes tree-sitter lex the
 * rest of the file again inside it, and again when the bracket closes: a
 * keystroke costs two parses of the whole file. So the editor's parse first
 * parses, on its own, the segment of top-level statements around the edit:
 * from the start of the statement before the first one the edit touches to
 * the start of the first one after it (the second, when a line of the
 * segment starts with a decorator), cut from the last tree that parsed
 * without errors. Both ends lie at the start of a line, before a statement
 * whose text the edit left alone and which starts at column 0, where the
 * parser and the scanner are in the state they have at the start of a file
 * (no bracket, no string, no indentation open), and the segment ends with a
 * line end that does not continue.
 *
 * When the segment parses without errors, so does the file around it the
 * way it did, and the incremental parse of the whole file that follows reuses
 * all of it but the segment (told that the edit runs to the segment's end:
 * from the diff's own end, tree-sitter 0.20.7 often lexes the rest of the
 * file again after an edit on the first line of a block). When the segment
 * does not parse, neither does the file (below), and the file is not parsed
 * as it is: the lines of the segment in error are blanked, as recover does
 * for the file, until the segment parses; the file is parsed with them
 * blanked (again only the segment is parsed anew), and CL901 is reported
 * where the segment alone fails. The next edit starts from that tree.
 *
 * Why the file does not parse when the segment does not: if no string is
 * open at the end of the segment (string_open_at_end), the statements after
 * it lex as they did, complete and balanced; were the file to parse, the
 * segment would then close every bracket it opens, end in a newline at
 * bracket depth 0 before a statement at column 0 that is no continuation
 * clause (it stood alone before), and so be a sequence of complete top-level
 * statements, which parse on their own: the statement before the edit is in
 * the segment, so an `else` or `except` the edit adds finds the statement it
 * continues, and so is the statement after it when the segment holds a
 * decorator, which then finds the definition it decorates. When a string
 * may be open there (a triple-quoted one being typed), the whole file is
 * parsed as it is. */

/* A segment is at most 1/SEGMENT_MAX_SHARE of the file (else: the whole
 * file is parsed as it is). */
#define SEGMENT_MAX_SHARE 2

typedef struct {
  uint32_t a, b; /* in the new text */
  TSPoint pa, pb;
  TSInputEdit edit; /* the edit from the old text, as if all of the segment changed */
} segment;

static TSPoint point_of(const cl_file *f, uint32_t off) {
  size_t lo = 0, hi = f->nlines; /* the last line starting at or before off */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (f->line_starts[mid] <= off) lo = mid;
    else hi = mid;
  }
  TSPoint p = {(uint32_t)lo, off - (f->nlines ? f->line_starts[lo] : 0)};
  return p;
}

/* Does a string (or a line continuation) stay open at the end of src[a, b)?
 * A small lexer: comments, string prefixes, single and triple quotes,
 * escapes; an f-string of triple quotes, whose fields may hold quotes, counts
 * as open. */
static bool string_open_at_end(const char *src, uint32_t a, uint32_t b) {
  uint32_t i = a;
  while (i < b) {
    char ch = src[i];
    if (ch == '#') {
      while (i < b && src[i] != '\n') i++;
      continue;
    }
    if (ch == '\\') {
      if (i + 1 >= b) return true;
      i += 2; /* a continuation, or a stray backslash */
      continue;
    }
    if (ch != '"' && ch != '\'') {
      i++;
      continue;
    }
    bool fstr = false;
    for (uint32_t k = i; k > a; k--) { /* the prefix: letters right before */
      char pc = src[k - 1];
      if (pc == 'f' || pc == 'F' || pc == 't' || pc == 'T') fstr = true;
      else if (!(pc == 'r' || pc == 'R' || pc == 'b' || pc == 'B' || pc == 'u' || pc == 'U')) break;
    }
    bool triple = i + 2 < b && src[i + 1] == ch && src[i + 2] == ch;
    if (triple && fstr) return true;
    i += triple ? 3 : 1;
    for (;;) {
      if (i >= b) return true;
      if (src[i] == '\\') {
        i += 2;
        continue;
      }
      if (!triple && src[i] == '\n') break; /* an unterminated one-line string */
      if (src[i] == ch && (!triple || (i + 2 < b && src[i + 1] == ch && src[i + 2] == ch))) {
        i += triple ? 3 : 1;
        break;
      }
      i++;
    }
  }
  return i > b; /* an escape that ran past the end */
}

/* The segment of src around the edit from osrc (whose tree, old, has no
 * error), or false when there is none to take. */
static bool find_segment(const cl_file *f, const TSTree *old, const char *osrc, size_t olen,
                         const char *src, size_t len, segment *sg) {
  TSNode root = ts_tree_root_node(old);
  if (!f->line_starts || ts_node_has_error(root) || len > UINT32_MAX / 2 || olen > UINT32_MAX / 2)
    return false;
  TSInputEdit e = diff_edit(osrc, olen, src, len);
  if (e.start_byte == e.old_end_byte && e.start_byte == e.new_end_byte) return false;
  uint32_t a = 0, bo = (uint32_t)olen, bo1 = 0;
  bool found_b = false, after = false;
  TSTreeCursor cur = ts_tree_cursor_new(root);
  for (bool more = ts_tree_cursor_goto_first_child(&cur); more;
       more = ts_tree_cursor_goto_next_sibling(&cur)) {
    TSNode n = ts_tree_cursor_current_node(&cur);
    if (!ts_node_is_named(n) || kind(n) == K_comment || ts_node_start_point(n).column != 0) continue;
    uint32_t na = ts_node_start_byte(n), nb = ts_node_end_byte(n);
    if (nb < e.start_byte) {
      a = na; /* the last statement before the edit */
    } else if (na > e.old_end_byte) {
      if (!after) { /* the first statement after the edit */
        after = true;
        bo1 = na;
        continue;
      }
      bo = na; /* the second */
      found_b = true;
      break;
    }
  }
  ts_tree_cursor_delete(&cur);
  if (after) { /* the segment ends before the first statement after the edit,
                * unless a decorator at column 0 could want it: then after it */
    uint32_t b1 = (uint32_t)((int64_t)bo1 - e.old_end_byte + e.new_end_byte);
    bool deco = b1 <= len && a < b1 && src[a] == '@';
    for (uint32_t i = a; !deco && i + 1 < b1 && b1 <= len; i++)
      deco = src[i] == '\n' && src[i + 1] == '@';
    if (!deco) {
      bo = bo1;
      found_b = true;
    }
  }
  uint32_t b = (uint32_t)((int64_t)bo - e.old_end_byte + e.new_end_byte);
  if (a >= b || b > len || (size_t)(b - a) * SEGMENT_MAX_SHARE > len) return false;
  if (a > 0 && src[a - 1] != '\n') return false;
  if (found_b) { /* ends with a line end that does not continue */
    if (src[b - 1] != '\n') return false;
    uint32_t k = b - 1;
    if (k > a && src[k - 1] == '\r') k--;
    if (k > a && src[k - 1] == '\\') return false;
  }
  sg->a = a;
  sg->b = b;
  sg->pa = point_of(f, a);
  sg->pb = point_of(f, b);
  sg->edit = e; /* at the end of the file: as it is */
  if (found_b) { /* b and bo start lines */
    TSPoint pbo = {sg->pb.row - e.new_end_point.row + e.old_end_point.row, 0};
    TSInputEdit we = {a, bo, b, sg->pa, pbo, sg->pb};
    sg->edit = we;
  }
  return true;
}

/* Parse src[sg] alone (positions are the file's); NULL when refused. */
static TSTree *parse_segment(TSParser **parser, const segment *sg, const char *src, size_t len) {
  TSRange r = {sg->pa, sg->pb, sg->a, sg->b};
  if (!ts_parser_set_included_ranges(*parser, &r, 1)) return NULL;
  bool refused = false;
  TSTree *t = cl_parse_guarded(parser, NULL, src, len, &refused);
  ts_parser_set_included_ranges(*parser, NULL, 0); /* a new parser has none either */
  return t;
}

/* The bad case above: src's segment does not parse (seg_tree, which stays
 * the caller's, for CL901 and the comments). Blank its lines in error in a
 * copy of src until it does, then parse that copy incrementally from old
 * (the last tree, without errors, of osrc). On success, returns the tree of
 * the copy and *rec the copy; else NULL, and the file is parsed as it is. */
static TSTree *parse_around_segment(TSParser **parser, const segment *sg, TSTree *seg_tree,
                                    const TSTree *old, const char *osrc, size_t olen,
                                    const char *src, size_t len, char **rec) {
  if (string_open_at_end(src, sg->a, sg->b)) return NULL;
  char *copy = cl_xstrndup(src, len);
  TSTree *t = seg_tree;
  uint32_t row = 0, best = error_extent(ts_tree_root_node(t), &row);
  /* Blank a row: the first in error or one of the two before it (a bracket
   * left open is seen on the next line), the one that leaves least in error;
   * again while that helps. A row is made `pass` where its text began
   * (tree-sitter 0.20.7 reuses the rest of the file after a statement far
   * better than after a blank line at the start of a block), or, where that
   * helps nowhere, spaces. */
  for (int round = 0; round < 6 && best > 0; round++) {
    uint32_t cand_ext = best, cand_row = 0, cand_row2 = 0;
    TSTree *cand = NULL;
    bool cand_pass = false;
    for (int variant = 0; variant < 2 && !cand; variant++) {
      for (uint32_t back = 0; back < 3 && cand_ext > 0; back++) {
        if (row < sg->pa.row + back || row >= sg->pb.row) break;
        uint32_t r = row - back;
        size_t pos = sg->a, k = sg->pa.row;
        for (; k < r && pos < sg->b; pos++)
          if (copy[pos] == '\n') k++;
        size_t end = pos;
        while (end < sg->b && copy[end] != '\n') end++;
        size_t ind = pos;
        while (ind < end && (copy[ind] == ' ' || copy[ind] == '\t')) ind++;
        if (end == ind || (variant == 0 && end - ind < 4)) continue;
        char *line = cl_xstrndup(copy + ind, end - ind);
        memset(copy + ind, ' ', end - ind);
        if (variant == 0) memcpy(copy + ind, "pass", 4);
        TSTree *t2 = parse_segment(parser, sg, copy, len);
        memcpy(copy + ind, line, end - ind);
        free(line);
        uint32_t row2 = 0, ext2 = t2 ? error_extent(ts_tree_root_node(t2), &row2) : UINT32_MAX;
        if (ext2 < cand_ext) {
          if (cand) ts_tree_delete(cand);
          cand = t2;
          cand_ext = ext2;
          cand_row = r;
          cand_row2 = row2;
          cand_pass = variant == 0;
        } else if (t2) {
          ts_tree_delete(t2);
        }
      }
    }
    if (!cand) break;
    size_t pos = sg->a, k = sg->pa.row; /* blank the row chosen, for good */
    for (; k < cand_row && pos < sg->b; pos++)
      if (copy[pos] == '\n') k++;
    size_t end = pos;
    while (end < sg->b && copy[end] != '\n') end++;
    while (pos < end && (copy[pos] == ' ' || copy[pos] == '\t')) pos++;
    memset(copy + pos, ' ', end - pos);
    if (cand_pass) memcpy(copy + pos, "pass", 4);
    if (t != seg_tree) ts_tree_delete(t);
    t = cand;
    best = cand_ext;
    row = cand_row2;
  }
  if (t != seg_tree) ts_tree_delete(t);
  if (best > 0) {
    free(copy);
    return NULL;
  }
  bool refused = false;
  TSTree *tree = parse_from(parser, old, osrc, olen, copy, len, &sg->edit, &refused);
  if (!tree || ts_node_has_error(ts_tree_root_node(tree))) {
    if (tree) ts_tree_delete(tree);
    free(copy);
    return NULL;
  }
  *rec = copy;
  return tree;
}

/* ---- reusing the previous version's IR ------------------------------------- */

/* The shift walk below must visit every span of the IR: a field added to
 * these structs must be added to it (as to serialize.c). */
#if defined(__LP64__)
_Static_assert(sizeof(cl_expr) == 40, "cl_expr changed: update shift_expr in parse.c");
_Static_assert(sizeof(cl_stmt) == 80, "cl_stmt changed: update shift_stmt in parse.c");
_Static_assert(sizeof(cl_param) == 40, "cl_param changed: update shift_func in parse.c");
_Static_assert(sizeof(cl_contract) == 24, "cl_contract changed: update shift_func in parse.c");
_Static_assert(sizeof(cl_func) == 136, "cl_func changed: update shift_func in parse.c");
_Static_assert(sizeof(cl_class) == 56, "cl_class changed: update shift_class in parse.c");
_Static_assert(sizeof(cl_comment) == 16, "cl_comment changed: update lower_reusing in parse.c");
_Static_assert(sizeof(cl_module) == 40, "cl_module changed: update lower_reusing in parse.c");
#endif

/* Move a reused statement after the edit: every span by the edit's bytes and
 * rows (it starts on a later row than the edit ends, so columns stay). The
 * lowering shares some nodes (a lambda's body): each is moved once. */
typedef struct {
  const void **v;
  size_t cap, n;
  int64_t db;
} shifter;

static _Thread_local size_t shift_hint; /* the nodes the last walk moved */

static bool first_visit(shifter *sh, const void *p) {
  if ((sh->n + 1) * 2 > sh->cap) {
    size_t cap = sh->cap ? sh->cap * 2 : 1024;
    const void **v = cl_xcalloc(cap, sizeof *v);
    for (size_t i = 0; i < sh->cap; i++) {
      if (!sh->v[i]) continue;
      size_t k = ((uintptr_t)sh->v[i] >> 3) & (cap - 1);
      while (v[k]) k = (k + 1) & (cap - 1);
      v[k] = sh->v[i];
    }
    free(sh->v);
    sh->v = v;
    sh->cap = cap;
  }
  size_t k = ((uintptr_t)p >> 3) & (sh->cap - 1);
  for (; sh->v[k]; k = (k + 1) & (sh->cap - 1))
    if (sh->v[k] == p) return false;
  sh->v[k] = p;
  sh->n++;
  return true;
}

static void shift_span(const shifter *sh, cl_span *sp) {
  sp->start = (uint32_t)((int64_t)sp->start + sh->db);
  sp->end = (uint32_t)((int64_t)sp->end + sh->db);
}

static void shift_expr(shifter *sh, cl_expr *e);
static void shift_stmt(shifter *sh, cl_stmt *s);
static void shift_func(shifter *sh, cl_func *fn);
static void shift_class(shifter *sh, cl_class *cls);

static void shift_block(shifter *sh, cl_block *b) {
  for (uint32_t i = 0; i < b->n; i++) shift_stmt(sh, b->v[i]);
}

static void shift_expr(shifter *sh, cl_expr *e) {
  if (!e || !first_visit(sh, e)) return;
  shift_span(sh, &e->span);
  for (uint32_t i = 0; i < e->nkids; i++) shift_expr(sh, e->kids[i]);
  if (e->kind == E_LAMBDA) shift_func(sh, e->lambda);
}

static void shift_func(shifter *sh, cl_func *fn) {
  if (!fn || !first_visit(sh, fn)) return;
  shift_span(sh, &fn->span);
  shift_span(sh, &fn->name_span);
  for (uint32_t i = 0; i < fn->nparams; i++) {
    shift_span(sh, &fn->params[i].span);
    shift_expr(sh, fn->params[i].dflt);
    shift_expr(sh, fn->params[i].annotation);
  }
  for (uint32_t i = 0; i < fn->ndecorators; i++) shift_expr(sh, fn->decorators[i]);
  shift_block(sh, &fn->body);
  for (uint32_t i = 0; i < fn->ncontracts; i++) shift_span(sh, &fn->contracts[i].span);
  shift_expr(sh, fn->lambda_body);
  if (fn->lazy_end) fn->lazy_end = (uint32_t)((int64_t)fn->lazy_end + sh->db);
  shift_class(sh, fn->cls); /* ancestors lie in the same statement */
  shift_func(sh, fn->outer);
}

static void shift_class(shifter *sh, cl_class *cls) {
  if (!cls || !first_visit(sh, cls)) return;
  shift_span(sh, &cls->span);
  for (uint32_t i = 0; i < cls->nbases; i++) shift_expr(sh, cls->bases[i]);
  shift_block(sh, &cls->body);
}

static void shift_stmt(shifter *sh, cl_stmt *s) {
  if (!s || !first_visit(sh, s)) return;
  shift_span(sh, &s->span);
  cl_expr **items = s->kind == S_WITH ? s->items : NULL;
  for (uint32_t i = 0; i < s->ntargets; i++) {
    if (s->targets) shift_expr(sh, s->targets[i]);
    if (items) shift_expr(sh, items[i]);
  }
  shift_expr(sh, s->value);
  if (cl_stmt_has_blocks(s->kind)) {
    shift_block(sh, &s->body);
    shift_block(sh, &s->orelse);
    if (s->kind == S_TRY) shift_block(sh, &s->final);
  }
  if (s->kind == S_FUNCDEF) shift_func(sh, s->func);
  if (s->kind == S_CLASSDEF) shift_class(sh, s->cls);
}

/* Lower root into m->body reusing old, the IR of the previous version (in
 * the same arena), for each top-level statement the edit e and the syntax
 * changes ch leave alone: as it is before them, moved by the edit after them.
 * The rest is lowered as lower_block does. With comments non-NULL, the
 * module's comments are gathered there the same way (reused, or found by
 * scan_tree). Adds the bytes lowered again to *relowered. */
static void lower_reusing(lower_ctx *c, cl_module *m, TSNode root, const cl_module *old,
                          const TSInputEdit *e, const TSRange *ch, uint32_t nch,
                          size_t *relowered, cl_vec *comments) {
  uint32_t lo = e->start_byte, hi = e->new_end_byte;
  for (uint32_t i = 0; i < nch; i++) {
    if (ch[i].start_byte < lo) lo = ch[i].start_byte;
    if (ch[i].end_byte > hi) hi = ch[i].end_byte;
  }
  shifter sh = {NULL, 0, 0, (int64_t)e->new_end_byte - (int64_t)e->old_end_byte};
  if (shift_hint) { /* sized for as many nodes as the last walk moved: no rehashing */
    size_t cap = 1024;
    while (cap < 4 * shift_hint) cap *= 2;
    sh.v = cl_xcalloc(cap, sizeof *sh.v);
    sh.cap = cap;
  }
  size_t mark = c->np;
  uint32_t si = 0, ci = 0;
  c->depth = 1; /* as in lower_block(root) */
  TSTreeCursor cur = ts_tree_cursor_new(root);
  bool more = ts_tree_cursor_goto_first_child(&cur);
  for (; more; more = ts_tree_cursor_goto_next_sibling(&cur)) {
    TSNode n = ts_tree_cursor_current_node(&cur);
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    bool before = b < lo;
    bool after = a > hi && ts_node_start_point(n).row > e->new_end_point.row;
    if (!before && !after) {
      if (comments) scan_tree(c, n, comments);
      if (ts_node_is_named(n)) lower_stmt(c, n);
      *relowered += b - a;
      continue;
    }
    uint32_t oa = after ? (uint32_t)((int64_t)a - sh.db) : a;
    uint32_t ob = after ? (uint32_t)((int64_t)b - sh.db) : b;
    while (si < old->body.n && old->body.v[si]->span.start < oa) si++;
    for (; si < old->body.n && old->body.v[si]->span.end <= ob; si++) {
      cl_stmt *st = old->body.v[si];
      if (after) shift_stmt(&sh, st);
      put(c, st);
    }
    while (comments && ci < old->ncomments && old->comments[ci].span.start < oa) ci++;
    for (; comments && ci < old->ncomments && old->comments[ci].span.end <= ob; ci++) {
      cl_comment *cm = cl_arena_alloc(c->a, sizeof *cm);
      *cm = old->comments[ci];
      if (after) shift_span(&sh, &cm->span);
      cl_vec_push(comments, cm);
    }
  }
  ts_tree_cursor_delete(&cur);
  shift_hint = sh.n;
  free(sh.v);
  c->depth = 0;
  m->body = seal_block(c, mark);
}

void cl_parse_memo_clear(cl_parse_memo *memo) {
  if (memo->tree) ts_tree_delete(memo->tree);
  if (memo->ir_tree) ts_tree_delete(memo->ir_tree);
  free(memo->src);
  free(memo->ir_src);
  memset(memo, 0, sizeof *memo);
}

static void parse_file(condlint_session *s, cl_file *f, cl_parse_memo *memo);

void cl_parse_file(condlint_session *s, cl_file *f) { parse_file(s, f, NULL); }

void cl_parse_file_incremental(condlint_session *s, cl_file *f, cl_parse_memo *memo) {
  parse_file(s, f, memo);
}

/* ---- skeletons: function bodies parsed when called (parse_lazy.c) --------- */

#define LAZY_MIN_BODY 128 /* a shorter body costs less parsed with its file */

bool cl_lazy_bodies_on(void) {
  const char *e = getenv("CONDLINT_LAZY");
  return !e || strcmp(e, "off") != 0;
}

static TSPoint file_point(const cl_file *f, uint32_t byte) {
  uint32_t row = cl_file_row(f, byte);
  return (TSPoint){row, byte - f->line_starts[row]};
}

static void emit_too_deep(const lower_ctx *c) {
  if (c->too_deep)
    cl_emit(c->s, "CL904", c->f, c->deep_span,
            "expression nested too deeply to analyse; the analysis treats it as unknown", NULL);
}

/* Parse f, whose bytes are the parser's own (no CL903, nothing masked), as
 * a skeleton. False, with nothing changed or reported, when no body is worth
 * leaving or the skeleton does not hold (it does not parse cleanly, or its
 * tree is not what the scan found): the caller then parses the file whole,
 * which reports what is wrong with it. */
static bool parse_skeleton(condlint_session *s, cl_file *f) {
  cl_lazy_body *bodies;
  size_t n = cl_lazy_find_bodies(f->bytes, f->len, LAZY_MIN_BODY, &bodies);
  if (!n) return false;
  char *skel = cl_lazy_skeleton(f->bytes, f->len, bodies, n);
  TSParser *parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_python());
  bool refused = false;
  TSTree *tree = cl_parse_guarded(&parser, NULL, skel, f->len, &refused);
  bool ok = tree && !ts_node_has_error(ts_tree_root_node(tree));
  if (ok) {
    lower_ctx c = {0};
    c.s = s;
    c.f = f;
    c.a = cl_arena_new();
    c.src = skel;
    c.bodies = bodies;
    c.nbodies = n;
    cl_module *m = cl_arena_alloc(c.a, sizeof *m);
    m->dotted = module_name_from_path(c.a, f->path);
    TSNode root = ts_tree_root_node(tree);
    cl_vec comments = {0};
    scan_tree(&c, root, &comments); /* a clean tree: its comments only */
    m->body = lower_block(&c, root);
    ok = !c.skeleton_broken && !c.too_deep && c.met == n;
    if (ok) {
      m->ncomments = (uint32_t)comments.n;
      m->comments = cl_arena_alloc(c.a, comments.n * sizeof(cl_comment));
      for (size_t i = 0; i < comments.n; i++) m->comments[i] = *(cl_comment *)comments.v[i];
      f->arena = c.a;
      f->mod = m;
      __atomic_fetch_add(&s->lazy_left, n, __ATOMIC_RELAXED);
    } else {
      cl_arena_free(c.a);
    }
    cl_vec_free(&comments);
    ctx_free(&c);
  }
  if (tree) ts_tree_delete(tree);
  ts_parser_delete(parser);
  free(skel);
  free(bodies);
  return ok;
}

void cl_parse_body(condlint_session *s, cl_func *fn) {
  uint32_t end = fn->lazy_end;
  cl_file *f = fn->file;
  fn->lazy_end = 0; /* parsed once, whatever comes of it */
  if (!end || !f || !f->bytes || !f->arena || end > f->len || fn->span.start >= end) return;
  pthread_once(&kinds_once, kinds_init);
  if (!f->line_starts) cl_file_index_lines(f);
  TSParser *parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_python());
  /* the def alone: its first line read as if unindented, its body's lines
   * indented relative to it */
  TSRange r = {file_point(f, fn->span.start), file_point(f, end), fn->span.start, end};
  ts_parser_set_included_ranges(parser, &r, 1);
  bool refused = false;
  TSTree *tree = cl_parse_guarded(&parser, NULL, f->bytes, f->len, &refused);
  TSNode root = tree ? ts_tree_root_node(tree) : (TSNode){0};
  TSNode def = tree ? ts_node_named_child(root, 0) : root;
  if (tree && !ts_node_is_null(def) && kind(def) == K_function_definition) {
    lower_ctx c = {0};
    c.s = s;
    c.f = f;
    c.a = f->arena;
    c.src = f->bytes;
    c.func = fn;
    c.qual_prefix = concat(&c, fn->qualname, ".<locals>", "");
    if (ts_node_has_error(root)) { /* CL901 where the body does not parse */
      cl_vec comments = {0};
      scan_tree(&c, root, &comments);
      cl_vec_free(&comments);
    }
    TSNode body = field(def, F.body);
    if (!ts_node_is_null(body)) fn->body = lower_block(&c, body);
    emit_too_deep(&c);
    ctx_free(&c);
    s->lazy_called++; /* the analysis's one thread */
  }
  if (tree) ts_tree_delete(tree);
  ts_parser_delete(parser);
}

static void parse_file(condlint_session *s, cl_file *f, cl_parse_memo *memo) {
  pthread_once(&kinds_once, kinds_init);
  uint32_t *stars = NULL;
  size_t nstars = 0;
  char *clean = cl_parse_mask_starred_brackets(f, cl_parse_blank_comment_floods(f, cl_parse_check_utf8(s, f)), &stars, &nstars);
  if (!clean && !memo && f->lazy_bodies && !f->arena && f->len < UINT32_MAX &&
      parse_skeleton(s, f)) {
    free(stars);
    return;
  }
  const char *src = clean ? clean : f->bytes;
  TSParser *parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_python());
  bool refused = false;
  /* an editor's parse: the segment of statements around the edit first */
  segment sg;
  TSTree *seg_tree = NULL, *tree = NULL;
  bool seg_clean = false; /* the segment parses: so does the file around it */
  char *seg_rec = NULL; /* src with the segment's lines in error blanked */
  if (memo && memo->tree && find_segment(f, memo->tree, memo->src, memo->len, src, f->len, &sg)) {
    seg_tree = parse_segment(&parser, &sg, src, f->len);
    seg_clean = seg_tree && !ts_node_has_error(ts_tree_root_node(seg_tree));
    if (seg_tree && ts_node_has_error(ts_tree_root_node(seg_tree)))
      tree = parse_around_segment(&parser, &sg, seg_tree, memo->tree, memo->src, memo->len, src,
                                  f->len, &seg_rec);
    if (!tree) {
      if (seg_tree) ts_tree_delete(seg_tree);
      seg_tree = NULL;
    }
  }
  if (!tree)
    tree = memo ? parse_from(&parser, memo->tree, memo->src, memo->len, src, f->len,
                             seg_clean ? &sg.edit : NULL, &refused)
                : cl_parse_guarded(&parser, NULL, src, f->len, &refused);
  /* what the next incremental parse starts from: this tree, before recovery
   * (after the segment's, which is the tree of seg_rec) */
  TSTree *next = memo && tree ? ts_tree_copy(tree) : NULL;
  const char *next_src = seg_rec ? seg_rec : src;
  /* an editor's file keeps its arena: reuse the previous version's IR for
   * what the edit left alone, unless the garbage of earlier versions outgrew
   * the file */
  bool reuse = memo && memo->mod && memo->ir_tree && tree && f->arena &&
               memo->relowered < 2 * f->len + 65536;
  if (memo && !reuse) { /* lowered from scratch into a fresh arena */
    cl_arena_free(f->arena);
    f->arena = NULL;
    memo->mod = NULL;
    memo->relowered = 0;
  }
  if (!f->arena) f->arena = cl_arena_new();
  lower_ctx c = {0};
  c.s = s;
  c.f = f;
  c.a = f->arena;
  c.src = src;
  c.stars = stars;
  c.nstars = nstars;
  cl_module *m = cl_arena_alloc(f->arena, sizeof *m);
  m->dotted = module_name_from_path(f->arena, f->path);
  TSTree *ir_next = NULL; /* the tree the IR is lowered from, for memo */
  bool tree_errors = false;
  char *ir_src_next = NULL;
  if (tree) {
    TSNode root = ts_tree_root_node(tree);
    bool errors = ts_node_has_error(root);
    tree_errors = errors;
    cl_vec comments = {0}, seg_comments = {0};
    if (seg_tree) /* CL901 where the segment fails, its comments as written */
      scan_tree(&c, ts_tree_root_node(seg_tree), &seg_comments);
    /* the comments are those of src's tree, lower_reusing's only where the
     * previous version's were its ir_tree's */
    bool scan_all = !reuse || errors || memo->rescan;
    if (scan_all) scan_tree(&c, root, &comments);
    char *recovered = seg_rec;
    if (!seg_rec) tree = recover(&parser, tree, src, f->len, &recovered, memo);
    if (recovered) {
      /* lower the recovered tree; comments still come from the original */
      c.src = recovered;
      root = ts_tree_root_node(tree);
    }
    if (reuse) {
      TSInputEdit e = diff_edit(memo->ir_src, memo->len, c.src, f->len);
      TSTree *base = ts_tree_copy(memo->ir_tree);
      ts_tree_edit(base, &e);
      uint32_t nch = 0;
      TSRange *ch = ts_tree_get_changed_ranges(base, tree, &nch);
      ts_tree_delete(base);
      lower_reusing(&c, m, root, memo->mod, &e, ch, nch, &memo->relowered,
                    scan_all ? NULL : &comments);
      free(ch);
    } else {
      m->body = lower_block(&c, root);
    }
    if (seg_tree) { /* the segment's comments are those of src, not of seg_rec */
      cl_vec all = {0};
      size_t i = 0;
      for (; i < comments.n && ((cl_comment *)comments.v[i])->span.end <= sg.a; i++)
        cl_vec_push(&all, comments.v[i]);
      for (size_t k = 0; k < seg_comments.n; k++) cl_vec_push(&all, seg_comments.v[k]);
      for (; i < comments.n; i++)
        if (((cl_comment *)comments.v[i])->span.start >= sg.b) cl_vec_push(&all, comments.v[i]);
      cl_vec_free(&comments);
      comments = all;
      ts_tree_delete(seg_tree);
    }
    cl_vec_free(&seg_comments);
    m->ncomments = (uint32_t)comments.n;
    m->comments = cl_arena_alloc(f->arena, comments.n * sizeof(cl_comment));
    for (size_t i = 0; i < comments.n; i++) m->comments[i] = *(cl_comment *)comments.v[i];
    cl_vec_free(&comments);
    if (memo) {
      ir_next = ts_tree_copy(tree);
      ir_src_next = cl_xstrndup(c.src, f->len);
    }
    ts_tree_delete(tree);
    if (recovered != seg_rec) free(recovered);
  }
  if (refused) {
    cl_span first = {0, (uint32_t)(f->nlines > 1 ? f->line_starts[1] - 1 : f->len)};
    cl_emit(s, "CL904", f, first,
            cl_parse_refused_why() == 2 ? "the parser ran out of time on this file (an input made to be "
                               "slow to parse); the file is not analysed"
                             : "the parser cannot build this file's syntax tree (one node of "
                               "65536 children or more); the file is not analysed",
            NULL);
  }
  emit_too_deep(&c);
  if (memo) {
    size_t relowered = memo->relowered;
    cl_parse_memo_clear(memo);
    if (next) {
      memo->tree = next;
      memo->src = cl_xstrndup(next_src, f->len);
      memo->len = f->len;
    }
    if (ir_next && !c.too_deep) { /* a statement too deep would lose its CL904 */
      memo->ir_tree = ir_next;
      memo->ir_src = ir_src_next;
      memo->mod = m;
      memo->relowered = relowered;
      memo->rescan = tree_errors; /* its comments came from the tree before recovery */
    } else {
      if (ir_next) ts_tree_delete(ir_next);
      free(ir_src_next);
    }
  }
  ctx_free(&c);
  ts_parser_delete(parser);
  free(seg_rec);
  free(clean);
  free(stars);
  f->mod = m;
}
