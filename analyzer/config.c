/* config.c — configuration: reading [tool.condlint] of pyproject.toml,
 * condlint.toml and .condlint.toml with the tree-sitter TOML grammar,
 * finding the file that governs each checked file (the closest one walking up
 * from its directory), layering command-line overrides on top, and answering
 * the session's questions (is this file excluded, is this rule selected here,
 * what severity does this finding get).
 *
 * The TOML layer builds a small value tree from the syntax tree and enforces
 * the TOML rules that matter for a configuration (no duplicate keys, no table
 * defined twice, no key added to a value); the configuration layer then
 * checks every key, type and rule code, reporting the first problem as
 * "path:line:col: message". */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <tree_sitter/api.h>
#include <unistd.h>

#include "config.h"
#include "cache.h" /* cl_hash128 */

const TSLanguage *tree_sitter_toml(void);
bool cl_glob_match(const char *pattern, const char *path); /* discover.c */

/* ---- paths ----------------------------------------------------------------- */

static char *xgetcwd(void) {
  char *d = getcwd(NULL, 0);
  return d ? d : cl_xstrdup("/");
}

char *cl_path_absolute(const char *path) {
  char *joined;
  if (path[0] == '/') {
    joined = cl_xstrdup(path);
  } else {
    char *cwd = xgetcwd();
    joined = cl_xasprintf("%s/%s", cwd, path);
    free(cwd);
  }
  /* fold the components in place */
  size_t n = strlen(joined);
  char *out = cl_xmalloc(n + 2);
  size_t o = 0;
  const char *p = joined;
  while (*p) {
    while (*p == '/') p++;
    if (!*p) break;
    const char *e = strchr(p, '/');
    size_t l = e ? (size_t)(e - p) : strlen(p);
    if (l == 1 && p[0] == '.') {
      /* nothing */
    } else if (l == 2 && p[0] == '.' && p[1] == '.') {
      while (o > 0 && out[o - 1] != '/') o--;
      if (o > 0) o--; /* drop the '/' too */
    } else {
      out[o++] = '/';
      memcpy(out + o, p, l);
      o += l;
    }
    p += l;
  }
  if (o == 0) out[o++] = '/';
  out[o] = 0;
  free(joined);
  return out;
}

/* Is path equal to dir or below it? Both absolute and normalized. */
static const char *below(const char *path, const char *dir) {
  size_t l = strlen(dir);
  if (l == 1 && dir[0] == '/') return path + 1;
  if (strncmp(path, dir, l)) return NULL;
  if (path[l] == 0) return path + l;
  if (path[l] == '/') return path + l + 1;
  return NULL;
}

char *cl_path_from_cwd(const char *path) {
  if (path[0] != '/') return cl_xstrdup(path);
  char *cwd = xgetcwd();
  const char *rel = below(path, cwd);
  char *out = cl_xstrdup(rel && *rel ? rel : path);
  free(cwd);
  return out;
}

static char *dir_of(const char *abspath) {
  const char *slash = strrchr(abspath, '/');
  if (!slash || slash == abspath) return cl_xstrdup("/");
  return cl_xstrndup(abspath, (size_t)(slash - abspath));
}

