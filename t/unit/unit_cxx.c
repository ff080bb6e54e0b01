/* unit_cxx.c — the C++ stage's pieces that need no CLI: which paths are C++
 * sources, the TORCH_LIBRARY prefilter, the comment lexer (strings, raw
 * strings and digit separators are not comments), TORCH_LIBRARY* macro
 * arguments, and condlint_session_set_compile_commands: its errors, and that
 * a compile command's -D reaches libclang. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../tap.h"
#include "cxx.h"

static void suffixes(void) {
  const char *yes[] = {"a.cpp", "dir/a.cc", "a.cxx", "k.cu", "k.cuh", "a.h", "a.hpp", "a.hh", "a.hxx", NULL};
  const char *no[] = {"a.py", "a.c", "a.txt", "cpp", ".cpp", "a.cpp.bak", "dir.cpp/a.py", NULL};
  for (const char **p = yes; *p; p++) ok(cl_cxx_is_source(*p), "%s is a C++ source", *p);
  for (const char **p = no; *p; p++) ok(!cl_cxx_is_source(*p), "%s is not a C++ source", *p);
}

static void prefilter(void) {
#define PF(src, want, what) ok(cl_cxx_prefilter_match(src, strlen(src)) == (want), "prefilter: %s", what)
  PF("TORCH_LIBRARY(ns, m) {}", true, "TORCH_LIBRARY(");
  PF("TORCH_LIBRARY_IMPL (ns, Meta, m) {}", true, "TORCH_LIBRARY_IMPL (with a space");
  PF("TORCH_LIBRARY_FRAGMENT(ns, m) {}", true, "TORCH_LIBRARY_FRAGMENT(");
  PF("int main() { return 0; }", false, "a file that registers nothing");
  PF("MY_TORCH_LIBRARY(ns, m)", false, "a longer identifier");
  PF("#define TORCH_LIBRARY_X 1", false, "TORCH_LIBRARY_X without a call");
#undef PF
}

static cl_file *file_of(const char *src) {
  cl_file *f = calloc(1, sizeof *f);
  f->bytes = strdup(src);
  f->len = strlen(src);
  f->arena = cl_arena_new();
  cl_file_index_lines(f);
  return f;
}

static void file_free(cl_file *f) {
  cl_arena_free(f->arena);
  free(f->line_starts);
  free(f->bytes);
  free(f);
}

static void comments(void) {
  const char *src =
      "int a = 1'000'000; // one\n"
      "const char *s = \"// not a comment\";\n"
      "const char *r = R\"x(/* not */ // either)x\";\n"
      "char c = '/'; char d = '\\''; /* two\n"
      "   lines */ int b; //three\\\n"
      "continued\n"
      "auto u = u8\"//x\"; // condlint: ignore[CL301]\n";
  cl_file *f = file_of(src);
  cl_comment *cs;
  uint32_t n;
  cl_cxx_lex_comments(f, &cs, &n);
  is_int(n, 4, "four comments");
  if (n == 4) {
    is_str(cs[0].text, " one", "a line comment after a digit separator");
    is_int(cl_file_row(f, cs[0].span.start), 0, "on line 1");
    is_str(cs[1].text, " two\n   lines ", "a block comment, without its markers");
    is_int(cl_file_row(f, cs[1].span.start), 3, "starting on line 4");
    is_str(cs[2].text, "three\\\ncontinued", "a line comment continued by a backslash");
    is_str(cs[3].text, " condlint: ignore[CL301]", "after a u8 string holding //");
    is_int(cl_file_row(f, cs[3].span.start), 6, "on line 7");
  }
  file_free(f);

  f = file_of("/* unterminated");
  cl_cxx_lex_comments(f, &cs, &n);
  ok(n == 1 && !strcmp(cs[0].text, " unterminated"), "an unterminated block comment runs to the end");
  file_free(f);
  f = file_of("\"unterminated // string\n// after");
  cl_cxx_lex_comments(f, &cs, &n);
  ok(n == 1 && !strcmp(cs[0].text, " after"), "an unterminated string ends at the line's end");
  file_free(f);
}

