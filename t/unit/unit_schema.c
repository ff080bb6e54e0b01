/* unit_schema.c — the operator schema parser (analyzer/schema.c): names and
 * overloads, argument types (Tensor, Tensor?, Tensor(a!), int, SymInt,
 * int[], SymInt[], int[2], optional lists), defaults, keyword-only
 * arguments, returns, byte offsets, and what it rejects. */
#include <string.h>

#include "schema.h"
#include "../tap.h"

static int parse(const char *s, cl_schema *sc) { return cl_schema_parse(s, strlen(s), sc); }

static const char *text_at(const char *s, uint32_t start, uint32_t end) {
  static char buf[256];
  size_t n = end > start ? end - start : 0;
  if (n >= sizeof buf) n = sizeof buf - 1;
  memcpy(buf, s + start, n);
  buf[n] = 0;
  return buf;
}

static void names_and_overloads(void) {
  cl_schema sc;
  is_int(parse("myops::my_op.out(Tensor x) -> Tensor", &sc), 0, "a qualified name with an overload parses");
  is_str(sc.ns, "myops", "the namespace");
  is_str(sc.name, "my_op", "the name");
  is_str(sc.overload, "out", "the overload");
  ok(sc.has_args, "it has an argument list");
  cl_schema_free(&sc);

  is_int(parse("my_op(Tensor x) -> Tensor", &sc), 0, "an unqualified name parses");
  is_str(sc.ns, "", "no namespace");
  is_str(sc.overload, "", "the default overload");
  {
    cl_arena *a = cl_arena_new();
    is_str(cl_schema_qualname(a, &sc, "lib"), "lib::my_op", "the qualified name takes the library's namespace");
    cl_arena_free(a);
  }
  cl_schema_free(&sc);

  is_int(parse("  ns::op.Tensor  ", &sc), 0, "a bare name (m.impl, def with an inferred schema) parses");
  ok(!sc.has_args, "a bare name has no argument list");
  is_str(sc.name, "op", "its name");
  is_str(sc.overload, "Tensor", "its overload");
  cl_schema_free(&sc);

  is_int(parse("(Tensor x, int n) -> Tensor", &sc), 0, "a nameless schema (torch.library.define) parses");
  is_int(sc.nargs, 2, "with its two arguments");
  is_str(sc.name, "", "and no name");
  cl_schema_free(&sc);
}

static void argument_types(void) {
  const char *s =
      "ns::f(Tensor x, Tensor? w, Tensor(a!) out, int n, SymInt s, int[] dims, SymInt[] sizes, "
      "int[2] k=[1, 1], int? maybe=None, SymInt[]? ss=None, Tensor?[] idx, Tensor(a)[] views, "
      "float eps=1e-5, bool flag=True, str mode=\"a,b\", ScalarType? dtype=None) -> Tensor";
  cl_schema sc;
  is_int(parse(s, &sc), 0, "a schema with every kind of argument parses");
  is_int(sc.nargs, 16, "sixteen arguments");
  if (sc.nargs != 16) {
    cl_schema_free(&sc);
    return;
  }
  const cl_schema_arg *a = sc.args;
  is_str(a[0].name, "x", "arg 0 is x");
  is_int(a[0].base, CL_ST_TENSOR, "x is a Tensor");
  ok(!a[0].optional && !a[0].is_list && !a[0].alias, "x is a plain Tensor");
  is_int(a[1].base, CL_ST_TENSOR, "w is a Tensor");
  ok(a[1].optional, "Tensor? is optional");
  is_str(a[2].alias, "a!", "Tensor(a!) has the alias a!");
  ok(a[2].is_mutable, "Tensor(a!) is mutable");
  is_str(a[2].type, "Tensor(a!)", "its type as written");
  is_int(a[3].base, CL_ST_INT, "int n is an int");
  is_str(a[3].type, "int", "typed int");
  is_int(a[4].base, CL_ST_SYMINT, "SymInt s is a SymInt");
  ok(a[5].is_list && a[5].list_len == -1 && a[5].base == CL_ST_INT, "int[] is an unsized int list");
  ok(a[6].is_list && a[6].base == CL_ST_SYMINT, "SymInt[] is a SymInt list");
  ok(a[7].is_list && a[7].list_len == 2, "int[2] has length 2");
  is_str(a[7].dflt, "[1, 1]", "int[2] k=[1, 1]: the default keeps its comma");
  ok(a[8].optional && !a[8].is_list && a[8].base == CL_ST_INT, "int? is an optional int");
  is_str(a[8].dflt, "None", "its default is None");
  ok(a[9].optional && a[9].is_list && !a[9].elem_optional, "SymInt[]? is an optional list");
  ok(a[10].elem_optional && a[10].is_list && !a[10].optional, "Tensor?[] is a list of optional tensors");
  ok(a[11].is_list && a[11].alias && !a[11].is_mutable, "Tensor(a)[] is a list of aliased tensors");
  is_int(a[12].base, CL_ST_FLOAT, "float");
  is_str(a[12].dflt, "1e-5", "a float default");
  is_int(a[13].base, CL_ST_BOOL, "bool");
  is_str(a[14].dflt, "\"a,b\"", "a string default keeps its comma");
  is_int(a[15].base, CL_ST_OTHER, "ScalarType is another type");
  is_str(a[15].base_name, "ScalarType", "named ScalarType");
  is_int(cl_schema_find_arg(&sc, "sizes"), 6, "find an argument by name");
  is_int(cl_schema_find_arg(&sc, "nope"), -1, "an unknown name is not found");
  cl_schema_free(&sc);
}

