/*
 * parse_lazy.c — where a file's function bodies are, without a parser.
 *
 * A file parsed only because a file that can hold a finding imports it (the
 * link tier, and the files link.c loads on demand) runs its module body when
 * imported; its functions run only when the analysis calls them, and most
 * never are (torch 2.11: 1.5 of its link files' 6.3 MB of function bodies
 * are called). parse.c parses such a file as a *skeleton*: each function
 * body that is not itself inside a function is blanked to `(...)` across its
 * lines, starting and ending where the body did (same length, newlines
 * kept, so every offset and every span outside the bodies stays: the IR is
 * the whole parse's, t/unit/unit_lazy.c checks it), and the body is parsed when
 * the function is first called (cl_parse_body, with tree-sitter's included
 * ranges). This file finds those bodies: a scan of the logical lines
 * (strings, brackets, comments and backslash continuations), which gives up
 * on whatever it does not follow (a tab in an indentation, a carriage
 * return, an unterminated string, unbalanced brackets, a dedent to no open
 * block's indentation): the file is then parsed whole, as is a file whose
 * skeleton does not parse cleanly or does not match what was found.
 */
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* The end of the string literal whose opening quote is at s[q], or
 * SIZE_MAX when it is not terminated where Python would end it. A
 * backslash escapes the next byte in every kind of string, raw ones too,
 * as far as where the literal ends is concerned. */
static size_t skip_string(const char *s, size_t len, size_t q) {
  char qc = s[q];
  bool triple = q + 2 < len && s[q + 1] == qc && s[q + 2] == qc;
  q += triple ? 3 : 1;
  while (q < len) {
    char c = s[q];
    if (c == '\\') {
      q += 2;
      continue;
    }
    if (c == qc) {
      if (!triple) return q + 1;
      if (q + 2 < len && s[q + 1] == qc && s[q + 2] == qc) return q + 3;
    } else if (c == '\n' && !triple) {
      return SIZE_MAX;
    }
    q++;
  }
  return SIZE_MAX;
}

static bool word_at(const char *s, size_t left, const char *w) {
  size_t n = strlen(w);
  return left > n && !memcmp(s, w, n) && (s[n] == ' ' || s[n] == '\t');
}

/* Does the logical line at s start a function definition? */
static bool starts_def(const char *s, size_t left) {
  if (word_at(s, left, "def")) return true;
  if (!word_at(s, left, "async")) return false;
  size_t i = 5;
  while (i < left && (s[i] == ' ' || s[i] == '\t')) i++;
  return word_at(s + i, left - i, "def");
}

/* Can the body [a, b) be blanked? It becomes `(`, spaces and newlines, and
 * `...)`: one statement where the body's first statement starts (so the
 * block is indented as it was) that ends where the body ended (so the def's
 * span, those of what holds it, and the comments the block takes after it
 * are the same). Its last four bytes must lie on one line. */
static bool blankable(const char *s, size_t a, size_t b, uint32_t min_len) {
  return b - a >= min_len && b - a >= 5 && !memchr(s + b - 4, '\n', 4);
}

typedef struct {
  cl_lazy_body *v;
  size_t n, cap;
} bodies;

static void push(bodies *b, const char *s, size_t start, size_t end, uint32_t min_len) {
  if (!blankable(s, start, end, min_len)) return;
  if (b->n == b->cap) b->v = cl_xrealloc(b->v, (b->cap = b->cap ? b->cap * 2 : 64) * sizeof *b->v);
  b->v[b->n++] = (cl_lazy_body){(uint32_t)start, (uint32_t)end};
}

/* Where a body ends is where tree-sitter ends it: after its last logical
 * line, and after the comment lines that follow it while they are indented
 * at least as far as the body (tree-sitter-python's scanner keeps such a
 * comment in the innermost block it is not less indented than). A file with
 * a carriage return is left whole: whether a comment's node takes it is not
 * worth the doubt. */
