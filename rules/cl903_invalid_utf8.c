/*
 * CL903 invalid-utf8
 *
 * ## What it does
 * Reports bytes that are not valid UTF-8. condlint reads them as spaces and
 * checks the rest of the file.
 *
 * ## Why it matters
 * Python source must be UTF-8 unless it declares another encoding; the
 * region around the bytes may not have been analysed.
 *
 * ## Example
 * A Latin-1 `é` (byte 0xE9) inside a comment or string.
 *
 * ## Use instead
 * Re-encode the file as UTF-8.
 */
#include "rule.h"

void cl_rule_CL903(condlint_session *s, const cl_facts *facts) { (void)s; (void)facts; /* emitted by the parser */ }