static const char *base_of(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* ---- TOML values ------------------------------------------------------------ */

typedef enum { TV_STRING, TV_INTEGER, TV_FLOAT, TV_BOOLEAN, TV_DATETIME, TV_ARRAY, TV_TABLE } tv_kind;

typedef struct tv tv;
struct tv {
  tv_kind kind;
  unsigned line, col; /* of the value; for a table made by a header or dotted key, of that key */
  char *s;            /* STRING value, DATETIME text */
  long long i;
  double f;
  bool b;
  /* ARRAY: vals[n]; TABLE: keys[n] -> vals[n], key positions kline/kcol */
  tv **vals;
  char **keys;
  unsigned *kline, *kcol;
  size_t n, cap;
  bool header;  /* defined by a [header] */
  bool dotted;  /* created by a dotted key (a.b = 1) */
  bool inl;     /* inline table or array literal: closed */
  bool aot;     /* array of tables ([[x]]) */
};

typedef struct {
  const char *src;
  size_t len;
  const char *shown; /* the file's path in messages */
  cl_arena *arena;
  char *err;         /* the first error, "path:line:col: message" */
  int depth;         /* of convert's recursion: arrays and inline tables */
} tctx;

static void node_pos(const tctx *c, TSNode n, unsigned *line, unsigned *col) {
  TSPoint p = ts_node_start_point(n);
  uint32_t b = ts_node_start_byte(n);
  uint32_t ls = b >= p.column ? b - p.column : 0;
  unsigned cc = 1;
  for (uint32_t i = ls; i < b && i < c->len; i++)
    if (((unsigned char)c->src[i] & 0xC0) != 0x80) cc++;
  *line = p.row + 1;
  *col = cc;
}

static int fail_at(tctx *c, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail_at(tctx *c, unsigned line, unsigned col, const char *fmt, ...) {
  if (c->err) return CONDLINT_ECONFIG;
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  c->err = cl_xasprintf("%s:%u:%u: %s", c->shown, line, col, msg);
  return CONDLINT_ECONFIG;
}

#define FAIL_NODE(c, n, ...)                                                     \
  do {                                                                           \
    unsigned l_, k_;                                                             \
    node_pos((c), (n), &l_, &k_);                                                \
    return fail_at((c), l_, k_, __VA_ARGS__);                                    \
  } while (0)

static tv *tv_new(tctx *c, tv_kind kind, unsigned line, unsigned col) {
  tv *v = cl_arena_alloc(c->arena, sizeof *v);
  v->kind = kind;
  v->line = line;
  v->col = col;
  return v;
}

static void tv_grow(tctx *c, tv *v) {
  if (v->n < v->cap) return;
  size_t cap = v->cap ? v->cap * 2 : 8;
  tv **vals = cl_arena_alloc(c->arena, cap * sizeof *vals);
  char **keys = cl_arena_alloc(c->arena, cap * sizeof *keys);
  unsigned *kl = cl_arena_alloc(c->arena, cap * sizeof *kl);
  unsigned *kc = cl_arena_alloc(c->arena, cap * sizeof *kc);
  if (v->n) {
    memcpy(vals, v->vals, v->n * sizeof *vals);
    if (v->keys) {
      memcpy(keys, v->keys, v->n * sizeof *keys);
      memcpy(kl, v->kline, v->n * sizeof *kl);
      memcpy(kc, v->kcol, v->n * sizeof *kc);
    }
  }
  v->vals = vals;
  v->keys = keys;
  v->kline = kl;
  v->kcol = kc;
  v->cap = cap;
}

static tv *tbl_get(const tv *t, const char *key, size_t *idx) {
  for (size_t i = 0; i < t->n; i++)
    if (!strcmp(t->keys[i], key)) {
      if (idx) *idx = i;
      return t->vals[i];
    }
  return NULL;
}

static void tbl_put(tctx *c, tv *t, const char *key, unsigned line, unsigned col, tv *v) {
  tv_grow(c, t);
  t->keys[t->n] = cl_arena_strdup(c->arena, key);
  t->kline[t->n] = line;
  t->kcol[t->n] = col;
  t->vals[t->n++] = v;
}

static void arr_push(tctx *c, tv *a, tv *v) {
  tv_grow(c, a);
  a->vals[a->n++] = v;
}

static const char *kind_name(tv_kind k) {
  switch (k) {
    case TV_STRING: return "a string";
    case TV_INTEGER: return "an integer";
    case TV_FLOAT: return "a float";
    case TV_BOOLEAN: return "a boolean";
    case TV_DATETIME: return "a date-time";
    case TV_ARRAY: return "an array";
    case TV_TABLE: return "a table";
  }
  return "a value";
}

static void put_utf8(char *out, size_t *o, unsigned long cp) {
  if (cp < 0x80) {
    out[(*o)++] = (char)cp;
  } else if (cp < 0x800) {
    out[(*o)++] = (char)(0xC0 | (cp >> 6));
    out[(*o)++] = (char)(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out[(*o)++] = (char)(0xE0 | (cp >> 12));
    out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[(*o)++] = (char)(0x80 | (cp & 0x3F));
  } else {
    out[(*o)++] = (char)(0xF0 | (cp >> 18));
    out[(*o)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[(*o)++] = (char)(0x80 | (cp & 0x3F));
  }
}

/* Decode a string or quoted-key node (its text includes the quotes). */
static int decode_string(tctx *c, TSNode n, char **out) {
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  const char *t = c->src + s;
  size_t len = e - s;
  bool ml = len >= 6 && (!strncmp(t, "\"\"\"", 3) || !strncmp(t, "'''", 3));
  bool literal = len > 0 && t[0] == '\'';
  size_t q = ml ? 3 : 1;
  if (len < 2 * q) FAIL_NODE(c, n, "TOML syntax error: unterminated string");
  const char *b = t + q;
  size_t bl = len - 2 * q;
  if (ml) {
    if (bl && b[0] == '\n') b++, bl--;
    else if (bl > 1 && b[0] == '\r' && b[1] == '\n') b += 2, bl -= 2;
  }
  char *buf = cl_arena_alloc(c->arena, bl + 1);
  size_t o = 0;
  if (literal) {
    memcpy(buf, b, bl);
    buf[bl] = 0;
    *out = buf;
    return 0;
  }
  for (size_t i = 0; i < bl; i++) {
    char ch = b[i];
    if (ch != '\\') {
      buf[o++] = ch;
      continue;
    }
    if (++i >= bl) FAIL_NODE(c, n, "TOML syntax error: a string ends with a backslash");
    char esc = b[i];
    switch (esc) {
      case 'b': buf[o++] = '\b'; break;
      case 't': buf[o++] = '\t'; break;
      case 'n': buf[o++] = '\n'; break;
      case 'f': buf[o++] = '\f'; break;
      case 'r': buf[o++] = '\r'; break;
      case 'e': buf[o++] = '\033'; break;
      case '"': buf[o++] = '"'; break;
      case '\\': buf[o++] = '\\'; break;
      case 'x': case 'u': case 'U': {
        size_t nd = esc == 'x' ? 2 : esc == 'u' ? 4 : 8;
        if (i + nd >= bl) FAIL_NODE(c, n, "TOML syntax error: a short \\%c escape", esc);
        unsigned long cp = 0;
        for (size_t k = 1; k <= nd; k++) {
          char h = b[i + k];
          int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                  : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
          if (d < 0) FAIL_NODE(c, n, "TOML syntax error: a bad \\%c escape", esc);
          cp = cp * 16 + (unsigned long)d;
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
          FAIL_NODE(c, n, "TOML syntax error: \\%c escape of an invalid code point", esc);
        i += nd;
        put_utf8(buf, &o, cp); /* at most 4 bytes for 6 to 10 source bytes */
        break;
      }
      default:
        if (ml && (esc == ' ' || esc == '\t' || esc == '\n' || esc == '\r')) {
          /* line-ending backslash: drop the whitespace and newlines that follow */
          while (i + 1 < bl && (b[i + 1] == ' ' || b[i + 1] == '\t' || b[i + 1] == '\n' ||
                                b[i + 1] == '\r'))
            i++;
          break;
        }
        FAIL_NODE(c, n, "TOML syntax error: unknown escape '\\%c'", esc);
    }
  }
  buf[o] = 0;
  *out = buf;
  return 0;
}

typedef struct {
  char *name;
  TSNode node;
} keyseg;

/* Keys of more parts, and values nested more deeply, are refused: each level
 * is a recursion here, and a hostile file may hold 100,000 of them. */
enum { MAX_KEYSEGS = 32, MAX_NESTING = 128 };

static int flatten_key(tctx *c, TSNode k, keyseg *segs, int *n, int depth) {
  const char *type = ts_node_type(k);
  if (!strcmp(type, "dotted_key")) {
    /* each dotted_key level holds one part at least */
    if (depth >= MAX_KEYSEGS) FAIL_NODE(c, k, "a key with more than %d parts", MAX_KEYSEGS);
    uint32_t nc = ts_node_named_child_count(k);
    for (uint32_t i = 0; i < nc; i++) {
      int rc = flatten_key(c, ts_node_named_child(k, i), segs, n, depth + 1);
      if (rc) return rc;
    }
    return 0;
  }
  if (*n >= MAX_KEYSEGS) FAIL_NODE(c, k, "a key with more than %d parts", MAX_KEYSEGS);
  segs[*n].node = k;
  if (!strcmp(type, "bare_key")) {
    uint32_t s = ts_node_start_byte(k), e = ts_node_end_byte(k);
    segs[*n].name = cl_arena_strndup(c->arena, c->src + s, e - s);
  } else if (!strcmp(type, "quoted_key")) {
    int rc = decode_string(c, k, &segs[*n].name);
    if (rc) return rc;
  } else {
    FAIL_NODE(c, k, "TOML syntax error: unexpected %s", type);
  }
  (*n)++;
  return 0;
}

static int convert(tctx *c, TSNode n, tv **out);

/* Walk to the table that a dotted key or header prefix names, creating the
 * missing ones; header=true for [a.b.c] prefixes (arrays of tables step into
 * their last element). */
static int descend(tctx *c, tv *t, keyseg *segs, int n, bool header, tv **out) {
  for (int i = 0; i < n; i++) {
    tv *v = tbl_get(t, segs[i].name, NULL);
    unsigned l, k;
    node_pos(c, segs[i].node, &l, &k);
    if (!v) {
      v = tv_new(c, TV_TABLE, l, k);
      v->dotted = !header;
      tbl_put(c, t, segs[i].name, l, k, v);
    } else if (header && v->kind == TV_ARRAY && v->aot && v->n) {
      v = v->vals[v->n - 1];
    } else if (v->kind != TV_TABLE || v->inl) {
      return fail_at(c, l, k, "'%s' is %s, not a table that keys can be added to", segs[i].name,
                     v->kind == TV_TABLE ? "an inline table" : kind_name(v->kind));
    } else if (!header && v->header) {
      return fail_at(c, l, k, "dotted key '%s' extends the table defined by a [header]",
                     segs[i].name);
    }
    t = v;
  }
  *out = t;
  return 0;
}

static int insert_pair(tctx *c, tv *t, TSNode pair) {
  uint32_t nc = ts_node_named_child_count(pair);
  TSNode key = {0}, val = {0};
  bool have_key = false, have_val = false;
  for (uint32_t i = 0; i < nc; i++) {
    TSNode k = ts_node_named_child(pair, i);
    if (!strcmp(ts_node_type(k), "comment")) continue;
    if (!have_key) key = k, have_key = true;
    else val = k, have_val = true;
  }
  if (!have_key || !have_val) FAIL_NODE(c, pair, "TOML syntax error: a key without a value");
  keyseg segs[MAX_KEYSEGS];
  int n = 0;
  int rc = flatten_key(c, key, segs, &n, 0);
  if (rc) return rc;
  tv *dst;
  if ((rc = descend(c, t, segs, n - 1, false, &dst))) return rc;
  unsigned l, k;
  node_pos(c, segs[n - 1].node, &l, &k);
  if (tbl_get(dst, segs[n - 1].name, NULL))
    return fail_at(c, l, k, "duplicate key '%s'", segs[n - 1].name);
  tv *v;
  if ((rc = convert(c, val, &v))) return rc;
  tbl_put(c, dst, segs[n - 1].name, l, k, v);
  return 0;
}

static int parse_integer(tctx *c, TSNode n, const char *text, long long *out) {
  char buf[128];
  size_t o = 0;
  for (const char *p = text; *p && o + 1 < sizeof buf; p++)
    if (*p != '_') buf[o++] = *p;
  buf[o] = 0;
  const char *p = buf;
  int base = 10;
  bool neg = false;
  if (*p == '+' || *p == '-') neg = *p++ == '-';
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'o' || p[1] == 'b'))
    base = p[1] == 'x' ? 16 : p[1] == 'o' ? 8 : 2, p += 2;
  errno = 0;
  char *end;
  unsigned long long u = strtoull(p, &end, base);
  if (*end || errno || u > (unsigned long long)9223372036854775807LL + (neg ? 1 : 0))
    FAIL_NODE(c, n, "TOML syntax error: integer '%s' out of range", text);
  *out = neg ? -(long long)(u - 1) - 1 : (long long)u;
  return 0;
}

static int convert_value(tctx *c, TSNode n, tv **out);

static int convert(tctx *c, TSNode n, tv **out) {
  const char *type = ts_node_type(n);
  if (c->depth >= MAX_NESTING && (!strcmp(type, "array") || !strcmp(type, "inline_table")))
    FAIL_NODE(c, n, "arrays and inline tables nested more than %d deep", MAX_NESTING);
  c->depth++;
  int rc = convert_value(c, n, out);
  c->depth--;
  return rc;
}

static int convert_value(tctx *c, TSNode n, tv **out) {
  const char *type = ts_node_type(n);
  unsigned l, k;
  node_pos(c, n, &l, &k);
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  char *text = cl_arena_strndup(c->arena, c->src + s, e - s);
  tv *v;
  int rc;
  if (!strcmp(type, "string")) {
    v = tv_new(c, TV_STRING, l, k);
    if ((rc = decode_string(c, n, &v->s))) return rc;
  } else if (!strcmp(type, "integer")) {
    v = tv_new(c, TV_INTEGER, l, k);
    if ((rc = parse_integer(c, n, text, &v->i))) return rc;
  } else if (!strcmp(type, "float")) {
    v = tv_new(c, TV_FLOAT, l, k);
    v->f = strtod(text, NULL);
  } else if (!strcmp(type, "boolean")) {
    v = tv_new(c, TV_BOOLEAN, l, k);
    v->b = !strcmp(text, "true");
  } else if (!strcmp(type, "offset_date_time") || !strcmp(type, "local_date_time") ||
             !strcmp(type, "local_date") || !strcmp(type, "local_time")) {
    v = tv_new(c, TV_DATETIME, l, k);
    v->s = text;
  } else if (!strcmp(type, "array")) {
    v = tv_new(c, TV_ARRAY, l, k);
    v->inl = true;
    uint32_t nc = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < nc; i++) {
      TSNode item = ts_node_named_child(n, i);
      if (!strcmp(ts_node_type(item), "comment")) continue;
      tv *iv;
      if ((rc = convert(c, item, &iv))) return rc;
      arr_push(c, v, iv);
    }
  } else if (!strcmp(type, "inline_table")) {
    v = tv_new(c, TV_TABLE, l, k);
    uint32_t nc = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < nc; i++) {
      TSNode p = ts_node_named_child(n, i);
      if (strcmp(ts_node_type(p), "pair")) continue;
      if ((rc = insert_pair(c, v, p))) return rc;
    }
    v->inl = true; /* closed only once its own pairs are in */
  } else {
    FAIL_NODE(c, n, "TOML syntax error: unexpected %s", type);
  }
  *out = v;
  return 0;
}

/* The first ERROR or MISSING node, in document order; a cursor walk, not a
 * recursion (the tree may be 100,000 levels deep). Only subtrees that hold
 * an error are entered. */
static bool first_error(TSNode root, TSNode *out) {
  TSTreeCursor cur = ts_tree_cursor_new(root);
  bool found = false;
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&cur);
    if (ts_node_is_missing(n) || !strcmp(ts_node_type(n), "ERROR")) {
      *out = n;
      found = true;
      break;
    }
    if (ts_node_has_error(n) && ts_tree_cursor_goto_first_child(&cur)) continue;
    bool moved = false;
    while (!(moved = ts_tree_cursor_goto_next_sibling(&cur)))
      if (!ts_tree_cursor_goto_parent(&cur)) break;
    if (!moved) break;
  }
  ts_tree_cursor_delete(&cur);
  return found;
}

