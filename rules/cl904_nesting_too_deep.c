/*
 * CL904 nesting-too-deep
 *
 * ## What it does
 * Reports an expression or block nested more deeply than condlint walks
 * (400 levels). The subtree is treated as unknown; the rest of the file is
 * still checked.
 *
 * ## Why it matters
 * It bounds the stack condlint uses, so that hostile or generated input
 * cannot crash it; findings inside the subtree may be missing.
 *
 * ## Example
 * Generated code such as `x = ((((...))))` with thousands of levels.
 *
 * ## Use instead
 * Nothing to fix in hand-written code; exclude generated files.
 */
#include "rule.h"

void cl_rule_CL904(condlint_session *s, const cl_facts *facts) { (void)s; (void)facts; /* emitted by the parser */ }
