/*
 * cxx_lex.c — the little C++ lexing the C++ stage does without libclang:
 * comments (so that `// condlint: ignore[CL301]` and `// expect:` work as
 * `#` comments do in Python, through the same cl_comment list), and the
 * arguments of a TORCH_LIBRARY* macro invocation at a known offset. It knows
 * strings, character literals, digit separators and raw strings well enough
 * not to take a comment marker inside a string or a raw string for a comment.
 */
#include <ctype.h>
#include <string.h>

#include "cxx.h"

static bool ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

cl_span cl_cxx_span(const cl_file *f, uint32_t start, uint32_t end) {
  (void)f;
  cl_span sp = {start, end};
  if (end < start) sp.end = start;
  return sp;
}

/* Is s[i] (a quote) preceded by a literal prefix (u8, u, U, L, and R for raw)?
 * Returns the prefix's start, or i when there is none. */
static size_t prefix_start(const char *s, size_t i, bool *raw) {
  size_t j = i;
  while (j > 0 && ident_char(s[j - 1])) j--;
  size_t n = i - j;
  const char *p = s + j;
  *raw = n > 0 && p[n - 1] == 'R';
  size_t core = *raw ? n - 1 : n;
  if (core == 0 || (core == 1 && (p[0] == 'u' || p[0] == 'U' || p[0] == 'L')) ||
      (core == 2 && p[0] == 'u' && p[1] == '8'))
    return j;
  *raw = false;
  return i; /* an identifier that ends next to the quote: no prefix */
}

void cl_cxx_lex_comments(cl_file *f, cl_comment **out, uint32_t *nout) {
  const char *s = f->bytes;
  size_t n = f->len;
  cl_vec v = {0};
  for (size_t i = 0; i < n;) {
    char c = s[i];
    if (c == '/' && i + 1 < n && (s[i + 1] == '/' || s[i + 1] == '*')) {
      bool line = s[i + 1] == '/';
      size_t start = i, tstart = i + 2, tend, end;
      if (line) {
        size_t j = tstart;
        for (; j < n && s[j] != '\n'; j++)
          if (s[j] == '\\' && j + 1 < n && s[j + 1] == '\n') j++; /* continued */
        tend = end = j;
        while (tend > tstart && s[tend - 1] == '\r') tend--;
      } else {
        size_t j = tstart;
        while (j + 1 < n && !(s[j] == '*' && s[j + 1] == '/')) j++;
        bool closed = j + 1 < n;
        tend = closed ? j : n;
        end = closed ? j + 2 : n;
      }
      cl_comment *cm = cl_arena_alloc(f->arena, sizeof *cm);
      cm->span = cl_cxx_span(f, (uint32_t)start, (uint32_t)end);
      cm->text = cl_arena_strndup(f->arena, s + tstart, tend - tstart);
      cl_vec_push(&v, cm);
      i = end;
      continue;
    }
    if (c == '"') {
      bool raw;
      prefix_start(s, i, &raw);
      if (raw) {
        /* R"delim( ... )delim" */
        size_t d = i + 1;
        while (d < n && s[d] != '(' && d - i <= 17 && s[d] != '\n') d++;
        if (d < n && s[d] == '(') {
          size_t dl = d - i - 1;
          size_t j = d + 1;
          for (; j < n; j++)
            if (s[j] == ')' && j + 1 + dl < n && !memcmp(s + j + 1, s + i + 1, dl) && s[j + 1 + dl] == '"')
              break;
          i = j < n ? j + dl + 2 : n;
          continue;
        }
      }
      size_t j = i + 1;
      for (; j < n && s[j] != '"' && s[j] != '\n'; j++)
        if (s[j] == '\\' && j + 1 < n) j++;
      i = j < n ? j + 1 : n;
      continue;
    }
    if (c == '\'') {
      bool raw;
      size_t p = prefix_start(s, i, &raw);
      if (p == i && i > 0 && ident_char(s[i - 1])) { /* 1'000'000: a digit separator */
        i++;
        continue;
      }
      size_t j = i + 1;
      for (; j < n && s[j] != '\'' && s[j] != '\n'; j++)
        if (s[j] == '\\' && j + 1 < n) j++;
      i = j < n ? j + 1 : n;
      continue;
    }
    i++;
  }
  *nout = (uint32_t)v.n;
  *out = cl_arena_alloc(f->arena, (v.n ? v.n : 1) * sizeof(cl_comment));
  for (size_t k = 0; k < v.n; k++) (*out)[k] = *(cl_comment *)v.v[k];
  cl_vec_free(&v);
}

/* Skip blanks and comments. */
static size_t skip_blank(const char *s, size_t len, size_t i) {
  for (;;) {
    while (i < len && isspace((unsigned char)s[i])) i++;
    if (i + 1 < len && s[i] == '/' && s[i + 1] == '/') {
      while (i < len && s[i] != '\n') i++;
    } else if (i + 1 < len && s[i] == '/' && s[i + 1] == '*') {
      i += 2;
      while (i + 1 < len && !(s[i] == '*' && s[i + 1] == '/')) i++;
      i = i + 2 <= len ? i + 2 : len;
    } else if (i + 1 < len && s[i] == '\\' && s[i + 1] == '\n') {
      i += 2;
    } else {
      return i;
    }
  }
}

static size_t ident(const char *s, size_t len, size_t i) {
  if (i >= len || !(isalpha((unsigned char)s[i]) || s[i] == '_')) return i;
  while (i < len && ident_char(s[i])) i++;
  return i;
}

bool cl_cxx_macro_at(cl_arena *a, const char *s, size_t len, size_t off, const char **kind,
                     const char **ns, const char **key) {
  size_t e = ident(s, len, off);
  if (e == off) return false;
  size_t l = e - off;
  const char *k = NULL;
  if (l == 13 && !memcmp(s + off, "TORCH_LIBRARY", 13)) k = "TORCH_LIBRARY";
  else if (l == 22 && !memcmp(s + off, "TORCH_LIBRARY_FRAGMENT", 22)) k = "TORCH_LIBRARY_FRAGMENT";
  else if (l == 18 && !memcmp(s + off, "TORCH_LIBRARY_IMPL", 18)) k = "TORCH_LIBRARY_IMPL";
  if (!k) return false;
  size_t i = skip_blank(s, len, e);
  if (i >= len || s[i] != '(') return false;
  const char *parts[3] = {NULL, NULL, NULL};
  int np = 0;
  for (;;) {
    i = skip_blank(s, len, i + 1);
    size_t b = i;
    i = ident(s, len, i);
    if (i == b || np == 3) return false;
    parts[np++] = cl_arena_strndup(a, s + b, i - b);
    i = skip_blank(s, len, i);
    if (i >= len) return false;
    if (s[i] == ')') break;
    if (s[i] != ',') return false;
  }
  bool impl = k[13] == '_' && k[14] == 'I';
  if (np != (impl ? 3 : 2)) return false;
  *kind = k;
  *ns = parts[0];
  *key = impl ? parts[1] : "";
  return true;
}