/* Parse a whole TOML document into a table. */
static int toml_parse(tctx *c, tv **root_out) {
  TSParser *parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_toml());
  TSTree *tree = ts_parser_parse_string(parser, NULL, c->src, (uint32_t)c->len);
  int rc = 0;
  TSNode root = ts_tree_root_node(tree);
  tv *doc = tv_new(c, TV_TABLE, 1, 1);
  doc->header = true;
  TSNode bad;
  if (first_error(root, &bad)) {
    unsigned l, k;
    node_pos(c, bad, &l, &k);
    if (ts_node_is_missing(bad))
      rc = fail_at(c, l, k, "TOML syntax error: missing '%s'", ts_node_type(bad));
    else
      rc = fail_at(c, l, k, "TOML syntax error");
  }
  tv *cur = doc;
  uint32_t nc = rc ? 0 : ts_node_named_child_count(root);
  for (uint32_t i = 0; i < nc && rc == 0; i++) {
    TSNode ch = ts_node_named_child(root, i);
    const char *type = ts_node_type(ch);
    if (!strcmp(type, "pair")) {
      rc = insert_pair(c, cur, ch);
      continue;
    }
    bool aot = !strcmp(type, "table_array_element");
    if (!aot && strcmp(type, "table")) continue; /* comments */
    /* the header's key is the first named child; pairs follow */
    uint32_t tc = ts_node_named_child_count(ch);
    TSNode key = ts_node_named_child(ch, 0);
    keyseg segs[MAX_KEYSEGS];
    int n = 0;
    if ((rc = flatten_key(c, key, segs, &n, 0))) break;
    tv *parent;
    if ((rc = descend(c, doc, segs, n - 1, true, &parent))) break;
    unsigned l, k;
    node_pos(c, segs[n - 1].node, &l, &k);
    tv *v = tbl_get(parent, segs[n - 1].name, NULL);
    if (aot) {
      if (!v) {
        v = tv_new(c, TV_ARRAY, l, k);
        v->aot = true;
        tbl_put(c, parent, segs[n - 1].name, l, k, v);
      } else if (v->kind != TV_ARRAY || !v->aot) {
        rc = fail_at(c, l, k, "'%s' is %s, not an array of tables", segs[n - 1].name,
                     kind_name(v->kind));
        break;
      }
      tv *t = tv_new(c, TV_TABLE, l, k);
      t->header = true;
      arr_push(c, v, t);
      cur = t;
    } else {
      if (!v) {
        v = tv_new(c, TV_TABLE, l, k);
        tbl_put(c, parent, segs[n - 1].name, l, k, v);
      } else if (v->kind != TV_TABLE || v->inl || v->header || v->dotted) {
        char full[512] = "";
        for (int j = 0; j < n; j++) {
          if (j) strncat(full, ".", sizeof full - strlen(full) - 1);
          strncat(full, segs[j].name, sizeof full - strlen(full) - 1);
        }
        rc = fail_at(c, l, k, "table [%s] is defined twice", full);
        break;
      }
      v->header = true;
      v->line = l;
      v->col = k;
      cur = v;
    }
    for (uint32_t j = 1; j < tc && rc == 0; j++) {
      TSNode p = ts_node_named_child(ch, j);
      if (!strcmp(ts_node_type(p), "pair")) rc = insert_pair(c, cur, p);
    }
  }
  ts_tree_delete(tree);
  ts_parser_delete(parser);
  *root_out = doc;
  return rc;
}

/* ---- settings --------------------------------------------------------------- */

typedef struct {
  char **v;
  size_t n;
} strv;

static void strv_push(strv *s, const char *str) {
  s->v = cl_xrealloc(s->v, (s->n + 1) * sizeof *s->v);
  s->v[s->n++] = cl_xstrdup(str);
}

static void strv_free(strv *s) {
  for (size_t i = 0; i < s->n; i++) free(s->v[i]);
  free(s->v);
  s->v = NULL;
  s->n = 0;
}

typedef struct {
  char *glob;
  strv codes;
} pfi_entry;

