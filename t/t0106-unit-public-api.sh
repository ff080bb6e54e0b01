#!/usr/bin/env bash
# Unit test: public api (t/unit/unit_api.c, built into $CONDLINT_BUILD/t/unit_api).
. "$(dirname "$0")/lib.sh"
run_unit unit_api
