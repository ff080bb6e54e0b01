/*
 * torch_ops.c — how tensor operations move sizes (SEMANTICS.md §3):
 * elementwise ops keep every dim; transpose/permute/unsqueeze move them;
 * reshape/view/flatten/cat combine them (symbolic if any part is); expand
 * and constant slices can make a dim concrete; an op the model does not know
 * gives a tensor of unknown sizes. Also the metadata reads (dim, ndim, dtype,
 * device: static in every context), size reads, arithmetic and comparisons.
 */
#include <string.h>

#include "interp.h"

static const char *const ELEMENTWISE[] = {
    "sin", "cos", "tan", "tanh", "sigmoid", "relu", "gelu", "silu", "exp", "log", "abs", "neg",
    "sqrt", "rsqrt", "pow", "add", "sub", "mul", "div", "clamp", "clamp_min", "clamp_max",
    "contiguous", "float", "half", "bfloat16", "double", "int", "long", "bool", "to", "cuda",
    "cpu", "clone", "detach", "type_as", "masked_fill", "softmax", "log_softmax", "dropout",
    "layer_norm", "rms_norm", "where", "sign", "floor", "ceil", "round", "reciprocal",
    "leaky_relu", "elu", "softplus", "mish", "hardtanh", "erf", "exp2", "square", "relu_",
    "add_", "mul_", "sub_", "div_", "copy_", "zero_", "fill_", "normal_", "uniform_", "requires_grad_",
    "zeros_like", "ones_like", "empty_like", "rand_like", "randn_like", "full_like", "clone",
    "logsumexp_keep", "nan_to_num", "maximum", "minimum", "lerp", "addcmul", "addcdiv",
    "cumsum", "cumprod", "flip", "roll", "tril", "triu", "softmin", "normalize", "dropout1d",
    "dropout2d", "group_norm", "batch_norm", "instance_norm", "silu_", "gelu_", "sigmoid_",
    "tanh_", "scaled_dot_product_attention_keep", NULL};

static bool in_list(const char *const *l, const char *s) {
  for (; *l; l++)
    if (cl_streq(*l, s)) return true;
  return false;
}

static cl_val *unknown_tensor(cl_interp *I, const cl_val *like) {
  cl_val *t = cl_v_tensor(I, -1);
  t->fake = like ? like->fake : false;
  return t;
}

static bool const_int(const cl_val *v, int64_t *out) {
  if (v && (v->k == VK_INT || v->k == VK_BOOL) && v->d.k == D_CONST && v->d.has_val) {
    *out = v->d.val;
    return true;
  }
  return false;
}

static int norm_dim(int64_t d, int rank) {
  if (rank < 0) return d >= 0 ? (int)d : -1;
  if (d < 0) d += rank;
  return d >= 0 && d < rank ? (int)d : -1;
}

/* A size value used to build a shape: an int, a SymInt, -1. */
static cl_dim dim_arg(const cl_val *v) {
  cl_dim d = {0};
  if (!v) return d;
  if (v->k == VK_INT || v->k == VK_BOOL) return v->d;
  return d;
}

/* Shape args of reshape/view/expand/zeros: f(a, b) or f((a, b)) or f(x.shape). */
static cl_val *shape_args(cl_interp *I, cl_args *a, int first) {
  cl_val *one = cl_arg(a, first, NULL);
  if (one && (uint32_t)first + 1 == a->npos) {
    if (one->k == VK_TUPLE || one->k == VK_LIST || one->k == VK_SIZE) return one;
  }
  if (!one && first == 0) {
    cl_val *kw = cl_arg(a, -1, "size");
    if (!kw) kw = cl_arg(a, -1, "shape");
    if (kw) return kw;
  }
  cl_val *t = cl_v_tuple(I, VK_TUPLE, a->npos > (uint32_t)first ? a->npos - (uint32_t)first : 0);
  for (uint32_t i = (uint32_t)first; i < a->npos; i++) t->items[i - (uint32_t)first] = a->pos[i];
  return t;
}

static int shape_len(const cl_val *s) {
  if (s->k == VK_SIZE) return s->rank;
  if (s->k == VK_TUPLE || s->k == VK_LIST) return (int)s->n;
  return -1;
}

static cl_dim shape_at(const cl_val *s, int i) {
  if (s->k == VK_SIZE) return cl_dim_of(s, i);
  return dim_arg(s->items[i]);
}

/* The product of every dim of t: for -1 in reshape, numel. */
static cl_dim product(cl_interp *I, const cl_val *t) {
  cl_dim p = cl_dim_const(1, true, NULL);
  if (t->rank < 0) {
    cl_dim d = t->dflt;
    d.has_val = false;
    return d;
  }
  for (int i = 0; i < t->rank; i++) p = cl_dim_combine(I, &p, &t->dims[i], '*');
  return p;
}

/* reshape/view: the inferred (-1) dim is symbolic iff some symbolic input dim
 * is folded into it, i.e. not matched by an explicit output dim that is the
 * same symbol (x.reshape(x.shape[0], -1) keeps dim 0's symbol apart). */
