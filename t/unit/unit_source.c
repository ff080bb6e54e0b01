/* unit_source.c — the line index and byte → (line, column) mapping of
 * analyzer/source.c. Columns are 1-based and count characters, not bytes. */
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "internal.h"

static cl_file file_of(const char *text) {
  cl_file f = {0};
  f.bytes = (char *)text;
  f.len = strlen(text);
  cl_file_index_lines(&f);
  return f;
}

#define POS_IS(f, byte, want_line, want_col, what)                                   \
  do {                                                                               \
    unsigned l_ = 0, c_ = 0;                                                         \
    cl_file_position(&(f), (byte), &l_, &c_);                                        \
    ok(l_ == (want_line) && c_ == (want_col), "%s: byte %u is %u:%u", what,          \
       (unsigned)(byte), (unsigned)(want_line), (unsigned)(want_col));               \
    if (l_ != (want_line) || c_ != (want_col)) diag("got %u:%u", l_, c_);            \
  } while (0)

int main(void) {
  /* line 1: "import torch", line 2: "" , line 3: "x = 1" (no final newline) */
  cl_file f = file_of("import torch\n\nx = 1");
  is_int(f.nlines, 3, "three lines, the last without a newline");
  POS_IS(f, 0, 1, 1, "start of file");
  POS_IS(f, 7, 1, 8, "inside the first line");
  POS_IS(f, 12, 1, 13, "the newline itself ends line 1");
  POS_IS(f, 13, 2, 1, "an empty line");
  POS_IS(f, 14, 3, 1, "start of the last line");
  POS_IS(f, 18, 3, 5, "last byte");
  POS_IS(f, 19, 3, 6, "end of file");
  POS_IS(f, 1000, 3, 6, "an offset past the end is clamped to the end");
  size_t len;
  const char *t = cl_file_line(&f, 1, &len);
  ok(len == 12 && !strncmp(t, "import torch", len), "cl_file_line gives line 1 without newline");
  t = cl_file_line(&f, 2, &len);
  is_int(len, 0, "cl_file_line of an empty line has length 0");
  t = cl_file_line(&f, 3, &len);
  ok(len == 5 && !strncmp(t, "x = 1", len), "cl_file_line gives the last line");
  cl_file_line(&f, 0, &len);
  is_int(len, 0, "line 0 is out of range: empty");
  cl_file_line(&f, 4, &len);
  is_int(len, 0, "a line past the end is empty");
  free(f.line_starts);

  /* UTF-8: é is 2 bytes, 日 is 3 bytes, 🔥 is 4 bytes; each is one column. */
  cl_file u = file_of("s = \"\xc3\xa9\xe6\x97\xa5\xf0\x9f\x94\xa5\"; torch.cond(p)\n");
  /* bytes: s(0) ' '(1) =(2) ' '(3) "(4) é(5,6) 日(7..9) 🔥(10..13) "(14) ;(15) ' '(16) t(17) */
  POS_IS(u, 5, 1, 6, "a two-byte character starts at column 6");
  POS_IS(u, 7, 1, 7, "after é, one column further although two bytes further");
  POS_IS(u, 10, 1, 8, "after a three-byte character, one column further");
  POS_IS(u, 14, 1, 9, "after a four-byte character, one column further");
  POS_IS(u, 17, 1, 12, "torch.cond after multi-byte characters is at column 12");
  free(u.line_starts);

  /* CRLF: the \r is not part of the line's text. */
  cl_file w = file_of("a = 1\r\nb = 2\r\n");
  is_int(w.nlines, 3, "CRLF lines are counted by their \\n");
  t = cl_file_line(&w, 2, &len);
  ok(len == 5 && !strncmp(t, "b = 2", len), "cl_file_line strips \\r\\n");
  POS_IS(w, 7, 2, 1, "the byte after \\r\\n starts line 2");
  free(w.line_starts);

  cl_file e = file_of("");
  is_int(e.nlines, 1, "an empty file has one (empty) line");
  POS_IS(e, 0, 1, 1, "offset 0 of an empty file");
  free(e.line_starts);
  return done_testing();
}
