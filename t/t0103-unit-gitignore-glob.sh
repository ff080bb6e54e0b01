#!/usr/bin/env bash
# Unit test: gitignore glob (t/unit/unit_glob.c, built into $CONDLINT_BUILD/t/unit_glob).
. "$(dirname "$0")/lib.sh"
run_unit unit_glob
