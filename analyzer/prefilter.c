/* prefilter.c — which files are parsed (see prefilter.h for the two tiers).
 *
 * Per file, one PCRE2-JIT scan finds the words that put a file in tier 1 or
 * make it a tracing entry, and a hand-written pass reads its import lines
 * (`import a.b`, `from ..x import (y, z)`), the torch.ops namespaces it
 * calls and those it registers. Selection then resolves the imports against
 * the session's files the way link.c does (relative to the package, or
 * against the importing file's directory and its parents; never torch or
 * functorch) and walks the import graph. Everything here reads bytes only,
 * so a file's scan depends on its content alone and can be cached.
 * The patterns are compiled once and shared by every thread. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "prefilter.h"

/* ---- the one-tier filter (kept for documents and the unit test) ----------- */

static const char PATTERN[] =
    "\\b(?:cond|make_fx|export|compile|mark_dynamic|maybe_mark_dynamic|mark_static|"
    "FakeTensorMode|ShapeEnv|from_tensor|StatelessSymbolicContext|Dim|"
    "create_symbolic_sizes_strides_storage_offset|ir_node_to_tensor|fake_mode|"
    "register_custom_op_autotuning|custom_op|register_fake|condlint)\\b";

/* ---- the tiers' words ------------------------------------------------------ */

/* Tier 1: a finding can be reported in this file. `.cond` is torch.cond,
 * torch.ops.higher_order.cond, control_flow.cond, an alias's hop.cond (not
 * torch.linalg.cond, the condition number); a bare cond(...) call counts only
 * with a star import (an import of the name cond is read from the import
 * lines); CLnnn is a rule code in a suppression. */
#define OWN_WORDS                                                                        \
  "(?<!linalg)\\.cond\\b"                                                                \
  "|\\b(?:register_custom_op_autotuning|mark_dynamic|maybe_mark_dynamic|mark_static|"    \
  "mark_unbacked|dynamic_shapes|StatelessSymbolicContext|from_tensor|tracing_mode)\\b" \
  "|condlint:|\\bCL[0-9]{3}\\b"
#define BARE_COND "(?<![\\w.])(?<!def )cond\\s*\\("
/* Tracing entry points: what starts a traced context or makes fakes. */
#define ENTRY_WORDS                                                                    \
  "\\b(?:make_fx|export|export_for_training|compile|optimize|FakeTensorMode|ShapeEnv|" \
  "fake_mode|create_symbolic_sizes_strides_storage_offset|ir_node_to_tensor|"          \
  "run_and_get_code)\\b"

/* Variants by what is still to find: bit 0 the bare cond call, bit 1 an
 * entry word. Group 1 is always tier 1; groups 2 and 3 follow. */
static const char *const VARIANTS[4] = {
    "(" OWN_WORDS ")",
    "(" OWN_WORDS ")|(" BARE_COND ")",
    "(" OWN_WORDS ")|()(?!)|(" ENTRY_WORDS ")",
    "(" OWN_WORDS ")|(" BARE_COND ")|(" ENTRY_WORDS ")",
};

const char *cl_prefilter_signature(void) { return VARIANTS[3]; }

static pcre2_code *broad, *tiers[4];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static pcre2_code *compile_one(const char *pat) {
  int err;
  PCRE2_SIZE off;
  pcre2_code *c = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
  if (c) pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
  return c;
}

static void compile_patterns(void) {
  broad = compile_one(PATTERN);
  for (int i = 0; i < 4; i++) tiers[i] = compile_one(VARIANTS[i]);
}

bool cl_prefilter_match(const char *bytes, size_t len) {
  pthread_once(&once, compile_patterns);
  if (!broad) return true; /* cannot filter: parse everything */
  pcre2_match_data *md = pcre2_match_data_create(1, NULL);
  int rc = pcre2_match(broad, (PCRE2_SPTR)bytes, len, 0, 0, md, NULL);
  pcre2_match_data_free(md);
  return rc >= 0 || rc == PCRE2_ERROR_JIT_STACKLIMIT;
}

/* ---- small string lists ---------------------------------------------------- */

typedef struct {
  char *p;
  size_t n, cap;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n) {
  if (b->cap - b->n < n + 1) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->n < n + 1) cap *= 2;
    b->p = cl_xrealloc(b->p, cap);
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = 0;
}

static void sb_ch(sbuf *b, char c) { sb_put(b, &c, 1); }

static bool is_word(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c >= 0x80;
}

