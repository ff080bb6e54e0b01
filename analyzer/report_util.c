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

char *cl_utf8_clean(const char *s) { return cl_utf8_clean_n(s, strlen(s)); }

char *cl_report_path(const char *path) { return cl_path_from_cwd(path); }

char *cl_path_uri(const char *path) {
  char *rel = cl_path_from_cwd(path);
  char *out = cl_uri_from_path(rel[0] == '/' ? "file://" : "", rel);
  free(rel);
  return out;
}
