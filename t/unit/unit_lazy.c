/* unit_lazy.c — skeletons (analyzer/parse_lazy.c, parse.c): where the scan
 * finds function bodies, what it gives up on, and that a skeleton whose
 * bodies are all parsed on call is the IR of the whole parse: every file of
 * t/corpus, t/fixtures and examples (and of the directories named in
 * CONDLINT_LAZY_DIRS, a colon-separated list, for a larger tree), encoded
 * without its comments, is the same bytes both ways. Run from the top of the
 * source tree. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "skeleton_check.h"
#include "slurp.h"
#include "internal.h"
#include "parse.h"
#include "serialize.h"

/* The bodies found in src, as "start-end" pairs of the texts they cover:
 * the first and last three bytes of each, to keep the expectations short. */
static char *bodies_of(const char *src, uint32_t min_len) {
  cl_lazy_body *v;
  size_t n = cl_lazy_find_bodies(src, strlen(src), min_len, &v);
  cl_buf b = {0};
  for (size_t i = 0; i < n; i++) {
    char part[64];
    snprintf(part, sizeof part, "%s[%.3s..%.3s]", i ? " " : "", src + v[i].start,
             src + v[i].end - 3);
    cl_buf_put(&b, part, strlen(part));
  }
  cl_buf_put(&b, "", 1);
  free(v);
  return (char *)b.p;
}

static void expect_bodies(const char *src, const char *want, const char *what) {
  char *got = bodies_of(src, 5);
  is_str(got, want, "%s", what);
  free(got);
}

static void test_scan(void) {
  expect_bodies("def f(x):\n    y = x\n    return y\n", "[y =..n y]", "a function's body, to its last line");
  expect_bodies("class A:\n    def f(self):\n        aaaaa\n    def g(self):\n        bbbbb\nz = 1\n",
                "[aaa..aaa] [bbb..bbb]", "each method's body, not the class's");
  expect_bodies("def f():\n    def g():\n        inner\n    return g\n", "[def..n g]",
                "a nested function is inside its outer body");
  expect_bodies("def f(): return 1\ndef g():  # why\n    two_x\n", "[two..o_x]",
                "a body on the def's line is left; a comment after the colon is not code");
  expect_bodies("@deco(1)\ndef f(a,\n      b) -> int:\n    body_x\n", "[bod..y_x]",
                "decorators and a header over several lines stay outside");
  expect_bodies("async def f():\n    await x\n", "[awa..t x]", "async def");
  expect_bodies("def f():\n    s = '''\nat column 0\n'''\n    tail\nafter = 1\n",
                "[s =..ail]", "a triple-quoted string's lines at column 0 stay inside");
  expect_bodies("def f():\n    g(1,\n2)\n    h(\\\n)\n    tail\nx = 1\n", "[g(1..ail]",
                "bracket and backslash continuations at column 0 stay inside");
  expect_bodies("def f():\n    one\n# a comment at column 0\n    two\n", "[one..two]",
                "a comment line at column 0 does not end a body");
  expect_bodies("def f():\r\n    crlf_x\r\n", "", "CRLF lines: left whole");
  expect_bodies("def f():\n    for x in y:\n        body\n        # in the for\n    # in f\n  # not in f\n    # nor this\nz = 1\n",
                "[for..n f]", "the comments after a body that tree-sitter keeps in it");
  expect_bodies("def f():\n    last_x", "[las..t_x]", "a body that ends the file without a newline");
  expect_bodies("def f():\n    last_x   \nz = 1\n", "[las..t_x]", "without the spaces that end its last line");
  expect_bodies("def f():\n    last_x # c  \nz = 1\n", "[las..c  ]", "with a comment that ends its last line");
  expect_bodies("def f():\n    s = '''\nx\n'''\n", "",
                "a body whose last line is shorter than `...)` is left to the whole parse");
  expect_bodies("if X:\n    def f():\n        body_x\nelse:\n    f = None\n", "[bod..y_x]",
                "a def under an if at module level");
  expect_bodies("def f():\n  s = \"'\" # '\n  t = '\\''\n", "[s =..\\'']",
                "quotes inside strings and comments");
  expect_bodies("def f():\n\tbody\n", "", "a tab in an indentation: gives up");
  expect_bodies("def f():\n    s = 'open\nx = 1\n", "", "an unterminated string: gives up");
  expect_bodies("def f():\n    g(\n", "", "an unclosed bracket: gives up");
  expect_bodies("def f():\n    g())\n", "", "an unbalanced bracket: gives up");
  expect_bodies("class A:\n        def f(self):\n            body_x\n    def g(self):\n        body_y\n", "",
                "a dedent to an indentation no block has (CPython's IndentationError): gives up");
  expect_bodies("def f():\nbody\n", "", "a def without an indented body: none");
  char *got = bodies_of("def f():\n    short\ndef g():\n    a_much_longer_body_than_that\n", 20);
  is_str(got, "[a_m..hat]", "bodies shorter than the minimum are left to the whole parse");
  free(got);

  const char *src = "def f():\n    a = 1\n    b = 2\nx = f()\n";
  cl_lazy_body *v;
  size_t n = cl_lazy_find_bodies(src, strlen(src), 3, &v);
  char *sk = n ? cl_lazy_skeleton(src, strlen(src), v, n) : NULL;
  is_str(sk ? sk : "", "def f():\n    (    \n     ...)\nx = f()\n",
         "the skeleton: `(...)` over the body, the same length, the newlines kept");
  free(sk);
  free(v);
}

/* ---- a skeleton, its bodies parsed on call, is the whole parse ---- */

static size_t nlazy, files, differ, skipped, with_bodies;

static void compare_file(const char *path) {
  size_t len;
  char *src = slurp(path, &len);
  if (!src) return;
  size_t before = nlazy;
  skeleton_verdict v = skeleton_check(path, src, len, &nlazy);
  free(src);
  if (v == SKELETON_BROKEN) { /* broken files are parsed whole */
    skipped++;
    return;
  }
  files++;
  with_bodies += nlazy > before;
  if (v == SKELETON_DIFFERENT) {
    differ++;
    diag("%s: the skeleton's IR is not the whole parse's", path);
  }
}

static void compare_tree(const char *dir, int depth) {
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char *path = cl_xasprintf("%s/%s", dir, e->d_name);
    size_t l = strlen(e->d_name);
    if (l > 3 && !strcmp(e->d_name + l - 3, ".py")) compare_file(path);
    else if (depth < 12) compare_tree(path, depth + 1);
    free(path);
  }
  closedir(d);
}

int main(void) {
  test_scan();
  compare_tree("t/corpus", 0);
  compare_tree("t/fixtures", 0);
  compare_tree("examples", 0);
  const char *more = getenv("CONDLINT_LAZY_DIRS");
  if (more && *more) {
    char *list = cl_xstrdup(more);
    for (char *save = NULL, *dir = strtok_r(list, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
      compare_tree(dir, 0);
    free(list);
  }
  diag("%zu files compared (%zu with bodies left to a call, %zu function bodies), %zu broken ones parsed whole",
       files, with_bodies, nlazy, skipped);
  ok(files > 100 && with_bodies > 20, "the trees hold files with bodies to leave");
  is_int((long long)differ, 0, "every skeleton, its bodies parsed on call, is the whole parse's IR");
  return done_testing();
}