typedef struct {
  char *selector;
  condlint_severity severity;
} sev_entry;

/* A dimension contract for a library function: "ops/attn.py::dispatch" =
 * ["dynamic x[1]", "static mask[0]"]. */
typedef struct {
  char *glob;      /* the file, relative to the configuration's directory */
  char *qualname;  /* Class.method or function */
  strv specs;
} contract_entry;

/* One source of settings: a configuration file or the command line. */
typedef struct {
  bool has_select;
  strv select, extend_select, ignore;
  pfi_entry *pfi;
  size_t npfi;
  sev_entry *sev;
  size_t nsev;
  bool has_exclude;
  strv exclude, extend_exclude;
  int force_exclude; /* -1: not set */
  char *output_format;
  contract_entry *contracts;
  size_t ncontracts;
} layer;

static void layer_init(layer *l) {
  memset(l, 0, sizeof *l);
  l->force_exclude = -1;
}

static void layer_free(layer *l) {
  strv_free(&l->select);
  strv_free(&l->extend_select);
  strv_free(&l->ignore);
  for (size_t i = 0; i < l->npfi; i++) {
    free(l->pfi[i].glob);
    strv_free(&l->pfi[i].codes);
  }
  free(l->pfi);
  for (size_t i = 0; i < l->nsev; i++) free(l->sev[i].selector);
  free(l->sev);
  strv_free(&l->exclude);
  strv_free(&l->extend_exclude);
  free(l->output_format);
  for (size_t i = 0; i < l->ncontracts; i++) {
    free(l->contracts[i].glob);
    free(l->contracts[i].qualname);
    strv_free(&l->contracts[i].specs);
  }
  free(l->contracts);
}

typedef struct cl_settings {
  char *path;  /* the configuration file (absolute), NULL for the defaults */
  char *shown; /* the same, relative to the working directory when below it */
  char *root;  /* the directory that relative globs start from */
  layer file;
  bool *enabled; /* per rule of the catalog, after select/ignore (not per-file-ignores) */
  unsigned gen;
  cl_hash content; /* of the file's bytes (cl_config_identity) */
} cl_settings;

static void settings_free(cl_settings *st) {
  if (!st) return;
  free(st->path);
  free(st->shown);
  free(st->root);
  layer_free(&st->file);
  free(st->enabled);
  free(st);
}

typedef struct {
  char *dir;
  cl_settings *st;
} dir_slot;

struct condlint_config {
  char *error;
  bool isolated;
  cl_settings *forced;   /* --config */
  cl_settings *defaults; /* where no file is found */
  layer cli;
  cl_vec loaded;         /* cl_settings* read from files (owned) */
  dir_slot *slots;       /* directory -> governing settings (open addressing) */
  size_t nslots, used;
  unsigned gen;          /* bumped by each override */
};

static const char *const FORMATS[] = {"text", "concise", "json", "sarif", "github", "gitlab",
                                      "junit", NULL};

/* ---- rule selectors ------------------------------------------------------- */

static bool is_selector(const char *s) {
  if (!strcmp(s, "ALL")) return true;
  size_t l = strlen(s);
  if (l < 2) return false;
  for (size_t i = 0; i < condlint_rule_count(); i++)
    if (!strncmp(condlint_rule_code(condlint_rule_at(i)), s, l)) return true;
  return false;
}

/* How specifically sel matches code: -1 not at all, 0 for ALL, else its length. */
static int sel_match(const char *sel, const char *code) {
  if (!strcmp(sel, "ALL")) return 0;
  size_t l = strlen(sel);
  return strncmp(code, sel, l) ? -1 : (int)l;
}

static int best_match(const strv *v, const char *code) {
  int b = -1;
  for (size_t i = 0; i < v->n; i++) {
    int m = sel_match(v->v[i], code);
    if (m > b) b = m;
  }
  return b;
}

/* Ruff's layering: a layer that sets select starts over from it; otherwise
 * the more specific of its extend-select and ignore matches decides, and a
 * layer that matches neither leaves the rule as it was. */
static bool layer_decides(const layer *l, const char *code, bool enabled) {
  int s = best_match(&l->extend_select, code);
  if (l->has_select) {
    int m = best_match(&l->select, code);
    if (m > s) s = m;
  }
  int i = best_match(&l->ignore, code);
  if (l->has_select) return s > i;
  if (i >= 0 && i >= s) return false; /* as specific: ignore wins */
  if (s > i) return true;
  return enabled;
}

static const bool *enabled_rules(condlint_config *c, cl_settings *st) {
  size_t n = condlint_rule_count();
  if (st->enabled && st->gen == c->gen) return st->enabled;
  if (!st->enabled) st->enabled = cl_xcalloc(n ? n : 1, sizeof(bool));
  for (size_t i = 0; i < n; i++) {
    const char *code = condlint_rule_code(condlint_rule_at(i));
    bool on = true;
    on = layer_decides(&st->file, code, on);
    on = layer_decides(&c->cli, code, on);
    st->enabled[i] = on;
  }
  st->gen = c->gen;
  return st->enabled;
}

static int rule_index(const char *code) {
  for (size_t i = 0; i < condlint_rule_count(); i++)
    if (!strcmp(condlint_rule_code(condlint_rule_at(i)), code)) return (int)i;
  return -1;
}

/* ---- reading a configuration table --------------------------------------- */

static const char *const KEYS[] = {"select", "extend-select", "ignore", "per-file-ignores",
                                   "severity", "exclude", "extend-exclude", "force-exclude",
                                   "output-format", "contracts", NULL};

/* "dynamic x[1], y" or "static mask[0]": a word, then parameters with an
 * optional [dim]. Returns NULL when valid, else what is wrong. */
static const char *contract_error(const char *s) {
  if (strncmp(s, "dynamic ", 8) && strncmp(s, "static ", 7))
    return "a contract starts with \"dynamic \" or \"static \"";
  const char *p = strchr(s, ' ') + 1;
  bool any = false;
  while (*p) {
    while (*p == ' ' || *p == ',') p++;
    if (!*p) break;
    if (!(isalpha((unsigned char)*p) || *p == '_')) return "expected a parameter name";
    while (isalnum((unsigned char)*p) || *p == '_') p++;
    if (*p == '[') {
      p++;
      if (!isdigit((unsigned char)*p)) return "expected a dim index in [...]";
      while (isdigit((unsigned char)*p)) p++;
      if (*p++ != ']') return "expected ']' after the dim index";
    }
    any = true;
    while (*p == ' ') p++;
    if (*p && *p != ',') return "parameters are separated by commas";
  }
  return any ? NULL : "a contract names at least one parameter";
}

static int read_strings(tctx *c, const char *key, const tv *v, strv *out, bool selectors) {
  if (v->kind != TV_ARRAY || v->aot)
    return fail_at(c, v->line, v->col, "'%s' must be an array of strings, not %s", key,
                   kind_name(v->kind));
  for (size_t i = 0; i < v->n; i++) {
    const tv *item = v->vals[i];
    if (item->kind != TV_STRING)
      return fail_at(c, item->line, item->col, "'%s' must be an array of strings, not hold %s",
                     key, kind_name(item->kind));
    if (selectors && !is_selector(item->s))
      return fail_at(c, item->line, item->col,
                     "unknown rule code '%s' in '%s' (a code such as CL101, a prefix such as "
                     "CL1, or ALL)",
                     item->s, key);
    strv_push(out, item->s);
  }
  return 0;
}

