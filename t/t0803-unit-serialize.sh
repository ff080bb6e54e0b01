#!/usr/bin/env bash
# Unit test: the IR encoding of the summary cache (t/unit/unit_serialize.c):
# round trips over t/corpus, t/fixtures and examples, damaged encodings.
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
run_unit unit_serialize
