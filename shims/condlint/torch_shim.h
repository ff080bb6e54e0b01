/*
 * condlint/torch_shim.h — just enough of the libtorch C++ API for condlint to
 * parse a custom-op source file with libclang when libtorch is not installed
 * (no compile_commands.json given, or the flags it gives do not find the real
 * headers). Every torch, ATen and c10 header under shims/ includes this file.
 *
 * What matters to condlint is kept faithful to libtorch:
 *  - at::Tensor's int-returning size APIs (size, sizes, numel, stride...)
 *    return int64_t / IntArrayRef, the sym_* ones return c10::SymInt /
 *    SymIntArrayRef;
 *  - c10::SymInt's comparisons return bool (in libtorch they guard);
 *  - TORCH_LIBRARY, TORCH_LIBRARY_FRAGMENT and TORCH_LIBRARY_IMPL expand, as
 *    in torch/library.h, to a static initializer and the definition of a
 *    function `void TORCH_LIBRARY_..._init_<ns>...(torch::Library &m)`;
 *  - torch::Library has def(schema), def(schema, fn), impl(name, fn),
 *    TORCH_FN(fn) and torch::dispatch(key, fn).
 * Everything else is loose: most tensor methods and at:: functions are
 * variadic templates returning at::Tensor, so that kernels type-check.
 * This is not libtorch: never compile against it.
 */
#ifndef CONDLINT_TORCH_SHIM_H
#define CONDLINT_TORCH_SHIM_H

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <utility>
#include <vector>

#define CONDLINT_SHIM 1

namespace c10 {

class SymBool {
 public:
  SymBool(bool b = false) : b_(b) {}
  bool guard_bool(const char *file, int64_t line) const { return b_; }
  bool expect_true(const char *file, int64_t line) const { return b_; }
  SymBool operator&(const SymBool &o) const { return b_ && o.b_; }
  SymBool operator|(const SymBool &o) const { return b_ || o.b_; }
  SymBool operator~() const { return !b_; }
  operator bool() const { return b_; }

 private:
  bool b_;
};

class SymInt {
 public:
  SymInt(int64_t v = 0) : v_(v) {}
  int64_t expect_int() const { return v_; }
  int64_t guard_int(const char *file, int64_t line) const { return v_; }
  int64_t as_int_unchecked() const { return v_; }
  const int64_t *maybe_as_int() const { return &v_; }
  bool is_heap_allocated() const { return false; }
  bool has_hint() const { return true; }
  SymBool sym_eq(const SymInt &o) const { return v_ == o.v_; }
  SymBool sym_ne(const SymInt &o) const { return v_ != o.v_; }
  SymBool sym_lt(const SymInt &o) const { return v_ < o.v_; }
  SymBool sym_le(const SymInt &o) const { return v_ <= o.v_; }
  SymBool sym_gt(const SymInt &o) const { return v_ > o.v_; }
  SymBool sym_ge(const SymInt &o) const { return v_ >= o.v_; }
  /* In libtorch these comparisons guard: they return a plain bool. */
  bool operator==(const SymInt &o) const { return v_ == o.v_; }
  bool operator!=(const SymInt &o) const { return v_ != o.v_; }
  bool operator<(const SymInt &o) const { return v_ < o.v_; }
  bool operator<=(const SymInt &o) const { return v_ <= o.v_; }
  bool operator>(const SymInt &o) const { return v_ > o.v_; }
  bool operator>=(const SymInt &o) const { return v_ >= o.v_; }
  bool operator==(int64_t o) const { return v_ == o; }
  bool operator!=(int64_t o) const { return v_ != o; }
  bool operator<(int64_t o) const { return v_ < o; }
  bool operator<=(int64_t o) const { return v_ <= o; }
  bool operator>(int64_t o) const { return v_ > o; }
  bool operator>=(int64_t o) const { return v_ >= o; }
  SymInt operator+(const SymInt &o) const { return v_ + o.v_; }
  SymInt operator-(const SymInt &o) const { return v_ - o.v_; }
  SymInt operator*(const SymInt &o) const { return v_ * o.v_; }
  SymInt operator/(const SymInt &o) const { return v_ / o.v_; }
  SymInt operator%(const SymInt &o) const { return v_ % o.v_; }
  SymInt operator-() const { return -v_; }
  SymInt &operator+=(const SymInt &o) { v_ += o.v_; return *this; }
  SymInt &operator-=(const SymInt &o) { v_ -= o.v_; return *this; }
  SymInt &operator*=(const SymInt &o) { v_ *= o.v_; return *this; }
  SymInt &operator/=(const SymInt &o) { v_ /= o.v_; return *this; }
  SymInt operator+(int64_t o) const { return v_ + o; }
  SymInt operator-(int64_t o) const { return v_ - o; }
  SymInt operator*(int64_t o) const { return v_ * o; }
  SymInt operator/(int64_t o) const { return v_ / o; }
  SymInt operator%(int64_t o) const { return v_ % o; }

