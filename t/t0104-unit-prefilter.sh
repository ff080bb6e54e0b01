#!/usr/bin/env bash
# Unit test: prefilter (t/unit/unit_prefilter.c, built into $CONDLINT_BUILD/t/unit_prefilter).
. "$(dirname "$0")/lib.sh"
run_unit unit_prefilter
