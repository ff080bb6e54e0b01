/*
 * cxx_py.h — where the Python analysis meets the C++ ops: a traced call of
 * torch.ops.ns.op whose schema comes from a C++ file (CL302), and what the
 * op's output sizes are when its Meta kernel reads sizes as plain ints.
 * Called from custom_ops.c (cl_customop_invoke).
 */
#ifndef CONDLINT_CXX_PY_H
#define CONDLINT_CXX_PY_H
#include "cxx.h"
#include "interp.h"

/* A traced call of the C++ op `name` ("ns::op"): record a CL302 event for each
 * argument typed int / int[] in its schema that the call feeds a size that is
 * symbolic in this context. No-op outside MODE_TRACED or for an op no C++
 * file defines. */
void cl_cxx_op_call(cl_interp *I, const char *name, const cl_args *args);

/* The value of a traced call of `name`: when a tensor argument has symbolic
 * dims and the op's Meta kernel (or the CompositeExplicitAutograd kernel
 * standing for it) reads sizes as plain ints, a tensor whose dims are
 * concrete, specialized by that read (it is in the reason chain); otherwise
 * a tensor of unknown sizes. */
cl_val *cl_cxx_op_result(cl_interp *I, const char *name, const cl_args *args);

#endif
