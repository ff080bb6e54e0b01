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
#define _GNU_SOURCE /* memmem */
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

/* Each is searched on its own: a pattern that starts with a literal runs at
 * several GB/s under PCRE2's JIT (it skips to the literal's first bytes),
 * while one alternation of them all runs at about 230 MB/s (every position
 * that starts one of the words is tried). docs/performance.md has the numbers.
 *
 * Tier 1: a finding can be reported in this file. `.cond` is torch.cond,
 * torch.ops.higher_order.cond, control_flow.cond, an alias's hop.cond (not
 * torch.linalg.cond, the condition number); an import of the name cond is read
 * from the import lines, and a bare cond(...) counts with a star import;
 * CLnnn is a rule code in a suppression. */
static const char *const OWN[] = {
    "(?<!linalg)\\.cond\\b",
    "\\bdynamic_shapes\\b",
    "mark_(?:dynamic|static|unbacked)\\b", /* maybe_mark_dynamic too */
    "\\bfrom_tensor\\b",
    "\\btracing_mode\\b",
    "\\bStatelessSymbolicContext\\b",
    "\\bregister_custom_op_autotuning\\b", /* AUTOTUNE_INDEX: also sets CL_SCAN_AUTOTUNE */
    "condlint:",
    "\\bCL[0-9]{3}\\b",
    NULL};
#define AUTOTUNE_INDEX 6
#define CODE_WORDS 7 /* OWN[0..6] count in code only (prose, below) */
/* in the signature: verdicts of the scan that read prose too are stale */
static const char CODE_ONLY[] = "prose-v1|";
static const char BARE_COND[] = "(?<![\\w.])(?<!def )cond\\s*\\(";
/* Tracing entry points, as tracing.c recognizes them: what starts a traced
 * context or makes fakes. torch.compile, model.compile() or an import of
 * compile (not re.compile); a call of export or torch._dynamo.optimize, or an
 * import of the name (read from the import lines); the rest by name. */
static const char *const ENTRY[] = {
    "(?<!re\\.)\\bcompile\\b", "\\bexport(?:_for_training)?\\s*\\(", "\\bmake_fx\\b",
    "\\bFakeTensorMode\\b", "\\bShapeEnv\\b", "\\boptimize\\s*\\(", "\\bir_node_to_tensor\\b",
    "\\bcreate_symbolic_sizes_strides_storage_offset\\b", "\\brun_and_get_code\\b", NULL};

#define NOWN (sizeof OWN / sizeof OWN[0] - 1)
#define NENTRY (sizeof ENTRY / sizeof ENTRY[0] - 1)

/* The tiers' patterns, JIT-compiled (a whole walk's scan), or not (the
 * replay's scan of a few edited files, where JIT-compiling them would cost
 * more than the scan: cl_prefilter_scan_few). */
typedef struct {
  pcre2_code *own[NOWN], *entry[NENTRY], *bare;
} patset;
static pcre2_code *broad;
static patset jit_set, plain_set;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char *signature;
static void compile_patterns_once(void);

const char *cl_prefilter_signature(void) {
  pthread_once(&once, compile_patterns_once);
  return signature;
}

static pcre2_code *compile_one(const char *pat, bool jit) {
  int err;
  PCRE2_SIZE off;
  pcre2_code *c = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
  if (c && jit) pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
  return c;
}

static void compile_set(patset *P, bool jit) {
  for (size_t i = 0; i < NOWN; i++) P->own[i] = compile_one(OWN[i], jit);
  for (size_t i = 0; i < NENTRY; i++) P->entry[i] = compile_one(ENTRY[i], jit);
  P->bare = compile_one(BARE_COND, jit);
}

static pthread_once_t plain_once = PTHREAD_ONCE_INIT;
static void compile_plain_once(void) { compile_set(&plain_set, false); }

static void compile_patterns_once(void) {
  broad = compile_one(PATTERN, true);
  compile_set(&jit_set, true);
  size_t l = 64 + sizeof CODE_ONLY;
  for (size_t i = 0; i < NOWN; i++) l += strlen(OWN[i]) + 1;
  for (size_t i = 0; i < NENTRY; i++) l += strlen(ENTRY[i]) + 1;
  signature = cl_xmalloc(l + sizeof BARE_COND);
  strcpy(signature, CODE_ONLY);
  for (size_t i = 0; i < NOWN; i++) strcat(strcat(signature, OWN[i]), "|");
  for (size_t i = 0; i < NENTRY; i++) strcat(strcat(signature, ENTRY[i]), "|");
  strcat(signature, BARE_COND);
}

