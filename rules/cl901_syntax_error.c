/*
 * CL901 syntax-error
 *
 * ## What it does
 * Reports a region of a file that does not parse. The rest of the file is
 * still checked.
 *
 * ## Why it matters
 * condlint cannot see conds inside a region it cannot parse, so findings in
 * it may be missing. The Python grammar condlint uses rejects a few valid
 * constructs (for example `return *a, *b`), so the finding is reported at
 * severity `info` and never changes the exit status.
 *
 * ## Example
 * ```python
 * def f(x:
 *     return torch.cond(x.shape[0] > 4, a, b, (x,))
 * ```
 *
 * ## Use instead
 * Fix the syntax error; if CPython accepts the code, the finding only says
 * that this region was not analysed.
 */
#include "rule.h"

void cl_rule_CL901(condlint_session *s, const cl_facts *facts) { (void)s; (void)facts; /* emitted by the parser */ }
