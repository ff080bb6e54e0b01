#!/usr/bin/env bash
# C++ custom ops through libclang (docs/cxx.md): the C++ fixtures report
# exactly their `// expect:` findings (with the shim headers: no libtorch
# here), the corpus cases' C++ twins match their inline sources, discovery
# and stdin take C++ files, a file that registers nothing never reaches
# libclang, suppressions work in // and /* */ comments, CUDA sources parse,
# and, where the CLI and the Python side are wired, compile_commands.json
# and CL302.
. "$(dirname "$0")/lib.sh"

# "LINE CODE" for each `// expect:` comment of a C++ fixture, sorted.
expectations() {
  perl -ne 'if (m{//\s*expect:\s*(CL\d{3}(?:\s*,\s*CL\d{3})*)\s*$}) { print "$. $_\n" for split /\s*,\s*/, $1 }' "$1" |
    sort -u -n -k1,1 -k2
}

cd "$TOP/t/fixtures/cxx" || exit 1
for fixture in *.cpp *.cu *.h *.hpp; do
  [ -f "$fixture" ] || continue
  want=$(expectations "$fixture")
  cl check --output-format json "$fixture"
  got=$(printf '%s' "$out" | json_pairs "$fixture" | sort -u -n -k1,1 -k2)
  is "$got" "$want" "$fixture: exactly the expected findings"
  [ -z "$err" ]
  ok $? "$fixture: nothing on stderr"
  [ -z "$err" ] || diag "$err"
done

# The corpus cases (t/corpus/cxx_*.py, labelled by real PyTorch) hold their
# C++ inline; the fixtures above are the same text.
cd "$TOP" || exit 1
for case in t/corpus/cxx_[0-9]*.py; do
  name=$(basename "$case" .py)
  inline=$(perl -0777 -ne 'print $1 if /^CPP = r"""\n(.*?)"""/sm' "$case")
  is "$inline" "$(cat "t/fixtures/cxx/$name.cpp")" "$name: the fixture is the case's inline C++"
done

cd "$TMP" || exit 1
meta_kernel='#include <torch/extension.h>
at::Tensor f_meta(const at::Tensor& x) {
  return at::empty({x.size(0), x.size(1)}, x.options());
}
TORCH_LIBRARY(t0600, m) { m.def("f(Tensor x) -> Tensor"); }
TORCH_LIBRARY_IMPL(t0600, Meta, m) { m.impl("f", f_meta); }
'

# Discovery: a directory walk takes C++ sources and headers beside *.py.
mkdir -p walk/sub walk/ignored
printf '%s' "$meta_kernel" >walk/ops.cpp
printf '%s' "$meta_kernel" | sed 's/t0600/t0600cu/g' >walk/sub/k.cu
printf '%s' "$meta_kernel" | sed 's/t0600/t0600h/g' >walk/sub/ops.h
printf '%s' "$meta_kernel" | sed 's/t0600/t0600hpp/g' >walk/sub/ops.hpp
printf '%s' "$meta_kernel" >walk/notes.txt
printf '%s' "$meta_kernel" >walk/ignored/skip.cpp
echo 'ignored/' >walk/.gitignore
echo 'import torch' >walk/mod.py
cl check --output-format json walk
is "$(printf '%s' "$out" | json_paths)" "walk/ops.cpp
walk/sub/k.cu
walk/sub/ops.h
walk/sub/ops.hpp" "a walk reports .cpp, .cu, .h and .hpp files, not .txt or .gitignore'd ones"
is "$rc" 1 "findings in C++ files set the exit status"

# stdin with a C++ name is C++.
cl_in "$meta_kernel" check --output-format json --stdin-filename pkg/ops.cpp -
is "$(printf '%s' "$out" | json_pairs pkg/ops.cpp)" "3 CL301
3 CL301" "stdin named *.cpp is read as C++"

# A file that registers nothing never reaches libclang: its syntax errors are
# not reported; the same error in a file that registers ops is (CL901).
printf 'int broken( {\n  return 1 +;\n}\n' >plain.cpp
cl check --output-format json plain.cpp
is "$(printf '%s' "$out" | json_pairs)" "" "a file without TORCH_LIBRARY is not parsed: no CL901"
is "$rc" 0 "and exits 0"
printf '%s\nint broken( {\n  return 1 +;\n}\n' "$meta_kernel" >registers.cpp
cl check --output-format json registers.cpp
like "$(printf '%s' "$out" | json_pairs)" "CL901" "the same syntax error in a file that registers ops: CL901"