/* Add word w (n bytes) to a space-separated set, at most max words. */
static void set_add(sbuf *b, const char *w, size_t n, int max) {
  if (!n) return;
  int count = 0;
  for (const char *p = b->p; p && *p;) {
    const char *e = strchr(p, ' ');
    size_t l = e ? (size_t)(e - p) : strlen(p);
    if (l == n && !memcmp(p, w, n)) return;
    count++;
    p = e ? e + 1 : p + l;
  }
  if (count >= max) return;
  if (b->n) sb_ch(b, ' ');
  sb_put(b, w, n);
}

/* ---- import lines ---------------------------------------------------------- */

typedef struct {
  const char *p, *end;
  int paren; /* inside ( ): newlines do not end the statement */
} cursor;

/* Skip blanks, line continuations, and inside parentheses newlines and comments. */
static void skip_ws(cursor *c) {
  while (c->p < c->end) {
    char ch = *c->p;
    if (ch == ' ' || ch == '\t' || ch == '\f' || ch == '\r') c->p++;
    else if (ch == '\\' && c->p + 1 < c->end && (c->p[1] == '\n' || c->p[1] == '\r')) c->p += 2;
    else if (c->paren && ch == '\n') c->p++;
    else if (c->paren && ch == '#') {
      while (c->p < c->end && *c->p != '\n') c->p++;
    } else break;
  }
}

static bool keyword(cursor *c, const char *kw) {
  size_t l = strlen(kw);
  if ((size_t)(c->end - c->p) < l || memcmp(c->p, kw, l)) return false;
  if (c->p + l < c->end && is_word((unsigned char)c->p[l])) return false;
  c->p += l;
  return true;
}

/* A dotted name (dots allowed only when dotted). */
static size_t name(cursor *c, bool dotted) {
  const char *s = c->p;
  while (c->p < c->end && (is_word((unsigned char)*c->p) || (dotted && *c->p == '.'))) c->p++;
  return (size_t)(c->p - s);
}

typedef struct {
  sbuf out;
  bool cond_named; /* the name cond is imported (maybe under an alias) */
  bool star;       /* a star import */
} imports;

static void import_line(cursor *c, imports *im) {
  if (keyword(c, "from")) {
    skip_ws(c);
    int level = 0;
    while (c->p < c->end && *c->p == '.') level++, c->p++;
    skip_ws(c);
    const char *mod = c->p;
    size_t ml = name(c, true);
    skip_ws(c);
    if (!keyword(c, "import")) return;
    char lv[16];
    int n = snprintf(lv, sizeof lv, "%d\t", level < 1000 ? level : 999);
    sb_put(&im->out, lv, (size_t)n);
    sb_put(&im->out, mod, ml);
    sb_ch(&im->out, '\t');
    skip_ws(c);
    if (c->p < c->end && *c->p == '(') c->p++, c->paren = 1;
    bool first = true;
    for (;;) {
      skip_ws(c);
      if (c->p >= c->end) break;
      if (*c->p == '*') {
        c->p++;
        im->star = true;
        continue;
      }
      const char *nm = c->p;
      size_t nl = name(c, false);
      if (!nl) break;
      if (nl == 4 && !memcmp(nm, "cond", 4)) im->cond_named = true;
      if (!first) sb_ch(&im->out, ',');
      sb_put(&im->out, nm, nl);
      first = false;
      skip_ws(c);
      if (keyword(c, "as")) {
        skip_ws(c);
        name(c, false);
        skip_ws(c);
      }
      if (c->p < c->end && *c->p == ',') {
        c->p++;
        continue;
      }
      break;
    }
    sb_ch(&im->out, '\n');
    return;
  }
  if (keyword(c, "import")) {
    for (;;) {
      skip_ws(c);
      const char *mod = c->p;
      size_t ml = name(c, true);
      if (!ml) return;
      sb_put(&im->out, "0\t", 2);
      sb_put(&im->out, mod, ml);
      sb_put(&im->out, "\t\n", 2);
      skip_ws(c);
      if (keyword(c, "as")) {
        skip_ws(c);
        name(c, false);
        skip_ws(c);
      }
      if (c->p < c->end && *c->p == ',') {
        c->p++;
        continue;
      }
      return;
    }
  }
}

static void scan_imports(const char *b, size_t len, imports *im) {
  const char *p = b, *end = b + len;
  while (p < end) {
    const char *q = p;
    while (q < end && (*q == ' ' || *q == '\t')) q++;
    if (q < end && (*q == 'f' || *q == 'i')) {
      cursor c = {q, end, 0};
      import_line(&c, im);
      if (c.p > q) p = c.p; /* a parenthesized import spans lines */
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) break;
    p = nl + 1;
  }
}

/* ---- namespaces ------------------------------------------------------------ */

