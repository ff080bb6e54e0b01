/* source.c — line index of a source file and byte → (line, column) mapping.
 * Columns count Unicode characters (UTF-8 lead bytes), as editors and Ruff do. */
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