static cl_val *reshape(cl_interp *I, cl_val *t, cl_val *shape) {
  int n = shape_len(shape);
  if (n < 0) return unknown_tensor(I, t);
  cl_val *r = cl_v_tensor(I, n);
  r->fake = t->fake;
  int infer = -1;
  cl_dim known = cl_dim_const(1, true, NULL);
  uint32_t syms[32];
  int nsyms = 0;
  bool anonymous = t->rank < 0;
  for (int i = 0; i < t->rank && !anonymous; i++) {
    if (t->dims[i].k != D_SYM) continue;
    if (!t->dims[i].sym || nsyms == 32) anonymous = true;
    else syms[nsyms++] = t->dims[i].sym;
  }
  for (int i = 0; i < n; i++) {
    cl_dim d = shape_at(shape, i);
    if (d.k == D_CONST && d.has_val && d.val == -1) {
      infer = i;
      continue;
    }
    r->dims[i] = d;
    known = cl_dim_combine(I, &known, &d, '*');
    if (d.k == D_SYM && d.sym) {
      for (int k = 0; k < nsyms; k++)
        if (syms[k] == d.sym) {
          syms[k] = syms[--nsyms];
          break;
        }
    }
  }
  if (infer >= 0) {
    cl_dim total = product(I, t);
    cl_dim d = cl_dim_combine(I, &total, &known, '/');
    if (!anonymous && nsyms == 0 && d.k == D_SYM) {
      /* every symbol is accounted for by an explicit dim: the rest is static */
      const cl_origin *why = NULL;
      for (int i = 0; i < t->rank && !why; i++)
        if (t->dims[i].k == D_CONST) why = t->dims[i].why;
      d = cl_dim_const(d.val, d.has_val, why);
    }
    r->dims[infer] = d;
  }
  return r;
}

static cl_val *squeeze_unsqueeze(cl_interp *I, cl_val *t, int64_t d, bool unsq) {
  if (t->rank < 0) return unknown_tensor(I, t);
  int rank = t->rank;
  if (unsq) {
    int pos = (int)(d < 0 ? d + rank + 1 : d);
    if (pos < 0 || pos > rank) return unknown_tensor(I, t);
    cl_val *r = cl_v_tensor(I, rank + 1);
    r->fake = t->fake;
    for (int i = 0, j = 0; i < rank + 1; i++)
      r->dims[i] = i == pos ? cl_dim_const(1, true, NULL) : t->dims[j++];
    return r;
  }
  int pos = norm_dim(d, rank);
  if (pos < 0) return unknown_tensor(I, t);
  cl_dim dd = t->dims[pos];
  if (!(dd.k == D_CONST && dd.has_val && dd.val == 1)) return cl_v_tensor_like(I, t);
  cl_val *r = cl_v_tensor(I, rank - 1);
  r->fake = t->fake;
  for (int i = 0, j = 0; i < rank; i++)
    if (i != pos) r->dims[j++] = t->dims[i];
  return r;
}

static cl_val *reduce(cl_interp *I, cl_val *t, cl_args *a) {
  cl_val *dim = cl_arg(a, 0, "dim");
  cl_val *keep = cl_arg(a, 1, "keepdim");
  bool keepdim = false, known;
  if (keep) keepdim = cl_v_truth(keep, &known);
  if (!dim || dim->k == VK_NONE) return cl_v_tensor(I, 0);
  int64_t d;
  if (!const_int(dim, &d) || t->rank < 0) return unknown_tensor(I, t);
  int pos = norm_dim(d, t->rank);
  if (pos < 0) return unknown_tensor(I, t);
  cl_val *r = cl_v_tensor(I, keepdim ? t->rank : t->rank - 1);
  r->fake = t->fake;
  for (int i = 0, j = 0; i < t->rank; i++) {
    if (i == pos) {
      if (keepdim) r->dims[j++] = cl_dim_const(1, true, NULL);
      continue;
    }
    r->dims[j++] = t->dims[i];
  }
  return r;
}

static cl_val *matmul(cl_interp *I, cl_val *x, cl_val *w, bool linear) {
  /* x[..., k] @ w[k, n] -> [..., n]; linear(x, w[n, k]) -> [..., n] */
  if (x->k != VK_TENSOR || x->rank < 1 || w->k != VK_TENSOR || w->rank < 1) return unknown_tensor(I, x);
  cl_val *r = cl_v_tensor(I, x->rank);
  r->fake = x->fake;
  for (int i = 0; i < x->rank - 1; i++) r->dims[i] = x->dims[i];
  r->dims[x->rank - 1] = linear ? w->dims[0] : w->dims[w->rank - 1];
  if (w->rank == 1 && !linear) return cl_v_tensor(I, -1);
  return r;
}

cl_val *cl_tensor_attr(cl_interp *I, cl_val *t, const char *name, const cl_expr *at) {
  if (cl_streq(name, "shape")) {
    cl_val *s = cl_v_new(I, VK_SIZE);
    s->rank = t->rank;
    s->dims = t->dims;
    s->dflt = t->dflt;
    return s;
  }
  if (cl_streq(name, "ndim")) {
    cl_val *v = cl_v_scalar(I, VK_INT, cl_dim_const(t->rank, t->rank >= 0, NULL), false, true);
    return v;
  }
  if (cl_streq(name, "dtype") || cl_streq(name, "device") || cl_streq(name, "is_cuda") ||
      cl_streq(name, "requires_grad") || cl_streq(name, "layout") || cl_streq(name, "is_sparse") ||
      cl_streq(name, "is_contiguous") || cl_streq(name, "type")) {
    cl_val *v = cl_v_scalar(I, VK_STR, cl_dim_const(0, false, NULL), false, true);
    return v;
  }
  if (cl_streq(name, "T") || cl_streq(name, "mT")) {
    if (t->rank < 2) return cl_v_tensor_like(I, t);
    cl_val *r = cl_v_tensor_like(I, t);
    int n = t->rank;
    if (cl_streq(name, "T"))
      for (int i = 0; i < n; i++) r->dims[i] = t->dims[n - 1 - i];
    else {
      r->dims[n - 1] = t->dims[n - 2];
      r->dims[n - 2] = t->dims[n - 1];
    }
    return r;
  }
  if (cl_streq(name, "data") || cl_streq(name, "grad")) return cl_v_tensor_like(I, t);
  (void)at;
  return cl_v_unknown(I);
}

