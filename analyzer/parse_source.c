/*
 * parse_source.c — the parser's copy of a source file: what tree-sitter is
 * given instead of the bytes where the bytes would mislead or crash it
 * (invalid UTF-8, comment floods, a grammar gap). Every rewrite keeps the
 * offsets, so spans, findings and edits are the file's own.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* Report invalid UTF-8 and return a copy for the parser in which each bad byte
 * is a space, so that offsets stay the same and the rest of the file parses. */
char *cl_parse_check_utf8(condlint_session *s, cl_file *f) {
  char *copy = NULL;
  int reported = 0;
  const unsigned char *p = (const unsigned char *)f->bytes;
  for (size_t i = 0; i < f->len;) {
    if (p[i] < 0x80) { /* ASCII, eight bytes at a time where it can (per keystroke) */
      uint64_t w;
      while (i + 8 <= f->len && (memcpy(&w, p + i, 8), !(w & 0x8080808080808080u))) i += 8;
      while (i < f->len && p[i] < 0x80) i++;
      continue;
    }
    size_t n = cl_utf8_seq(p + i, f->len - i);
    if (n) {
      i += n;
      continue;
    }
    size_t j = i;
    while (j < f->len && !cl_utf8_seq(p + j, f->len - j)) j++;
    if (!copy) copy = cl_xstrndup(f->bytes, f->len);
    memset(copy + i, ' ', j - i);
    if (reported++ < 20) {
      cl_span sp = {(uint32_t)i, (uint32_t)j};
      cl_emit(s, "CL903", f, sp,
              "invalid UTF-8: these bytes are read as spaces; findings here may be missing",
              NULL);
    }
    i = j;
  }
  return copy;
}

/* Debian's libtree-sitter 0.20.7 corrupts its heap when one node gets 65536
 * children or more (tree-sitter issue #2134, fixed in 0.20.8). A comment is a
 * child of the node being built where it stands, so a few ten thousand
 * comment lines in a row crash the parser. In a run that long, the parser's
 * copy gets its comment lines blanked (offsets stay the same); the comments
 * that mention condlint or noqa are kept, a thousand at most. */
#define COMMENT_RUN_LIMIT 16384

static bool mentions(const char *p, size_t n, const char *word) {
  size_t w = strlen(word);
  for (size_t i = 0; i + w <= n; i++)
    if (!memcmp(p + i, word, w)) return true;
  return false;
}

static void blank_comment_run(char *copy, size_t from, size_t to) {
  int kept = 0;
  for (size_t i = from; i < to;) {
    size_t e = i;
    while (e < to && copy[e] != '\n') e++;
    char *hash = memchr(copy + i, '#', e - i);
    if (hash) {
      size_t hl = (size_t)(copy + e - hash);
      bool keep = kept < 1000 && (mentions(hash, hl, "condlint") || mentions(hash, hl, "noqa"));
      if (keep) kept++;
      else memset(hash, ' ', hl - (hl && hash[hl - 1] == '\r'));
    }
    i = e + 1;
  }
}

char *cl_parse_blank_comment_floods(const cl_file *f, char *copy) {
  if (f->line_starts && f->nlines < COMMENT_RUN_LIMIT) return copy; /* too short for a run */
  const char *src = copy ? copy : f->bytes;
  size_t run_start = 0, run_lines = 0;
  for (size_t i = 0; i <= f->len;) {
    const char *nl = i < f->len ? memchr(src + i, '\n', f->len - i) : NULL;
    size_t e = nl ? (size_t)(nl - src) : f->len;
    size_t k = i;
    while (k < e && (src[k] == ' ' || src[k] == '\t' || src[k] == '\f' || src[k] == '\r')) k++;
    bool comment = k < e && src[k] == '#';
    if (comment && run_lines++ == 0) run_start = i;
    if ((!comment && k < e) || e >= f->len) { /* a token, or the end, ends the run */
      if (run_lines >= COMMENT_RUN_LIMIT) {
        if (!copy) copy = cl_xstrndup(f->bytes, f->len);
        blank_comment_run(copy, run_start, comment ? e : i);
        src = copy;
      }
      run_lines = 0;
    }
    i = e + 1;
  }
  return copy;
}

/* A gap of tree-sitter-python 0.23.6: a starred item that starts with a
 * bracket, in a tuple without parentheses (`return a, *[1]`, `x = a, *(b)`,
 * `h, *r = e, *[]`, valid since Python 3.8), is a syntax error to it; the
 * same item inside (...) or [...] parses. For the parser, such a '*' becomes
 * a space (offsets stay); the lowering stars the item again (restore_star),
 * so the IR is the program's. The '*' is one at bracket depth 0 of its
 * statement, after '=', ',', `return` or `yield` (so not a multiplication),
 * followed by spaces and '[', '(' or '{'; strings and comments are skipped.
 * *stars gets the offsets of the items' first bytes, in order. */
