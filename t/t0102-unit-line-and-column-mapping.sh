#!/usr/bin/env bash
# Unit test: line and column mapping (t/unit/unit_source.c, built into $CONDLINT_BUILD/t/unit_source).
. "$(dirname "$0")/lib.sh"
run_unit unit_source