cl_val *cl_tensor_method(cl_interp *I, cl_val *t, const char *name, cl_args *a, const cl_expr *at) {
  int64_t d0, d1;
  cl_span sp = at ? at->span : (cl_span){0};
  if (cl_streq(name, "size")) {
    cl_val *d = cl_arg(a, 0, "dim");
    if (!d) return cl_tensor_attr(I, t, "shape", at);
    if (!const_int(d, &d0)) return cl_v_unknown(I);
    if (t->rank >= 0 && norm_dim(d0, t->rank) < 0) return cl_v_unknown(I);
    cl_dim dd = cl_dim_of(t, (int)d0);
    return cl_v_from_dim(I, &dd, I->file, sp, NULL);
  }
  if (cl_streq(name, "stride")) {
    /* contiguous strides: stride(d) is the product of the later dims */
    if (!const_int(cl_arg(a, 0, "dim"), &d0) || t->rank < 0) return cl_v_unknown(I);
    int i = norm_dim(d0, t->rank);
    if (i < 0) return cl_v_unknown(I);
    cl_dim p = cl_dim_const(1, true, NULL);
    for (int k = i + 1; k < t->rank; k++) p = cl_dim_combine(I, &p, &t->dims[k], '*');
    if (p.k == D_CONST && !p.why && i + 1 < t->rank) p.why = t->dims[i + 1].why;
    return cl_v_from_dim(I, &p, I->file, sp, NULL);
  }
  if (cl_streq(name, "dim") || cl_streq(name, "ndimension"))
    return cl_v_scalar(I, VK_INT, cl_dim_const(t->rank, t->rank >= 0, NULL), false, true);
  if (cl_streq(name, "numel") || cl_streq(name, "nelement")) {
    cl_dim p = product(I, t);
    return cl_v_from_dim(I, &p, I->file, sp, NULL);
  }
  if (cl_streq(name, "is_contiguous") || cl_streq(name, "is_floating_point") ||
      cl_streq(name, "get_device") || cl_streq(name, "element_size") || cl_streq(name, "is_complex"))
    return cl_v_scalar(I, VK_BOOL, cl_dim_const(0, false, NULL), false, true);
  if (cl_streq(name, "item") || cl_streq(name, "tolist")) return cl_v_unknown(I);
  if (cl_streq(name, "transpose") || cl_streq(name, "swapaxes") || cl_streq(name, "swapdims")) {
    if (!const_int(cl_arg(a, 0, "dim0"), &d0) || !const_int(cl_arg(a, 1, "dim1"), &d1) || t->rank < 0)
      return unknown_tensor(I, t);
    int i = norm_dim(d0, t->rank), j = norm_dim(d1, t->rank);
    if (i < 0 || j < 0) return unknown_tensor(I, t);
    cl_val *r = cl_v_tensor_like(I, t);
    r->dims[i] = t->dims[j];
    r->dims[j] = t->dims[i];
    return r;
  }
  if (cl_streq(name, "t")) {
    if (t->rank != 2) return cl_v_tensor_like(I, t);
    cl_val *r = cl_v_tensor_like(I, t);
    r->dims[0] = t->dims[1];
    r->dims[1] = t->dims[0];
    return r;
  }
  if (cl_streq(name, "permute")) {
    cl_val *perm = shape_args(I, a, 0);
    int n = shape_len(perm);
    if (n < 0 || t->rank < 0 || n != t->rank) return unknown_tensor(I, t);
    cl_val *r = cl_v_tensor_like(I, t);
    for (int i = 0; i < n; i++) {
      cl_dim p = shape_at(perm, i);
      int src = p.k == D_CONST && p.has_val ? norm_dim(p.val, t->rank) : -1;
      if (src < 0) return unknown_tensor(I, t);
      r->dims[i] = t->dims[src];
    }
    return r;
  }
  if (cl_streq(name, "unsqueeze") || cl_streq(name, "squeeze")) {
    if (!const_int(cl_arg(a, 0, "dim"), &d0)) {
      return cl_streq(name, "squeeze") ? unknown_tensor(I, t) : unknown_tensor(I, t);
    }
    return squeeze_unsqueeze(I, t, d0, name[0] == 'u');
  }
  if (cl_streq(name, "reshape") || cl_streq(name, "view")) {
    cl_val *sh = shape_args(I, a, 0);
    if (sh->k == VK_EXTERN) return cl_v_tensor_like(I, t); /* view(dtype) */
    return reshape(I, t, sh);
  }
  if (cl_streq(name, "view_as") || cl_streq(name, "reshape_as") || cl_streq(name, "expand_as")) {
    cl_val *o = cl_arg(a, 0, NULL);
    return o && o->k == VK_TENSOR ? cl_v_tensor_like(I, o) : unknown_tensor(I, t);
  }
  if (cl_streq(name, "flatten")) {
    int64_t s = 0, e = -1;
    cl_val *sv = cl_arg(a, 0, "start_dim"), *ev = cl_arg(a, 1, "end_dim");
    if ((sv && !const_int(sv, &s)) || (ev && !const_int(ev, &e)) || t->rank < 0)
      return unknown_tensor(I, t);
    if (t->rank == 0) return cl_v_tensor(I, 1);
    int si = norm_dim(s, t->rank), ei = norm_dim(e, t->rank);
    if (si < 0 || ei < 0 || ei < si) return unknown_tensor(I, t);
    cl_val *r = cl_v_tensor(I, t->rank - (ei - si));
    r->fake = t->fake;
    int j = 0;
    for (int i = 0; i < si; i++) r->dims[j++] = t->dims[i];
    cl_dim p = t->dims[si];
    for (int i = si + 1; i <= ei; i++) p = cl_dim_combine(I, &p, &t->dims[i], '*');
    r->dims[j++] = p;
    for (int i = ei + 1; i < t->rank; i++) r->dims[j++] = t->dims[i];
    return r;
  }
  if (cl_streq(name, "expand") || cl_streq(name, "repeat") || cl_streq(name, "new_zeros") ||
      cl_streq(name, "new_ones") || cl_streq(name, "new_empty") || cl_streq(name, "new_full")) {
    cl_val *sh = shape_args(I, a, 0);
    if (cl_streq(name, "new_full")) sh = cl_arg(a, 0, "size");
    int n = sh ? shape_len(sh) : -1;
    if (n < 0) return unknown_tensor(I, t);
    cl_val *r = cl_v_tensor(I, n);
    r->fake = t->fake;
    for (int i = 0; i < n; i++) {
      cl_dim d = shape_at(sh, i);
      int src = i - (n - (t->rank < 0 ? n : t->rank));
      if (cl_streq(name, "expand") && d.k == D_CONST && d.has_val && d.val == -1)
        r->dims[i] = cl_dim_of(t, src);
      else if (cl_streq(name, "repeat")) {
        cl_dim s = cl_dim_of(t, src);
        r->dims[i] = cl_dim_combine(I, &s, &d, '*');
      } else
        r->dims[i] = d;
    }
    return r;
  }
  if (cl_streq(name, "sum") || cl_streq(name, "mean") || cl_streq(name, "amax") ||
      cl_streq(name, "amin") || cl_streq(name, "prod") || cl_streq(name, "norm") ||
      cl_streq(name, "std") || cl_streq(name, "var") || cl_streq(name, "any") ||
      cl_streq(name, "all") || cl_streq(name, "logsumexp") || cl_streq(name, "argmax") ||
      cl_streq(name, "argmin") || cl_streq(name, "count_nonzero")) {
    if (cl_streq(name, "norm")) return cl_v_tensor(I, -1);
    return reduce(I, t, a);
  }
  if (cl_streq(name, "max") || cl_streq(name, "min")) {
    if (a->npos == 0 && a->nkw == 0) return cl_v_tensor(I, 0);
    return cl_v_tensor(I, -1);
  }
  if (cl_streq(name, "matmul") || cl_streq(name, "mm") || cl_streq(name, "bmm")) {
    cl_val *w = cl_arg(a, 0, NULL);
    return w ? matmul(I, t, w, false) : unknown_tensor(I, t);
  }
  if (cl_streq(name, "narrow")) {
    /* narrow(dim, start, length): the length is the size */
    if (!const_int(cl_arg(a, 0, "dim"), &d0) || t->rank < 0) return unknown_tensor(I, t);
    int i = norm_dim(d0, t->rank);
    cl_val *len = cl_arg(a, 2, "length");
    if (i < 0 || !len) return unknown_tensor(I, t);
    if (t->dims[i].k == D_SYM && cl_context_kind(I) == CTX_EXPORT && len->k == VK_INT &&
        len->d.k == D_CONST && len->d.has_val && (t->dims[i].has_min ? t->dims[i].min : 2) <= len->d.val)
      cl_context_fail(I, I->file, sp,
                      "export fails: narrowing a dim whose Dim allows that length to a constant length guards on the Dim (Constraints violated)",
                      "give the Dim a minimum above the length, or narrow with a length derived from the size");
    cl_val *r = cl_v_tensor_like(I, t);
    r->dims[i] = dim_arg(len);
    return r;
  }
  if (cl_streq(name, "chunk") || cl_streq(name, "split") || cl_streq(name, "unbind"))
    return cl_v_unknown(I);
  if (in_list(ELEMENTWISE, name)) return cl_v_tensor_like(I, t);
  return unknown_tensor(I, t);
}