 private:
  int64_t v_;
};

inline SymInt operator+(int64_t a, const SymInt &b) { return SymInt(a) + b; }
inline SymInt operator-(int64_t a, const SymInt &b) { return SymInt(a) - b; }
inline SymInt operator*(int64_t a, const SymInt &b) { return SymInt(a) * b; }
inline bool operator<(int64_t a, const SymInt &b) { return SymInt(a) < b; }
inline bool operator<=(int64_t a, const SymInt &b) { return SymInt(a) <= b; }
inline bool operator>(int64_t a, const SymInt &b) { return SymInt(a) > b; }
inline bool operator>=(int64_t a, const SymInt &b) { return SymInt(a) >= b; }
inline bool operator==(int64_t a, const SymInt &b) { return SymInt(a) == b; }
inline bool operator!=(int64_t a, const SymInt &b) { return SymInt(a) != b; }

template <class T>
class ArrayRef {
 public:
  ArrayRef() : data_(nullptr), size_(0) {}
  ArrayRef(const T &one) : data_(&one), size_(1) {}
  ArrayRef(const T *data, size_t size) : data_(data), size_(size) {}
  ArrayRef(const std::initializer_list<T> &l) : data_(l.begin()), size_(l.size()) {}
  template <class C, class = decltype(static_cast<const T *>(std::declval<const C &>().data())),
            class = decltype(std::declval<const C &>().size())>
  ArrayRef(const C &c) : data_(c.data()), size_(c.size()) {}
  const T &operator[](size_t i) const { return data_[i]; }
  const T &at(size_t i) const { return data_[i]; }
  const T &front() const { return data_[0]; }
  const T &back() const { return data_[size_ - 1]; }
  const T *begin() const { return data_; }
  const T *end() const { return data_ + size_; }
  const T *data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  ArrayRef slice(size_t n) const { return ArrayRef(data_ + n, size_ - n); }
  ArrayRef slice(size_t n, size_t m) const { return ArrayRef(data_ + n, m); }
  std::vector<T> vec() const { return std::vector<T>(data_, data_ + size_); }

 private:
  const T *data_;
  size_t size_;
};

using IntArrayRef = ArrayRef<int64_t>;
using SymIntArrayRef = ArrayRef<SymInt>;

template <class T>
class optional {
 public:
  optional() {}
  template <class U>
  optional(const U &) {}
  bool has_value() const { return true; }
  explicit operator bool() const { return true; }
  T &value() { return *p_; }
  const T &value() const { return *p_; }
  T &operator*() { return *p_; }
  const T &operator*() const { return *p_; }
  T *operator->() { return p_; }
  const T *operator->() const { return p_; }
  template <class U>
  T value_or(const U &u) const { return *p_; }