# Suppressions: // and /* */ comments, noqa, skip-file, unused ones (CL902);
# comment markers inside strings are not comments.
cat >sup.cpp <<'EOF'
#include <torch/extension.h>
at::Tensor a_meta(const at::Tensor& x) {
  auto n = x.size(0);  // condlint: ignore[CL301]
  auto m = x.size(1);  /* condlint: ignore[CL3] */
  auto k = x.numel();  // noqa: CL301
  auto s = "// condlint: ignore[CL301]"; auto j = x.stride(0);
  return at::empty({n, m, k, j}, x.options());  // condlint: ignore[CL303]
}
TORCH_LIBRARY(sup, m) { m.def("a(Tensor x) -> Tensor"); }
TORCH_LIBRARY_IMPL(sup, Meta, m) { m.impl("a", a_meta); }
EOF
cl check --output-format json sup.cpp
is "$(printf '%s' "$out" | json_pairs)" "6 CL301
7 CL902" "suppressions in // and /* */ comments hide findings; one in a string does not; an unused one is CL902"
printf '// condlint: skip-file\n%s' "$meta_kernel" >skip.cpp
cl check --output-format json skip.cpp
is "$(printf '%s' "$out" | json_pairs)" "" "condlint: skip-file in a // comment"

# JSON fields of a C++ finding: the read's range and the registration note.
cl check --output-format json walk/ops.cpp
fields=$(printf '%s' "$out" | perl -MJSON::PP -e 'local $/; my $d = decode_json(<STDIN>)->[0];
  print "$d->{code} $d->{name} $d->{line}:$d->{column}-$d->{end_line}:$d->{end_column} ",
        scalar(@{$d->{related}}), " $d->{related}[0]{line}"')
is "$fields" "CL301 meta-kernel-concrete-size 3:21-3:30 1 6" "a CL301 spans x.size(0) and notes the registration"

# CUDA: a .cu file with a kernel launch parses (CUDA mode), no CL901.
cat >launch.cu <<'EOF'
#include <torch/extension.h>
__global__ void fill(float *p, int n) { int i = blockIdx.x * blockDim.x + threadIdx.x; if (i < n) p[i] = 0; }
at::Tensor fill_cuda(const at::Tensor& x) {
  int n = x.numel();
  fill<<<(n + 255) / 256, 256>>>(x.data_ptr<float>(), n);
  return x;
}
at::Tensor pick(const at::Tensor& x) { return x.size(1) > 1024 ? x.relu() : x.sin(); }
TORCH_LIBRARY(cu, m) { m.def("fill(Tensor x) -> Tensor"); m.def("pick(Tensor x) -> Tensor", pick); }
TORCH_LIBRARY_IMPL(cu, CUDA, m) { m.impl("fill", fill_cuda); }
EOF
cl check --output-format json launch.cu
is "$(printf '%s' "$out" | json_pairs)" "8 CL303" "a .cu file parses in CUDA mode: CL303 on the catch-all kernel, no CL901"

# compile_commands.json: its flags (here -DUSE_META) are used instead of the
# shims' defaults.
mkdir -p proj/build
cat >proj/k.cpp <<'EOF'
#include <torch/extension.h>
#ifdef USE_META
at::Tensor k_meta(const at::Tensor& x) { return at::empty({x.size(1)}, x.options()); }
TORCH_LIBRARY_IMPL(proj, Meta, m) { m.impl("k", k_meta); }
#endif
TORCH_LIBRARY(proj, m) { m.def("k(Tensor x) -> Tensor"); }
EOF
printf '[{"directory": "%s/proj/build", "file": "%s/proj/k.cpp", "arguments": ["c++", "-DUSE_META", "-I../include", "-c", "../k.cpp"]}]\n' \
  "$TMP" "$TMP" >proj/build/compile_commands.json
cl check --output-format json proj/k.cpp
is "$(printf '%s' "$out" | json_pairs)" "" "without compile_commands.json, USE_META is not defined"
cl check --output-format json --compile-commands proj/build proj/k.cpp
is "$(printf '%s' "$out" | json_pairs)" "3 CL301" "--compile-commands DIR: the file's flags define USE_META"
cl check --output-format json -p proj/build/compile_commands.json proj/k.cpp
is "$(printf '%s' "$out" | json_pairs)" "3 CL301" "-p FILE names the database itself"
cl check --compile-commands proj/nowhere proj/k.cpp
is "$rc" 2 "a missing compile_commands.json is a usage error (exit 2)"

# CL302 needs the Python side: a traced call feeding x.shape[1] to `int n`.
mkdir -p py302
cp "$TOP/t/corpus/cxx_014_schema_int_export.py" "$TOP/t/fixtures/cxx/cxx_014_schema_int_export.cpp" py302/
cp "$TOP/t/corpus/cxx_016_schema_symint_export.py" "$TOP/t/fixtures/cxx/cxx_016_schema_symint_export.cpp" py302/
cl check --output-format json py302
is "$(printf '%s' "$out" | json_pairs py302/cxx_014_schema_int_export.cpp)" "7 CL302" \
  "CL302 on \`int n\` fed x.shape[1] under export with a Dim"
is "$(printf '%s' "$out" | json_pairs py302/cxx_016_schema_symint_export.cpp)" "" "no CL302 on \`SymInt n\`"
related=$(printf '%s' "$out" | perl -MJSON::PP -e 'local $/; my ($d) = grep { $_->{code} eq "CL302" } @{decode_json(<STDIN>)};
  print "$d->{related}[0]{path}:$d->{related}[0]{line}" if $d')
is "$related" "py302/cxx_014_schema_int_export.py:30" "its note is the Python call"

done_testing