/* x[idx]: ints drop a dim, slices keep or cut it, None adds one. */
cl_val *cl_tensor_subscript(cl_interp *I, cl_val *t, cl_val *idx, const cl_expr *at) {
  (void)at;
  cl_val *items[16];
  uint32_t n = 0;
  if (idx->k == VK_TUPLE) {
    if (idx->n > 16) return unknown_tensor(I, t);
    for (uint32_t i = 0; i < idx->n; i++) items[n++] = idx->items[i];
  } else {
    items[n++] = idx;
  }
  if (t->rank < 0) return unknown_tensor(I, t);
  cl_dim out[32];
  int no = 0, src = 0;
  bool ellipsis_seen = false;
  int consumed = 0;
  for (uint32_t i = 0; i < n; i++)
    if (!(items[i]->k == VK_NONE || cl_v_is_extern(items[i], "Ellipsis"))) consumed++;
  for (uint32_t i = 0; i < n && no < 32; i++) {
    cl_val *it = items[i];
    if (it->k == VK_NONE) {
      out[no++] = cl_dim_const(1, true, NULL);
    } else if (cl_v_is_extern(it, "Ellipsis")) {
      if (ellipsis_seen) return unknown_tensor(I, t);
      ellipsis_seen = true;
      int keep = t->rank - consumed;
      for (int k = 0; k < keep && src < t->rank && no < 32; k++) out[no++] = t->dims[src++];
    } else if (it->k == VK_INT || it->k == VK_BOOL) {
      src++; /* an index drops the dim */
    } else if (cl_v_is_extern(it, "slice")) {
      if (src >= t->rank) return unknown_tensor(I, t);
      cl_dim d = t->dims[src++];
      cl_val *lo = it->items[0], *hi = it->items[1], *st = it->items[2];
      if (st && st->k != VK_NONE) {
        out[no++] = (cl_dim){0};
        continue;
      }
      bool lo_zero = !lo || lo->k == VK_NONE || (lo->k == VK_INT && lo->d.has_val && lo->d.val == 0);
      bool no_hi = !hi || hi->k == VK_NONE;
      if (lo_zero && no_hi) {
        out[no++] = d;
      } else if (lo_zero && hi->k == VK_INT && hi->d.k == D_CONST && hi->d.has_val && hi->d.val >= 0) {
        /* x[:, :K] has size K when the dim is at least K (declared minimum for a SymInt) */
        int64_t K = hi->d.val;
        if (d.k == D_CONST && d.has_val) out[no++] = cl_dim_const(d.val < K ? d.val : K, true, d.why);
        else if (d.k == D_SYM && cl_context_kind(I) == CTX_EXPORT) {
          /* export: unless the Dim's minimum (2 by default) exceeds K, the slice
           * guards on the Dim (s >= K, or s != K for contiguity) and export
           * rejects the guard; seen on 2.11 with min=128 and K=128 */
          int64_t min = d.has_min ? d.min : 2;
          if (min > K) {
            out[no++] = cl_dim_const(K, true, cl_origin_new(I, I->file, at ? at->span : (cl_span){0},
                cl_arena_printf(I->a, "slicing to :%lld a dim whose Dim minimum is %lld gives the plain int %lld", (long long)K, (long long)min, (long long)K),
                "read the size of the unsliced tensor", d.why));
          } else {
            cl_context_fail(I, I->file, at ? at->span : (cl_span){0},
                            cl_arena_printf(I->a, "export fails: slicing a dim whose Dim allows sizes up to %lld to the constant bound %lld guards on the Dim (Constraints violated)",
                                            (long long)K, (long long)K),
                            cl_arena_printf(I->a, "give the Dim min=%lld or more, or slice with a bound derived from the size", (long long)K + 1));
            out[no++] = (cl_dim){0};
          }
        } else if (d.k == D_SYM && d.has_min && d.min >= K) out[no++] = cl_dim_const(K, true, NULL);
        else if (d.k == D_SYM && d.has_val && d.val >= K) {
          /* the slice guards on the example size: its size is the plain int K */
          out[no++] = cl_dim_const(K, true, cl_origin_new(I, I->file, at ? at->span : (cl_span){0},
              cl_arena_printf(I->a, "slicing to :%lld guards on the example size (%lld >= %lld): the result's size is the plain int %lld",
                              (long long)K, (long long)d.val, (long long)K, (long long)K),
              "read the size of the unsliced tensor", d.why));
        } else if (d.k == D_SYM) out[no++] = d; /* min(s, K): still symbolic */
        else out[no++] = (cl_dim){0};
      } else {
        cl_dim l = lo_zero ? cl_dim_const(0, true, NULL) : dim_arg(lo);
        cl_dim h = no_hi ? d : dim_arg(hi);
        if (!no_hi && h.k == D_CONST && h.has_val && h.val < 0) h = cl_dim_combine(I, &d, &h, '+');
        if (l.k == D_CONST && l.has_val && l.val < 0) l = cl_dim_combine(I, &d, &l, '+');
        out[no++] = cl_dim_combine(I, &h, &l, '-');
      }
    } else if (it->k == VK_TENSOR) {
      return unknown_tensor(I, t); /* advanced indexing */
    } else {
      return unknown_tensor(I, t);
    }
  }
  while (src < t->rank && no < 32) out[no++] = t->dims[src++];
  cl_val *r = cl_v_tensor(I, no);
  r->fake = t->fake;
  if (no) memcpy(r->dims, out, (size_t)no * sizeof(cl_dim)); /* rank 0: dims is NULL */
  return r;
}