static int read_layer(tctx *c, const tv *t, layer *l) {
  int rc = 0;
  for (size_t i = 0; i < t->n && rc == 0; i++) {
    const char *key = t->keys[i];
    const tv *v = t->vals[i];
    if (!strcmp(key, "select")) {
      l->has_select = true;
      rc = read_strings(c, key, v, &l->select, true);
    } else if (!strcmp(key, "extend-select")) {
      rc = read_strings(c, key, v, &l->extend_select, true);
    } else if (!strcmp(key, "ignore")) {
      rc = read_strings(c, key, v, &l->ignore, true);
    } else if (!strcmp(key, "exclude")) {
      l->has_exclude = true;
      rc = read_strings(c, key, v, &l->exclude, false);
    } else if (!strcmp(key, "extend-exclude")) {
      rc = read_strings(c, key, v, &l->extend_exclude, false);
    } else if (!strcmp(key, "per-file-ignores")) {
      if (v->kind != TV_TABLE)
        return fail_at(c, v->line, v->col,
                       "'per-file-ignores' must be a table of glob = [codes], not %s",
                       kind_name(v->kind));
      l->pfi = cl_xcalloc(v->n ? v->n : 1, sizeof *l->pfi);
      for (size_t k = 0; k < v->n && rc == 0; k++) {
        l->pfi[k].glob = cl_xstrdup(v->keys[k]);
        l->npfi = k + 1;
        char *what = cl_xasprintf("per-file-ignores.\"%s\"", v->keys[k]);
        rc = read_strings(c, what, v->vals[k], &l->pfi[k].codes, true);
        free(what);
      }
    } else if (!strcmp(key, "severity")) {
      if (v->kind != TV_TABLE)
        return fail_at(c, v->line, v->col,
                       "'severity' must be a table of CODE = \"error\"|\"warning\"|\"info\", "
                       "not %s",
                       kind_name(v->kind));
      l->sev = cl_xcalloc(v->n ? v->n : 1, sizeof *l->sev);
      for (size_t k = 0; k < v->n; k++) {
        const tv *sv = v->vals[k];
        if (!is_selector(v->keys[k]))
          return fail_at(c, v->kline[k], v->kcol[k],
                         "unknown rule code '%s' in 'severity' (a code such as CL101, a prefix "
                         "such as CL1, or ALL)",
                         v->keys[k]);
        condlint_severity sev;
        if (sv->kind == TV_STRING && !strcmp(sv->s, "error")) sev = CONDLINT_SEVERITY_ERROR;
        else if (sv->kind == TV_STRING && !strcmp(sv->s, "warning")) sev = CONDLINT_SEVERITY_WARNING;
        else if (sv->kind == TV_STRING && !strcmp(sv->s, "info")) sev = CONDLINT_SEVERITY_INFO;
        else if (sv->kind == TV_STRING)
          return fail_at(c, sv->line, sv->col,
                         "the severity of '%s' must be \"error\", \"warning\" or \"info\", not "
                         "\"%s\"",
                         v->keys[k], sv->s);
        else
          return fail_at(c, sv->line, sv->col,
                         "the severity of '%s' must be a string (\"error\", \"warning\" or "
                         "\"info\"), not %s",
                         v->keys[k], kind_name(sv->kind));
        l->sev[l->nsev].selector = cl_xstrdup(v->keys[k]);
        l->sev[l->nsev++].severity = sev;
      }
    } else if (!strcmp(key, "contracts")) {
      if (v->kind != TV_TABLE)
        return fail_at(c, v->line, v->col,
                       "'contracts' must be a table of \"file.py::function\" = [\"dynamic x[1]\", ...], "
                       "not %s",
                       kind_name(v->kind));
      l->contracts = cl_xcalloc(v->n ? v->n : 1, sizeof *l->contracts);
      for (size_t k = 0; k < v->n && rc == 0; k++) {
        const char *sep = strstr(v->keys[k], "::");
        if (!sep || sep == v->keys[k] || !sep[2])
          return fail_at(c, v->kline[k], v->kcol[k],
                         "a contract key is \"file.py::function\" (or ::Class.method), not \"%s\"",
                         v->keys[k]);
        contract_entry *ce = &l->contracts[l->ncontracts++];
        ce->glob = cl_xstrndup(v->keys[k], (size_t)(sep - v->keys[k]));
        ce->qualname = cl_xstrdup(sep + 2);
        char *what = cl_xasprintf("contracts.\"%s\"", v->keys[k]);
        rc = read_strings(c, what, v->vals[k], &ce->specs, false);
        free(what);
        for (size_t j = 0; j < ce->specs.n && rc == 0; j++) {
          const char *err = contract_error(ce->specs.v[j]);
          if (err) {
            const tv *item = v->vals[k]->vals[j];
            return fail_at(c, item->line, item->col, "%s: \"%s\"", err, ce->specs.v[j]);
          }
        }
      }
    } else if (!strcmp(key, "force-exclude")) {
      if (v->kind != TV_BOOLEAN)
        return fail_at(c, v->line, v->col, "'force-exclude' must be a boolean, not %s",
                       kind_name(v->kind));
      l->force_exclude = v->b;
    } else if (!strcmp(key, "output-format")) {
      if (v->kind != TV_STRING)
        return fail_at(c, v->line, v->col, "'output-format' must be a string, not %s",
                       kind_name(v->kind));
      bool known = false;
      for (const char *const *f = FORMATS; *f; f++)
        if (!strcmp(*f, v->s)) known = true;
      if (!known)
        return fail_at(c, v->line, v->col,
                       "unknown output-format \"%s\" (text, concise, json, sarif, github, "
                       "gitlab, junit)",
                       v->s);
      l->output_format = cl_xstrdup(v->s);
    } else {
      char known[256] = "";
      for (const char *const *k = KEYS; *k; k++) {
        if (k != KEYS) strcat(known, ", ");
        strcat(known, *k);
      }
      return fail_at(c, t->kline[i], t->kcol[i], "unknown key '%s' (known keys: %s)", key, known);
    }
  }
  return rc;
}

/* A configuration is a few hundred bytes; past this it is not one (and
 * --config /dev/zero must not read until memory runs out). */
#define MAX_CONFIG ((size_t)1 << 20)

/* Read a whole file; NULL with *err an errno value, EFBIG past MAX_CONFIG. */
static char *slurp(const char *path, size_t *len, int *err) {
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    *err = errno;
    return NULL;
  }
  size_t cap = 4096, n = 0;
  char *buf = cl_xmalloc(cap);
  for (;;) {
    if (cap - n < 1024) buf = cl_xrealloc(buf, cap *= 2);
    size_t got = fread(buf + n, 1, cap - n - 1, fp);
    n += got;
    if (got == 0) break;
    if (n > MAX_CONFIG) {
      *err = EFBIG;
      fclose(fp);
      free(buf);
      return NULL;
    }
  }
  if (ferror(fp)) {
    *err = errno ? errno : EIO;
    fclose(fp);
    free(buf);
    return NULL;
  }
  fclose(fp);
  buf[n] = 0;
  *len = n;
  return buf;
}

static void set_error(condlint_config *c, char *msg) {
  free(c->error);
  c->error = msg;
}

/* Read the configuration file at abspath. pyproject: its [tool.condlint]
 * table, else the top level. *out is NULL for a pyproject.toml without one. */
static int load_file(condlint_config *c, const char *abspath, bool pyproject, bool required,
                     cl_settings **out) {
  *out = NULL;
  size_t len = 0;
  int err = 0;
  char *shown = cl_path_from_cwd(abspath);
  char *src = slurp(abspath, &len, &err);
  if (!src) {
    if (err == ENOENT && !required) {
      free(shown);
      return 0;
    }
    if (err == EFBIG)
      set_error(c, cl_xasprintf("%s: larger than 1 MiB: not a condlint configuration", shown));
    else
      set_error(c, cl_xasprintf("%s: %s", shown, strerror(err)));
    free(shown);
    return CONDLINT_ECONFIG;
  }
  /* most pyproject.toml files never mention condlint: skip them unparsed */
  if (pyproject && !required && !strstr(src, "condlint")) {
    free(src);
    free(shown);
    return 0;
  }
  tctx t = {src, len, shown, cl_arena_new(), NULL, 0};
  tv *doc = NULL;
  int rc = toml_parse(&t, &doc);
  const tv *table = doc;
  if (rc == 0 && pyproject) {
    const tv *tool = tbl_get(doc, "tool", NULL);
    table = tool && tool->kind == TV_TABLE ? tbl_get(tool, "condlint", NULL) : NULL;
    if (table && table->kind != TV_TABLE)
      rc = fail_at(&t, table->line, table->col, "tool.condlint must be a table, not %s",
                   kind_name(table->kind));
  }
  cl_settings *st = NULL;
  if (rc == 0 && (table || required)) {
    st = cl_xcalloc(1, sizeof *st);
    st->path = cl_xstrdup(abspath);
    st->shown = cl_xstrdup(shown);
    st->root = dir_of(abspath);
    st->content = cl_hash128(src, len, 0);
    layer_init(&st->file);
    if (table) rc = read_layer(&t, table, &st->file);
    if (rc) {
      settings_free(st);
      st = NULL;
    }
  }
  if (rc) set_error(c, t.err ? cl_xstrdup(t.err) : cl_xasprintf("%s: invalid", shown));
  free(t.err);
  cl_arena_free(t.arena);
  free(src);
  free(shown);
  if (st) cl_vec_push(&c->loaded, st);
  *out = st;
  return rc;
}

