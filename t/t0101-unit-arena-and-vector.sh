#!/usr/bin/env bash
# Unit test: arena and vector (t/unit/unit_memory.c, built into $CONDLINT_BUILD/t/unit_memory).
. "$(dirname "$0")/lib.sh"
run_unit unit_memory