static bool is_scalar(const cl_val *v) {
  return v && (v->k == VK_INT || v->k == VK_FLOAT || v->k == VK_BOOL);
}

cl_val *cl_binop(cl_interp *I, const char *op, cl_val *l, cl_val *r, const cl_expr *at) {
  (void)at;
  if (l->k == VK_TENSOR || r->k == VK_TENSOR) {
    if (cl_streq(op, "@")) return matmul(I, l, r, false);
    const cl_val *big = l->k == VK_TENSOR ? l : r;
    if (l->k == VK_TENSOR && r->k == VK_TENSOR && r->rank > l->rank) big = r;
    if ((l->k == VK_TENSOR && l->maybe_scalar) || (r->k == VK_TENSOR && r->maybe_scalar))
      return cl_v_unknown(I);
    return cl_v_tensor_like(I, big);
  }
  if (l->k == VK_OBJ && l->obj->kind == OBJ_DIM) return l; /* 2 * Dim: a derived Dim */
  if (r->k == VK_OBJ && r->obj->kind == OBJ_DIM) return r;
  if (is_scalar(l) && is_scalar(r)) {
    char c = op[0];
    if (cl_streq(op, "//")) c = '/';
    if (cl_streq(op, "/")) c = 'd';
    if (cl_streq(op, "**")) c = '^';
    cl_dim d = cl_dim_combine(I, &l->d, &r->d, c);
    cl_vk k = l->k == VK_FLOAT || r->k == VK_FLOAT || cl_streq(op, "/") ? VK_FLOAT : VK_INT;
    return cl_v_scalar(I, k, d, l->reads_size || r->reads_size, l->meta && r->meta);
  }
  if ((l->k == VK_TUPLE || l->k == VK_LIST) && (r->k == VK_TUPLE || r->k == VK_LIST) && cl_streq(op, "+")) {
    cl_val *t = cl_v_tuple(I, l->k, l->n + r->n);
    if (l->n) memcpy(t->items, l->items, l->n * sizeof(cl_val *));
    if (r->n) memcpy(t->items + l->n, r->items, r->n * sizeof(cl_val *));
    return t;
  }
  if (l->k == VK_STR && r->k == VK_STR) return cl_v_str(I, NULL);
  return cl_v_unknown(I);
}

