/* report_util.c — what the formatters share: severity names, UTF-8 clean-up
 * (JSON and XML want valid UTF-8; paths and source text need not be), and
 * report paths and URIs. */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "report.h"

const char *cl_severity_name(condlint_severity s) {
  return s == CONDLINT_SEVERITY_ERROR ? "error" : s == CONDLINT_SEVERITY_WARNING ? "warning" : "info";
}

/* Length of the valid UTF-8 sequence at p, or 0. */
static size_t utf8_len(const unsigned char *p) {
  unsigned char c = p[0];
  if (c < 0x80) return 1;
  size_t n;
  unsigned long cp;
  if ((c & 0xE0) == 0xC0) n = 2, cp = c & 0x1F;
  else if ((c & 0xF0) == 0xE0) n = 3, cp = c & 0x0F;
  else if ((c & 0xF8) == 0xF0) n = 4, cp = c & 0x07;
  else return 0;
  for (size_t i = 1; i < n; i++) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
      cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

char *cl_utf8_clean(const char *s) {
  size_t len = strlen(s);
  char *out = cl_xmalloc(len * 3 + 1);
  size_t o = 0;
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    size_t n = utf8_len(p);
    if (n) {
      memcpy(out + o, p, n);
      o += n;
      p += n;
    } else {
      memcpy(out + o, "\xEF\xBF\xBD", 3);
      o += 3;
      p++;
    }
  }
  out[o] = 0;
  return out;
}

char *cl_report_path(const char *path) { return cl_path_from_cwd(path); }

char *cl_path_uri(const char *path) {
  char *rel = cl_path_from_cwd(path);
  size_t len = strlen(rel);
  char *out = cl_xmalloc(len * 3 + 8);
  size_t o = 0;
  if (rel[0] == '/') {
    memcpy(out, "file://", 7);
    o = 7;
  }
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)rel; *p; p++) {
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
  free(rel);
  return out;
}