/* torch.ops.NS.op calls: the namespaces. */
static void scan_ops(const char *b, size_t len, sbuf *out) {
  static const char pre[] = "torch.ops.";
  const char *p = b, *end = b + len;
  while ((p = memmem(p, (size_t)(end - p), pre, sizeof pre - 1))) {
    p += sizeof pre - 1;
    const char *s = p;
    while (p < end && is_word((unsigned char)*p)) p++;
    if (p - s == 12 && !memcmp(s, "higher_order", 12)) continue;
    if (p - s == 4 && !memcmp(s, "aten", 4)) continue;
    if (p - s == 5 && !memcmp(s, "prims", 5)) continue;
    set_add(out, s, (size_t)(p - s), 32);
  }
}

/* "NS::op" strings of a custom-op registration (custom_op, Library.define). */
static void scan_op_names(const char *b, size_t len, sbuf *out) {
  const char *p = b, *end = b + len;
  while ((p = memmem(p, (size_t)(end - p), "::", 2))) {
    const char *e = p, *s = p;
    while (s > b && is_word((unsigned char)s[-1])) s--;
    p += 2;
    if (s == e || s == b || (s[-1] != '"' && s[-1] != '\'')) continue;
    set_add(out, s, (size_t)(e - s), 32);
  }
}

/* TORCH_LIBRARY(NS, m), TORCH_LIBRARY_FRAGMENT(NS, m), TORCH_LIBRARY_IMPL(NS, K, m). */
static void scan_cxx_libraries(const char *b, size_t len, sbuf *out) {
  static const char pre[] = "TORCH_LIBRARY";
  const char *p = b, *end = b + len;
  while ((p = memmem(p, (size_t)(end - p), pre, sizeof pre - 1))) {
    p += sizeof pre - 1;
    while (p < end && (*p == '_' || (*p >= 'A' && *p <= 'Z'))) p++;
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    if (p >= end || *p != '(') continue;
    p++;
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    const char *s = p;
    while (p < end && is_word((unsigned char)*p)) p++;
    set_add(out, s, (size_t)(p - s), 32);
  }
}

/* ---- the scan -------------------------------------------------------------- */

static char *take(sbuf *b) { return b->n ? b->p : (free(b->p), NULL); }

void cl_prefilter_scan(const char *bytes, size_t len, bool cxx, cl_scan *out) {
  memset(out, 0, sizeof *out);
  if (cxx) {
    sbuf regs = {0};
    out->flags = CL_SCAN_CXX;
    scan_cxx_libraries(bytes, len, &regs);
    out->regs = take(&regs);
    return;
  }
  pthread_once(&once, compile_patterns);
  bool own = false, bare = false, entry = false;
  unsigned need = 3; /* bit 0: a bare cond call, bit 1: an entry word */
  pcre2_match_data *md = pcre2_match_data_create(4, NULL);
  PCRE2_SIZE at = 0;
  while (!own && at <= len) {
    pcre2_code *code = tiers[need];
    if (!code) { /* no PCRE2 JIT pattern: keep everything */
      own = true;
      break;
    }
    int rc = pcre2_match(code, (PCRE2_SPTR)bytes, len, at, 0, md, NULL);
    if (rc == PCRE2_ERROR_JIT_STACKLIMIT || (rc < 0 && rc != PCRE2_ERROR_NOMATCH)) {
      own = true;
      break;
    }
    if (rc < 0) break;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    if (ov[2] != PCRE2_UNSET) own = true;
    else if (rc > 2 && ov[4] != PCRE2_UNSET) bare = true, need &= ~1u;
    else entry = true, need &= ~2u;
    at = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
  }
  pcre2_match_data_free(md);
  imports im = {0};
  scan_imports(bytes, len, &im);
  if (im.cond_named || (bare && im.star)) own = true;
  out->flags = (own ? CL_SCAN_OWN : 0) | (entry ? CL_SCAN_ENTRY : 0);
  sbuf ops = {0}, regs = {0};
  if (own && memmem(bytes, len, "register_custom_op_autotuning", 29)) {
    out->flags |= CL_SCAN_AUTOTUNE;
    scan_op_names(bytes, len, &regs);
  }
  if (!own) scan_ops(bytes, len, &ops);
  out->imports = take(&im.out);
  out->ops = take(&ops);
  out->regs = take(&regs);
}

void cl_scan_free(cl_scan *s) {
  free(s->imports);
  free(s->ops);
  free(s->regs);
  memset(s, 0, sizeof *s);
}

/* ---- selection ------------------------------------------------------------- */

/* Files by absolute path. */
typedef struct {
  const char **keys;
  uint32_t *vals;
  size_t cap;
} pathmap;

