#!/usr/bin/env bash
# Unit test: skeletons, function bodies parsed when called (t/unit/unit_lazy.c):
# the scan for bodies, and skeletons against whole parses over t/corpus,
# t/fixtures and examples.
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
run_unit unit_lazy