static const char *const CONFIG_NAMES[] = {".condlint.toml", "condlint.toml", "pyproject.toml",
                                           NULL};

static int load_in_dir(condlint_config *c, const char *dir, cl_settings **out) {
  *out = NULL;
  for (const char *const *name = CONFIG_NAMES; *name; name++) {
    char *path = strcmp(dir, "/") ? cl_xasprintf("%s/%s", dir, *name) : cl_xasprintf("/%s", *name);
    struct stat sb;
    int rc = 0;
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
      rc = load_file(c, path, !strcmp(*name, "pyproject.toml"), false, out);
    free(path);
    if (rc || *out) return rc;
  }
  return 0;
}

static size_t hash_str(const char *s) {
  size_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

static cl_settings **slot_find(condlint_config *c, const char *dir, bool insert) {
  if (insert && (c->used + 1) * 2 > c->nslots) {
    size_t old = c->nslots;
    dir_slot *os = c->slots;
    c->nslots = old ? old * 2 : 64;
    c->slots = cl_xcalloc(c->nslots, sizeof *c->slots);
    c->used = 0;
    for (size_t i = 0; i < old; i++)
      if (os[i].dir) {
        size_t h = hash_str(os[i].dir) & (c->nslots - 1);
        while (c->slots[h].dir) h = (h + 1) & (c->nslots - 1);
        c->slots[h] = os[i];
        c->used++;
      }
    free(os);
  }
  if (!c->nslots) return NULL;
  size_t h = hash_str(dir) & (c->nslots - 1);
  while (c->slots[h].dir) {
    if (!strcmp(c->slots[h].dir, dir)) return &c->slots[h].st;
    h = (h + 1) & (c->nslots - 1);
  }
  if (!insert) return NULL;
  c->slots[h].dir = cl_xstrdup(dir);
  c->used++;
  return &c->slots[h].st;
}

/* The settings governing files in directory dir (absolute, normalized). */
static int settings_for_dir(condlint_config *c, const char *dir, cl_settings **out) {
  if (c->forced) {
    *out = c->forced;
    return 0;
  }
  if (c->isolated) {
    *out = c->defaults;
    return 0;
  }
  cl_settings **slot = slot_find(c, dir, false);
  if (slot) {
    *out = *slot;
    return 0;
  }
  cl_settings *st = NULL;
  int rc = 0;
  /* settings are found, and their roots named, by physical directories */
  char *real = realpath(dir, NULL);
  if (real && strcmp(real, dir)) {
    rc = settings_for_dir(c, real, &st);
    free(real);
    if (rc) return rc;
    *slot_find(c, dir, true) = st;
    *out = st;
    return 0;
  }
  free(real);
  rc = load_in_dir(c, dir, &st);
  if (rc) return rc;
  if (!st) {
    if (!strcmp(dir, "/")) {
      st = c->defaults;
    } else {
      char *parent = dir_of(dir);
      rc = settings_for_dir(c, parent, &st);
      free(parent);
      if (rc) return rc;
    }
  }
  *slot_find(c, dir, true) = st;
  *out = st;
  return 0;
}

static int settings_for_file(condlint_config *c, const char *path, cl_settings **out) {
  char *abs = cl_path_absolute(path);
  char *dir = dir_of(abs);
  int rc = settings_for_dir(c, dir, out);
  free(dir);
  free(abs);
  return rc;
}

/* ---- the public object ------------------------------------------------------ */

condlint_config *condlint_config_new(void) {
  condlint_config *c = cl_xcalloc(1, sizeof *c);
  c->error = cl_xstrdup("");
  layer_init(&c->cli);
  c->defaults = cl_xcalloc(1, sizeof *c->defaults);
  c->defaults->root = xgetcwd();
  layer_init(&c->defaults->file);
  return c;
}

void condlint_config_free(condlint_config *c) {
  if (!c) return;
  for (size_t i = 0; i < c->loaded.n; i++) settings_free(c->loaded.v[i]);
  cl_vec_free(&c->loaded);
  for (size_t i = 0; i < c->nslots; i++) free(c->slots[i].dir);
  free(c->slots);
  settings_free(c->defaults);
  layer_free(&c->cli);
  free(c->error);
  free(c);
}

const char *condlint_config_error(const condlint_config *c) { return c->error; }

int condlint_config_set_file(condlint_config *c, const char *path) {
  char *abs = cl_path_absolute(path);
  const char *base = base_of(abs);
  cl_settings *st = NULL;
  int rc = load_file(c, abs, !strcmp(base, "pyproject.toml"), true, &st);
  free(abs);
  if (rc) return rc;
  c->forced = st;
  return 0;
}

void condlint_config_set_isolated(condlint_config *c, int isolated) { c->isolated = isolated != 0; }

int condlint_config_override(condlint_config *c, const char *key, const char *value) {
  strv *dst = NULL;
  if (!strcmp(key, "select")) {
    c->cli.has_select = true;
    dst = &c->cli.select;
  } else if (!strcmp(key, "extend-select")) {
    dst = &c->cli.extend_select;
  } else if (!strcmp(key, "ignore")) {
    dst = &c->cli.ignore;
  } else if (!strcmp(key, "force-exclude")) {
    if (strcmp(value, "true") && strcmp(value, "false")) {
      set_error(c, cl_xasprintf("force-exclude takes true or false, not '%s'", value));
      return CONDLINT_EUSAGE;
    }
    c->cli.force_exclude = !strcmp(value, "true");
    return 0;
  } else {
    set_error(c, cl_xasprintf("unknown setting '%s'", key));
    return CONDLINT_EUSAGE;
  }
  /* comma-separated selectors; all checked before any is kept */
  char *copy = cl_xstrdup(value);
  strv got = {0};
  int rc = 0;
  for (char *save = NULL, *tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
    if (!is_selector(tok)) {
      set_error(c, cl_xasprintf("--%s: unknown rule code '%s' (a code such as CL101, a prefix "
                                "such as CL1, or ALL)",
                                key, tok));
      rc = CONDLINT_EUSAGE;
      break;
    }
    strv_push(&got, tok);
  }
  if (rc == 0 && got.n == 0) {
    set_error(c, cl_xasprintf("--%s needs at least one rule code, prefix or ALL", key));
    rc = CONDLINT_EUSAGE;
  }
  for (size_t i = 0; rc == 0 && i < got.n; i++) strv_push(dst, got.v[i]);
  strv_free(&got);
  free(copy);
  c->gen++;
  return rc;
}

int condlint_config_output_format(condlint_config *c, const char **format) {
  *format = NULL;
  cl_settings *st;
  char *cwd = xgetcwd();
  int rc = settings_for_dir(c, cwd, &st);
  free(cwd);
  if (rc) return rc;
  *format = st->file.output_format;
  return 0;
}

/* ---- what the session asks -------------------------------------------------- */

static bool force_exclude(const condlint_config *c, const cl_settings *st) {
  if (c->cli.force_exclude >= 0) return c->cli.force_exclude;
  return st->file.force_exclude > 0;
}

static bool pattern_matches(const char *pat, const char *abs, const cl_settings *st) {
  char buf[4096];
  size_t l = strlen(pat);
  if (l >= sizeof buf) return false;
  memcpy(buf, pat, l + 1);
  while (l > 1 && buf[l - 1] == '/') buf[--l] = 0; /* "build/" names the directory */
  const char *p = buf;
  if (p[0] == '.' && p[1] == '/') p += 2;
  if (!strchr(p, '/')) return cl_glob_match(p, base_of(abs));
  if (p[0] == '/') p++; /* anchored at the root, as it is anyway */
  const char *rel = below(abs, st->root);
  return rel && *rel && cl_glob_match(p, rel);
}

static bool excluded_by(const cl_settings *st, const char *abs) {
  const layer *l = &st->file;
  for (size_t i = 0; i < l->exclude.n; i++)
    if (pattern_matches(l->exclude.v[i], abs, st)) return true;
  for (size_t i = 0; i < l->extend_exclude.n; i++)
    if (pattern_matches(l->extend_exclude.v[i], abs, st)) return true;
  return false;
}

/* Test the file and the directories above it, up to (not including) stop. */
static bool excluded_path(const cl_settings *st, const char *abs, const char *stop) {
  if (!st->file.exclude.n && !st->file.extend_exclude.n) return false;
  char *cur = cl_xstrdup(abs);
  bool hit = false;
  for (;;) {
    if (excluded_by(st, cur)) {
      hit = true;
      break;
    }
    char *up = dir_of(cur);
    bool done = !strcmp(up, cur) || !strcmp(up, stop) || !below(up, stop);
    free(cur);
    cur = up;
    if (done) break;
  }
  free(cur);
  return hit;
}

/* real_root, real_path: that path is canonical already (realpath's result):
 * a walk names thousands of files, and each realpath is a readlink per
 * component. */
static int excluded_impl(condlint_session *s, const char *root, bool real_root, const char *path,
                         bool real_path, bool explicit_arg, bool *excluded) {
  *excluded = false;
  condlint_config *c = s->config;
  if (!c) return 0;
  cl_settings *st;
  int rc = settings_for_file(c, path, &st);
  if (rc) {
    cl_session_set_error(s, "%s", c->error);
    return rc;
  }
  bool force = force_exclude(c, st);
  if (explicit_arg && !force) return 0;
  char *abs = real_path ? cl_xstrdup(path) : realpath(path, NULL);
  char *top = real_root ? cl_xstrdup(root) : realpath(root, NULL);
  if (!abs) abs = cl_path_absolute(path);
  if (!top) top = cl_path_absolute(root);
  /* below a directory named on the command line, only what lies below it
   * counts, unless --force-exclude; never above the configuration's root */
  const char *stop = st->root;
  if (!force && !explicit_arg && below(top, st->root)) stop = top;
  if (!below(abs, stop)) {
    *excluded = excluded_by(st, abs); /* outside the root: its own name only */
  } else {
    *excluded = excluded_path(st, abs, stop);
  }
  free(abs);
  free(top);
  return 0;
}

int cl_config_excluded(condlint_session *s, const char *root, const char *path, bool explicit_arg,
                       bool *excluded) {
  return excluded_impl(s, root, false, path, false, explicit_arg, excluded);
}

int cl_config_excluded_real(condlint_session *s, const char *real_root, const char *real_path,
                            bool explicit_arg, bool *excluded) {
  return excluded_impl(s, real_root, true, real_path, true, explicit_arg, excluded);
}

int cl_config_prepare(condlint_session *s) {
  condlint_config *c = s->config;
  if (!c) return 0;
  for (size_t i = 0; i < s->files.n; i++) {
    cl_file *f = s->files.v[i];
    if (!f->checked) continue;
    cl_settings *st;
    int rc = settings_for_file(c, f->abspath, &st);
    if (rc) {
      cl_session_set_error(s, "%s", c->error);
      return rc;
    }
  }
  return 0;
}

static cl_settings *settings_of(condlint_session *s, const cl_file *f) {
  cl_settings *st = s->config->defaults;
  int rc;
  if (f) {
    rc = settings_for_file(s->config, f->abspath, &st);
  } else {
    char *cwd = xgetcwd();
    rc = settings_for_dir(s->config, cwd, &st);
    free(cwd);
  }
  return rc ? s->config->defaults : st; /* cl_config_prepare reported errors already */
}

static bool pfi_ignores(const cl_settings *st, const cl_file *f, const char *code) {
  if (!st->file.npfi || !f) return false;
  char *abs = cl_path_absolute(f->abspath);
  bool hit = false;
  for (size_t i = 0; i < st->file.npfi && !hit; i++) {
    const pfi_entry *e = &st->file.pfi[i];
    if (!pattern_matches(e->glob, abs, st)) continue;
    for (size_t k = 0; k < e->codes.n; k++)
      if (sel_match(e->codes.v[k], code) >= 0) hit = true;
  }
  free(abs);
  return hit;
}

/* Is some rule whose code starts with prefix selected for f (after
 * per-file-ignores)? */
static bool any_selected(condlint_session *s, cl_settings *st, const cl_file *f,
                         const char *prefix) {
  const bool *en = enabled_rules(s->config, st);
  size_t l = strlen(prefix);
  for (size_t i = 0; i < condlint_rule_count(); i++) {
    const char *code = condlint_rule_code(condlint_rule_at(i));
    if (strncmp(code, prefix, l) || !en[i]) continue;
    if (!pfi_ignores(st, f, code)) return true;
  }
  return false;
}

size_t cl_config_contracts(condlint_session *s, const cl_file *f, const char *qualname,
                           const char *const **specs, const char **config_path) {
  if (!s->config || !f) return 0;
  cl_settings *st = settings_of(s, f);
  char *abs = cl_path_absolute(f->abspath);
  size_t n = 0;
  for (size_t i = 0; i < st->file.ncontracts && !n; i++) {
    const contract_entry *ce = &st->file.contracts[i];
    if (strcmp(ce->qualname, qualname) || !pattern_matches(ce->glob, abs, st)) continue;
    *specs = (const char *const *)ce->specs.v;
    *config_path = st->shown ? st->shown : st->path;
    n = ce->specs.n;
  }
  free(abs);
  return n;
}

bool cl_config_selected(condlint_session *s, const cl_file *f, const char *code) {
  if (!s->config) return true;
  return any_selected(s, settings_of(s, f), f, code);
}

void cl_config_apply(condlint_session *s) {
  if (!s->config) return;
  size_t w = 0;
  for (size_t i = 0; i < s->diags.n; i++) {
    condlint_diag *d = s->diags.v[i];
    const cl_file *f = cl_session_file(s, d->loc.file);
    cl_settings *st = settings_of(s, f);
    int ri = rule_index(d->code);
    const bool *en = enabled_rules(s->config, st);
    if ((ri >= 0 && !en[ri]) || pfi_ignores(st, f, d->code)) {
      cl_diag_free(d);
      continue;
    }
    int best = -1;
    for (size_t k = 0; k < st->file.nsev; k++) {
      int m = sel_match(st->file.sev[k].selector, d->code);
      if (m > best) {
        best = m;
        d->severity = st->file.sev[k].severity;
      }
    }
    s->diags.v[w++] = d;
  }
  s->diags.n = w;
}

void condlint_session_set_config(condlint_session *s, condlint_config *config) {
  s->config = config;
}

/* ---- condlint config PATH ----------------------------------------------------- */

static void put_toml_string(FILE *out, const char *s) {
  fputc('"', out);
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\') fprintf(out, "\\%c", ch);
    else if (ch == '\n') fputs("\\n", out);
    else if (ch == '\t') fputs("\\t", out);
    else if (ch < 0x20 || ch == 0x7F) fprintf(out, "\\u%04x", ch);
    else fputc(ch, out);
  }
  fputc('"', out);
}

