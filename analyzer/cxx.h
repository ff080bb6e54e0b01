/*
 * cxx.h — C++ custom ops: the stage that reads C++ sources which register
 * operators (TORCH_LIBRARY, TORCH_LIBRARY_FRAGMENT, TORCH_LIBRARY_IMPL) with
 * libclang, and what it leaves for the rules (CL301-CL303) and for the
 * Python side (torch.ops.ns.op calls, CL302).
 *
 * Per file: cxx_lex.c collects the comments (for suppressions) and the PCRE2
 * prefilter keeps libclang away from files that register nothing;
 * cxx_ast.c walks the translation unit for schemas (m.def) and kernels
 * (m.impl, def with a function) and, in each kernel body, the size reads of
 * input tensors and the branches on sizes. Everything lives in the file's
 * arena; the session's cl_cxx gathers the per-file results.
 * Flags come from compile_commands.json when the session has one
 * (condlint_session_set_compile_commands), otherwise from the shim headers
 * under shims/ (see docs/cxx.md).
 */
#ifndef CONDLINT_CXX_H
#define CONDLINT_CXX_H
#include "internal.h"
#include "schema.h"

/* What running a kernel under tracing means, by its dispatch key. */
typedef enum {
  CXX_KEY_OTHER = 0, /* a backend kernel (CPU, CUDA...): never runs on fake tensors */
  CXX_KEY_META,      /* Meta: runs on fake tensors to compute output sizes */
  CXX_KEY_CEA,       /* CompositeExplicitAutograd(NonFunctional): the meta kernel when no Meta one */
  CXX_KEY_CIA,       /* CompositeImplicitAutograd or catch-all: traced through */
  CXX_KEY_AUTOGRAD   /* Autograd*: traced through */
} cl_cxx_keyclass;

/* A size read in a kernel: x.size(1), x.sizes(), x.sym_size(1).guard_int(...) */
typedef struct {
  cl_span span;          /* the call */
  const char *text;      /* its source text, one line */
  const char *method;    /* size, sizes, numel, stride, strides, sym_size, guard_int, ... */
  bool symbolic;         /* sym_* (a SymInt): fine in a Meta kernel */
  const char *via;       /* NULL, or the helper function the read is in */
} cl_cxx_read;

/* A branch whose condition reads a size of an input tensor. */
typedef struct {
  cl_span span;          /* the `if` / `switch` keyword, or the `?` of a ?: */
  const char *kind;      /* "if", "?:", "switch" */
  cl_span cond;          /* the condition */
  const char *cond_text;
  cl_cxx_read read;      /* the first size read (or size variable) in the condition */
} cl_cxx_branch;

typedef struct {
  const char *op;        /* "ns::name" or "ns::name.overload" */
  const char *key;       /* dispatch key as written; "" for a catch-all (def with a function) */
  cl_cxx_keyclass cls;
  const char *fn;        /* the kernel's name, or "lambda" */
  bool has_body;         /* the definition was found in this file */
  const cl_file *file;
  cl_span reg;           /* the m.impl(...) / m.def(...) call */
  cl_span fn_span;       /* the kernel's name in its definition, or the lambda */
  cl_cxx_read *reads;    /* int-returning size reads of input tensors (and guard_int & co.) */
  uint32_t nreads;
  cl_cxx_branch *branches;
  uint32_t nbranches;
} cl_cxx_kernel;

typedef struct {
  const char *name;      /* "ns::name" or "ns::name.overload" */
  cl_schema schema;
  bool inferred;         /* m.def("name", fn): the schema comes from fn's C++ signature */
  const cl_file *file;
  cl_span span;          /* the schema string literal */
  cl_span *arg_spans;    /* per schema argument: its text in the file (the literal when unmappable) */
} cl_cxx_op;

/* ---- the stage (called by session.c) ------------------------------------- */

/* Is this path a C++/CUDA source or header that the C++ stage reads? */
bool cl_cxx_is_source(const char *path);

/* Prefilter: true when the bytes name a TORCH_LIBRARY macro. */
bool cl_cxx_prefilter_match(const char *bytes, size_t len);

/* Read one C++ file: its comments into f->mod (suppressions), then, when it
 * registers ops, its ops and kernels with libclang. Thread-safe. */
void cl_cxx_parse_file(condlint_session *s, cl_file *f);

/* Free the session's C++ state (condlint_session_free). */
void cl_cxx_session_free(condlint_session *s);

/* ---- what the rules and the Python side read (after parsing) ------------- */

/* Every op schema and kernel of the session's C++ files, in file order.
 * Borrowed: valid until the session is freed. */
const cl_vec *cl_cxx_ops(condlint_session *s);
const cl_vec *cl_cxx_kernels(condlint_session *s);

/* The schema of "ns::name" (or "ns::name.overload"); without an overload the
 * default overload, else the first. NULL when no C++ file defines it. */
const cl_cxx_op *cl_cxx_find_op(condlint_session *s, const char *name);

/* Does any C++ file register a Meta kernel for op (any overload when op has none)? */
bool cl_cxx_op_has_meta(condlint_session *s, const char *op);

/* The first int-returning size read of the kernel that computes op's output
 * sizes under fake tensors (its Meta kernel, else a CompositeExplicitAutograd
 * one): the op's output sizes are concrete. NULL when none, and when the
 * kernel calls numel(), which raises on symbolic sizes (no output at all). */
const cl_cxx_read *cl_cxx_meta_concrete(condlint_session *s, const char *op,
                                        const cl_cxx_kernel **kernel);

/* cxx_lex.c: comments of a C++ file, as the Python front end gives them (text
 * without the leading // or the enclosing comment markers). */
void cl_cxx_lex_comments(cl_file *f, cl_comment **out, uint32_t *n);

/* cxx_lex.c: a TORCH_LIBRARY* invocation at byte off (kind "TORCH_LIBRARY",
 * "TORCH_LIBRARY_FRAGMENT" or "TORCH_LIBRARY_IMPL"), with its namespace and,
 * for _IMPL, its dispatch key. false when the text there is something else. */
bool cl_cxx_macro_at(cl_arena *a, const char *bytes, size_t len, size_t off, const char **kind,
                     const char **ns, const char **key);

/* cxx_ast.c: walk a parsed translation unit (a CXTranslationUnit). */
void cl_cxx_walk(condlint_session *s, cl_file *f, void *tu, cl_vec *ops, cl_vec *kernels);

/* A span of f from byte offsets (rows and columns filled in). */
cl_span cl_cxx_span(const cl_file *f, uint32_t start, uint32_t end);

#endif
