#!/usr/bin/env bash
# Unit test: operator schema parser (t/unit/unit_schema.c, built into $CONDLINT_BUILD/t/unit_schema).
. "$(dirname "$0")/lib.sh"
run_unit unit_schema
