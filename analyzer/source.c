/* source.c — line index of a source file and byte → (line, column) mapping.
 * Columns count Unicode characters (UTF-8 lead bytes), as editors and Ruff do.
 * Also the text helpers every part shares: UTF-8 validation and cleaning,
 * file URIs. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void cl_file_index_lines(cl_file *f) {
  size_t n = 1;
  for (size_t i = 0; i < f->len; i++)
    if (f->bytes[i] == '\n') n++;
  f->line_starts = cl_xmalloc(n * sizeof(uint32_t));
  f->nlines = 0;
  f->line_starts[f->nlines++] = 0;
  for (size_t i = 0; i < f->len; i++)
    if (f->bytes[i] == '\n') f->line_starts[f->nlines++] = (uint32_t)(i + 1);
}

static size_t line_of(const cl_file *f, uint32_t byte) {
  size_t lo = 0, hi = f->nlines;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (f->line_starts[mid] <= byte) lo = mid;
    else hi = mid;
  }
  return lo;
}

uint32_t cl_file_row(const cl_file *f, uint32_t byte) {
  if (byte > f->len) byte = (uint32_t)f->len;
  return (uint32_t)line_of(f, byte);
}

void cl_file_position(const cl_file *f, uint32_t byte, unsigned *line, unsigned *col) {
  if (byte > f->len) byte = (uint32_t)f->len;
  size_t l = line_of(f, byte);
  unsigned c = 1;
  for (uint32_t i = f->line_starts[l]; i < byte; i++)
    if (((unsigned char)f->bytes[i] & 0xC0) != 0x80) c++;
  *line = (unsigned)l + 1;
  *col = c;
}

const char *cl_file_line(const cl_file *f, unsigned line, size_t *len) {
  if (line == 0 || line > f->nlines) {
    *len = 0;
    return "";
  }
  uint32_t s = f->line_starts[line - 1];
  uint32_t e = line < f->nlines ? f->line_starts[line] : (uint32_t)f->len;
  while (e > s && (f->bytes[e - 1] == '\n' || f->bytes[e - 1] == '\r')) e--;
  *len = e - s;
  return f->bytes + s;
}

size_t cl_utf8_seq(const unsigned char *p, size_t left) {
  unsigned char b = p[0];
  if (b < 0x80) return 1;
  size_t n;
  uint32_t cp;
  if ((b & 0xE0) == 0xC0) n = 2, cp = b & 0x1F;
  else if ((b & 0xF0) == 0xE0) n = 3, cp = b & 0x0F;
  else if ((b & 0xF8) == 0xF0) n = 4, cp = b & 0x07;
  else return 0;
  if (left < n) return 0;
  for (size_t i = 1; i < n; i++) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
      cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

char *cl_utf8_clean_n(const char *s, size_t len) {
  char *out = cl_xmalloc(len * 3 + 1);
  size_t o = 0;
  for (size_t i = 0; i < len;) {
    size_t n = cl_utf8_seq((const unsigned char *)s + i, len - i);
    if (n) {
      memcpy(out + o, s + i, n);
      o += n;
      i += n;
    } else {
      memcpy(out + o, "\xEF\xBF\xBD", 3);
      o += 3;
      i++;
    }
  }
  out[o] = 0;
  return out;
}

char *cl_uri_from_path(const char *prefix, const char *path) {
  static const char hex[] = "0123456789ABCDEF";
  size_t pl = strlen(prefix);
  char *out = cl_xmalloc(pl + 3 * strlen(path) + 1);
  memcpy(out, prefix, pl);
  size_t o = pl;
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    unsigned char c = *p;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~' || c == '/') {
      out[o++] = (char)c;
    } else {
      out[o++] = '%';
      out[o++] = hex[c >> 4];
      out[o++] = hex[c & 15];
    }
  }
  out[o] = 0;
  return out;
}