#define NOWHERE SIZE_MAX

/* 1: found, 0: not found, -1: cannot tell (no pattern, a matching error).
 * No match starts before `from` (find_texts): the search starts there (its
 * lookbehinds and \b still see the bytes before), and is not made at all
 * when from is NOWHERE. */
static int search(pcre2_code *re, pcre2_match_data *md, const char *b, size_t len, size_t from) {
  if (!re) return -1;
  if (from == NOWHERE) return 0;
  int rc = pcre2_match(re, (PCRE2_SPTR)b, len, from, 0, md, NULL);
  return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

bool cl_prefilter_match(const char *bytes, size_t len) {
  pthread_once(&once, compile_patterns_once);
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
  bool cond_named;  /* the name cond is imported (maybe under an alias) */
  bool entry_named; /* export, export_for_training or optimize is imported */
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
      if ((nl == 6 && !memcmp(nm, "export", 6)) || (nl == 19 && !memcmp(nm, "export_for_training", 19)) ||
          (nl == 8 && !memcmp(nm, "optimize", 8)))
        im->entry_named = true;
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

/* ---- the texts the patterns need: one pass -------------------------------- */

/* Each pattern above needs a text of its own (its required literal): no
 * match starts before the first place that text occurs. One pass finds the
 * first place of each (PCRE2-JIT, the matcher of record, then searches from
 * there, and not at all when the text is absent): one pass over the bytes
 * instead of one per pattern. The same for scan_ops ("torch.ops.") and the
 * memmem for register_custom_op_autotuning. The pass looks for three bytes
 * of each text at once, 64 positions at a time (AVX-512BW); without it, every
 * search starts at 0 as before. */
enum { W_OWN = 0, W_BARE = W_OWN + NOWN, W_ENTRY, W_OPS = W_ENTRY + NENTRY, W_N, W_IMPORT = W_N };

typedef struct {
  const char *text;
  unsigned char len, off; /* the three bytes looked for: text[off..off+3), or two when len is 2
                           * (three rare together in Python sources) */
  unsigned char slot;
} needle;

static const needle NEEDLES[] = {
    {".cond", 5, 2, W_OWN + 0},
    {"dynamic_shapes", 14, 6, W_OWN + 1},
    {"mark_", 5, 2, W_OWN + 2},
    {"from_tensor", 11, 3, W_OWN + 3},
    {"tracing_mode", 12, 2, W_OWN + 4},
    {"StatelessSymbolicContext", 24, 8, W_OWN + 5},
    {"register_custom_op_autotuning", 29, 17, W_OWN + AUTOTUNE_INDEX},
    {"condlint:", 9, 3, W_OWN + 7},
    {"CL", 2, 0, W_OWN + 8},
    {"cond", 4, 1, W_BARE},
    {"compile", 7, 2, W_ENTRY + 0},
    {"export", 6, 1, W_ENTRY + 1},
    {"make_fx", 7, 4, W_ENTRY + 2},
    {"FakeTensorMode", 14, 9, W_ENTRY + 3},
    {"ShapeEnv", 8, 5, W_ENTRY + 4},
    {"optimize", 8, 4, W_ENTRY + 5},
    {"ir_node_to_tensor", 17, 0, W_ENTRY + 6},
    {"create_symbolic_sizes_strides_storage_offset", 44, 14, W_ENTRY + 7},
    {"run_and_get_code", 16, 1, W_ENTRY + 8},
    {"torch.ops.", 10, 4, W_OPS},
    /* every place, not the first: a line's first word (scan_imports) */
    {"from", 4, 0, W_IMPORT},
    {"import", 6, 0, W_IMPORT},
};
#define NNEEDLES (sizeof NEEDLES / sizeof NEEDLES[0])
_Static_assert(NNEEDLES < 32, "needles are bits of a uint32_t");
_Static_assert(W_N + 2 == NNEEDLES, "one needle per pattern, one for scan_ops, two for imports");
/* needle k < W_N is the one of slot k (find_texts_wide) */

typedef struct {
  size_t at[W_N]; /* where the text first occurs, or NOWHERE; 0 when not looked for */
  imports *im;    /* the import lines, read as scan_imports reads them */
  size_t next_line; /* scan_imports reads no line that starts before this */
  bool lines_done;  /* nor any after */
} texts;

/* scan_imports reads each line that starts at or after next_line (one read
 * moves it past the line where the statement read ends); only a line whose
 * first word (after blanks) is `from` or `import` can give anything. q is a
 * place where one of them occurs: read its line when the word starts it. */
static void import_at(texts *t, const unsigned char *b, size_t len, size_t q) {
  if (t->lines_done || q < t->next_line) return;
  size_t l = q;
  while (l > 0 && (b[l - 1] == ' ' || b[l - 1] == '\t')) l--;
  if (l > 0 && b[l - 1] != '\n') return; /* not the line's first word */
  if (l < t->next_line) return;
  cursor c = {(const char *)b + q, (const char *)b + len, 0};
  import_line(&c, t->im);
  if ((const unsigned char *)c.p > b + q) {
    const char *nl = memchr(c.p, '\n', (size_t)((const char *)b + len - c.p));
    if (!nl) t->lines_done = true;
    else t->next_line = (size_t)(nl - (const char *)b) + 1;
  }
}

/* Does needle k's text occur at p - off (its bytes lie at b[p...])? Then
 * record it: its first place, or the import line it may start. */
static void needle_at(texts *t, const unsigned char *b, size_t len, size_t k, size_t p) {
  const needle *n = &NEEDLES[k];
  if ((n->slot < W_N && t->at[n->slot] != NOWHERE) || p < n->off || len - (p - n->off) < n->len ||
      memcmp(b + p - n->off, n->text, n->len))
    return;
  if (n->slot < W_N) t->at[n->slot] = p - n->off;
  else import_at(t, b, len, p - n->off);
}

/* Every needle at p, in order. */
static void texts_at(texts *t, const unsigned char *b, size_t len, size_t p) {
  for (size_t k = 0; k < NNEEDLES; k++) needle_at(t, b, len, k, p);
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang_analyzer__)
#include <immintrin.h>
#define HAVE_WIDE_PASS 1

__attribute__((target("avx512f,avx512bw"))) static void find_texts_wide(const unsigned char *b, size_t len,
                                                                         texts *t) {
  __m512i x0[NNEEDLES], x1[NNEEDLES], x2[NNEEDLES];
  for (size_t k = 0; k < NNEEDLES; k++) {
    const needle *n = &NEEDLES[k];
    x0[k] = _mm512_set1_epi8(n->text[n->off]);
    x1[k] = _mm512_set1_epi8(n->text[n->off + 1]);
    x2[k] = _mm512_set1_epi8(n->len > 2 ? n->text[n->off + 2] : 0);
  }
  uint32_t live = ((uint32_t)1 << NNEEDLES) - 1; /* the needles still looked for */
  size_t i = 0;
  for (; i + 66 <= len; i += 64) { /* positions i .. i+63, bytes up to i+65 */
    __m512i v0 = _mm512_loadu_si512(b + i), v1 = _mm512_loadu_si512(b + i + 1),
            v2 = _mm512_loadu_si512(b + i + 2);
    __mmask64 xs[NNEEDLES], m = 0;
    for (size_t k = 0; k < NNEEDLES; k++) {
      xs[k] = 0;
      if (!(live >> k & 1)) continue;
      __mmask64 x = _mm512_cmpeq_epi8_mask(v0, x0[k]);
      x = _mm512_mask_cmpeq_epi8_mask(x, v1, x1[k]);
      if (NEEDLES[k].len > 2) x = _mm512_mask_cmpeq_epi8_mask(x, v2, x2[k]);
      xs[k] = x;
      m |= x;
    }
    if (!m) continue;
    for (size_t k = 0; k < W_N; k++) { /* each text's places in order: its first one */
      for (__mmask64 x = xs[k]; x && t->at[NEEDLES[k].slot] == NOWHERE; x &= x - 1)
        needle_at(t, b, len, k, i + (size_t)__builtin_ctzll(x));
      if (t->at[NEEDLES[k].slot] != NOWHERE) live &= ~((uint32_t)1 << k); /* found */
    }
    for (__mmask64 x = xs[W_N] | xs[W_N + 1]; x; x &= x - 1) { /* import lines in order */
      size_t at = i + (size_t)__builtin_ctzll(x);
      needle_at(t, b, len, W_N, at);
      needle_at(t, b, len, W_N + 1, at);
    }
  }
  for (; i + 1 < len; i++) texts_at(t, b, len, i);
}

static bool wide_ok;
static pthread_once_t wide_once = PTHREAD_ONCE_INIT;
static void wide_check(void) {
  wide_ok = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
}
static bool wide_pass(void) {
  pthread_once(&wide_once, wide_check);
  return wide_ok;
}
#endif

/* The texts' first places, and im the import lines. */
static void find_texts(const char *bytes, size_t len, texts *t, imports *im) {
  t->im = im;
  t->next_line = 0;
  t->lines_done = false;
#ifdef HAVE_WIDE_PASS
  if (wide_pass()) {
    for (size_t k = 0; k < W_N; k++) t->at[k] = NOWHERE;
    find_texts_wide((const unsigned char *)bytes, len, t);
    return;
  }
#endif
  for (size_t k = 0; k < W_N; k++) t->at[k] = 0; /* search everything, as before */
  scan_imports(bytes, len, im);
}

/* ---- code and prose ---------------------------------------------------------- */

/* A word in a comment or in a string of prose ("compiled with torch.compile",
 * a docstring's example) calls nothing: the words of the tiers count only in
 * code. Prose is a comment, a triple-quoted string, or a one-line string that
 * holds more than a dotted name: "dynamic_shapes" or "torch.cond" (a dict key,
 * a getattr, a patch target) is read as code, and so is every f-string (its
 * braces hold code). Python's rule makes the lexing simple: outside a string,
 * a quote always opens one, and a backslash inside one always escapes the next
 * byte (in raw strings too, as far as where the string ends is concerned). An
 * unterminated one-line string ends at its line, as the tokenizer's error
 * recovery does. The ranges are found once per file, when a pattern first
 * matches. */
typedef struct {
  uint32_t *v; /* [start, end) pairs, in order */
  size_t n, cap;
  bool built;
} prose;

static void prose_add(prose *pr, size_t s, size_t e) {
  if (pr->n + 2 > pr->cap) {
    pr->cap = pr->cap ? pr->cap * 2 : 64;
    pr->v = cl_xrealloc(pr->v, pr->cap * sizeof *pr->v);
  }
  pr->v[pr->n++] = (uint32_t)s;
  pr->v[pr->n++] = (uint32_t)e;
}

/* Is the string opened at q an f-string (f, rf, fr... just before it)? */
static bool f_prefix(const unsigned char *b, size_t q) {
  size_t s = q;
  while (s > 0 && q - s < 3 && is_word(b[s - 1])) s--;
  if (q - s > 2 || (s > 0 && is_word(b[s - 1]))) return false;
  for (size_t i = s; i < q; i++)
    if (b[i] == 'f' || b[i] == 'F') return true;
  return false;
}

static void prose_build(const char *bytes, size_t len, prose *pr) {
  const unsigned char *b = (const unsigned char *)bytes;
  pr->built = true;
  pr->n = 0;
  if (len > UINT32_MAX) return; /* read everything as code */
  size_t i = 0;
  while (i < len) {
    unsigned char c = b[i];
    if (c != '#' && c != '\'' && c != '"') {
      i++;
      continue;
    }
    size_t s = i;
    if (c == '#') {
      const unsigned char *nl = memchr(b + i, '\n', len - i);
      i = nl ? (size_t)(nl - b) : len;
      prose_add(pr, s, i);
      continue;
    }
    bool triple = i + 2 < len && b[i + 1] == c && b[i + 2] == c, fstr = f_prefix(b, s);
    bool dotted = true; /* a one-line string of word bytes and dots */
    i += triple ? 3 : 1;
    while (i < len) {
      unsigned char d = b[i];
      if (d == '\\') {
        i += 2, dotted = false;
      } else if (d == c && (!triple || (i + 2 < len && b[i + 1] == c && b[i + 2] == c))) {
        i += triple ? 3 : 1;
        break;
      } else if (d == '\n' && !triple) {
        break;
      } else {
        dotted = dotted && (is_word(d) || d == '.');
        i++;
      }
    }
    if (i > len) i = len;
    if (!fstr && (triple || !dotted)) prose_add(pr, s, i);
  }
}

/* The end of the prose range that holds pos, or 0 when pos is in code. */
static size_t prose_end(const prose *pr, size_t pos) {
  size_t lo = 0, hi = pr->n / 2;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (pr->v[2 * mid + 1] <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo < pr->n / 2 && pr->v[2 * lo] <= pos ? pr->v[2 * lo + 1] : 0;
}

/* search(), for a match that starts in code. */
static int search_code(pcre2_code *re, pcre2_match_data *md, const char *b, size_t len, size_t from,
                       prose *pr) {
  for (;;) {
    int r = search(re, md, b, len, from);
    if (r != 1) return r;
    size_t at = pcre2_get_ovector_pointer(md)[0];
    if (!pr->built) prose_build(b, len, pr);
    size_t e = prose_end(pr, at);
    if (!e) return 1;
    if (e >= len) return 0;
    from = e;
  }
}

/* ---- the scan -------------------------------------------------------------- */

static char *take(sbuf *b) { return b->n ? b->p : (free(b->p), NULL); }

static void scan_with(const patset *P, const char *bytes, size_t len, cl_scan *out);

void cl_prefilter_scan(const char *bytes, size_t len, bool cxx, cl_scan *out) {
  memset(out, 0, sizeof *out);
  if (cxx) {
    sbuf regs = {0};
    out->flags = CL_SCAN_CXX;
    scan_cxx_libraries(bytes, len, &regs);
    out->regs = take(&regs);
    return;
  }
  pthread_once(&once, compile_patterns_once);
  scan_with(&jit_set, bytes, len, out);
}

void cl_prefilter_scan_few(const char *bytes, size_t len, cl_scan *out) {
  memset(out, 0, sizeof *out);
  pthread_once(&plain_once, compile_plain_once);
  scan_with(&plain_set, bytes, len, out);
}

static void scan_with(const patset *P, const char *bytes, size_t len, cl_scan *out) {
  texts w;
  imports im = {0};
  find_texts(bytes, len, &w, &im);
  pcre2_match_data *md = pcre2_match_data_create(1, NULL);
  prose pr = {0};
  bool own = false, entry = false, autotune = false;
  /* every word in code only, but a condlint: comment and a rule code (its
   * suppressions, contracts) */
  for (size_t i = 0; i < NOWN && !own; i++)
    own = (i < CODE_WORDS ? search_code(P->own[i], md, bytes, len, w.at[W_OWN + i], &pr)
                          : search(P->own[i], md, bytes, len, w.at[W_OWN + i])) != 0;
  if (!own && (im.cond_named || (im.star && search_code(P->bare, md, bytes, len, w.at[W_BARE], &pr) != 0)))
    own = true;
  if (own) autotune = search_code(P->own[AUTOTUNE_INDEX], md, bytes, len, w.at[W_OWN + AUTOTUNE_INDEX], &pr) == 1;
  entry = !own && im.entry_named;
  for (size_t i = 0; i < NENTRY && !own && !entry; i++)
    entry = search_code(P->entry[i], md, bytes, len, w.at[W_ENTRY + i], &pr) != 0;
  pcre2_match_data_free(md);
  free(pr.v);
  out->flags = (own ? CL_SCAN_OWN : 0) | (entry ? CL_SCAN_ENTRY : 0) | (autotune ? CL_SCAN_AUTOTUNE : 0);
  sbuf ops = {0}, regs = {0};
  if (autotune) scan_op_names(bytes, len, &regs);
  if (!own && w.at[W_OPS] != NOWHERE) /* no "torch.ops." before it */
    scan_ops(bytes + w.at[W_OPS], len - w.at[W_OPS], &ops);
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

cl_hash cl_scan_hash(const cl_scan *s) {
  sbuf b = {0};
  char fl[16];
  int n = snprintf(fl, sizeof fl, "%u", s->flags);
  sb_put(&b, fl, (size_t)n + 1); /* each part with its NUL: "ab","c" is not "a","bc" */
  const char *parts[] = {s->imports, s->ops, s->regs};
  for (size_t i = 0; i < 3; i++) sb_put(&b, parts[i] ? parts[i] : "", strlen(parts[i] ? parts[i] : "") + 1);
  cl_hash h = cl_hash128(b.p, b.n, 7);
  free(b.p);
  return h;
}

/* ---- selection ------------------------------------------------------------- */

static uint64_t str_hash(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h ^ (h >> 29);
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

/* A map from (directory id, name) to an int. Names are copied. */
typedef struct {
  char **names;
  uint32_t *dirs;
  int *vals;
  size_t cap, n;
} kmap;

static size_t km_slot(const kmap *m, uint32_t dir, const char *name, size_t nl) {
  return (size_t)(str_hash(name, nl) ^ ((uint64_t)dir * 0x9e3779b97f4a7c15ull)) & (m->cap - 1);
}

static int km_get(const kmap *m, uint32_t dir, const char *name, size_t nl) {
  if (!m->cap) return -1;
  for (size_t i = km_slot(m, dir, name, nl);; i = (i + 1) & (m->cap - 1)) {
    if (!m->names[i]) return -1;
    if (m->dirs[i] == dir && !strncmp(m->names[i], name, nl) && m->names[i][nl] == 0) return m->vals[i];
  }
}

/* Add (dir, name) -> v unless present; returns the value now there. */
static int km_put(kmap *m, uint32_t dir, const char *name, size_t nl, int v) {
  if ((m->n + 1) * 2 > m->cap) {
    kmap old = *m;
    m->cap = old.cap ? old.cap * 2 : 1024;
    m->names = cl_xcalloc(m->cap, sizeof *m->names);
    m->dirs = cl_xcalloc(m->cap, sizeof *m->dirs);
    m->vals = cl_xcalloc(m->cap, sizeof *m->vals);
    m->n = 0;
    for (size_t i = 0; i < old.cap; i++)
      if (old.names[i]) {
        size_t j = km_slot(m, old.dirs[i], old.names[i], strlen(old.names[i]));
        while (m->names[j]) j = (j + 1) & (m->cap - 1);
        m->names[j] = old.names[i];
        m->dirs[j] = old.dirs[i];
        m->vals[j] = old.vals[i];
        m->n++;
      }
    free(old.names);
    free(old.dirs);
    free(old.vals);
  }
  size_t i = km_slot(m, dir, name, nl);
  for (; m->names[i]; i = (i + 1) & (m->cap - 1))
    if (m->dirs[i] == dir && !strncmp(m->names[i], name, nl) && m->names[i][nl] == 0) return m->vals[i];
  m->names[i] = cl_xstrndup(name, nl);
  m->dirs[i] = dir;
  m->vals[i] = v;
  m->n++;
  return v;
}

static void km_free(kmap *m) {
  for (size_t i = 0; i < m->cap; i++) free(m->names[i]);
  free(m->names);
  free(m->dirs);
  free(m->vals);
}

/* The module index: every directory above a session file gets an id (its
 * parent's id is kept), and (directory, dotted name) names the file that
 * `import dotted` finds from there: dotted.py first, then
 * dotted/__init__.py, as link.c tries them. Dir 0 is "no directory". */
typedef struct {
  kmap dirs;       /* (0, path) -> dir id */
  uint32_t *parent; /* by dir id */
  size_t ndirs, cap;
  kmap mods;       /* (dir id, dotted) -> file */
  uint32_t *fdir;  /* by file: its directory's id */
} modindex;

static uint32_t dir_id(modindex *x, const char *path, size_t len) {
  if (len == 0) return 0;
  int id = km_get(&x->dirs, 0, path, len);
  if (id > 0) return (uint32_t)id;
  size_t pl = len;
  while (pl > 0 && path[pl - 1] != '/') pl--;
  uint32_t parent = pl > 1 ? dir_id(x, path, pl - 1) : 0;
  if (x->ndirs + 1 >= x->cap) {
    x->cap = x->cap ? x->cap * 2 : 1024;
    x->parent = cl_xrealloc(x->parent, x->cap * sizeof *x->parent);
  }
  uint32_t me = (uint32_t)++x->ndirs;
  x->parent[me] = parent;
  km_put(&x->dirs, 0, path, len, (int)me);
  return me;
}

static void index_files(modindex *x, const cl_select_item *it, size_t n) {
  x->fdir = cl_xcalloc(n ? n : 1, sizeof *x->fdir);
  for (x->mods.cap = 1024; x->mods.cap < n * 20; x->mods.cap *= 2) continue;
  x->mods.names = cl_xcalloc(x->mods.cap, sizeof *x->mods.names);
  x->mods.dirs = cl_xcalloc(x->mods.cap, sizeof *x->mods.dirs);
  x->mods.vals = cl_xcalloc(x->mods.cap, sizeof *x->mods.vals);
  x->parent = cl_xcalloc(1, sizeof *x->parent);
  x->cap = 1;
  sbuf dotted = {0};
  for (int pass = 0; pass < 2; pass++) /* NAME.py before NAME/__init__.py */
    for (size_t i = 0; i < n; i++) {
      const char *p = it[i].abspath;
      if (!p) continue;
      size_t pl = strlen(p), dl = pl;
      while (dl > 0 && p[dl - 1] != '/') dl--;
      const char *base = p + dl;
      size_t bl = pl - dl;
      if (bl < 3 || memcmp(base + bl - 3, ".py", 3)) continue;
      bool init = bl == 11 && !memcmp(base, "__init__.py", 11);
      if (init != (pass == 1)) continue;
      uint32_t d = dir_id(x, p, dl > 1 ? dl - 1 : dl);
      if (pass == 0 || !x->fdir[i]) x->fdir[i] = d;
      /* the dotted name from each ancestor directory */
      dotted.n = 0;
      if (!init) sb_put(&dotted, base, bl - 3);
      else sb_put(&dotted, "", 0);
      size_t at = dl > 1 ? dl - 1 : 0; /* the end of the current directory */
      int depth = 0; /* link.c looks 7 directories up at most */
      for (uint32_t a = d; a && depth < 8; a = x->parent[a], depth++) {
        km_put(&x->mods, a, dotted.p ? dotted.p : "", dotted.n, (int)i);
        /* prepend the directory's name */
        size_t s0 = at;
        while (s0 > 0 && p[s0 - 1] != '/') s0--;
        sbuf next = {0};
        sb_put(&next, p + s0, at - s0);
        if (dotted.n) sb_ch(&next, '.');
        sb_put(&next, dotted.p ? dotted.p : "", dotted.n);
        free(dotted.p);
        dotted = next;
        if (s0 == 0) break;
        at = s0 - 1;
      }
    }
  free(dotted.p);
}

static void modindex_free(modindex *x) {
  km_free(&x->dirs);
  km_free(&x->mods);
  free(x->parent);
  free(x->fdir);
}

/* Resolve one import as link.c does: relative, from the package directory
 * (level - 1 up); absolute, from the importing file's directory and up to 7
 * of its parents, the first found winning. -1: not a session file. */
static int resolve(const modindex *x, uint32_t from_dir, int level, const char *mod, size_t ml) {
  uint32_t d = from_dir;
  if (level > 0) {
    for (int i = 1; i < level && d; i++)
      if (x->parent[d]) d = x->parent[d];
    return d ? km_get(&x->mods, d, mod, ml) : -1;
  }
  for (int up = 0; up < 8 && d; up++, d = x->parent[d]) {
    int f = km_get(&x->mods, d, mod, ml);
    if (f >= 0) return f;
  }
  return -1;
}

static bool torchish(const char *mod, size_t ml) {
  return (ml >= 5 && !memcmp(mod, "torch", 5)) || (ml >= 9 && !memcmp(mod, "functorch", 9));
}

/* The files that file i imports. */
static void edges_of(const modindex *x, size_t i, const cl_select_item *it, ivec *out) {
  const char *p = it->scan ? it->scan->imports : NULL;
  uint32_t d = x->fdir[i];
  sbuf sub = {0};
  while (d && p && *p) {
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
      int f = resolve(x, d, level, mod, ml);
      if (f >= 0) iv_push(out, (uint32_t)f);
      /* from pkg import submodule */
      for (const char *q = names; q < eol;) {
        const char *comma = memchr(q, ',', (size_t)(eol - q));
        const char *ne = comma ? comma : eol;
        sub.n = 0;
        if (ml) {
          sb_put(&sub, mod, ml);
          sb_ch(&sub, '.');
        }
        sb_put(&sub, q, (size_t)(ne - q));
        int g = resolve(x, d, level, sub.p, sub.n);
        if (g >= 0) iv_push(out, (uint32_t)g);
        q = ne + 1;
      }
    }
    p = eol + 1;
  }
  free(sub.p);
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
  modindex x = {0};
  index_files(&x, it, n);

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
  for (size_t i = 0; i < n; i++) {
    edges_of(&x, i, &it[i], &fwd[i]);
    for (size_t k = 0; k < fwd[i].n; k++) iv_push(&rev[fwd[i].v[k]], (uint32_t)i);
  }
  modindex_free(&x);

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
}