static void put_list(FILE *out, const strv *a, const strv *b) {
  fputc('[', out);
  size_t k = 0;
  for (size_t i = 0; a && i < a->n; i++, k++) {
    if (k) fputs(", ", out);
    put_toml_string(out, a->v[i]);
  }
  for (size_t i = 0; b && i < b->n; i++, k++) {
    if (k) fputs(", ", out);
    put_toml_string(out, b->v[i]);
  }
  fputc(']', out);
}

static const char *sev_word(condlint_severity s) {
  return s == CONDLINT_SEVERITY_ERROR ? "error" : s == CONDLINT_SEVERITY_WARNING ? "warning" : "info";
}

int condlint_config_describe(condlint_config *c, const char *path, FILE *out) {
  char *abs = realpath(path, NULL);
  if (!abs) abs = cl_path_absolute(path);
  struct stat sb;
  if (stat(abs, &sb) != 0) {
    set_error(c, cl_xasprintf("%s: %s", path, strerror(errno)));
    free(abs);
    return CONDLINT_EIO;
  }
  bool is_dir = S_ISDIR(sb.st_mode);
  char *dir = is_dir ? cl_xstrdup(abs) : dir_of(abs);
  cl_settings *st;
  int rc = settings_for_dir(c, dir, &st);
  free(dir);
  if (rc) {
    free(abs);
    return rc;
  }
  const layer *f = &st->file, *cli = &c->cli;
  fprintf(out, "# condlint settings for %s\n", path);
  fputs("config-file = ", out);
  put_toml_string(out, st->path ? st->shown : "");
  fputs(st->path ? (c->forced ? "  # from --config\n" : "\n")
                 : (c->isolated ? "  # --isolated: no configuration file\n"
                                : "  # none found: defaults\n"),
        out);
  fputs("root = ", out);
  put_toml_string(out, st->root);
  fputc('\n', out);

  fputs("select = ", out);
  if (cli->has_select) {
    put_list(out, &cli->select, NULL);
    fputs("  # from the command line\n", out);
  } else if (f->has_select) {
    put_list(out, &f->select, NULL);
    fputc('\n', out);
  } else {
    fputs("[\"ALL\"]  # default\n", out);
  }
  fputs("extend-select = ", out);
  put_list(out, cli->has_select ? NULL : &f->extend_select, &cli->extend_select);
  fputc('\n', out);
  fputs("ignore = ", out);
  put_list(out, cli->has_select ? NULL : &f->ignore, &cli->ignore);
  fputc('\n', out);
  fputs("per-file-ignores = {", out);
  for (size_t i = 0; i < f->npfi; i++) {
    fputs(i ? ", " : " ", out);
    put_toml_string(out, f->pfi[i].glob);
    fputs(" = ", out);
    put_list(out, &f->pfi[i].codes, NULL);
  }
  fputs(f->npfi ? " }\n" : "}\n", out);
  fputs("severity = {", out);
  for (size_t i = 0; i < f->nsev; i++) {
    fprintf(out, "%s%s = ", i ? ", " : " ", f->sev[i].selector);
    put_toml_string(out, sev_word(f->sev[i].severity));
  }
  fputs(f->nsev ? " }\n" : "}\n", out);
  fputs("exclude = ", out);
  put_list(out, &f->exclude, NULL);
  fputs("\nextend-exclude = ", out);
  put_list(out, &f->extend_exclude, NULL);
  fprintf(out, "\nforce-exclude = %s\n", force_exclude(c, st) ? "true" : "false");
  fputs("output-format = ", out);
  put_toml_string(out, f->output_format ? f->output_format : "text");
  fputs(f->output_format ? "\n" : "  # default\n", out);

  /* what that means for this path */
  fprintf(out, "\n# effective for this %s\n", is_dir ? "directory" : "file");
  if (!is_dir)
    fprintf(out, "excluded = %s  # when found in a directory walk\n",
            excluded_path(st, abs, st->root) ? "true" : "false");
  const bool *en = enabled_rules(c, st);
  cl_file probe = {0};
  probe.abspath = abs;
  fputs("rules = [", out);
  size_t k = 0;
  for (size_t i = 0; i < condlint_rule_count(); i++) {
    const char *code = condlint_rule_code(condlint_rule_at(i));
    if (!en[i] || (!is_dir && pfi_ignores(st, &probe, code))) continue;
    fprintf(out, "%s\"%s\"", k++ ? ", " : "", code);
  }
  fputs("]\nrule-severity = {", out);
  k = 0;
  for (size_t i = 0; i < condlint_rule_count(); i++) {
    const condlint_rule *r = condlint_rule_at(i);
    const char *code = condlint_rule_code(r);
    if (!en[i] || (!is_dir && pfi_ignores(st, &probe, code))) continue;
    condlint_severity sev = condlint_rule_severity(r);
    int best = -1;
    for (size_t j = 0; j < f->nsev; j++) {
      int m = sel_match(f->sev[j].selector, code);
      if (m > best) best = m, sev = f->sev[j].severity;
    }
    fprintf(out, "%s%s = \"%s\"", k++ ? ", " : " ", code, sev_word(sev));
  }
  fputs(k ? " }\n" : "}\n", out);
  free(abs);
  return 0;
}