 private:
  T *p_ = nullptr;
};
struct nullopt_t {};
constexpr nullopt_t nullopt{};
template <class T>
using OptionalArrayRef = optional<ArrayRef<T>>;

enum class ScalarType : int8_t { Byte, Char, Short, Int, Long, Half, Float, Double, ComplexHalf,
  ComplexFloat, ComplexDouble, Bool, QInt8, QUInt8, QInt32, BFloat16, Float8_e5m2, Float8_e4m3fn,
  Undefined };
enum class Layout : int8_t { Strided, Sparse, SparseCsr, Mkldnn, Jagged };
enum class MemoryFormat : int8_t { Contiguous, Preserve, ChannelsLast, ChannelsLast3d };
enum class DeviceType : int8_t { CPU, CUDA, Meta, XPU, MPS, PrivateUse1 };

/* The dispatch keys a TORCH_LIBRARY_IMPL block may name. */
enum class DispatchKey : uint16_t {
  Undefined, CatchAll, CPU, CUDA, HIP, XLA, MPS, IPU, XPU, HPU, VE, Lazy, MTIA, Meta, MAIA,
  PrivateUse1, PrivateUse2, PrivateUse3, QuantizedCPU, QuantizedCUDA, QuantizedMeta, SparseCPU,
  SparseCUDA, SparseMeta, SparseCsrCPU, SparseCsrCUDA, NestedTensorCPU, NestedTensorCUDA,
  NestedTensorMeta, BackendSelect, Python, Fake, FuncTorchDynamicLayerBackMode, Functionalize,
  Named, Conjugate, Negative, ZeroTensor, ADInplaceOrView, AutogradOther, AutogradFunctionality,
  AutogradNestedTensor, Tracer, AutocastCPU, AutocastCUDA, AutocastXPU, AutocastMPS,
  AutocastPrivateUse1, FuncTorchBatched, BatchedNestedTensor, FuncTorchVmapMode, Batched,
  VmapMode, FuncTorchGradWrapper, DeferredInit, PythonTLSSnapshot, FuncTorchDynamicLayerFrontMode,
  TESTING_ONLY_GenericWrapper, TESTING_ONLY_GenericMode, PreDispatch, PythonDispatcher,
  AutogradCPU, AutogradCUDA, AutogradXLA, AutogradMPS, AutogradIPU, AutogradXPU, AutogradHPU,
  AutogradLazy, AutogradMeta, AutogradMTIA, AutogradPrivateUse1, Sparse, SparseCsr,
  NestedTensor, Quantized, Dense, Autograd, CompositeImplicitAutograd,
  CompositeImplicitAutogradNestedTensor, CompositeExplicitAutograd,
  CompositeExplicitAutogradNonFunctional, FuncTorchBatchedDecomposition
};

struct Device {
  Device(DeviceType t = DeviceType::CPU, int8_t index = -1) : type_(t), index_(index) {}
  DeviceType type() const { return type_; }
  int8_t index() const { return index_; }
  bool is_cuda() const { return type_ == DeviceType::CUDA; }
  bool is_cpu() const { return type_ == DeviceType::CPU; }
  bool is_meta() const { return type_ == DeviceType::Meta; }
  DeviceType type_;
  int8_t index_;
};

struct TensorOptions {
  TensorOptions() {}
  TensorOptions(ScalarType) {}
  TensorOptions(Device) {}
  TensorOptions(DeviceType) {}
  TensorOptions(Layout) {}
  template <class T>
  TensorOptions dtype(T) const { return *this; }
  ScalarType dtype() const { return ScalarType::Float; }
  TensorOptions device(Device) const { return *this; }
  TensorOptions device(DeviceType, int8_t = -1) const { return *this; }
  Device device() const { return Device(); }
  TensorOptions layout(Layout) const { return *this; }
  TensorOptions requires_grad(bool) const { return *this; }
  TensorOptions memory_format(MemoryFormat) const { return *this; }
  TensorOptions pinned_memory(bool) const { return *this; }
};

struct Scalar {
  Scalar(int64_t = 0) {}
  Scalar(int) {}
  Scalar(double) {}
  Scalar(bool) {}
  template <class T>
  T to() const { return T(); }
  double toDouble() const { return 0; }
  int64_t toLong() const { return 0; }
};

struct Error {
  const char *what() const noexcept { return ""; }
};

namespace detail {
[[noreturn]] void torchCheckFail(const char *func, const char *file, uint32_t line, const char *msg);
[[noreturn]] void torchInternalAssertFail(const char *func, const char *file, uint32_t line,
                                          const char *cond, const char *msg);
}  // namespace detail

}  // namespace c10