size_t cl_lazy_find_bodies(const char *s, size_t len, uint32_t min_len, cl_lazy_body **out) {
  bodies b = {0};
  long pending = -1; /* the indentation of a def whose header ended the line with ':' */
  bool open = false; /* inside a body being collected */
  size_t open_indent = 0, body_indent = 0, body_start = 0, last_end = 0;
  size_t trail_end = 0; /* the comments after the last logical line that the body keeps */
  bool trailing = false; /* ... and more may follow */
  /* the indentations of the open blocks, as CPython's tokenizer keeps them:
   * a dedent to one that is not there is an error tree-sitter may take
   * without complaint, reading the blocks differently than this scan would */
  size_t indents[256] = {0};
  int depth_ind = 0;
  size_t i = 0;
  *out = NULL;
  if (memchr(s, '\r', len)) return 0;
  while (i < len) {
    /* a physical line that starts a logical line */
    size_t p = i, ind = 0;
    while (p < len && s[p] == ' ') p++, ind++;
    size_t w = p;
    while (w < len && (s[w] == ' ' || s[w] == '\t' || s[w] == '\f')) w++;
    if (w >= len) break;
    if (s[w] == '\n' || s[w] == '#') { /* blank, or a comment only */
      const char *nl = memchr(s + w, '\n', len - w);
      size_t eol = nl ? (size_t)(nl - s) : len;
      if (open && s[w] == '#' && trailing) {
        if (w != p) goto give_up; /* a tab or form feed before a comment */
        if (ind >= body_indent) trail_end = eol;
        else trailing = false;
      }
      i = nl ? eol + 1 : len;
      continue;
    }
    if (w != p) goto give_up; /* a tab or form feed in an indentation */
    if (ind > indents[depth_ind]) {
      if (depth_ind == 255) goto give_up;
      indents[++depth_ind] = ind;
    } else {
      while (depth_ind > 0 && ind < indents[depth_ind]) depth_ind--;
      if (ind != indents[depth_ind]) goto give_up; /* an inconsistent dedent */
    }
    if (open && ind <= open_indent) {
      push(&b, s, body_start, trail_end > last_end ? trail_end : last_end, min_len);
      open = false;
    }
    if (pending >= 0) {
      if (!open && ind > (size_t)pending) {
        open = true;
        open_indent = (size_t)pending;
        body_indent = ind;
        body_start = p;
      }
      pending = -1;
    }
    bool is_def = !open && starts_def(s + p, len - p);
    int depth = 0;
    char last = 0; /* the last byte of code on the logical line */
    size_t q = p, tok_end = p; /* where its last token (a comment's too) ends */
    while (q < len) {
      char c = s[q];
      if (c == '\n') {
        if (depth == 0) break;
        q++;
      } else if (c == '#') {
        const char *nl = memchr(s + q, '\n', len - q);
        q = tok_end = nl ? (size_t)(nl - s) : len;
      } else if (c == '\\') {
        q += 2;
      } else if (c == '\'' || c == '"') {
        q = tok_end = skip_string(s, len, q);
        if (q == SIZE_MAX) goto give_up;
        last = c;
      } else {
        if (c == '(' || c == '[' || c == '{') depth++;
        else if ((c == ')' || c == ']' || c == '}') && --depth < 0) goto give_up;
        if (c != ' ' && c != '\t' && c != '\f') last = c, tok_end = q + 1;
        q++;
      }
    }
    if (depth != 0 || q > len) goto give_up;
    last_end = tok_end;
    trail_end = 0;
    trailing = true;
    if (is_def && last == ':') pending = (long)ind;
    i = q < len ? q + 1 : len;
  }
  if (open) push(&b, s, body_start, trail_end > last_end ? trail_end : last_end, min_len);
  *out = b.v;
  return b.n;
give_up:
  free(b.v);
  return 0;
}

char *cl_lazy_skeleton(const char *src, size_t len, const cl_lazy_body *v, size_t n) {
  char *copy = cl_xmalloc(len + 1);
  memcpy(copy, src, len);
  copy[len] = 0;
  for (size_t k = 0; k < n; k++) {
    for (uint32_t i = v[k].start; i < v[k].end; i++)
      if (copy[i] != '\n') copy[i] = ' ';
    copy[v[k].start] = '(';
    memcpy(copy + v[k].end - 4, "...)", 4);
  }
  return copy;
}
