/* suppress.h — inline suppressions: # condlint: ignore[CODE,...], # noqa: CODE,
 * # condlint: skip-file. */
#ifndef CONDLINT_SUPPRESS_H
#define CONDLINT_SUPPRESS_H
#include "internal.h"

/* Drop the findings that a suppression comment covers, and report each
 * suppression that covered nothing (CL902). */
void cl_suppress_apply(condlint_session *s);

#endif