namespace at {
using c10::ArrayRef;
using c10::Device;
using c10::DeviceType;
using c10::DispatchKey;
using c10::IntArrayRef;
using c10::Layout;
using c10::MemoryFormat;
using c10::OptionalArrayRef;
using c10::Scalar;
using c10::ScalarType;
using c10::SymBool;
using c10::SymInt;
using c10::SymIntArrayRef;
using c10::TensorOptions;
template <class T>
using optional = c10::optional<T>;

constexpr ScalarType kByte = ScalarType::Byte, kChar = ScalarType::Char, kShort = ScalarType::Short,
                     kInt = ScalarType::Int, kLong = ScalarType::Long, kHalf = ScalarType::Half,
                     kFloat = ScalarType::Float, kDouble = ScalarType::Double,
                     kBool = ScalarType::Bool, kBFloat16 = ScalarType::BFloat16,
                     kFloat16 = ScalarType::Half, kFloat32 = ScalarType::Float,
                     kFloat64 = ScalarType::Double, kInt32 = ScalarType::Int,
                     kInt64 = ScalarType::Long;
constexpr DeviceType kCPU = DeviceType::CPU, kCUDA = DeviceType::CUDA, kMeta = DeviceType::Meta;
constexpr Layout kStrided = Layout::Strided;

class Tensor;
using TensorList = ArrayRef<Tensor>;
using ITensorListRef = ArrayRef<Tensor>;

#define CONDLINT_SHIM_TENSOR_METHODS(X) \
  X(contiguous) X(clone) X(detach) X(to) X(cpu) X(cuda) X(view) X(reshape) X(view_as) \
  X(reshape_as) X(expand) X(expand_as) X(transpose) X(permute) X(t) X(mT) X(narrow) X(slice) \
  X(select) X(index_select) X(index) X(index_put_) X(gather) X(scatter) X(unsqueeze) X(squeeze) \
  X(flatten) X(unflatten) X(split) X(chunk) X(sum) X(mean) X(max) X(min) X(amax) X(amin) \
  X(argmax) X(norm) X(softmax) X(log_softmax) X(sin) X(cos) X(exp) X(log) X(tanh) X(sigmoid) \
  X(relu) X(abs) X(neg) X(sqrt) X(rsqrt) X(pow) X(square) X(add) X(sub) X(mul) X(div) X(add_) \
  X(sub_) X(mul_) X(div_) X(matmul) X(mm) X(bmm) X(addmm) X(baddbmm) X(clamp) X(clamp_min) \
  X(clamp_max) X(masked_fill) X(masked_fill_) X(where) X(copy_) X(fill_) X(zero_) X(new_empty) \
  X(new_zeros) X(new_ones) X(new_full) X(new_empty_strided) X(type_as) X(float_) X(half) \
  X(bfloat16) X(toType) X(repeat) X(repeat_interleave) X(roll) X(flip) X(cumsum) X(topk) \
  X(sort) X(eq) X(ne) X(lt) X(le) X(gt) X(ge) X(logical_not) X(any) X(all) X(as_strided) \
  X(unfold) X(tril) X(triu) X(diag) X(outer) X(resize_) X(set_) X(pin_memory) X(requires_grad_) \
  X(retain_grad) X(grad) X(data)
#define CONDLINT_SHIM_TENSOR_METHODS_SYMINT(X) \
  X(view_symint) X(reshape_symint) X(expand_symint) X(narrow_symint) X(slice_symint) \
  X(select_symint) X(unflatten_symint) X(new_empty_symint) X(new_zeros_symint) \
  X(new_empty_strided_symint) X(as_strided_symint)

class TensorBase {
 public:
  /* int-returning size APIs: under symbolic tracing they specialize */
  int64_t size(int64_t dim) const;
  IntArrayRef sizes() const;
  int64_t numel() const;
  int64_t stride(int64_t dim) const;
  IntArrayRef strides() const;
  int64_t storage_offset() const;
  size_t nbytes() const;
  /* symbolic-aware size APIs */
  SymInt sym_size(int64_t dim) const;
  SymIntArrayRef sym_sizes() const;
  SymInt sym_numel() const;
  SymInt sym_stride(int64_t dim) const;
  SymIntArrayRef sym_strides() const;
  SymInt sym_storage_offset() const;
  SymInt sym_nbytes() const;
  /* static metadata */
  int64_t dim() const;
  int64_t ndimension() const;
  size_t itemsize() const;
  int64_t element_size() const;
  TensorOptions options() const;
  ScalarType scalar_type() const;
  ScalarType dtype() const;
  Device device() const;
  Layout layout() const;
  bool defined() const;
  bool is_cuda() const;
  bool is_cpu() const;
  bool is_meta() const;
  bool is_contiguous(MemoryFormat = MemoryFormat::Contiguous) const;
  bool is_floating_point() const;
  bool is_complex() const;
  bool requires_grad() const;
  bool is_same(const TensorBase &) const;
  template <class T = void>
  T *data_ptr() const;
  template <class T = void>
  const T *const_data_ptr() const;
  template <class T = void>
  T *mutable_data_ptr() const;
  template <class T>
  T item() const;
  Scalar item() const;
  template <class T, size_t N>
  struct Accessor {
    T &operator[](int64_t) const;
  };
  template <class T, size_t N>
  Accessor<T, N> accessor() const;
};

class Tensor : public TensorBase {
 public:
  Tensor() {}
  Tensor(const TensorBase &) {}
/* braced lists cannot be deduced: the array-taking overloads take them */
/* braced lists cannot be deduced: an overload takes them, as an IntArrayRef,
 * or a SymIntArrayRef for the _symint variants (as in libtorch) */
#define CONDLINT_SHIM_METHOD(name, Array) \
  template <class... A>                   \
  Tensor name(A &&...) const;             \
  template <class... A>                   \
  Tensor name(Array, A &&...) const;
#define CONDLINT_SHIM_INT_METHOD(name) CONDLINT_SHIM_METHOD(name, IntArrayRef)
#define CONDLINT_SHIM_SYMINT_METHOD(name) CONDLINT_SHIM_METHOD(name, SymIntArrayRef)
  CONDLINT_SHIM_TENSOR_METHODS(CONDLINT_SHIM_INT_METHOD)
  CONDLINT_SHIM_TENSOR_METHODS_SYMINT(CONDLINT_SHIM_SYMINT_METHOD)
#undef CONDLINT_SHIM_METHOD
#undef CONDLINT_SHIM_INT_METHOD
#undef CONDLINT_SHIM_SYMINT_METHOD
  Tensor operator[](int64_t) const;
  Tensor operator-() const;
  Tensor &operator+=(const Tensor &);
  Tensor &operator-=(const Tensor &);
  Tensor &operator*=(const Tensor &);
  Tensor &operator/=(const Tensor &);
  Tensor &operator+=(const Scalar &);
  Tensor &operator*=(const Scalar &);
};

Tensor operator+(const Tensor &, const Tensor &);
Tensor operator-(const Tensor &, const Tensor &);
Tensor operator*(const Tensor &, const Tensor &);
Tensor operator/(const Tensor &, const Tensor &);
Tensor operator+(const Tensor &, const Scalar &);
Tensor operator-(const Tensor &, const Scalar &);
Tensor operator*(const Tensor &, const Scalar &);
Tensor operator/(const Tensor &, const Scalar &);
Tensor operator*(const Scalar &, const Tensor &);
Tensor operator+(const Scalar &, const Tensor &);
Tensor operator<(const Tensor &, const Scalar &);
Tensor operator>(const Tensor &, const Scalar &);

#define CONDLINT_SHIM_FUNCTIONS(X) \
  X(empty) X(empty_like) X(empty_strided) X(zeros) X(zeros_like) X(ones) X(ones_like) X(full) \
  X(full_like) X(arange) X(rand) X(randn) X(randint) X(eye) X(tensor) X(from_blob) \
  X(scalar_tensor) X(cat) X(stack) X(matmul) X(mm) X(bmm) X(addmm) X(baddbmm) X(linear) \
  X(einsum) X(softmax) X(log_softmax) X(relu) X(gelu) X(silu) X(sigmoid) X(tanh) X(sin) X(cos) \
  X(exp) X(log) X(sqrt) X(rsqrt) X(pow) X(abs) X(neg) X(add) X(sub) X(mul) X(div) X(sum) \
  X(mean) X(max) X(min) X(amax) X(where) X(clamp) X(layer_norm) X(native_layer_norm) \
  X(rms_norm) X(group_norm) X(batch_norm) X(dropout) X(embedding) X(conv1d) X(conv2d) \
  X(index_select) X(gather) X(scatter) X(narrow) X(split) X(chunk) X(reshape) X(view) \
  X(transpose) X(permute) X(flatten) X(unsqueeze) X(squeeze) X(expand) X(repeat_interleave) \
  X(scaled_dot_product_attention) X(topk) X(sort) X(argmax) X(cumsum) X(masked_fill) X(tril) \
  X(triu) X(outer) X(_to_copy) X(as_strided) X(zero_) X(copy_)
#define CONDLINT_SHIM_FUNCTIONS_SYMINT(X) \
  X(empty_symint) X(empty_strided_symint) X(zeros_symint) X(ones_symint) X(full_symint) \
  X(narrow_symint) X(reshape_symint) X(as_strided_symint)

#define CONDLINT_SHIM_FUNCTION(name, Array)        \
  template <class... A>                            \
  Tensor name(A &&...);                            \
  template <class... A>                            \
  Tensor name(Array, A &&...);                     \
  template <class... A>                            \
  Tensor name(TensorList, A &&...);                \
  template <class... A>                            \
  Tensor name(const Tensor &, Array, A &&...);
#define CONDLINT_SHIM_INT_FUNCTION(name) CONDLINT_SHIM_FUNCTION(name, IntArrayRef)
#define CONDLINT_SHIM_SYMINT_FUNCTION(name) CONDLINT_SHIM_FUNCTION(name, SymIntArrayRef)
CONDLINT_SHIM_FUNCTIONS(CONDLINT_SHIM_INT_FUNCTION)
CONDLINT_SHIM_FUNCTIONS_SYMINT(CONDLINT_SHIM_SYMINT_FUNCTION)
#undef CONDLINT_SHIM_FUNCTION
#undef CONDLINT_SHIM_INT_FUNCTION
#undef CONDLINT_SHIM_SYMINT_FUNCTION

namespace native {
using at::Tensor;
}
}  // namespace at