/* Can the token before src[at] be '=', ',', `return` or `yield`, with only
 * blanks and line continuations between (what the scan below needs before a
 * '*' it hides)? Generous: false only when it cannot. */
static bool after_unary(const char *src, size_t at) {
  size_t j = at;
  for (;;) {
    if (j == 0) return false;
    char c = src[j - 1];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\\') {
      j--;
      continue;
    }
    if (c == '\n') { /* only in a continuation: a backslash before it */
      size_t k = j - 1;
      while (k > 0 && src[k - 1] == '\r') k--;
      if (k > 0 && src[k - 1] == '\\') {
        j = k - 1;
        continue;
      }
      return false;
    }
    return c == '=' || c == ',' || (j >= 6 && !memcmp(src + j - 6, "return", 6)) ||
           (j >= 5 && !memcmp(src + j - 5, "yield", 5));
  }
}

char *cl_parse_mask_starred_brackets(const cl_file *f, char *copy, uint32_t **stars, size_t *nstars) {
  const char *src = copy ? copy : f->bytes;
  size_t len = f->len;
  bool any = false; /* a cheap look first: is there a '*' that can be one? */
  for (const char *q = src; (q = memchr(q, '*', len - (size_t)(q - src))) != NULL; q++) {
    const char *r = q + 1;
    if (r < src + len && *r == '*') continue; /* '**' */
    while (r < src + len && (*r == ' ' || *r == '\t')) r++;
    if (r < src + len && (*r == '[' || *r == '(' || *r == '{') && after_unary(src, (size_t)(q - src))) {
      any = true;
      break;
    }
  }
  if (!any) return copy;
  cl_vec found = {0};
  int depth = 0;
  enum { NONE, OPERAND, UNARY } prev = NONE; /* what the last token allows a '*' to be */
  for (size_t i = 0; i < len;) {
    char ch = src[i];
    if (ch == '#') {
      while (i < len && src[i] != '\n') i++;
      continue;
    }
    if (ch == '\'' || ch == '"') {
      bool triple = i + 2 < len && src[i + 1] == ch && src[i + 2] == ch;
      i += triple ? 3 : 1;
      while (i < len) {
        if (src[i] == '\\') {
          i += 2;
          continue;
        }
        if (!triple && src[i] == '\n') break; /* unterminated: the parser says so */
        if (src[i] == ch && (!triple || (i + 2 < len && src[i + 1] == ch && src[i + 2] == ch))) {
          i += triple ? 3 : 1;
          break;
        }
        i++;
      }
      prev = OPERAND;
      continue;
    }
    if (ch == '\\' && i + 1 < len && (src[i + 1] == '\n' || src[i + 1] == '\r')) { /* a continuation */
      i += src[i + 1] == '\r' && i + 2 < len && src[i + 2] == '\n' ? 3 : 2;
      continue;
    }
    if (ch == '_' || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') || (ch >= '0' && ch <= '9') ||
        (unsigned char)ch >= 0x80) {
      size_t w = i;
      while (i < len && (src[i] == '_' || ((src[i] | 0x20) >= 'a' && (src[i] | 0x20) <= 'z') ||
                         (src[i] >= '0' && src[i] <= '9') || (unsigned char)src[i] >= 0x80))
        i++;
      bool kw = (i - w == 6 && !memcmp(src + w, "return", 6)) || (i - w == 5 && !memcmp(src + w, "yield", 5));
      /* a string prefix (r"", f'', b"" ...) is part of the string that follows */
      if (!kw && i < len && (src[i] == '\'' || src[i] == '"') && i - w <= 3) continue;
      prev = kw ? UNARY : OPERAND;
      continue;
    }
    if (ch == '(' || ch == '[' || ch == '{') depth++, prev = NONE;
    else if (ch == ')' || ch == ']' || ch == '}') depth = depth > 0 ? depth - 1 : 0, prev = OPERAND;
    else if (ch == '\n' && depth == 0) prev = NONE;
    else if (ch == '=' || ch == ',') prev = depth == 0 ? UNARY : NONE;
    else if (ch == '*' && depth == 0 && prev == UNARY && (i + 1 >= len || src[i + 1] != '*')) {
      size_t r = i + 1;
      while (r < len && (src[r] == ' ' || src[r] == '\t')) r++;
      if (r < len && (src[r] == '[' || src[r] == '(' || src[r] == '{')) {
        if (!copy) {
          copy = cl_xstrndup(f->bytes, len);
          src = copy;
        }
        copy[i] = ' ';
        cl_vec_push(&found, (void *)(uintptr_t)r);
      }
      prev = NONE;
    } else if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n') prev = NONE;
    i++;
  }
  if (found.n) {
    *stars = cl_xmalloc(found.n * sizeof **stars);
    for (size_t k = 0; k < found.n; k++) (*stars)[k] = (uint32_t)(uintptr_t)found.v[k];
    *nstars = found.n;
  }
  cl_vec_free(&found);
  return copy;
}