static bool cmp_vals(const char *op, int64_t a, int64_t b, bool *ok) {
  *ok = true;
  if (cl_streq(op, "<")) return a < b;
  if (cl_streq(op, "<=")) return a <= b;
  if (cl_streq(op, ">")) return a > b;
  if (cl_streq(op, ">=")) return a >= b;
  if (cl_streq(op, "==") || cl_streq(op, "is")) return a == b;
  if (cl_streq(op, "!=") || cl_streq(op, "is_not")) return a != b;
  *ok = false;
  return false;
}

/* A comparison is a SymBool when either side is symbolic, never decided by
 * ranges (SEMANTICS.md §1); a tensor comparison is a tensor. */
cl_val *cl_compare(cl_interp *I, const char *op, cl_val *l, cl_val *r, const cl_expr *at) {
  (void)at;
  if (l->k == VK_TENSOR || r->k == VK_TENSOR) {
    if ((l->k == VK_TENSOR && l->maybe_scalar) || (r->k == VK_TENSOR && r->maybe_scalar))
      return cl_v_unknown(I);
    if (cl_streq(op, "is") || cl_streq(op, "is_not") || cl_streq(op, "in") || cl_streq(op, "not_in"))
      return cl_v_scalar(I, VK_BOOL, cl_dim_const(0, false, NULL), false, false);
    return cl_v_tensor_like(I, l->k == VK_TENSOR ? l : r);
  }
  if (is_scalar(l) && is_scalar(r)) {
    cl_dim d = {0};
    if (l->d.k == D_SYM || r->d.k == D_SYM) {
      d.k = D_SYM;
      d.why = l->d.k == D_SYM ? l->d.why : r->d.why;
    } else if (l->d.k == D_CONST && r->d.k == D_CONST) {
      d.k = D_CONST;
      d.why = l->d.why ? l->d.why : r->d.why;
    }
    if (l->d.has_val && r->d.has_val && d.k != D_UNK) {
      bool ok;
      bool res = cmp_vals(op, l->d.val, r->d.val, &ok);
      if (ok) {
        d.has_val = true;
        d.val = res;
      }
    }
    return cl_v_scalar(I, VK_BOOL, d, l->reads_size || r->reads_size, l->meta && r->meta);
  }
  /* metadata compared with a constant (x.dtype == torch.float16): static */
  bool lm = l->meta || l->k == VK_EXTERN || l->k == VK_STR || l->k == VK_NONE;
  bool rm = r->meta || r->k == VK_EXTERN || r->k == VK_STR || r->k == VK_NONE;
  if ((l->meta || r->meta) && lm && rm)
    return cl_v_scalar(I, VK_BOOL, cl_dim_const(0, false, NULL), false, true);
  if (l->k == VK_STR && r->k == VK_STR) {
    if (l->s && r->s)
      return cl_v_scalar(I, VK_BOOL, cl_dim_const(cl_streq(l->s, r->s) == (op[0] == '='), true, NULL),
                         false, false);
    return cl_v_scalar(I, VK_BOOL, cl_dim_const(0, false, NULL), false, false);
  }
  if ((l->k == VK_NONE || r->k == VK_NONE) && (cl_streq(op, "is") || cl_streq(op, "is_not") ||
                                                cl_streq(op, "==") || cl_streq(op, "!="))) {
    if (l->k == VK_UNKNOWN || r->k == VK_UNKNOWN) return cl_v_unknown(I);
    bool same = l->k == r->k;
    bool eq = cl_streq(op, "is") || cl_streq(op, "==");
    return cl_v_bool(I, eq ? same : !same);
  }
  return cl_v_unknown(I);
}