namespace torch {
using namespace at;
using at::Tensor;

class CppFunction {
 public:
  template <class F>
  CppFunction(F &&) {}
  template <class F>
  static CppFunction makeFromBoxedFunction();
  static CppFunction makeFallthrough();
};

/* torch::dispatch(c10::DispatchKey::Meta, fn): a kernel for one key */
template <class F>
CppFunction dispatch(c10::DispatchKey, F &&f) {
  return CppFunction(f);
}
template <class F>
CppFunction dispatch(c10::DeviceType, F &&f) {
  return CppFunction(f);
}

enum class Tag { core, pt2_compliant_tag, needs_fixed_stride_order, data_dependent_output,
                 dynamic_output_shape, inplace_view, pointwise, view_copy };

class Library {
 public:
  enum Kind { DEF, IMPL, FRAGMENT };
  template <class Schema>
  Library &def(Schema &&schema) { return *this; }
  template <class Schema>
  Library &def(Schema &&schema, std::initializer_list<Tag> tags) { return *this; }
  template <class Schema, class Func>
  Library &def(Schema &&schema, Func &&f) { return *this; }
  template <class Name, class Func>
  Library &impl(Name &&name, Func &&f) { return *this; }
  template <class Func>
  Library &fallback(Func &&f) { return *this; }
  Library &set_python_module(const char *module, const char *ctx = "") { return *this; }
};

namespace detail {
class TorchLibraryInit {
 public:
  TorchLibraryInit(Library::Kind kind, void (*fn)(Library &), const char *ns, int key,
                   const char *file, uint32_t line);
};
template <class F>
F *fn_ptr(F *f) {
  return f;
}
}  // namespace detail
}  // namespace torch