static uint64_t str_hash(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h ^ (h >> 29);
}

static void pm_put(pathmap *m, const char *k, uint32_t v) {
  size_t mask = m->cap - 1, i = (size_t)str_hash(k, strlen(k)) & mask;
  while (m->keys[i]) {
    if (!strcmp(m->keys[i], k)) return; /* the first one named wins */
    i = (i + 1) & mask;
  }
  m->keys[i] = k;
  m->vals[i] = v;
}

static int pm_get(const pathmap *m, const char *k, size_t n) {
  size_t mask = m->cap - 1, i = (size_t)str_hash(k, n) & mask;
  while (m->keys[i]) {
    if (!strncmp(m->keys[i], k, n) && m->keys[i][n] == 0) return (int)m->vals[i];
    i = (i + 1) & mask;
  }
  return -1;
}

typedef struct {
  uint32_t *v;
  size_t n, cap;
} ivec;

static void iv_push(ivec *a, uint32_t x) {
  if (a->n == a->cap) {
    a->cap = a->cap ? a->cap * 2 : 8;
    a->v = cl_xrealloc(a->v, a->cap * sizeof *a->v);
  }
  a->v[a->n++] = x;
}

/* The file of `base/rel.py` or `base/rel/__init__.py` (rel: a dotted name). */
static int find_module(const pathmap *m, sbuf *tmp, const char *base, size_t bl, const char *rel,
                       size_t rl) {
  for (int k = 0; k < 2; k++) {
    tmp->n = 0;
    sb_put(tmp, base, bl);
    if (rl) {
      sb_ch(tmp, '/');
      size_t at = tmp->n;
      sb_put(tmp, rel, rl);
      for (size_t i = at; i < tmp->n; i++)
        if (tmp->p[i] == '.') tmp->p[i] = '/';
    }
    if (k == 0 && rl) sb_put(tmp, ".py", 3);
    else if (k == 0) continue;
    else sb_put(tmp, "/__init__.py", 12);
    int f = pm_get(m, tmp->p, tmp->n);
    if (f >= 0) return f;
  }
  return -1;
}

/* The directory of path, its length. */
static size_t dir_len(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? (size_t)(s - path) : 0;
}

/* Resolve one module as link.c does; relative: base fixed; absolute: the
 * importing file's directory and up to 7 parents, the first found wins. */
static int resolve(const pathmap *m, sbuf *tmp, const char *from, int level, const char *mod,
                   size_t ml) {
  size_t bl = dir_len(from);
  if (level > 0) {
    for (int i = 1; i < level; i++) {
      while (bl > 0 && from[bl - 1] != '/') bl--;
      if (bl > 1) bl--; /* the slash */
    }
    return find_module(m, tmp, from, bl, mod, ml);
  }
  for (int up = 0; up < 8; up++) {
    int f = find_module(m, tmp, from, bl, mod, ml);
    if (f >= 0) return f;
    size_t nb = bl;
    while (nb > 0 && from[nb - 1] != '/') nb--;
    if (nb <= 1) break;
    bl = nb - 1;
  }
  return -1;
}

static bool torchish(const char *mod, size_t ml) {
  return (ml >= 5 && !memcmp(mod, "torch", 5)) || (ml >= 9 && !memcmp(mod, "functorch", 9));
}

/* The files that file i imports. */
static void edges_of(const pathmap *m, sbuf *tmp, const cl_select_item *it, ivec *out) {
  const char *p = it->scan ? it->scan->imports : NULL;
  while (p && *p) {
    const char *eol = strchr(p, '\n');
    if (!eol) break;
    int level = atoi(p);
    const char *mod = strchr(p, '\t');
    if (!mod || mod > eol) break;
    mod++;
    const char *names = memchr(mod, '\t', (size_t)(eol - mod));
    if (!names) break;
    size_t ml = (size_t)(names - mod);
    names++;
    if (!(level == 0 && torchish(mod, ml))) {
      int f = (level > 0 && ml == 0) ? resolve(m, tmp, it->abspath, level, "", 0)
                                     : resolve(m, tmp, it->abspath, level, mod, ml);
      if (f >= 0) iv_push(out, (uint32_t)f);
      /* from pkg import submodule */
      for (const char *q = names; q < eol;) {
        const char *comma = memchr(q, ',', (size_t)(eol - q));
        const char *ne = comma ? comma : eol;
        sbuf sub = {0};
        if (ml) {
          sb_put(&sub, mod, ml);
          sb_ch(&sub, '.');
        }
        sb_put(&sub, q, (size_t)(ne - q));
        int g = resolve(m, tmp, it->abspath, level, sub.p, sub.n);
        free(sub.p);
        if (g >= 0) iv_push(out, (uint32_t)g);
        q = ne + 1;
      }
    }
    p = eol + 1;
  }
}

