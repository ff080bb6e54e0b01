/*
 * lsp_text.c — positions for the language server. The protocol counts
 * characters in UTF-16 code units on lines ended by \n, \r\n or \r; the
 * library counts characters as UTF-8 lead bytes on lines ended by \n. Every
 * conversion goes through byte offsets into the document's text. Also file
 * URIs and making strings safe for JSON.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "lsp.h"

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) abort();
  return q;
}

void lsp_lines_build(lsp_lines *l, const char *s, size_t len, bool lsp) {
  size_t cap = l->n > 1024 ? l->n + l->n / 8 : 1024, n = 0;
  uint32_t *v = xrealloc(NULL, cap * sizeof *v);
  v[n++] = 0;
  if (!lsp || !memchr(s, '\r', len)) { /* lines end at \n only: memchr's pace (per keystroke) */
    for (const char *p = s, *e = s + len; (p = memchr(p, '\n', (size_t)(e - p))) != NULL;) {
      p++;
      if (n == cap) v = xrealloc(v, (cap *= 2) * sizeof *v);
      v[n++] = (uint32_t)(p - s);
    }
    free(l->v);
    l->v = v;
    l->n = n;
    return;
  }
  for (size_t i = 0; i < len; i++) {
    bool brk = s[i] == '\n' || (lsp && s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n'));
    if (!brk) continue;
    if (n == cap) v = xrealloc(v, (cap *= 2) * sizeof *v);
    v[n++] = (uint32_t)(i + 1);
  }
  free(l->v);
  l->v = v;
  l->n = n;
}

void lsp_lines_free(lsp_lines *l) {
  free(l->v);
  l->v = NULL;
  l->n = 0;
}

/* Bytes of the character that starts at s[i] (1 for a byte that starts none). */
static size_t char_len(const char *s, size_t len, size_t i) {
  unsigned char b = (unsigned char)s[i];
  size_t k = b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  size_t j = 1;
  while (j < k && i + j < len && ((unsigned char)s[i + j] & 0xC0) == 0x80) j++;
  return j;
}

/* UTF-16 code units of the character that starts at s[i]. */
static int units(const char *s, size_t i) { return (unsigned char)s[i] >= 0xF0 ? 2 : 1; }

/* Where line i's content ends (before its terminator). */
static size_t content_end(const char *s, size_t len, const lsp_lines *l, size_t i) {
  size_t e = i + 1 < l->n ? l->v[i + 1] : len;
  if (i + 1 < l->n) {
    if (e > 0 && s[e - 1] == '\n') e--;
    if (e > 0 && s[e - 1] == '\r' && e > l->v[i]) e--;
  }
  return e;
}

size_t lsp_offset_of(const char *s, size_t len, const lsp_lines *l, int64_t line, int64_t ch) {
  if (line < 0) return 0;
  if ((uint64_t)line >= l->n) return len;
  size_t off = l->v[line], end = content_end(s, len, l, (size_t)line);
  int64_t u = 0;
  while (off < end && u < ch) {
    int w = units(s, off);
    if (u + w > ch) break; /* inside a surrogate pair: the character's start */
    u += w;
    off += char_len(s, len, off);
  }
  return off > end ? end : off;
}

void lsp_position_of(const char *s, size_t len, const lsp_lines *l, size_t off, int64_t *line,
                     int64_t *ch) {
  if (off > len) off = len;
  size_t lo = 0, hi = l->n;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (l->v[mid] <= off) lo = mid;
    else hi = mid;
  }
  int64_t u = 0;
  for (size_t i = l->v[lo]; i < off;) {
    size_t k = char_len(s, len, i);
    if (i + k > off) break;
    u += units(s, i);
    i += k;
  }
  *line = (int64_t)lo;
  *ch = u;
}

size_t lsp_offset_of_column(const char *s, size_t len, const lsp_lines *l, unsigned line,
                            unsigned col) {
  if (line == 0) return 0;
  if (line > l->n) return len;
  size_t off = l->v[line - 1];
  for (unsigned c = 1; c < col && off < len; c++) {
    off++;
    while (off < len && ((unsigned char)s[off] & 0xC0) == 0x80) off++;
  }
  return off;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char *lsp_uri_to_path(const char *uri) {
  if (strncmp(uri, "file://", 7)) return NULL;
  const char *p = uri + 7;
  if (*p != '/') { /* an authority: only localhost names this machine */
    if (strncmp(p, "localhost/", 10)) return NULL;
    p += 9;
  }
  size_t n = strlen(p);
  char *out = xrealloc(NULL, n + 1);
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i] == '?' || p[i] == '#') break;
    if (p[i] == '%') {
      int h = i + 2 < n ? hexval(p[i + 1]) : -1;
      int lo = h >= 0 ? hexval(p[i + 2]) : -1;
      if (h < 0 || lo < 0 || (h == 0 && lo == 0)) {
        free(out);
        return NULL;
      }
      out[o++] = (char)(h * 16 + lo);
      i += 2;
    } else {
      out[o++] = p[i];
    }
  }
  out[o] = 0;
  if (o == 0) {
    free(out);
    return NULL;
  }
  return out;
}

char *lsp_path_to_uri(const char *path) { return cl_uri_from_path("file://", path); }

json_t *lsp_jstr(const char *s) {
  if (!s) s = "";
  size_t n = strlen(s);
  json_t *j = json_stringn(s, n);
  if (j) return j;
  char *c = cl_utf8_clean_n(s, n);
  j = json_string(c);
  free(c);
  return j ? j : json_string("");
}
