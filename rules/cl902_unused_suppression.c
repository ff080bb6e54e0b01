/*
 * CL902 unused-suppression
 *
 * ## What it does
 * Reports a `# condlint: ignore[CODE]` (or `# noqa: CLnnn`) comment that
 * suppresses no finding on its line.
 *
 * ## Why it matters
 * Stale suppressions hide the next real finding on that line and mislead
 * readers about what the code does.
 *
 * ## Example
 * ```python
 * y = x + 1  # condlint: ignore[CL101]
 * ```
 *
 * ## Use instead
 * Remove the comment, or move it to the line of the `torch.cond` it is meant
 * for.
 */
#include "rule.h"

void cl_rule_CL902(condlint_session *s, const cl_facts *facts) { (void)s; (void)facts; /* emitted by the suppression stage */ }