/* torch.* functions that are not tracing APIs. */
cl_val *cl_torch_function(cl_interp *I, const char *tail, const char *full, cl_args *a,
                          bool *handled) {
  *handled = true;
  if (!tail || !full) {
    *handled = false;
    return NULL;
  }
  bool torchish = !strncmp(full, "torch", 5) || !strncmp(full, "F.", 2);
  bool builtin = !strncmp(full, "builtins.", 9);
  cl_val *x = cl_arg(a, 0, NULL);
  if (builtin) {
    if (cl_streq(tail, "len")) {
      if (!x) return cl_v_unknown(I);
      if (x->k == VK_SIZE)
        return cl_v_scalar(I, VK_INT, cl_dim_const(x->rank, x->rank >= 0, NULL), false, true);
      if (x->k == VK_TUPLE || x->k == VK_LIST)
        return cl_v_scalar(I, VK_INT, cl_dim_const(x->n, true, NULL), false, false);
      if (x->k == VK_TENSOR && !x->maybe_scalar) {
        /* len(t) must return an int: a symbolic dim 0 is specialized */
        cl_dim d = cl_dim_of(x, 0);
        cl_dim r = cl_dim_const(d.val, d.has_val, d.why);
        if (d.k == D_SYM && I->dynamo) return cl_v_scalar(I, VK_INT, d, true, false); /* Dynamo: len(t) is a SymInt */
        if (d.k == D_SYM) {
          cl_origin *o = (cl_origin *)cl_origin_new(
              I, I->file, a->call ? a->call->span : (cl_span){0},
              "len() returns a plain int: the symbolic size of dim 0 is specialized here",
              "use x.shape[0] instead of len(x)", d.why);
          o->specialized = true;
          r.why = o;
        } else if (d.k == D_UNK) {
          return cl_v_unknown(I);
        }
        return cl_v_scalar(I, VK_INT, r, true, false);
      }
      return cl_v_unknown(I);
    }
    if (cl_streq(tail, "int") || cl_streq(tail, "bool")) {
      if (x && (x->k == VK_INT || x->k == VK_BOOL || x->k == VK_FLOAT)) {
        cl_dim r = x->d;
        if (x->d.k == D_SYM && I->dynamo) /* Dynamo keeps int(s) and bool(s) symbolic */
          return cl_v_scalar(I, cl_streq(tail, "int") ? VK_INT : VK_BOOL, r, x->reads_size, x->meta);
        if (x->d.k == D_SYM) {
          cl_origin *o = (cl_origin *)cl_origin_new(
              I, I->file, a->call ? a->call->span : (cl_span){0},
              cl_arena_printf(I->a, "%s() turns the symbolic size into a plain int here", tail),
              "keep the SymInt: compare the size itself instead of int(...)", x->d.why);
          o->specialized = true;
          if (cl_streq(tail, "int")) cl_origin_fixspec(I, o, FIX_DROP_INT, I->file, a->call, NULL, 0, NULL);
          r.k = D_CONST;
          r.why = o;
        }
        return cl_v_scalar(I, cl_streq(tail, "int") ? VK_INT : VK_BOOL, r, x->reads_size, x->meta);
      }
      if (x && x->k == VK_STR) return cl_v_scalar(I, VK_INT, cl_dim_const(0, false, NULL), false, false);
      return cl_v_unknown(I);
    }
    if (cl_streq(tail, "float")) {
      if (x && (x->k == VK_INT || x->k == VK_FLOAT)) return cl_v_scalar(I, VK_FLOAT, x->d, x->reads_size, x->meta);
      return cl_v_unknown(I);
    }
    if (cl_streq(tail, "min") || cl_streq(tail, "max")) {
      /* Python min/max on SymInts guard but return a SymInt */
      if (a->npos == 2 && is_scalar(a->pos[0]) && is_scalar(a->pos[1])) {
        cl_dim d = cl_dim_combine(I, &a->pos[0]->d, &a->pos[1]->d, tail[1] == 'i' ? '<' : '>');
        return cl_v_scalar(I, VK_INT, d, a->pos[0]->reads_size || a->pos[1]->reads_size,
                           a->pos[0]->meta && a->pos[1]->meta);
      }
      return cl_v_unknown(I);
    }
    if (cl_streq(tail, "abs") && x && is_scalar(x)) return x;
    if (cl_streq(tail, "isinstance") || cl_streq(tail, "hasattr") || cl_streq(tail, "callable"))
      return cl_v_scalar(I, VK_BOOL, cl_dim_const(0, false, NULL), false, false);
    if (cl_streq(tail, "range")) return cl_v_extern(I, "builtins.range");
    if (cl_streq(tail, "tuple") || cl_streq(tail, "list")) {
      if (x && x->k == VK_SIZE && x->rank >= 0) {
        cl_val *t = cl_v_tuple(I, VK_TUPLE, (uint32_t)x->rank);
        for (int i = 0; i < x->rank; i++)
          t->items[i] = cl_v_from_dim(I, &x->dims[i], I->file, a->call ? a->call->span : (cl_span){0}, "a size");
        return t;
      }
      if (x && (x->k == VK_TUPLE || x->k == VK_LIST)) return x;
      return cl_v_unknown(I);
    }
    if (cl_streq(tail, "getattr")) {
      cl_val *nm = cl_arg(a, 1, NULL);
      if (x && nm && nm->k == VK_STR && nm->s) return cl_get_attr(I, x, nm->s, NULL);
      return cl_v_unknown(I);
    }
    *handled = false;
    return NULL;
  }
  if (!strncmp(full, "nnmod.", 6)) {
    /* calling an nn module instance made from torch.nn */
    const char *kind = full + 6;
    if (!x || x->k != VK_TENSOR) return cl_v_unknown(I);
    static const char *const SAME[] = {"ReLU", "GELU", "SiLU", "Tanh", "Sigmoid", "Dropout",
                                       "LayerNorm", "RMSNorm", "Identity", "Softmax", "BatchNorm1d",
                                       "BatchNorm2d", "GroupNorm", "LeakyReLU", "Mish", "Softplus",
                                       "ELU", "Hardtanh", "LogSoftmax", NULL};
    if (in_list(SAME, kind)) return cl_v_tensor_like(I, x);
    return cl_v_tensor(I, -1);
  }
  if (!strncmp(full, "os.environ", 10) || cl_streq(full, "os.getenv")) {
    /* configuration read when the module loads: a plain Python string */
    return cl_v_str(I, NULL);
  }
  if (!torchish && strncmp(full, "math.", 5)) {
    *handled = false;
    return NULL;
  }
  if (!strncmp(full, "math.", 5)) {
    if (x && is_scalar(x)) return cl_v_scalar(I, VK_INT, x->d, x->reads_size, x->meta);
    return cl_v_unknown(I);
  }
  /* torch.nn.Module classes */
  if (strstr(full, ".nn.") && !strstr(full, "functional") && tail[0] >= 'A' && tail[0] <= 'Z') {
    if (cl_streq(tail, "ModuleList") || cl_streq(tail, "ModuleDict")) {
      if (x && (x->k == VK_LIST || x->k == VK_TUPLE || x->k == VK_DICT)) return x;
      if (!x) return cl_v_tuple(I, VK_LIST, 0);
      return cl_v_unknown(I);
    }
    if (cl_streq(tail, "Parameter") || cl_streq(tail, "Buffer")) {
      if (x && x->k == VK_TENSOR) {
        cl_val *p = cl_v_tensor_like(I, x);
        p->param = true;
        for (int i = 0; i < p->rank; i++) p->dims[i].k = p->dims[i].k == D_UNK ? D_CONST : p->dims[i].k;
        return p;
      }
      cl_val *p = cl_v_tensor(I, -1);
      p->param = true;
      p->dflt = cl_dim_const(0, false, NULL);
      return p;
    }
    cl_val *m = cl_v_extern(I, cl_arena_printf(I->a, "nnmod.%s", tail));
    m->n = a->npos;
    m->items = a->pos;
    return m;
  }
  /* factories */
  if (cl_streq(tail, "randn") || cl_streq(tail, "rand") || cl_streq(tail, "zeros") ||
      cl_streq(tail, "ones") || cl_streq(tail, "empty") || cl_streq(tail, "full") ||
      cl_streq(tail, "randint") || cl_streq(tail, "empty_strided")) {
    int first = cl_streq(tail, "randint") ? (a->npos >= 3 ? 2 : 1) : 0;
    cl_val *sh;
    if (cl_streq(tail, "full") || cl_streq(tail, "empty_strided")) sh = cl_arg(a, 0, "size");
    else if (cl_streq(tail, "randint")) sh = cl_arg(a, first, "size");
    else sh = shape_args(I, a, 0);
    int n = sh ? shape_len(sh) : -1;
    if (n < 0) return cl_v_tensor(I, -1);
    cl_val *t = cl_v_tensor(I, n);
    for (int i = 0; i < n; i++) {
      cl_dim d = shape_at(sh, i);
      if (I->mode == MODE_HOST && !I->active_mode && d.k != D_CONST) d = cl_dim_const(0, false, NULL);
      t->dims[i] = d;
    }
    t->fake = I->active_mode != NULL || I->mode == MODE_TRACED;
    t->plain_fake = I->active_mode != NULL && !I->active_mode->obj->has_shape_env;
    return t;
  }
  if (cl_streq(tail, "tensor") || cl_streq(tail, "as_tensor") || cl_streq(tail, "from_numpy")) {
    if (x && (x->k == VK_INT || x->k == VK_FLOAT || x->k == VK_BOOL)) return cl_v_tensor(I, 0);
    if (x && x->k == VK_LIST) {
      cl_val *t = cl_v_tensor(I, 1);
      t->dims[0] = cl_dim_const(x->n, true, NULL);
      return t;
    }
    return cl_v_tensor(I, -1);
  }
  if (cl_streq(tail, "arange")) {
    cl_val *t = cl_v_tensor(I, 1);
    if (a->npos == 1 && is_scalar(x)) t->dims[0] = x->d;
    return t;
  }
  if (cl_streq(tail, "cat") || cl_streq(tail, "concat") || cl_streq(tail, "concatenate") ||
      cl_streq(tail, "stack")) {
    cl_val *list = x;
    int64_t d = 0;
    cl_val *dv = cl_arg(a, 1, "dim");
    if (dv && !const_int(dv, &d)) return cl_v_tensor(I, -1);
    if (!list || (list->k != VK_TUPLE && list->k != VK_LIST) || list->n == 0) return cl_v_tensor(I, -1);
    cl_val *first = list->items[0];
    if (first->k != VK_TENSOR || first->rank < 0) return cl_v_tensor(I, -1);
    if (cl_streq(tail, "stack")) {
      cl_val *r = cl_v_tensor(I, first->rank + 1);
      int pos = (int)(d < 0 ? d + first->rank + 1 : d);
      if (pos < 0 || pos > first->rank) return cl_v_tensor(I, -1);
      for (int i = 0, j = 0; i <= first->rank; i++)
        r->dims[i] = i == pos ? cl_dim_const(list->n, true, NULL) : first->dims[j++];
      return r;
    }
    int pos = norm_dim(d, first->rank);
    if (pos < 0) return cl_v_tensor(I, -1);
    cl_val *r = cl_v_tensor_like(I, first);
    for (uint32_t k = 1; k < list->n; k++) {
      cl_val *o = list->items[k];
      cl_dim od = o->k == VK_TENSOR ? cl_dim_of(o, pos) : (cl_dim){0};
      r->dims[pos] = cl_dim_combine(I, &r->dims[pos], &od, '+');
    }
    return r;
  }
  if (cl_streq(tail, "pad")) {
    cl_val *pad = cl_arg(a, 1, "pad");
    if (!x || x->k != VK_TENSOR || x->rank < 0 || !pad || (pad->k != VK_TUPLE && pad->k != VK_LIST))
      return cl_v_tensor(I, -1);
    cl_val *r = cl_v_tensor_like(I, x);
    for (uint32_t k = 0; k + 1 < pad->n && (int)(k / 2) < x->rank; k += 2) {
      int dim = x->rank - 1 - (int)(k / 2);
      cl_dim lo = dim_arg(pad->items[k]), hi = dim_arg(pad->items[k + 1]);
      cl_dim p = cl_dim_combine(I, &lo, &hi, '+');
      r->dims[dim] = cl_dim_combine(I, &r->dims[dim], &p, '+');
    }
    return r;
  }
  if (cl_streq(tail, "linear")) {
    cl_val *w = cl_arg(a, 1, "weight");
    return x && w ? matmul(I, x, w, true) : cl_v_tensor(I, -1);
  }
  if (cl_streq(tail, "matmul") || cl_streq(tail, "mm") || cl_streq(tail, "bmm")) {
    cl_val *w = cl_arg(a, 1, NULL);
    return x && w ? matmul(I, x, w, false) : cl_v_tensor(I, -1);
  }
  if (x && x->k == VK_TENSOR) {
    /* torch.f(x, ...) mirrors x.f(...) */
    cl_args rest = *a;
    rest.pos = a->pos + 1;
    rest.npos = a->npos - 1;
    return cl_tensor_method(I, x, tail, &rest, a->call);
  }
  if (cl_streq(tail, "_check") || cl_streq(tail, "_check_is_size") || cl_streq(tail, "manual_seed"))
    return cl_v_none(I);
  /* torch.float32, torch.device(...), torch.bfloat16: constants */
  if (cl_streq(tail, "device")) return cl_v_scalar(I, VK_STR, cl_dim_const(0, false, NULL), false, true);
  *handled = false;
  return NULL;
}
