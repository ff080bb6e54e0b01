/* unit_api.c — the public API of include/condlint/condlint.h as a library
 * user sees it: session lifetime, errors, findings and their accessors,
 * rendering, and the rule catalog. Uses nothing from analyzer/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "condlint/condlint.h"

static void test_session(void) {
  condlint_session_free(NULL);
  ok(1, "condlint_session_free(NULL) is a no-op");
  const char *v = condlint_version();
  ok(v && v[0] >= '0' && v[0] <= '9' && strchr(v, '.'), "condlint_version is a dotted number ('%s')", v);

  condlint_session *s = condlint_session_new();
  ok(s != NULL, "condlint_session_new gives a session");
  is_str(condlint_session_error(s), "", "a new session has no error");
  is_int(condlint_session_file_count(s), 0, "a new session has no file");
  is_int(condlint_session_add_path(s, "/nonexistent/condlint/ops.py"), CONDLINT_EIO,
         "add_path of a missing file fails with CONDLINT_EIO");
  ok(strstr(condlint_session_error(s), "/nonexistent/condlint/ops.py") != NULL,
     "the error message names the path");
  is_int(condlint_session_add_source(s, NULL, "x", 1), CONDLINT_EUSAGE,
         "add_source without a path is a usage error");
  is_int(condlint_session_add_source(s, "empty.py", "", 0), 0, "add_source of empty bytes works");
  is_int(condlint_session_analyze(s), 0, "analyze of an empty file succeeds");
  is_int(condlint_session_diag_count(s), 0, "an empty file has no finding");
  ok(condlint_session_diag(s, 0) == NULL, "diag(0) is NULL when there is none");
  is_int(condlint_session_analyze(s), CONDLINT_EUSAGE, "analysing a session twice is a usage error");
  ok(condlint_session_error(s)[0] != 0, "... with a message");
  condlint_session_free(s);
}

static const char BROKEN[] = "import torch\n\ndef f(x:\n    return torch.cond(x, a, b, (x,))\n";

static void test_diags(void) {
  condlint_session *s = condlint_session_new();
  condlint_session_set_jobs(s, 2);
  condlint_session_add_source(s, "pkg/broken.py", BROKEN, strlen(BROKEN));
  is_int(condlint_session_analyze(s), 0, "analyze succeeds on a file with a syntax error");
  is_int(condlint_session_file_count(s), 1, "one file checked");
  is_int(condlint_session_diag_count(s), 1, "one finding");
  const condlint_diag *d = condlint_session_diag(s, 0);
  ok(d != NULL, "diag(0) is the finding");
  if (d) {
    is_str(condlint_diag_code(d), "CL901", "its code is CL901");
    is_str(condlint_diag_name(d), "syntax-error", "its name is syntax-error");
    is_int(condlint_diag_severity(d), CONDLINT_SEVERITY_INFO, "its severity is info");
    ok(strstr(condlint_diag_message(d), "syntax error") != NULL, "its message says syntax error");
    condlint_location l = condlint_diag_location(d);
    is_str(l.path, "pkg/broken.py", "its path is the one given to add_source");
    is_int(l.line, 3, "its line is 3");
    is_int(l.column, 1, "its column is 1");
    ok(l.end_line > l.line || (l.end_line == l.line && l.end_column > l.column),
       "its end is after its start");
    ok(l.message == NULL, "the primary location has no message");
    is_int(condlint_diag_related_count(d), 0, "no related location");
    condlint_location none = condlint_diag_related(d, 5);
    ok(none.path == NULL && none.line == 0, "related(i) out of range is all zero");
    ok(condlint_diag_fix(d) == NULL, "no fix");
  }
  ok(condlint_session_diag(s, 1) == NULL, "diag(count) is NULL");

  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  is_int(condlint_session_render(s, "json", 0, mem), 0, "render json succeeds");
  fclose(mem);
  ok(buf && buf[0] == '[' && strstr(buf, "\"code\": \"CL901\""), "the json is an array holding the finding");
  free(buf);
  mem = open_memstream(&buf, &len);
  is_int(condlint_session_render(s, "text", 0, mem), 0, "render text succeeds");
  fclose(mem);
  ok(buf && !strncmp(buf, "pkg/broken.py:3:1: info: ", 25), "the text starts with path:line:col: info:");
  free(buf);
  mem = open_memstream(&buf, &len);
  is_int(condlint_session_render(s, "xml", 0, mem), CONDLINT_EUSAGE,
         "render of an unknown format is a usage error");
  fclose(mem);
  free(buf);
  condlint_session_free(s);
}

static void test_catalog(void) {
  size_t n = condlint_rule_count();
  ok(n >= 12, "the catalog has the rules of rules.def (%zu)", n);
  int sorted = 1, complete = 1, findable = 1;
  for (size_t i = 0; i < n; i++) {
    const condlint_rule *r = condlint_rule_at(i);
    if (!r) {
      complete = 0;
      continue;
    }
    if (i > 0 && strcmp(condlint_rule_code(condlint_rule_at(i - 1)), condlint_rule_code(r)) >= 0)
      sorted = 0;
    const char *doc = condlint_rule_doc(r);
    if (!condlint_rule_name(r)[0] || !condlint_rule_summary(r)[0] || !strstr(doc, "## What it does") ||
        !strstr(doc, "## Why it matters") || !strstr(doc, "## Example") || !strstr(doc, "## Use instead"))
      complete = 0;
    if (condlint_rule_find(condlint_rule_code(r)) != r || condlint_rule_find(condlint_rule_name(r)) != r)
      findable = 0;
  }
  ok(sorted, "the catalog is sorted by code");
  ok(complete, "every rule has a name, a summary and the four doc sections");
  ok(findable, "every rule is found by its code and by its name");
  ok(condlint_rule_at(n) == NULL, "rule_at(count) is NULL");
  ok(condlint_rule_find("CL999") == NULL, "an unknown code is not found");
  const condlint_rule *r = condlint_rule_find("CL102");
  ok(r != NULL, "CL102 is in the catalog");
  if (r) {
    is_str(condlint_rule_name(r), "cond-predicate-static-metadata", "CL102's name");
    is_int(condlint_rule_severity(r), CONDLINT_SEVERITY_ERROR, "CL102 is an error");
    ok(!strncmp(condlint_rule_doc(r), "# CL102 cond-predicate-static-metadata", 38),
       "CL102's doc starts with its title");
  }
  r = condlint_rule_find("syntax-error");
  ok(r && !strcmp(condlint_rule_code(r), "CL901") && condlint_rule_severity(r) == CONDLINT_SEVERITY_INFO,
     "syntax-error is CL901, severity info");
}

int main(void) {
  test_session();
  test_diags();
  test_catalog();
  return done_testing();
}
