/* c10/util/ArrayRef.h — a condlint shim: see condlint/torch_shim.h. */
#pragma once
#include <condlint/torch_shim.h>