static void macros(void) {
  cl_arena *a = cl_arena_new();
  const char *kind, *ns, *key;
  const char *s1 = "TORCH_LIBRARY_IMPL( myops , /* key */ Meta, m) {";
  ok(cl_cxx_macro_at(a, s1, strlen(s1), 0, &kind, &ns, &key), "TORCH_LIBRARY_IMPL parses");
  is_str(kind, "TORCH_LIBRARY_IMPL", "its kind");
  is_str(ns, "myops", "its namespace");
  is_str(key, "Meta", "its key, past a comment");
  const char *s2 = "x; TORCH_LIBRARY(ns2, lib) {";
  ok(cl_cxx_macro_at(a, s2, strlen(s2), 3, &kind, &ns, &key), "TORCH_LIBRARY at an offset parses");
  ok(!strcmp(ns, "ns2") && !strcmp(key, ""), "namespace, no key");
  const char *s3 = "TORCH_LIBRARY_FRAGMENT(ns3, m)";
  ok(cl_cxx_macro_at(a, s3, strlen(s3), 0, &kind, &ns, &key) && !strcmp(kind, "TORCH_LIBRARY_FRAGMENT"),
     "TORCH_LIBRARY_FRAGMENT parses");
  const char *bad[] = {"TORCH_LIBRARY_IMPL(ns, m)", "TORCH_LIBRARY(ns)", "MY_MACRO(ns, m)",
                       "TORCH_LIBRARY(ns, m", "TORCH_LIBRARY", NULL};
  for (const char **p = bad; *p; p++)
    ok(!cl_cxx_macro_at(a, *p, strlen(*p), 0, &kind, &ns, &key), "rejected: %s", *p);
  cl_arena_free(a);
}

static void write_file(const char *path, const char *text) {
  FILE *fp = fopen(path, "w");
  fputs(text, fp);
  fclose(fp);
}

static size_t count(condlint_session *s, const char *code) {
  size_t n = 0;
  for (size_t i = 0; i < condlint_session_diag_count(s); i++)
    if (!strcmp(condlint_diag_code(condlint_session_diag(s, i)), code)) n++;
  return n;
}

static void compile_commands(void) {
  char dir[] = "/tmp/condlint-unit-cxx.XXXXXX";
  if (!mkdtemp(dir)) {
    ok(0, "mkdtemp");
    return;
  }
  char path[1024], src[1024], db[256], bad[1024];
  snprintf(src, sizeof src, "%s/k.cpp", dir);
  write_file(src,
             "#include <torch/library.h>\n"
             "#ifdef USE_META\n"
             "at::Tensor k_meta(const at::Tensor& x) { return at::empty({x.size(1)}, x.options()); }\n"
             "TORCH_LIBRARY_IMPL(ns, Meta, m) { m.impl(\"k\", k_meta); }\n"
             "#endif\n"
             "TORCH_LIBRARY(ns, m) { m.def(\"k(Tensor x) -> Tensor\"); }\n");
  snprintf(db, sizeof db, "%s/build", dir);
  mkdir(db, 0700);

  condlint_session *s = condlint_session_new();
  is_int(condlint_session_set_compile_commands(s, db), CONDLINT_EIO, "no compile_commands.json: EIO");
  ok(strstr(condlint_session_error(s), "compile_commands.json") != NULL, "the error names the file");
  snprintf(bad, sizeof bad, "%s/compile_commands.json", db);
  write_file(bad, "{not json");
  is_int(condlint_session_set_compile_commands(s, db), CONDLINT_ECONFIG, "an invalid database: ECONFIG");
  condlint_session_free(s);

  snprintf(path, sizeof path, "%s/compile_commands.json", db);
  char json[4096];
  snprintf(json, sizeof json,
           "[{\"directory\": \"%s\", \"file\": \"%s\", \"arguments\": "
           "[\"c++\", \"-DUSE_META\", \"-std=c++17\", \"-O2\", \"-c\", \"%s\", \"-o\", \"k.o\"]}]",
           db, src, src);
  write_file(path, json);

  s = condlint_session_new();
  condlint_session_add_path(s, src);
  condlint_session_analyze(s);
  is_int(count(s, "CL301"), 0, "without the database, USE_META is undefined: no Meta kernel, no CL301");
  condlint_session_free(s);

  s = condlint_session_new();
  is_int(condlint_session_set_compile_commands(s, db), 0, "the database loads (a directory)");
  condlint_session_add_path(s, src);
  condlint_session_analyze(s);
  is_int(count(s, "CL301"), 1, "with it, -DUSE_META reaches libclang: one CL301");
  condlint_session_free(s);

  s = condlint_session_new();
  is_int(condlint_session_set_compile_commands(s, path), 0, "the database loads (the file named)");
  condlint_session_free(s);

  unlink(path);
  unlink(src);
  rmdir(db);
  rmdir(dir);
}

int main(void) {
  suffixes();
  prefilter();
  comments();
  macros();
  compile_commands();
  return done_testing();
}