/* Is some word of the space-separated list a in the list b? */
static bool lists_meet(const char *a, const char *b) {
  if (!a || !b) return false;
  for (const char *p = a; *p;) {
    const char *e = strchr(p, ' ');
    size_t l = e ? (size_t)(e - p) : strlen(p);
    for (const char *q = b; *q;) {
      const char *f = strchr(q, ' ');
      size_t m = f ? (size_t)(f - q) : strlen(q);
      if (l == m && !memcmp(p, q, l)) return true;
      q = f ? f + 1 : q + m;
    }
    p = e ? e + 1 : p + l;
  }
  return false;
}

void cl_prefilter_select(cl_select_item *it, size_t n) {
  if (!n) return;
  pathmap m = {0};
  m.cap = 64;
  while (m.cap < n * 2) m.cap *= 2;
  m.keys = cl_xcalloc(m.cap, sizeof *m.keys);
  m.vals = cl_xcalloc(m.cap, sizeof *m.vals);
  for (size_t i = 0; i < n; i++)
    if (it[i].abspath) pm_put(&m, it[i].abspath, (uint32_t)i);

  /* namespaces registered with range dispatch, or in C++ */
  sbuf regs = {0};
  for (size_t i = 0; i < n; i++) {
    const cl_scan *sc = it[i].scan;
    if (sc && sc->regs && (sc->flags & (CL_SCAN_AUTOTUNE | CL_SCAN_CXX))) {
      if (regs.n) sb_ch(&regs, ' ');
      sb_put(&regs, sc->regs, strlen(sc->regs));
    }
  }
  for (size_t i = 0; i < n; i++) {
    const cl_scan *sc = it[i].scan;
    bool own = it[i].own || (sc && (sc->flags & CL_SCAN_OWN)) ||
               (sc && regs.n && lists_meet(sc->ops, regs.p));
    it[i].tier = it[i].given ? CL_TIER_GIVEN : own ? CL_TIER_OWN : CL_TIER_SKIP;
  }
  free(regs.p);

  /* the import graph, both ways */
  ivec *fwd = cl_xcalloc(n, sizeof *fwd), *rev = cl_xcalloc(n, sizeof *rev);
  sbuf tmp = {0};
  for (size_t i = 0; i < n; i++) {
    if (it[i].abspath) edges_of(&m, &tmp, &it[i], &fwd[i]);
    for (size_t k = 0; k < fwd[i].n; k++) iv_push(&rev[fwd[i].v[k]], (uint32_t)i);
  }
  free(tmp.p);

  /* R: the files from which a tier-1 file, or a file a tier-1 file imports, is reached */
  uint8_t *reach = cl_xcalloc(n, 1);
  ivec work = {0};
  for (size_t i = 0; i < n; i++) {
    if (it[i].tier != CL_TIER_OWN) continue;
    if (!reach[i]) reach[i] = 1, iv_push(&work, (uint32_t)i);
    for (size_t k = 0; k < fwd[i].n; k++)
      if (!reach[fwd[i].v[k]]) reach[fwd[i].v[k]] = 1, iv_push(&work, fwd[i].v[k]);
  }
  while (work.n) {
    uint32_t j = work.v[--work.n];
    for (size_t k = 0; k < rev[j].n; k++)
      if (!reach[rev[j].v[k]]) reach[rev[j].v[k]] = 1, iv_push(&work, rev[j].v[k]);
  }
  for (size_t i = 0; i < n; i++)
    if (it[i].tier == CL_TIER_SKIP && reach[i] && it[i].scan && (it[i].scan->flags & CL_SCAN_ENTRY))
      it[i].tier = CL_TIER_ENTRY;

  /* what the parsed files import, transitively: parsed to link */
  for (size_t i = 0; i < n; i++)
    if (it[i].tier != CL_TIER_SKIP && it[i].tier != CL_TIER_LINK) iv_push(&work, (uint32_t)i);
  while (work.n) {
    uint32_t j = work.v[--work.n];
    for (size_t k = 0; k < fwd[j].n; k++) {
      uint32_t t = fwd[j].v[k];
      if (it[t].tier == CL_TIER_SKIP) {
        it[t].tier = CL_TIER_LINK;
        iv_push(&work, t);
      }
    }
  }
  for (size_t i = 0; i < n; i++) {
    free(fwd[i].v);
    free(rev[i].v);
  }
  free(fwd);
  free(rev);
  free(reach);
  free(work.v);
  free(m.keys);
  free(m.vals);
}