namespace c10 {
using torch::detail::fn_ptr;
}

#define CONDLINT_SHIM_CAT_(a, b) a##b
#define CONDLINT_SHIM_CAT(a, b) CONDLINT_SHIM_CAT_(a, b)

#define TORCH_LIBRARY(ns, m)                                                                   \
  static void TORCH_LIBRARY_init_##ns(torch::Library &);                                       \
  static const torch::detail::TorchLibraryInit TORCH_LIBRARY_static_init_##ns(                 \
      torch::Library::DEF, &TORCH_LIBRARY_init_##ns, #ns, -1, __FILE__, __LINE__);             \
  void TORCH_LIBRARY_init_##ns(torch::Library &m)

#define TORCH_LIBRARY_FRAGMENT(ns, m) CONDLINT_SHIM_LIBRARY_FRAGMENT(ns, m, __COUNTER__)
#define CONDLINT_SHIM_LIBRARY_FRAGMENT(ns, m, uid)                                             \
  static void CONDLINT_SHIM_CAT(TORCH_LIBRARY_FRAGMENT_init_##ns##_, uid)(torch::Library &);   \
  static const torch::detail::TorchLibraryInit CONDLINT_SHIM_CAT(                              \
      TORCH_LIBRARY_FRAGMENT_static_init_##ns##_, uid)(                                        \
      torch::Library::FRAGMENT, &CONDLINT_SHIM_CAT(TORCH_LIBRARY_FRAGMENT_init_##ns##_, uid),  \
      #ns, -1, __FILE__, __LINE__);                                                            \
  void CONDLINT_SHIM_CAT(TORCH_LIBRARY_FRAGMENT_init_##ns##_, uid)(torch::Library & m)

#define TORCH_LIBRARY_IMPL(ns, k, m) CONDLINT_SHIM_LIBRARY_IMPL(ns, k, m, __COUNTER__)
#define CONDLINT_SHIM_LIBRARY_IMPL(ns, k, m, uid)                                              \
  static void CONDLINT_SHIM_CAT(TORCH_LIBRARY_IMPL_init_##ns##_##k##_, uid)(torch::Library &); \
  static const torch::detail::TorchLibraryInit CONDLINT_SHIM_CAT(                              \
      TORCH_LIBRARY_IMPL_static_init_##ns##_##k##_, uid)(                                      \
      torch::Library::IMPL, &CONDLINT_SHIM_CAT(TORCH_LIBRARY_IMPL_init_##ns##_##k##_, uid),    \
      #ns, (int)c10::DispatchKey::k, __FILE__, __LINE__);                                      \
  void CONDLINT_SHIM_CAT(TORCH_LIBRARY_IMPL_init_##ns##_##k##_, uid)(torch::Library & m)

#define TORCH_FN(f) (::c10::fn_ptr(&(f)))
#define TORCH_SELECTIVE_SCHEMA(s) (s)
#define TORCH_SELECTIVE_NAME(s) (s)

#define C10_LIKELY(x) (x)
#define C10_UNLIKELY(x) (x)
#define TORCH_CHECK(cond, ...)                                                                 \
  do {                                                                                         \
    if (!(cond)) ::c10::detail::torchCheckFail(__func__, __FILE__, __LINE__, #cond);           \
  } while (0)
#define TORCH_CHECK_VALUE(cond, ...) TORCH_CHECK(cond, __VA_ARGS__)
#define TORCH_CHECK_INDEX(cond, ...) TORCH_CHECK(cond, __VA_ARGS__)
#define TORCH_CHECK_NOT_IMPLEMENTED(cond, ...) TORCH_CHECK(cond, __VA_ARGS__)
#define TORCH_INTERNAL_ASSERT(cond, ...)                                                       \
  do {                                                                                         \
    if (!(cond))                                                                               \
      ::c10::detail::torchInternalAssertFail(__func__, __FILE__, __LINE__, #cond, "");         \
  } while (0)
#define TORCH_INTERNAL_ASSERT_DEBUG_ONLY(cond, ...) TORCH_INTERNAL_ASSERT(cond)
#define AT_ASSERT(cond, ...) TORCH_INTERNAL_ASSERT(cond)
#define AT_ERROR(...) ::c10::detail::torchCheckFail(__func__, __FILE__, __LINE__, "")
#define TORCH_WARN(...) ((void)0)
#define TORCH_WARN_ONCE(...) ((void)0)
#define TORCH_GUARD_SIZE_OBLIVIOUS(cond) ((cond).guard_bool(__FILE__, __LINE__))

#define CONDLINT_SHIM_DISPATCH(...) \
  [&] {                             \
    using scalar_t = float;         \
    return __VA_ARGS__();           \
  }()
#define AT_DISPATCH_FLOATING_TYPES(TYPE, NAME, ...) CONDLINT_SHIM_DISPATCH(__VA_ARGS__)
#define AT_DISPATCH_FLOATING_TYPES_AND_HALF(TYPE, NAME, ...) CONDLINT_SHIM_DISPATCH(__VA_ARGS__)
#define AT_DISPATCH_FLOATING_TYPES_AND(S, TYPE, NAME, ...) CONDLINT_SHIM_DISPATCH(__VA_ARGS__)
#define AT_DISPATCH_FLOATING_TYPES_AND2(S1, S2, TYPE, NAME, ...) CONDLINT_SHIM_DISPATCH(__VA_ARGS__)
#define AT_DISPATCH_ALL_TYPES(TYPE, NAME, ...) CONDLINT_SHIM_DISPATCH(__VA_ARGS__)
#define AT_DISPATCH_ALL_TYPES_AND(S, TYPE, NAME, ...) CONDLINT_SHIM_DISPATCH(__VA_ARGS__)
#define AT_DISPATCH_INTEGRAL_TYPES(TYPE, NAME, ...) CONDLINT_SHIM_DISPATCH(__VA_ARGS__)
#define AT_DISPATCH_FLOATING_AND_COMPLEX_TYPES(TYPE, NAME, ...) CONDLINT_SHIM_DISPATCH(__VA_ARGS__)
#define AT_DISPATCH_REDUCED_FLOATING_TYPES(TYPE, NAME, ...) CONDLINT_SHIM_DISPATCH(__VA_ARGS__)

/* CUDA sources: condlint parses .cu files in clang's CUDA mode without the
 * CUDA headers (-nocudainc); declare what kernels and launches use. */
#if defined(__CUDA__) && !defined(__CUDACC__)
#define __global__ __attribute__((global))
#define __device__ __attribute__((device))
#define __host__ __attribute__((host))
#define __shared__ __attribute__((shared))
#define __constant__ __attribute__((constant))
#define __forceinline__ __inline__ __attribute__((always_inline))
#define __launch_bounds__(...) __attribute__((launch_bounds(__VA_ARGS__)))
struct condlint_uint3 {
  unsigned x, y, z;
};
struct dim3 {
  unsigned x, y, z;
  dim3(unsigned vx = 1, unsigned vy = 1, unsigned vz = 1) : x(vx), y(vy), z(vz) {}
};
extern const __device__ condlint_uint3 threadIdx, blockIdx;
extern const __device__ dim3 blockDim, gridDim;
typedef struct CUstream_st *cudaStream_t;
extern "C" int __cudaPushCallConfiguration(dim3 grid, dim3 block, size_t shmem = 0, cudaStream_t stream = 0);
#elif !defined(__CUDA__)
/* a CUDA header parsed as C++: the execution-space keywords mean nothing */
#define __global__
#define __device__
#define __host__
#define __shared__
#define __constant__
#define __forceinline__ inline
#define __launch_bounds__(...)
#endif

#endif /* CONDLINT_TORCH_SHIM_H */