static void offsets(void) {
  const char *s = "ns::g(Tensor x,   int  n = 1 , SymInt[] s) -> Tensor";
  cl_schema sc;
  is_int(parse(s, &sc), 0, "a schema with odd spacing parses");
  is_int(sc.nargs, 3, "three arguments");
  if (sc.nargs == 3) {
    is_str(text_at(s, sc.args[1].start, sc.args[1].end), "int  n = 1", "the argument's span is its trimmed text");
    is_str(text_at(s, sc.args[1].name_start, sc.args[1].name_start + 1), "n", "the name's offset");
    is_str(sc.args[1].type, "int", "the type without blanks");
    is_str(sc.args[1].dflt, "1", "the default");
    is_str(text_at(s, sc.args[2].start, sc.args[2].end), "SymInt[] s", "the last argument's span");
  }
  cl_schema_free(&sc);
}

static void kwonly_and_returns(void) {
  cl_schema sc;
  is_int(parse("ns::h(Tensor x, *, int n=1, Tensor(a!) out) -> (Tensor a, Tensor(a!))", &sc), 0,
         "keyword-only arguments and a tuple of returns parse");
  is_int(sc.nargs, 3, "the '*' marker is not an argument");
  ok(!sc.args[0].kwarg_only && sc.args[1].kwarg_only && sc.args[2].kwarg_only,
     "arguments after '*' are keyword-only");
  is_int(sc.nrets, 2, "two returns");
  is_str(sc.rets[0].name, "a", "a named return");
  is_str(sc.rets[1].name, "", "an unnamed return");
  is_str(sc.rets[1].alias, "a!", "a return with an alias");
  cl_schema_free(&sc);

  is_int(parse("ns::e() -> ()", &sc), 0, "no arguments, no returns");
  is_int(sc.nargs, 0, "zero arguments");
  is_int(sc.nrets, 0, "zero returns");
  cl_schema_free(&sc);

  is_int(parse("ns::l(Tensor[] xs) -> Tensor[]", &sc), 0, "list returns");
  ok(sc.nrets == 1 && sc.rets[0].is_list, "a Tensor[] return is a list");
  cl_schema_free(&sc);

  is_int(parse("ns::p(Tensor x)", &sc), 0, "no '->' parses (no returns written)");
  is_int(sc.nrets, 0, "and has no returns");
  cl_schema_free(&sc);
}

static void rejects(void) {
  static const char *bad[] = {
      "",
      "ns::f(Tensor x -> Tensor",
      "ns::f(Tensor) -> Tensor",
      "ns::f(Tensor x,) -> Tensor",
      "ns::f(Tensor x) Tensor",
      "ns::f(Tensor x) ->",
      "ns::f(intn) -> Tensor",
      "ns::f(Tensor x, *, *, int n) -> Tensor",
      "ns::f(int[2 k) -> Tensor",
      "ns::f(str s=\"a) -> Tensor",
      "1bad(Tensor x) -> Tensor",
      "ns::f(Tensor x) -> (Tensor",
      "ns:f(Tensor x) -> Tensor",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    cl_schema sc;
    int rc = parse(bad[i], &sc);
    is_int(rc, CL_SCHEMA_EINVALID, "rejected: '%s'", bad[i]);
    ok(sc.error != NULL && sc.error_at <= strlen(bad[i]), "  with a message and an offset in range (%s)",
       sc.error ? sc.error : "none");
    cl_schema_free(&sc);
  }
  cl_schema sc;
  is_int(cl_schema_parse("ns::f(Tensor x)\0 -> Tensor", 26, &sc), CL_SCHEMA_EINVALID, "a NUL byte is rejected");
  cl_schema_free(&sc);
  is_int(cl_schema_parse("ns::f(Tensor x) -> Tensor", 8, &sc), CL_SCHEMA_EINVALID,
         "only len bytes are read (a cut schema is unbalanced)");
  cl_schema_free(&sc);
  cl_schema_free(NULL);
  ok(1, "cl_schema_free(NULL) is a no-op");
}

/* Every prefix of a valid schema either parses or fails cleanly. */
static void prefixes(void) {
  const char *s = "ns::f.o(Tensor(a!) x, int[2] k=[1,1], *, SymInt? n=None) -> (Tensor a, int[])";
  size_t n = strlen(s);
  int parsed = 0;
  for (size_t i = 0; i <= n; i++) {
    cl_schema sc;
    if (cl_schema_parse(s, i, &sc) == 0) parsed++;
    cl_schema_free(&sc);
  }
  ok(parsed > 0 && parsed < (int)n, "every prefix parses or fails without a crash (%d of %zu parse)", parsed, n + 1);
}

int main(void) {
  names_and_overloads();
  argument_types();
  offsets();
  kwonly_and_returns();
  rejects();
  prefixes();
  return done_testing();
}
