#!/usr/bin/env bash
# Unit test: parser lowering (t/unit/unit_parse.c, built into $CONDLINT_BUILD/t/unit_parse).
. "$(dirname "$0")/lib.sh"
run_unit unit_parse