/* session.c's tiers (a weak reference there): a file that a
 * [tool.condlint.contracts] entry names is analysed as a root (tier 1),
 * whatever words it holds. */
bool cl_config_has_contracts(condlint_session *s, const cl_file *f);
bool cl_config_has_contracts(condlint_session *s, const cl_file *f) {
  if (!s->config || !f) return false;
  cl_settings *st = settings_of(s, f);
  if (!st->file.ncontracts) return false;
  char *abs = cl_path_absolute(f->abspath);
  bool hit = false;
  for (size_t i = 0; i < st->file.ncontracts && !hit; i++)
    hit = pattern_matches(st->file.contracts[i].glob, abs, st);
  free(abs);
  return hit;
}

/* ---- identity ---------------------------------------------------------------- */

static void id_str(cl_buf *b, const char *s) { cl_buf_str(b, s); }

static void id_strv(cl_buf *b, const strv *v) {
  cl_buf_varint(b, v->n);
  for (size_t i = 0; i < v->n; i++) id_str(b, v->v[i]);
}

static void id_layer(cl_buf *b, const layer *l) {
  cl_buf_u8(b, l->has_select);
  id_strv(b, &l->select);
  id_strv(b, &l->extend_select);
  id_strv(b, &l->ignore);
  cl_buf_varint(b, l->npfi);
  for (size_t i = 0; i < l->npfi; i++) id_str(b, l->pfi[i].glob), id_strv(b, &l->pfi[i].codes);
  cl_buf_varint(b, l->nsev);
  for (size_t i = 0; i < l->nsev; i++) id_str(b, l->sev[i].selector), cl_buf_varint(b, l->sev[i].severity);
  cl_buf_u8(b, l->has_exclude);
  id_strv(b, &l->exclude);
  id_strv(b, &l->extend_exclude);
  cl_buf_svarint(b, l->force_exclude);
  id_str(b, l->output_format);
  cl_buf_varint(b, l->ncontracts);
  for (size_t i = 0; i < l->ncontracts; i++)
    id_str(b, l->contracts[i].glob), id_str(b, l->contracts[i].qualname), id_strv(b, &l->contracts[i].specs);
}

static void id_settings(cl_buf *b, const cl_settings *st) {
  id_str(b, st ? st->path : NULL);
  if (!st) return;
  id_str(b, st->root);
  cl_buf_u64le(b, st->content.lo);
  cl_buf_u64le(b, st->content.hi);
}

void cl_config_identity(const condlint_config *c, cl_buf *b) {
  if (!c) {
    id_str(b, "defaults");
    return;
  }
  cl_buf_u8(b, c->isolated);
  id_settings(b, c->forced);
  id_str(b, c->defaults->root);
  id_layer(b, &c->cli);
  cl_buf_varint(b, c->loaded.n);
  for (size_t i = 0; i < c->loaded.n; i++) id_settings(b, c->loaded.v[i]);
}
