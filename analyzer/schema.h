/*
 * schema.h — PyTorch operator schema strings, as given to torch::Library::def
 * and torch.library.define: "ns::name.overload(Tensor(a!) x, SymInt[] s,
 * int k=1, *, Tensor? w=None) -> (Tensor, Tensor)". The parser (PCRE2) keeps
 * what the C++ rules need: each argument's base type, whether it is a list
 * (and its fixed length), optional, aliased/mutable, its default, and where
 * its text is in the string, so that a finding can point at `int n`.
 *
 * cl_schema_parse() is self-contained (it owns its memory) so that a fuzzer
 * can call it on arbitrary bytes; cl_schema_parse_in() allocates from an
 * arena instead, for the analysis.
 */
#ifndef CONDLINT_SCHEMA_H
#define CONDLINT_SCHEMA_H
#include "internal.h"

typedef enum {
  CL_ST_OTHER = 0, /* Scalar, ScalarType, Layout, Device, Generator, str, ... */
  CL_ST_TENSOR,
  CL_ST_INT,       /* int: a plain int64 in C++; a SymInt fed to it is specialized */
  CL_ST_SYMINT,
  CL_ST_FLOAT,
  CL_ST_BOOL
} cl_schema_base;

typedef struct {
  const char *name;      /* argument name; "" for an unnamed return */
  const char *type;      /* the type as written, without spaces: "int[2]", "Tensor(a!)" */
  const char *base_name; /* "int", "SymInt", "Tensor", ... */
  cl_schema_base base;
  bool is_list;          /* T[] or T[N] */
  int list_len;          /* N of T[N]; -1 when unsized or not a list */
  bool optional;         /* T? or T[]? */
  bool elem_optional;    /* T?[] */
  const char *alias;     /* "a!" of Tensor(a!), NULL when none */
  bool is_mutable;       /* the alias annotation has '!' */
  bool kwarg_only;       /* after a '*' marker */
  const char *dflt;      /* the default as written, NULL when none */
  uint32_t start, end;   /* byte offsets of the whole argument in the string */
  uint32_t name_start;   /* byte offset of the name (== end for unnamed returns) */
} cl_schema_arg;

typedef struct {
  const char *ns;        /* "" when the string has no "ns::" */
  const char *name;
  const char *overload;  /* "" for the default overload */
  bool has_args;         /* false: the string is a bare name ("ns::name.overload") */
  cl_schema_arg *args;
  uint32_t nargs;
  cl_schema_arg *rets;
  uint32_t nrets;
  const char *error;     /* set when parsing failed */
  uint32_t error_at;     /* byte offset of the failure */
  cl_arena *owned;       /* the arena of cl_schema_parse(), NULL for _in */
} cl_schema;

enum { CL_SCHEMA_OK = 0, CL_SCHEMA_EINVALID = -1 };

/* Parse len bytes of s (need not be NUL-terminated, may hold NULs). A bare
 * operator name ("my_op", "ns::my_op.out") parses with has_args false.
 * Returns 0, or CL_SCHEMA_EINVALID with out->error and out->error_at set.
 * Either way release out with cl_schema_free(). */
int cl_schema_parse(const char *s, size_t len, cl_schema *out);
void cl_schema_free(cl_schema *sc);

/* The same, with every string allocated from a (nothing to free). */
int cl_schema_parse_in(cl_arena *a, const char *s, size_t len, cl_schema *out);

/* Index of the argument called name, or -1. */
int cl_schema_find_arg(const cl_schema *sc, const char *name);

/* "ns::name" or "ns::name.overload" (ns given when the string had none). */
const char *cl_schema_qualname(cl_arena *a, const cl_schema *sc, const char *ns);

#endif
