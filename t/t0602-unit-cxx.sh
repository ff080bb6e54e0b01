#!/usr/bin/env bash
# Unit test: the C++ stage (t/unit/unit_cxx.c): sources, prefilter, comments,
# TORCH_LIBRARY macros, compile_commands.json.
. "$(dirname "$0")/lib.sh"
run_unit unit_cxx
