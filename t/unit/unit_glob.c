/* unit_glob.c — the .gitignore glob of analyzer/discover.c: '*' and '?' stay
 * within one path component, '[...]' classes and ranges, '**' crosses
 * directories but only at component boundaries (gitignore(5)). */
#include <stdbool.h>

#include "../tap.h"
#include "internal.h"

bool cl_glob_match(const char *pattern, const char *path); /* analyzer/discover.c */

#define MATCH(p, s) ok(cl_glob_match(p, s), "'%s' matches '%s'", p, s)
#define NO_MATCH(p, s) ok(!cl_glob_match(p, s), "'%s' does not match '%s'", p, s)

int main(void) {
  MATCH("ops.py", "ops.py");
  NO_MATCH("ops.py", "ops.pyc");
  NO_MATCH("ops.py", "ops.p");

  MATCH("*.py", "ops.py");
  MATCH("*.py", ".py");
  NO_MATCH("*.py", "pkg/ops.py");
  MATCH("gen_*.py", "gen_kernels.py");
  NO_MATCH("gen_*.py", "kernels.py");
  MATCH("*", "anything");
  NO_MATCH("*", "a/b");

  MATCH("?.py", "a.py");
  NO_MATCH("?.py", "ab.py");
  NO_MATCH("a?b", "a/b");

  MATCH("[a-c].py", "b.py");
  NO_MATCH("[a-c].py", "d.py");
  MATCH("[xyz]_op.py", "y_op.py");
  MATCH("[!a].py", "b.py");
  NO_MATCH("[!a].py", "a.py");
  MATCH("v[0-9][0-9].py", "v42.py");
  NO_MATCH("v[0-9].py", "vx.py");
  MATCH("\\*.py", "*.py");
  NO_MATCH("\\*.py", "a.py");

  MATCH("pkg/*.py", "pkg/ops.py");
  NO_MATCH("pkg/*.py", "pkg/sub/ops.py");

  MATCH("**/ops.py", "ops.py");
  MATCH("**/ops.py", "pkg/ops.py");
  MATCH("**/ops.py", "a/b/c/ops.py");
  NO_MATCH("**/ops.py", "myops.py");
  NO_MATCH("**/ops.py", "pkg/myops.py");
  MATCH("pkg/**/ops.py", "pkg/ops.py");
  MATCH("pkg/**/ops.py", "pkg/a/b/ops.py");
  NO_MATCH("pkg/**/ops.py", "pkg/myops.py");
  NO_MATCH("pkg/**/ops.py", "other/ops.py");
  MATCH("pkg/**", "pkg/a/b.py");
  NO_MATCH("pkg/**", "pkgx/a.py");
  return done_testing();
}
